package io.riskgate.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.check.Decision;
import io.riskgate.policy.PolicyException;
import io.riskgate.policy.PolicyLoader;
import io.riskgate.policy.PolicyProblem;
import io.riskgate.testing.Engine;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gates written in the policy YAML (issue 6): they compile to rules with their code and category, reject like
 * hand-written gates, are audited the same way, and a bad condition is reported at its YAML line.
 */
class CustomGatesTest {

    private static final String NEWS_GATE = """

            gates:
              - code: NEWS_WIDE_SPREAD
                when: strategy == "news_driven" && spreadBps > 30
                message: news-driven orders need a spread of at most 30 bps
            """;

    private static Path policyWith(Path dir, String gates) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        Path yaml = dir.resolve("policies/default.yaml");
        Files.writeString(yaml, Files.readString(yaml) + gates);
        return yaml;
    }

    @Test
    void aYamlGateRejectsOnItsConditionWithItsCodeAndMessage(@TempDir Path dir) throws IOException {
        policyWith(dir, NEWS_GATE);
        Engine engine = new Engine(dir.resolve("policies"), dir.resolve("rules"));

        ObjectNode at30 = Requests.set(engine.seed001(), "strategy", "news_driven");
        Requests.set(at30, "market.spreadBps", 30.0);
        assertThat(engine.check(at30).approved()).isTrue(); // 30 is not above 30

        ObjectNode at31 = Requests.set(engine.seed001(), "strategy", "news_driven");
        Requests.set(at31, "market.spreadBps", 31.0);
        Decision d = engine.check(at31);
        assertThat(d.codes()).containsExactly("NEWS_WIDE_SPREAD");
        assertThat(d.rejections().get(0).message()).isEqualTo("news-driven orders need a spread of at most 30 bps");
        assertThat(d.firedRuleDetails()).extracting(FiredRule::name, FiredRule::category)
                .contains(org.assertj.core.api.Assertions.tuple("Gate NEWS_WIDE_SPREAD", "custom"));

        // other strategies are not concerned
        ObjectNode trend = Requests.set(engine.seed001(), "strategy", "trend_following");
        Requests.set(trend, "market.spreadBps", 31.0);
        assertThat(engine.check(trend).codes()).doesNotContain("NEWS_WIDE_SPREAD");
        // the gate is catalogued like a DRL rule
        assertThat(engine.rt.registry().active().rules()).extracting(RuleInfo::code).contains("NEWS_WIDE_SPREAD");
    }

    @Test
    void aConditionThatDoesNotCompileIsReportedAtItsYamlLine(@TempDir Path dir) throws IOException {
        Path yaml = policyWith(dir, NEWS_GATE.replace("spreadBps > 30", "spreadBp > 30"));
        List<String> lines = Files.readAllLines(yaml);
        int line = lines.indexOf("    when: strategy == \"news_driven\" && spreadBp > 30") + 1;

        assertThatThrownBy(() -> new RuleSetCompiler().compile(new PolicyLoader(dir.resolve("rules")).load(yaml)))
                .isInstanceOf(PolicyException.class).satisfies(e -> assertThat(((PolicyException) e).problems())
                        .singleElement().satisfies(p -> {
                            assertThat(p.file()).isEqualTo("default.yaml");
                            assertThat(p.path()).isEqualTo("gates[0].when");
                            assertThat(p.line()).isEqualTo(line);
                            assertThat(p.message()).contains("NEWS_WIDE_SPREAD").contains("spreadBp");
                        }));
    }

    @Test
    void aGateMayNotTakeTheCodeOfARuleFile(@TempDir Path dir) throws IOException {
        Path yaml = policyWith(dir, NEWS_GATE.replace("NEWS_WIDE_SPREAD", "SPREAD_TOO_WIDE"));
        assertThatThrownBy(() -> new RuleSetCompiler().compile(new PolicyLoader(dir.resolve("rules")).load(yaml)))
                .isInstanceOf(PolicyException.class).satisfies(e -> assertThat(((PolicyException) e).problems())
                        .singleElement().satisfies(p -> {
                            assertThat(p.path()).isEqualTo("gates[0].code");
                            assertThat(p.message()).contains("gates.drl");
                        }));
    }

    @Test
    void aConditionMayNotWriteRuleCodeAndCodesAreUnique(@TempDir Path dir) throws IOException {
        Path yaml = policyWith(dir, """

                gates:
                  - code: ESCAPE
                    when: spreadBps > 30 ) then System.exit(0); end rule "x" when OrderFacts(
                    message: no
                  - code: ESCAPE
                    when: spreadBps > 40
                    message: again
                  - code: lower
                    when: spreadBps > 50
                    message: bad code
                """);
        assertThatThrownBy(() -> new PolicyLoader(dir.resolve("rules")).load(yaml))
                .isInstanceOf(PolicyException.class).satisfies(e -> assertThat(((PolicyException) e).problems())
                        .extracting(PolicyProblem::path)
                        .containsExactlyInAnyOrder("gates[0].when", "gates[1].code", "gates[2].code"));
    }
}
