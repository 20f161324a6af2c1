package io.riskgate.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.check.PolicyCompiler;
import io.riskgate.decision.Decision;
import io.riskgate.facts.FiredRule;
import io.riskgate.facts.OrderFacts;
import io.riskgate.policy.CustomGate;
import io.riskgate.policy.GateCondition;
import io.riskgate.policy.PolicyException;
import io.riskgate.policy.PolicyLoader;
import io.riskgate.policy.PolicyProblem;
import io.riskgate.testing.Engine;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gates written in the policy YAML (issue 6): they compile to rules with their code and category, reject like
 * hand-written gates, are audited the same way, and a bad condition is reported at its YAML line. Conditions pass
 * an allow-list (issue 10, {@link GateCondition}): each accepted form below is compiled into one policy and fired on
 * both sides of its boundary through the real engine; each hostile one is refused at its YAML line.
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
    void aMisspeltFieldIsReportedAtItsYamlLine(@TempDir Path dir) throws IOException {
        Path yaml = policyWith(dir, NEWS_GATE.replace("spreadBps > 30", "spreadBp > 30"));
        List<String> lines = Files.readAllLines(yaml);
        int line = lines.indexOf("    when: strategy == \"news_driven\" && spreadBp > 30") + 1;

        assertThatThrownBy(() -> PolicyCompiler.standard().compile(new PolicyLoader(dir.resolve("rules")).load(yaml)))
                .isInstanceOf(PolicyException.class).satisfies(e -> assertThat(((PolicyException) e).problems())
                        .singleElement().satisfies(p -> {
                            assertThat(p.file()).isEqualTo("default.yaml");
                            assertThat(p.path()).isEqualTo("gates[0].when");
                            assertThat(p.line()).isEqualTo(line);
                            assertThat(p.message()).startsWith("'spreadBp' is not a field a gate may read "
                                    + "(did you mean spreadBps?); the fields are account, symbol, asset, side, ");
                        }));
    }

    @Test
    void aGateMayNotTakeTheCodeOfARuleFile(@TempDir Path dir) throws IOException {
        Path yaml = policyWith(dir, NEWS_GATE.replace("NEWS_WIDE_SPREAD", "SPREAD_TOO_WIDE"));
        assertThatThrownBy(() -> PolicyCompiler.standard().compile(new PolicyLoader(dir.resolve("rules")).load(yaml)))
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

    // ---- the allow-list through the engine (issue 10) ----

    /**
     * Accepted conditions: (when, the DRL constraint printed for it, an order change on which it fires, one just on
     * the other side of its boundary on which it does not). Each starts from seed 001's order (BTCUSDT LONG, STRONG
     * 0.75, strength 0.82, price 50,000, ATR 1,500 so ATR/price 0.03, EMA200 48,000, volume 5e9, spread 10 bps, no
     * strategy, no open trades).
     */
    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("strategy == \"news_driven\" && spreadBps > 30",
                        "((strategy == \"news_driven\") && (spreadBps > 30))",
                        Map.of("strategy", "news_driven", "market.spreadBps", 31.0),
                        Map.of("strategy", "news_driven", "market.spreadBps", 30.0)),
                // ATR 1,500.5 / 50,000 = 0.03001
                Arguments.of("side == Side.SHORT && atrRatio > 0.03", "((side == Side.SHORT) && (atrRatio > 0.03))",
                        Map.of("side", "SHORT", "market.atr", 1_500.5), Map.of("side", "SHORT", "market.atr", 1_500.0)),
                Arguments.of("consensus == Consensus.STRONG && confidence < 0.8 && strategy == \"htf\"",
                        "(((consensus == Consensus.STRONG) && (confidence < 0.8)) && (strategy == \"htf\"))",
                        Map.of("strategy", "htf", "signal.confidence", 0.7999),
                        Map.of("strategy", "htf", "signal.confidence", 0.8)),
                Arguments.of("asset == \"DOGE\" || symbol == \"PEPEUSDT\"",
                        "((asset == \"DOGE\") || (symbol == \"PEPEUSDT\"))",
                        Map.of("symbol", "DOGEUSDT"), Map.of("symbol", "BTCUSDT")),
                // |50,500.5 - 50,000| / 50,000 = 1.001%; 50,500 is exactly 1%
                Arguments.of("openTrades == 0 && entryDeviation > 0.01",
                        "((openTrades == 0) && (entryDeviation > 0.01))",
                        Map.of("entry", 50_500.5, "stopLoss", 49_500.5, "takeProfit", 52_500.5),
                        Map.of("entry", 50_500.0, "stopLoss", 49_500.0, "takeProfit", 52_500.0)),
                Arguments.of("strength >= 0 && strength < 0.5", "((strength >= 0) && (strength < 0.5))",
                        Map.of("signal.strength", 0.4999), Map.of("signal.strength", 0.5)),
                // the NaN warning of the docs: without a strength, !(strength >= 0.5) is true
                Arguments.of("!(strength >= 0.5)", "!((strength >= 0.5))",
                        Map.of("signal.strength", NO_VALUE), Map.of("signal.strength", 0.5)),
                // max_spread_bps 50: half is 25
                Arguments.of("spreadBps > maxSpreadBps * 0.5 && consensus == Consensus.STRONG",
                        "((spreadBps > (maxSpreadBps * 0.5)) && (consensus == Consensus.STRONG))",
                        Map.of("market.spreadBps", 25.01), Map.of("market.spreadBps", 25.0)),
                // ATR 2,000.5 / 50,000 = 0.04001 is above high_volatility_atr_ratio 0.04
                Arguments.of("symbol.in(\"BTCUSDT\", \"ETHUSDT\") && !highVolatility",
                        "((symbol == \"BTCUSDT\" || symbol == \"ETHUSDT\") && !((highVolatility == true)))",
                        Map.of("symbol", "ETHUSDT"), Map.of("symbol", "ETHUSDT", "market.atr", 2_000.5)),
                Arguments.of("!symbol.in(\"BTCUSDT\")", "!((symbol == \"BTCUSDT\"))",
                        Map.of("symbol", "SOLUSDT"), Map.of("symbol", "BTCUSDT")),
                Arguments.of("-atr < -1600", "((0 - atr) < -1600)",
                        Map.of("market.atr", 1_600.01), Map.of("market.atr", 1_600.0)),
                Arguments.of("volume24h < 1e9", "(volume24h < 1000000000.0)",
                        Map.of("market.volume24h", 999_999_999.99), Map.of("market.volume24h", 1e9)),
                Arguments.of("volume24h - 4000000000 < 1000000000", "((volume24h - 4000000000.0) < 1000000000)",
                        Map.of("market.volume24h", 4_999_999_999.0), Map.of("market.volume24h", 5e9)),
                Arguments.of("openTrades == 0 && highVolatility", "((openTrades == 0) && (highVolatility == true))",
                        Map.of("market.atr", 2_000.5), Map.of("market.atr", 2_000.0)),
                // 50,000 / 47,600 = 1.0504; 50,000 / 47,620 = 1.04998
                Arguments.of("strategy == null && price / ema200 > 1.05",
                        "((strategy == null) && ((price / ema200) > 1.05))",
                        Map.of("market.ema200", 47_600.0), Map.of("market.ema200", 47_620.0)),
                Arguments.of("strategy != null && strategy.in(\"htf\", \"news_driven\")",
                        "((strategy != null) && (strategy == \"htf\" || strategy == \"news_driven\"))",
                        Map.of("strategy", "news_driven"), Map.of("strategy", "trend_following")),
                Arguments.of("side.in(Side.SHORT) || consensus == Consensus.UNANIMOUS",
                        "((side == Side.SHORT) || (consensus == Consensus.UNANIMOUS))",
                        Map.of("signal.consensus", "UNANIMOUS"), Map.of()),
                Arguments.of("!(confidence > 0.7)", "!((confidence > 0.7))",
                        Map.of("signal.confidence", 0.7), Map.of("signal.confidence", 0.7001)),
                Arguments.of("spreadBps + 5 > 20 - 1", "((spreadBps + 5) > (20 - 1))",
                        Map.of("market.spreadBps", 14.01), Map.of("market.spreadBps", 14.0)),
                // scalping is not among the policy's strategies
                Arguments.of("strategyKnown == false && strategy != null",
                        "((strategyKnown == false) && (strategy != null))",
                        Map.of("strategy", "scalping"), Map.of("strategy", "htf")),
                Arguments.of("accountActive && confidence < 0.76", "((accountActive == true) && (confidence < 0.76))",
                        Map.of("signal.confidence", 0.75), Map.of("signal.confidence", 0.76)),
                Arguments.of("account == \"desk-gate-7\"", "(account == \"desk-gate-7\")",
                        Map.of("account", "desk-gate-7"), Map.of()),
                Arguments.of("highVolatility == false && spreadBps >= 12.5",
                        "((highVolatility == false) && (spreadBps >= 12.5))",
                        Map.of("market.spreadBps", 12.5), Map.of("market.spreadBps", 12.49)));
    }

    /** In a change table: remove the field from the order. */
    private static final String NO_VALUE = "<none>";

    @TempDir
    static Path acceptedDir;
    private static Engine accepting;
    private static final List<String> ACCEPTED = new ArrayList<>();

    /** One policy holding every accepted condition as gate ACCEPTED_i, compiled once. */
    @BeforeAll
    static void compileEveryAcceptedCondition() throws IOException {
        StringBuilder gates = new StringBuilder("\ngates:\n");
        accepted().forEach(a -> {
            String when = (String) a.get()[0];
            gates.append("  - code: ACCEPTED_").append(ACCEPTED.size()).append('\n')
                    .append("    when: '").append(when.replace("'", "''")).append("'\n")
                    .append("    message: accepted condition ").append(ACCEPTED.size()).append('\n');
            ACCEPTED.add(when);
        });
        policyWith(acceptedDir, gates.toString());
        accepting = new Engine(acceptedDir.resolve("policies"), acceptedDir.resolve("rules"));
    }

    @AfterAll
    static void forgetTheEngine() {
        accepting = null;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void anAcceptedConditionCompilesToItsDrlAndFiresOnlyPastItsBoundary(String when, String drl,
                                                                       Map<String, Object> fires,
                                                                       Map<String, Object> quiet) {
        String code = "ACCEPTED_" + ACCEPTED.indexOf(when);
        assertThat(GateCondition.toDrl(when)).isEqualTo(drl);
        assertThat(GateRules.toDrl("default", List.of(new CustomGate(code, when, "m", "custom", 0, 1))))
                .contains("    $o : OrderFacts( " + drl + " )\n");
        assertThat(accepting.check(order(fires)).codes()).as("fires on %s", fires).contains(code);
        assertThat(accepting.check(order(quiet)).codes()).as("quiet on %s", quiet).doesNotContain(code);
    }

    @Test
    void theRuleOfAGateKeepsItsCodeCategoryAndLineMapping() {
        List<CustomGate> gates = List.of(new CustomGate("FIRST", "spreadBps > 1", "one", "custom", 0, 40),
                new CustomGate("SECOND", "symbol.in(\"A\")", "two \"quoted\"\nline", "liquidity", 1, 43));
        String drl = GateRules.toDrl("default", gates);
        List<String> lines = drl.lines().toList();
        int second = lines.indexOf("rule \"Gate SECOND\"") + 1;
        assertThat(lines.get(second)).isEqualTo("    @code(SECOND) @category(liquidity)");
        assertThat(lines.get(second + 2)).isEqualTo("    $o : OrderFacts( (symbol == \"A\") )");
        assertThat(lines.get(second + 4)).isEqualTo("    $o.reject(kcontext, \"two \\\"quoted\\\"\\nline\");");
        // every line of a rule, from "rule" to "end", maps back to its gate; the header and gaps to none
        for (int line = 1; line <= lines.size(); line++) {
            String text = lines.get(line - 1);
            java.util.Optional<CustomGate> g = GateRules.lineOf(gates, line);
            if (line >= second && line <= second + 6) {
                assertThat(g).as("line %d: %s", line, text).map(CustomGate::code).contains("SECOND");
            } else if (text.startsWith("rule \"Gate FIRST\"")) {
                assertThat(g).map(CustomGate::code).contains("FIRST");
            } else if (line <= 7 || text.isEmpty() || text.startsWith("// gate")) {
                assertThat(g).as("line %d: %s", line, text).isEmpty();
            }
        }
        // a refused condition never reaches the DRL, even when a caller skips the loader
        assertThatThrownBy(() -> GateRules.toDrl("default", List.of(new CustomGate("BAD",
                "System.exit(0) == null", "m", "custom", 0, 1)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("method calls are not allowed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.riskgate.testing.HostileConditions#corpus")
    void aHostileConditionIsRefusedAtItsYamlLineBeforeAnythingCompiles(String when, String message,
                                                                     @TempDir Path dir) throws IOException {
        String policy = Files.readString(TestRuntime.repoPolicies().resolve("default.yaml")) + """

                gates:
                  - code: HOSTILE
                    when: '%s'
                    message: never compiled
                """.formatted(when.replace("'", "''"));
        Path yaml = Files.writeString(dir.resolve("default.yaml"), policy);
        int line = policy.lines().toList().indexOf("    when: '" + when.replace("'", "''") + "'") + 1;
        assertThat(line).isPositive();

        assertThatThrownBy(() -> PolicyCompiler.standard().compile(new PolicyLoader(TestRuntime.repoRules()).load(yaml)))
                .isInstanceOf(PolicyException.class).satisfies(e -> assertThat(((PolicyException) e).problems())
                        .singleElement().satisfies(p -> {
                            assertThat(p.toString()).startsWith("default.yaml:" + line + " gates[0].when: ");
                            assertThat(p.message()).contains(message);
                        }));
    }

    @Test
    void aGateMayNotTakeTheEnginesCodesNorAnEndlessMessageNorBeOneOfTooMany(@TempDir Path dir) throws IOException {
        String base = Files.readString(TestRuntime.repoPolicies().resolve("default.yaml"));
        // 500 characters of message pass, 501 do not; ENGINE_ERROR and OFFICER_HALT are riskgate's own
        String gates = "\ngates:\n"
                + "  - {code: ENGINE_ERROR, when: 'spreadBps > 30', message: looks like a fault}\n"
                + "  - {code: OFFICER_HALT, when: 'spreadBps > 31', message: looks like an officer}\n"
                + "  - {code: LONG_OK, when: 'spreadBps > 32', message: " + "m".repeat(500) + "}\n"
                + "  - {code: LONG_NOT_OK, when: 'spreadBps > 33', message: " + "m".repeat(501) + "}\n";
        Path yaml = Files.writeString(dir.resolve("default.yaml"), base + gates);
        assertThatThrownBy(() -> new PolicyLoader(TestRuntime.repoRules()).load(yaml))
                .isInstanceOf(PolicyException.class).satisfies(e -> assertThat(((PolicyException) e).problems())
                        .extracting(p -> p.path()).containsExactlyInAnyOrder("gates[0].code", "gates[1].code",
                                "gates[3].message"));
        // 100 gates pass the count, 101 do not
        StringBuilder many = new StringBuilder("\ngates:\n");
        for (int i = 0; i <= 100; i++) {
            many.append("  - {code: G").append(i).append(", when: 'spreadBps > ").append(i).append("', message: m}\n");
        }
        Path tooMany = Files.writeString(dir.resolve("many.yaml"), base.replace("id: default", "id: many") + many);
        assertThatThrownBy(() -> new PolicyLoader(TestRuntime.repoRules()).load(tooMany))
                .isInstanceOf(PolicyException.class).hasMessageContaining("at most 100 gates, was 101");
    }

    /** Guard: every field of the allow-list is a getter of OrderFacts of the kind the allow-list says. */
    @Test
    void everyAllowedFieldIsAGetterOfOrderFactsOfItsType() {
        Map<GateCondition.Type, List<Class<?>>> kinds = Map.of(
                GateCondition.Type.NUMBER, List.of(double.class, int.class),
                GateCondition.Type.TEXT, List.of(String.class),
                GateCondition.Type.YES_NO, List.of(boolean.class),
                GateCondition.Type.SIDE, List.of(io.riskgate.policy.Side.class),
                GateCondition.Type.CONSENSUS, List.of(io.riskgate.policy.Consensus.class));
        GateCondition.FIELDS.forEach((name, type) -> {
            String suffix = Character.toUpperCase(name.charAt(0)) + name.substring(1);
            Method getter = java.util.Arrays.stream(OrderFacts.class.getMethods())
                    .filter(m -> m.getParameterCount() == 0)
                    .filter(m -> m.getName().equals("get" + suffix) || m.getName().equals("is" + suffix))
                    .findFirst().orElseThrow(() -> new AssertionError("OrderFacts has no getter for " + name));
            assertThat(kinds.get(type)).as(name).contains(getter.getReturnType());
        });
    }

    private static ObjectNode order(Map<String, Object> changes) {
        ObjectNode r = accepting.seed001();
        changes.forEach((path, value) -> Requests.set(r, path, NO_VALUE.equals(value) ? null : value));
        return r;
    }
}
