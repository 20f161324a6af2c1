package io.riskgate.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskgate.policy.PolicyLoader;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleInfo;
import io.riskgate.rules.RuleSetCompiler;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The scenario tests officers ship beside the default policy (policies/tests/*.yaml) run in the project's own
 * suite: every one passes, and together they assert every rule code the default policy has.
 */
class PolicyScenariosTest {

    @Test
    void theShippedScenariosPassAndCoverEveryRuleCode() throws IOException {
        ScenarioRunner runner = new ScenarioRunner(TestRuntime.repoPolicies(), TestRuntime.repoRules());
        ScenarioRunner.Report report = runner.run(TestRuntime.repoPolicies().resolve("tests"));

        assertThat(report.failures()).as("failing scenarios").isEmpty();
        CompiledPolicy policy = new RuleSetCompiler().compile(new PolicyLoader(TestRuntime.repoRules())
                .load(TestRuntime.repoPolicies().resolve("default.yaml")));
        Set<String> codes = new TreeSet<>();
        policy.rules().stream().map(RuleInfo::code).forEach(codes::add);
        codes.removeAll(report.codesSeen());
        assertThat(codes).as("rule codes no scenario asserts").isEmpty();
    }
}
