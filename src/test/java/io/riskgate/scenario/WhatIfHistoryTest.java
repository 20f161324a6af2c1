package io.riskgate.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.audit.AuditQuery;
import io.riskgate.check.CheckPipeline;
import io.riskgate.decision.Decision;
import io.riskgate.lifecycle.CloseRequest;
import io.riskgate.lifecycle.FillRequest;
import io.riskgate.market.Mark;
import io.riskgate.market.PortfolioRisk;
import io.riskgate.testing.Engine;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * What-if and the market-access controls that rest on an account's history (earlier checks and approvals,
 * stop-outs, the firm's other accounts, the account's clock), which an audit record does not keep: a decision they
 * refused is skipped with the reason, not reported as changed by a candidate that has nothing to do with it.
 */
class WhatIfHistoryTest {

    private static final Instant T0 = TestRuntime.T0;

    private static ObjectNode order(String account, Instant at) {
        return Requests.set(Requests.set(Requests.seed001(), "account", account), "market.timestamp", at.toString());
    }

    @Test
    void aDecisionACooldownRefusedIsSkippedAndTheRestReplayUnchanged() {
        Engine engine = new Engine();
        engine.clock.set(T0.plus(Duration.ofDays(1)));
        String account = Engine.freshAccount();
        // seed 001's 0.01 BTC filled at 50,000, marked through its 47,750 stop and closed there: BTCUSDT cools down
        Decision open = engine.check(order(account, T0));
        var trade = engine.rt.trades().fill(new FillRequest(open.decisionId(), 50_000, 0.01, Optional.of(T0))).trade();
        engine.rt.exits().mark(new Mark("BTCUSDT", 47_000, 47_000, 47_000, T0.plusSeconds(60)));
        engine.rt.trades().close(trade.id(), new CloseRequest(47_750, OptionalDouble.empty(), Optional.empty(),
                Optional.of(T0.plusSeconds(60))));
        Decision cooled = engine.check(order(account, T0.plusSeconds(120)));
        assertThat(cooled.codes()).containsExactly("SYMBOL_COOLDOWN");

        var records = engine.rt.audit().search(new AuditQuery(Optional.of(account), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 0, 100)).items();
        WhatIf.Report report = WhatIf.run(engine.rt.registry().active(), records,
                new CheckPipeline(new PortfolioRisk(engine.rt.market())));

        // the live policy as its own candidate: nothing changes; the cooled-down decision is skipped, saying why
        assertThat(report.changed()).isZero();
        assertThat(report.evaluated()).isEqualTo(1);
        assertThat(report.skipped()).singleElement().asString().startsWith(cooled.decisionId()
                + ": refused by SYMBOL_COOLDOWN, which rests on the account's history then");
    }

    /**
     * A daily risk budget's note ("daily risk used 22.50 of 1000.00") is on an approval once the day's risk is above
     * zero: the second approval of the day has it, the replayed account (rebuilt without the approvals before it)
     * never does. It is no cause: a candidate that only lowers the max position has none to name, one that raises the
     * minimum confidence names LOW_CONFIDENCE alone.
     */
    @Test
    void aDailyBudgetsNoteIsNoCauseOfAChange() throws Exception {
        Engine engine = new Engine();
        engine.clock.set(T0.plus(Duration.ofDays(1)));
        String account = Engine.freshAccount();
        engine.check(order(account, T0));
        Decision second = engine.check(Requests.set(order(account, T0.plusSeconds(60)), "signal.confidence", 0.72));
        assertThat(second.adjustments()).extracting(a -> a.code()).contains("DAILY_RISK_BUDGET");
        var records = engine.rt.audit().search(new AuditQuery(Optional.of(account), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 0, 100)).items();
        String live = java.nio.file.Files.readString(TestRuntime.repoPolicies().resolve("default.yaml"));
        CheckPipeline pipeline = new CheckPipeline(new PortfolioRisk(engine.rt.market()));

        // max position $500 -> $250: both approvals shrink from 0.01 to 0.005 BTC, and no rule is the cause
        WhatIf.Report smaller = WhatIf.run(Candidate.inline("default", live.replace("max_position_usd: 500",
                "max_position_usd: 250"), java.util.Map.of(), TestRuntime.repoRules()).compile(), records, pipeline);
        assertThat(smaller.changes()).hasSize(2).allSatisfy(c -> {
            assertThat(c.afterQuantity()).isEqualTo(0.005);
            assertThat(c.causedBy()).isEmpty();
        });

        // min confidence 0.70 -> 0.75: the 0.72 approval is refused, LOW_CONFIDENCE its one cause
        WhatIf.Report stricter = WhatIf.run(Candidate.inline("default", live.replace("min_confidence: 0.70",
                "min_confidence: 0.75"), java.util.Map.of(), TestRuntime.repoRules()).compile(), records, pipeline);
        assertThat(stricter.changes()).singleElement().satisfies(c -> {
            assertThat(c.decisionId()).isEqualTo(second.decisionId());
            assertThat(c.causedBy()).containsExactly("LOW_CONFIDENCE");
        });
    }
}
