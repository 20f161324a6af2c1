package io.riskgate.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskgate.decision.Decision;
import io.riskgate.market.MarketBar;
import io.riskgate.portfolio.Trade;
import io.riskgate.portfolio.TradeState;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay small enough to work by hand, on seed 001's numbers, every figure of its report worked below. The shipped
 * policy; no slippage and no fee, fills at the signal bar's close.
 *
 * <pre>
 * bar 0  2026-01-05  O 50,000 H 50,000 L 50,000 C 50,000  volume 100 (traded $5,000,000 in 24 h, above $1M)
 * bar 1  2026-01-06  O 50,000 H 50,100 L 47,700 C 48,000  volume 100
 * signal 1 at bar 0's close, 2026-01-06T00:00: LONG, STRONG, 0.75, ATR 1,500, EMA200 48,000 (seed 001)
 *   price 50,000: risk 1% of 10,000 = 100 over a 1.5 x 1,500 = 2,250 stop is 0.0444 BTC, the $500 maximum
 *   position binds: 0.01 BTC; stop 50,000 - 2,250 = 47,750; target 50,000 + 3.75 x 1,500 = 55,625.
 *   Filled at 50,000 at once.
 * bar 1 closes: its low 47,700 reaches the 47,750 stop: the exit rule says CLOSE 0.01 at 47,750, carried out.
 *   P&L 0.01 x (47,750 - 50,000) = -22.50 = -1 R (1 R = 0.01 x 2,250 = 22.50). Equity 10,000 - 22.50 = 9,977.50.
 * signal 2 at bar 1's close: LONG, STRONG, confidence 0.50 (EMA200 47,000 so the trend holds): below the policy's
 *   0.70, refused LOW_CONFIDENCE; and BTCUSDT was stopped out at that very time, so it cools down until 01:00
 *   (controls.cooldown.after_stop_loss 1h): SYMBOL_COOLDOWN too.
 * summary: 2 decisions, 1 approved, 1 trade closed, win rate 0%, expectancy -1 R, net P&L -22.50, fees 0,
 *   final equity 9,977.50, max drawdown 22.50 / 10,000 = 0.225%.
 * </pre>
 */
class GoldenReplayTest {

    static final String BARS = """
            symbol,interval,open_time,open,high,low,close,volume
            BTCUSDT,1d,2026-01-05T00:00:00Z,50000,50000,50000,50000,100
            BTCUSDT,1d,2026-01-06T00:00:00Z,50000,50100,47700,48000,100
            """;
    static final String SIGNALS = """
            time,symbol,side,consensus,confidence,atr,ema200
            2026-01-06T00:00:00Z,BTCUSDT,LONG,STRONG,0.75,1500,48000
            2026-01-07T00:00:00Z,BTCUSDT,LONG,STRONG,0.50,1500,47000
            """;

    @Test
    void seed001sOrderStoppedOutAndARefusalWorkedByHand(@TempDir Path dir) throws IOException {
        List<MarketBar> bars = io.riskgate.market.BarsParser.csv(new StringReader(BARS), "bars.csv");
        List<ReplaySignal> signals = SignalsParser.csv(new StringReader(SIGNALS), "signals.csv");
        ReplaySettings settings = new ReplaySettings("golden", 10_000, ReplaySettings.Fill.CLOSE, 0, 0, 5);

        Replay.Result r = Replay.run(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default", bars, signals,
                settings, Replay.Progress.NONE);

        Decision first = r.decisions().get(0);
        assertThat(first.approved()).isTrue();
        assertThat(first.quantity()).isEqualTo(0.01);
        assertThat(first.stopLoss()).isEqualTo(47_750.0);
        assertThat(first.takeProfit()).isEqualTo(55_625.0);
        assertThat(r.decisions().get(1).codes()).containsExactly("LOW_CONFIDENCE", "SYMBOL_COOLDOWN");
        Trade t = r.trades().get(0);
        assertThat(t.state()).isEqualTo(TradeState.CLOSED_SL);
        assertThat(t.exitPrice()).isEqualTo(47_750.0);
        assertThat(t.realizedPnl()).isEqualTo(-22.5);
        assertThat(t.realizedR()).isEqualTo(-1.0);
        assertThat(r.equity()).extracting(Replay.EquityPoint::equity).containsExactly(10_000.0, 9_977.5);

        ReplayOutput.Summary s = ReplayOutput.summary(r);
        assertThat(s.decisions()).isEqualTo(2);
        assertThat(s.approved()).isEqualTo(1);
        assertThat(s.rejectionsByCode()).containsExactly(java.util.Map.entry("LOW_CONFIDENCE", 1),
                java.util.Map.entry("SYMBOL_COOLDOWN", 1));
        assertThat(s.closedTrades()).isEqualTo(1);
        assertThat(s.winRate()).isZero();
        assertThat(s.expectancyR()).isEqualTo(-1.0);
        assertThat(s.netPnl()).isEqualTo(-22.5);
        assertThat(s.fees()).isZero();
        assertThat(s.finalEquity()).isEqualTo(9_977.5);
        assertThat(s.maxDrawdownPct()).isEqualTo(0.00225);

        ReplayOutput.write(r, dir, RiskgateRuntime.jsonMapper());
        String html = Files.readString(dir.resolve("report.html"));
        // the summary row as the report prints it
        assertThat(html).contains("<td>2</td><td>1</td><td>1</td><td>1</td><td>0.0%</td><td>-1.00</td>"
                + "<td>-22.50</td><td>0.00</td><td>9,977.50</td><td>0.2%</td>");
        // the strategy and symbol row: 1 trade, none won, -1 R, -22.50, and a drawdown of those 22.50 from 0
        assertThat(html).contains("<tr><td>(none) / BTCUSDT</td><td>1</td><td>0.0%</td><td>-1.00</td><td>-22.50</td>"
                + "<td>22.50</td></tr>");
        assertThat(Files.readAllLines(dir.resolve("trades.csv"))).containsExactly(
                "trade,decision,symbol,side,strategy,opened_at,entry,initial_stop,quantity,closed_at,exit,state,"
                        + "realized_pnl,r_multiple",
                "t-000001,d-000001,BTCUSDT,LONG,,2026-01-06T00:00:00Z,50000,47750,0.01,2026-01-07T00:00:00Z,47750,"
                        + "CLOSED_SL,-22.5,-1");
        assertThat(Files.readAllLines(dir.resolve("equity.csv"))).containsExactly("time,equity,drawdown",
                "2026-01-06T00:00:00Z,10000,0", "2026-01-07T00:00:00Z,9977.5,0.00225");
        assertThat(Instant.parse("2026-01-07T00:00:00Z")).isEqualTo(t.closedAt());
    }
}
