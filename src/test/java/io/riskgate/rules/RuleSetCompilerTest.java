package io.riskgate.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskgate.check.PolicyCompiler;
import io.riskgate.facts.OrderFacts;
import io.riskgate.policy.PolicyBundle;
import io.riskgate.policy.PolicyException;
import io.riskgate.policy.PolicyLoader;
import io.riskgate.policy.PolicyProblem;
import io.riskgate.testing.DecisionTableWorkbook;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiling a policy's rule files: errors with file and line, metadata checks, the per-strategy table probe. */
class RuleSetCompilerTest {

    private final RuleSetCompiler compiler = PolicyCompiler.standard();

    private static PolicyBundle load(Path dir) {
        return new PolicyLoader(dir.resolve("rules")).load(dir.resolve("policies/default.yaml"));
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String s = Files.readString(file);
        assertThat(s).contains(from);
        Files.writeString(file, s.replace(from, to));
    }

    @Test
    void compilesTheDefaultPolicyWithEveryRuleCatalogued(@TempDir Path dir) {
        CompiledPolicy p = compiler.compile(load(TestRuntime.copyRepoConfig(dir)));
        // gates.drl 11 rules, portfolio.drl 7, confidence bands 2 rows, strategy limits 6 rows, exits.drl 6,
        // trailing stops 2 rows, governor.drl 16, analytics.drl 5, drawdown factors 3 rows, controls.drl 6
        assertThat(p.rules()).hasSize(73);
        assertThat(p.rules()).extracting(RuleInfo::code).contains("TREND_MISALIGNED", "MAX_EXPOSURE",
                "SIZE_HIGH_CONFIDENCE", "STRATEGY_LIMITS", "STOP_LOSS_HIT", "PERCENT_TRAILING_STOP", "ORDER_TOO_LARGE");
        assertThat(p.rules()).filteredOn(r -> r.code().equals("SIZE_HIGH_CONFIDENCE"))
                .extracting(RuleInfo::file).containsExactly("confidence-bands.drl.xlsx");
    }

