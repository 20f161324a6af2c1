package io.riskgate.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskgate.check.PolicyCompiler;
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

/**
 * Decision-table cells checked before Drools sees them: the problem names the sheet, row and column, not a line
 * of generated DRL. The per-strategy limits table (seed 002) with one fault at a time.
 */
class DecisionTableCellsTest {

    private static final String HEADER = """
            RuleSet,io.riskgate.rules.tables.strategy
            Import,io.riskgate.facts.OrderFacts
            RuleTable Strategy limits
            NAME,CONDITION,ACTION,ACTION,METADATA,METADATA
            ,$o : OrderFacts,,,,
            ,"strategy == ""$param""\","$o.limitStrategy(kcontext, $param);","$o.limitStrategyLeverage(kcontext, $param);",code($param),category($param)
            Row,Strategy,Max position,Max leverage,Code,Category
            """;

    private static String rows(String htfRow) {
        return HEADER + """
                Strategy limits: trend_following,trend_following,0.15,1.2,STRATEGY_LIMITS,strategy
                """ + htfRow + "\n" + """
                Strategy limits: arbitrage,arbitrage,0.05,,STRATEGY_LIMITS,strategy
                Strategy limits: market_making,market_making,0.08,,STRATEGY_LIMITS,strategy
                Strategy limits: news_driven,news_driven,0.12,,STRATEGY_LIMITS,strategy
                """;
    }

    private static java.util.List<PolicyProblem> problems(String csv) throws IOException {
        return DecisionTableCells.problems("strategy-limits.drl.xlsx", DecisionTableWorkbook.fromCsv(csv));
    }

    @Test
    void theShippedTablesHaveNoCellProblems() throws IOException {
        for (String t : new String[] {"confidence-bands", "strategy-limits", "trailing-stops", "drawdown-factors"}) {
            byte[] bytes = Files.readAllBytes(TestRuntime.repoRules().resolve(t + ".drl.xlsx"));
            assertThat(DecisionTableCells.problems(t + ".drl.xlsx", bytes)).as(t).isEmpty();
        }
    }

    @Test
    void aSmartQuoteIsNamedByItsCell() throws IOException {
        // row 9 of the sheet is htf's (7 header lines, trend_following on row 8)
        assertThat(problems(rows("Strategy limits: htf,\u201Chtf\u201D,0.20,1.0,STRATEGY_LIMITS,strategy")))
                .singleElement().satisfies(p -> {
                    assertThat(p.path()).isEqualTo("sheet 'Tables' cell B9");
                    assertThat(p.line()).isEqualTo(9);
                    assertThat(p.message()).contains("smart quote");
                });
    }

    @Test
    void textInANumberColumnIsNamedWithItsLabel() throws IOException {
        assertThat(problems(rows("Strategy limits: htf,htf,20%,1.0,STRATEGY_LIMITS,strategy")))
                .singleElement().satisfies(p -> {
                    assertThat(p.path()).isEqualTo("sheet 'Tables' cell C9");
                    assertThat(p.message()).contains("(Max position) must be a number").contains("'20%'");
                });
        // an empty optional cell (leverage) is fine; the number 0.20 is fine
        assertThat(problems(rows("Strategy limits: htf,htf,0.20,,STRATEGY_LIMITS,strategy"))).isEmpty();
    }

    @Test
    void anEmptyCodeOrCategoryIsRefused() throws IOException {
        assertThat(problems(rows("Strategy limits: htf,htf,0.20,1.0,,strategy"))).extracting(PolicyProblem::path)
                .containsExactly("sheet 'Tables' cell E9");
    }

    @Test
    void aPolicyWithABadCellIsRefusedNamingTheCell(@TempDir Path dir) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        Files.write(dir.resolve("rules/strategy-limits.drl.xlsx"),
                DecisionTableWorkbook.fromCsv(rows("Strategy limits: htf,htf,twenty,1.0,STRATEGY_LIMITS,strategy")));
        assertThatThrownBy(() -> PolicyCompiler.standard().compile(new PolicyLoader(dir.resolve("rules"))
                .load(dir.resolve("policies/default.yaml"))))
                .isInstanceOf(PolicyException.class)
                .satisfies(e -> assertThat(((PolicyException) e).problems()).extracting(PolicyProblem::path)
                        .contains("sheet 'Tables' cell C9"));
    }

    @Test
    void rowsArePrintedAsPlainText() throws IOException {
        String text = DecisionTableCells.rowsAsText("strategy-limits.drl.xlsx",
                Files.readAllBytes(TestRuntime.repoRules().resolve("strategy-limits.drl.xlsx")));
        assertThat(text).contains("Table 'Strategy limits'")
                .contains("row 11: Row (rule name) = Strategy limits: htf | Strategy = htf | "
                        + "Max position (fraction of equity) = 0.20 | Max leverage = 1.0");
    }
}
