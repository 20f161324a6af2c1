package io.riskgate.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskgate.check.PolicyCompiler;
import io.riskgate.policy.PolicyLoader;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleInfo;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The scenario tests officers ship beside the default policy (policies/tests/*.yaml) run in the project's own
 * suite: every one passes, and together they assert every rule code the default policy has FIRING (a code named
 * only in {@code not_fired} is not covered: that a rule stays quiet says nothing about whether it can fire).
 */
class PolicyScenariosTest {

    /**
     * The codes a scenario cannot fire: they judge correlation and VaR measured from stored daily bars, and a
     * scenario file gives an order and an account but no bars. Each is asserted firing by the Java test named
     * here, which posts bars first.
     */
    static final Map<String, String> FIRED_ONLY_WITH_BARS = Map.of(
            "CORRELATION_TOO_HIGH", "aStronglyCorrelatedSymbolIsRefusedWhileAnUncorrelatedOneIsApproved",
            "VAR_LIMIT", "aPortfolioVarAboveItsLimitIsRefused");

    /**
     * The codes a scenario cannot fire because they judge more than the one order it decides (the checks before
     * it, stored bars and marks), each asserted firing, on both sides of its limit, by the Java test named here
     * (class and method).
     */
    static final Map<String, String> FIRED_ONLY_BY_JAVA_TESTS = Map.of(
            "ORDER_RATE_EXCEEDED",
            "io.riskgate.check.OrderRateControlTest#theCheckPastTheLimitIsRefusedUntilTheFirstLeavesTheWindow",
            // the price collar's reference is a stored bar or a mark, which a scenario does not give
            "PRICE_OUT_OF_BAND",
            "io.riskgate.market.PriceCollarTest#aPriceTenPercentFromTheLastBarPassesAndOneCentMoreIsRefused",
            // off in the shipped policy, and it compares an order with the approvals before it
            "DUPLICATE_ORDER",
            "io.riskgate.check.DuplicateOrderControlTest#theSameOrderWithinTheWindowIsRefusedAndOneLaterPasses");

    @Test
    void theShippedScenariosPassAndFireEveryRuleCode() throws IOException {
        ScenarioRunner runner = new ScenarioRunner(TestRuntime.repoPolicies(), TestRuntime.repoRules());
        ScenarioRunner.Report report = runner.run(TestRuntime.repoPolicies().resolve("tests"));

        assertThat(report.failures()).as("failing scenarios").isEmpty();
        Set<String> unfired = new TreeSet<>(defaultPolicyCodes());
        unfired.removeAll(report.codesSeen());
        // exactly the bar-dependent codes: any other code needs a scenario asserting it fires, and a bar-dependent
        // code a scenario learns to fire leaves this list
        Set<String> expected = new TreeSet<>(FIRED_ONLY_WITH_BARS.keySet());
        expected.addAll(FIRED_ONLY_BY_JAVA_TESTS.keySet());
        assertThat(unfired).as("rule codes no scenario asserts firing").isEqualTo(expected);
    }

    @Test
    void theCodesOnlyBarsCanFireAreFiredByTheAnalyticsTests() throws ClassNotFoundException {
        Set<String> methods = new TreeSet<>();
        Arrays.stream(Class.forName("io.riskgate.market.AnalyticsScenarioTest").getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Test.class)).forEach(m -> methods.add(m.getName()));
        assertThat(methods).containsAll(FIRED_ONLY_WITH_BARS.values());
        assertThat(defaultPolicyCodes()).containsAll(FIRED_ONLY_WITH_BARS.keySet());
    }

    @Test
    void theCodesOnlyJavaTestsCanFireAreFiredByTheTestsNamed() throws ClassNotFoundException {
        for (String test : FIRED_ONLY_BY_JAVA_TESTS.values()) {
            String[] classAndMethod = test.split("#");
            Set<String> methods = new TreeSet<>();
            Arrays.stream(Class.forName(classAndMethod[0]).getDeclaredMethods())
                    .filter(m -> m.isAnnotationPresent(Test.class)).forEach(m -> methods.add(m.getName()));
            assertThat(methods).as(test).contains(classAndMethod[1]);
        }
        assertThat(defaultPolicyCodes()).containsAll(FIRED_ONLY_BY_JAVA_TESTS.keySet());
    }

    private static Set<String> defaultPolicyCodes() {
        Path yaml = TestRuntime.repoPolicies().resolve("default.yaml");
        CompiledPolicy policy = PolicyCompiler.standard().compile(new PolicyLoader(TestRuntime.repoRules()).load(yaml));
        Set<String> codes = new TreeSet<>();
        policy.rules().stream().map(RuleInfo::code).forEach(codes::add);
        return codes;
    }
}