    @Test
    void reportsDrlSyntaxErrorsWithFileAndLine(@TempDir Path dir) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        // line 13 of gates.drl is the first rule's pattern: without its closing parenthesis the parser stops at
        // the 'then' on line 14
        edit(dir.resolve("rules/gates.drl"), "consensusAccepted == false )", "consensusAccepted == false ");
        assertThatThrownBy(() -> compiler.compile(load(dir))).isInstanceOf(PolicyException.class)
                .satisfies(e -> assertThat(((PolicyException) e).problems())
                        .anySatisfy(p -> {
                            assertThat(p.file()).isEqualTo("gates.drl");
                            assertThat(p.line()).isEqualTo(14);
                            assertThat(p.message()).contains("Consensus not accepted");
                        }));
    }

    @Test
    void reportsAnUnknownPropertyWithFileAndLine(@TempDir Path dir) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        edit(dir.resolve("rules/portfolio.drl"), "rewardRisk < minRewardRisk", "rewardRisk < minimumRewardRisk");
        assertThatThrownBy(() -> compiler.compile(load(dir))).isInstanceOf(PolicyException.class)
                .satisfies(e -> assertThat(((PolicyException) e).problems()).anySatisfy(p -> {
                    assertThat(p.file()).isEqualTo("portfolio.drl");
                    assertThat(p.line()).isPositive();
                }));
    }

    @Test
    void refusesARuleWithoutCodeMetadata(@TempDir Path dir) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        edit(dir.resolve("rules/gates.drl"), "@code(SPREAD_TOO_WIDE) @category(market)", "@category(market)");
        assertThatThrownBy(() -> compiler.compile(load(dir))).isInstanceOf(PolicyException.class)
                .satisfies(e -> assertThat(((PolicyException) e).problems()).extracting(PolicyProblem::message)
                        .anySatisfy(m -> assertThat(m).contains("Spread above maximum").contains("@code"))
                        // and the spread gate's code is now missing from the policy
                        .anySatisfy(m -> assertThat(m).contains("required checks [SPREAD_TOO_WIDE]")));
    }

    @Test
    void refusesALowerCaseCode(@TempDir Path dir) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        edit(dir.resolve("rules/gates.drl"), "@code(SPREAD_TOO_WIDE)", "@code(spread_too_wide)");
        assertThatThrownBy(() -> compiler.compile(load(dir))).isInstanceOf(PolicyException.class)
                .hasMessageContaining("UPPER_SNAKE_CASE");
    }

    @Test
    void refusesAStrategyWithoutATableRow(@TempDir Path dir) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        edit(dir.resolve("policies/default.yaml"), "  news_driven: {}", "  news_driven: {}\n  scalping: {}");
        assertThatThrownBy(() -> compiler.compile(load(dir))).isInstanceOf(PolicyException.class)
                .satisfies(e -> assertThat(((PolicyException) e).problems()).singleElement().satisfies(p -> {
                    assertThat(p.path()).isEqualTo("strategies.scalping");
                    assertThat(p.message()).contains("no row");
                }));
    }

    @Test
    void refusesTwoRowsForOneStrategy(@TempDir Path dir) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        // a CSV table (accepted besides .xlsx) with a second htf row
        Files.writeString(dir.resolve("rules/extra-limits.drl.csv"), """
                RuleSet,test.extra
                Import,io.riskgate.facts.OrderFacts
                RuleTable Extra
                NAME,CONDITION,ACTION,METADATA,METADATA
                ,$o : OrderFacts,,,
                ,"strategy == \"\"$param\"\"","$o.limitStrategy(kcontext, $param);",code($param),category($param)
                Row,Strategy,Max position,Code,Category
                Second htf row,htf,0.10,STRATEGY_LIMITS,strategy
                """);
        edit(dir.resolve("policies/default.yaml"), "  - gates.drl", "  - gates.drl\n  - extra-limits.drl.csv");
        assertThatThrownBy(() -> compiler.compile(load(dir))).isInstanceOf(PolicyException.class)
                .hasMessageContaining("2 rows of the per-strategy limits table match strategy 'htf'");
    }

    @Test
    void refusesAStrategyRowAboveTheWholeEquityOrTheGlobalLeverage(@TempDir Path dir) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        Path table = dir.resolve("rules/strategy-limits.drl.xlsx");
        String csv = """
                RuleSet,io.riskgate.rules.tables.strategy
                Import,io.riskgate.facts.OrderFacts
                RuleTable Strategy limits
                NAME,CONDITION,ACTION,ACTION,METADATA,METADATA
                ,$o : OrderFacts,,,,
                ,"strategy == \"\"$param\"\"","$o.limitStrategy(kcontext, $param);","$o.limitStrategyLeverage(kcontext, $param);",code($param),category($param)
                Row,Strategy,Max position,Max leverage,Code,Category
                Strategy limits: trend_following,trend_following,1.01,1.2,STRATEGY_LIMITS,strategy
                Strategy limits: htf,htf,0.20,31,STRATEGY_LIMITS,strategy
                Strategy limits: arbitrage,arbitrage,1.0,30,STRATEGY_LIMITS,strategy
                Strategy limits: market_making,market_making,0.08,,STRATEGY_LIMITS,strategy
                Strategy limits: news_driven,news_driven,0.12,,STRATEGY_LIMITS,strategy
                Strategy limits: oversold_bounce,oversold_bounce,0.10,,STRATEGY_LIMITS,strategy
                """;
        Files.write(table, DecisionTableWorkbook.fromCsv(csv));
        // trend_following 1.01 > 1 of equity and htf 31x > max_leverage 30 are refused;
        // arbitrage at exactly 1.0 and 30x is accepted (both bounds inclusive)
        assertThatThrownBy(() -> compiler.compile(load(dir))).isInstanceOf(PolicyException.class)
                .satisfies(e -> assertThat(((PolicyException) e).problems()).extracting(PolicyProblem::path)
                        .containsExactlyInAnyOrder("strategies.trend_following", "strategies.htf"));
    }

    @Test
    void acceptsDecisionTablesAsCsv(@TempDir Path dir) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        String drl = DecisionTables.toDrl("confidence-bands.drl.xlsx",
                Files.readAllBytes(dir.resolve("rules/confidence-bands.drl.xlsx")));
        assertThat(drl).contains("confidence >= 0.85").contains("@code(SIZE_HIGH_CONFIDENCE)");
        Files.writeString(dir.resolve("rules/bands.drl.csv"), """
                RuleSet,test.csvbands
                Import,io.riskgate.facts.OrderFacts
                RuleTable Csv bands
                NAME,CONDITION,CONDITION,ACTION,METADATA,METADATA
                ,$o : OrderFacts...,$o : OrderFacts...,,,
                ,confidence >= $param,confidence < $param,"$o.adjust(kcontext, $param);",code($param),category($param)
                Band,From,Below,Factor,Code,Category
                Mid band,0.70,0.80,0.9,SIZE_MID_CONFIDENCE,sizing
                """);
        edit(dir.resolve("policies/default.yaml"), "  - gates.drl", "  - gates.drl\n  - bands.drl.csv");
        CompiledPolicy p = compiler.compile(load(dir));
        assertThat(p.rules()).extracting(RuleInfo::code).contains("SIZE_MID_CONFIDENCE");
        assertThat(DecisionTables.toDrl("bands.drl.csv", Files.readAllBytes(dir.resolve("rules/bands.drl.csv"))))
                .contains("$o : OrderFacts(confidence >= 0.70, confidence < 0.80)");
    }

    @Test
    void refusesATableRowThatFailsOnSomeOrders(@TempDir Path dir) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        // a negative multiplier from confidence 0.9 up: the probe orders at 0.90, 0.95 and 1.00 make it throw
        Files.writeString(dir.resolve("rules/bad-bands.drl.csv"), """
                RuleSet,test.badbands
                Import,io.riskgate.facts.OrderFacts
                RuleTable Bad bands
                NAME,CONDITION,ACTION,METADATA,METADATA
                ,$o : OrderFacts,,,
                ,confidence >= $param,"$o.adjust(kcontext, $param);",code($param),category($param)
                Band,From,Factor,Code,Category
                Typo band,0.90,-1.5,SIZE_TYPO,sizing
                """);
        edit(dir.resolve("policies/default.yaml"), "  - gates.drl", "  - gates.drl\n  - bad-bands.drl.csv");
        assertThatThrownBy(() -> compiler.compile(load(dir))).isInstanceOf(PolicyException.class)
                .satisfies(e -> assertThat(((PolicyException) e).problems()).singleElement().satisfies(p -> {
                    assertThat(p.message()).contains("confidence 0.9").contains("Typo band")
                            .contains("invalid factor -1.5");
                }));
    }

    @Test
    void refusesAPolicyThatLeavesOutTheGates(@TempDir Path dir) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        // without gates.drl the policy would approve any order: refused, naming what is missing
        edit(dir.resolve("policies/default.yaml"), "  - gates.drl\n", "");
        assertThatThrownBy(() -> compiler.compile(load(dir))).isInstanceOf(PolicyException.class)
                .hasMessageContaining("leave out required checks")
                .hasMessageContaining("TREND_MISALIGNED").hasMessageContaining("SPREAD_TOO_WIDE");
    }
}
