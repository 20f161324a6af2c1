package io.riskgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.decision.Decision;
import io.riskgate.market.MarketBar;
import io.riskgate.policy.Consensus;
import io.riskgate.policy.Side;
import io.riskgate.replay.Replay;
import io.riskgate.replay.ReplaySettings;
import io.riskgate.replay.ReplaySignal;
import io.riskgate.testing.Bars;
import io.riskgate.testing.TestRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A replay decides an order exactly as the live REST path does with the same inputs at the same times: the bars
 * posted to {@code /api/v1/market/bars} as they close, the equity reported, each signal sent to
 * {@code /api/v1/checks} at its time priced at its symbol's latest close. Every order is compared: the replay's
 * slippage (600 bps) puts each fill more than the policy's 5% from its decision, so every approval's fill is refused
 * and the approval cancelled, as the REST side cancels each of its approvals; neither account ever holds a trade.
 * 400 daily bars of a random walk (the shipped policy reads 1d bars: ATR 14 and EMA 200 need 200 of them), a
 * signal every 7th bar from bar 210, alternating LONG and SHORT, confidences cycling 0.80, 0.60, 0.90, 0.72.
 */
@RiskgateServerTest
class ReplayRestParityTest {

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.riskgate.security.ApiKeys keys;

    @Test
    void theReplayDecidesTheFirstOrdersAsTheRestCheckDoes() {
        HttpApi api = new HttpApi(port, io.riskgate.testing.TestKeys.superuser(keys));
        String symbol = "RP" + UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT) + "USDT";
        String account = "parity-" + UUID.randomUUID().toString().substring(0, 8);
        List<MarketBar> bars = Bars.daily(symbol, 50_000, Bars.randomReturns(2025, 399, 0.015),
                Instant.parse("2025-06-30T00:00:00Z"));
        List<ReplaySignal> signals = signals(bars, 7, new double[] {0.80, 0.60, 0.90, 0.72});
        ReplaySettings settings = new ReplaySettings(account, 10_000, ReplaySettings.Fill.NEXT_OPEN, 600, 10, 5);
        Replay.Result replay = Replay.run(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default", bars,
                signals, settings, Replay.Progress.NONE);
        int n = replay.decisions().size();
        assertThat(n).as("orders compared").isEqualTo(28); // bars 210, 217, ... 399
        assertThat(replay.decisions()).filteredOn(Decision::approved).as("approvals").isNotEmpty();
        assertThat(replay.trades()).as("no fill went through").isEmpty();

        // the live path, event by event: equity at the first bar's open, each bar as it closes, each signal after
        // the bar closing at its time (a signal at a bar's close sees that bar, as in the replay)
        assertThat(api.put("/api/v1/accounts/" + account + "/equity", JsonNodeFactory.instance.objectNode()
                .put("equity", 10_000.0).put("timestamp", bars.get(0).openTime().toString())).status()).isEqualTo(200);
        int b = 0;
        for (int s = 0; s < n; s++) {
            ReplaySignal sig = signals.get(s);
            MarketBar last = null;
            while (b < bars.size() && !bars.get(b).openTime().plus(Duration.ofDays(1)).isAfter(sig.time())) {
                last = bars.get(b++);
                post(api, last);
            }
            ObjectNode check = JsonNodeFactory.instance.objectNode();
            check.put("account", account).put("symbol", symbol).put("side", sig.side().name());
            check.putObject("signal").put("consensus", "STRONG").put("confidence", sig.confidence());
            // the latest close; a daily bar's 1,000 units x its close traded in the last 24 hours; 5 bps spread
            check.putObject("market").put("price", last.close()).put("volume24h", 1_000 * last.close())
                    .put("spreadBps", 5.0).put("timestamp", sig.time().toString());
            JsonNode live = api.check(check);
            Decision replayed = replay.decisions().get(s);
            assertThat(live.path("policy").path("sha256").asText()).isEqualTo(replayed.policy().sha256());
            assertThat(live.path("outcome").asText()).as("order %d", s).isEqualTo(replayed.outcome().name());
            List<String> codes = new ArrayList<>();
            live.path("rejections").forEach(r -> codes.add(r.path("code").asText()));
            assertThat(codes).as("order %d", s).isEqualTo(replayed.codes());
            assertThat(live.path("quantity").asDouble()).as("order %d", s).isEqualTo(replayed.quantity());
            List<String> fired = new ArrayList<>();
            live.path("firedRules").forEach(r -> fired.add(r.asText()));
            assertThat(fired).as("order %d", s).isEqualTo(replayed.firedRules());
            if (replayed.approved()) {
                assertThat(live.path("stopLoss").asDouble()).isEqualTo(replayed.stopLoss());
                assertThat(live.path("takeProfit").asDouble()).isEqualTo(replayed.takeProfit());
                // as the replay's refused fill cancels its approval
                assertThat(api.post("/api/v1/decisions/" + live.path("decisionId").asText() + "/cancel",
                        JsonNodeFactory.instance.objectNode()).status()).isEqualTo(200);
            }
        }
    }

    /**
     * With trades: approvals filled at the signal bar's close (no slippage, no fee), every bar of a symbol with an
     * open trade marked with its close, high and low, and the exit instructions that close carried out at their price
     * (at the bar's open when it opened beyond the stop), the equity reported before each check as the replay does:
     * 10,000 plus what closes realized plus the open trades at their last close. The REST side does each of these by
     * hand, event by event, and gets the same decisions and the same trades.
     */
    @Test
    void withTradesTheReplayAndTheRestPathAgreeOnEveryDecisionAndTrade() {
        HttpApi api = new HttpApi(port, io.riskgate.testing.TestKeys.superuser(keys));
        String symbol = "RT" + UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT) + "USDT";
        String account = "paritytr-" + UUID.randomUUID().toString().substring(0, 8);
        List<MarketBar> bars = Bars.daily(symbol, 50_000, Bars.randomReturns(31, 399, 0.02),
                Instant.parse("2025-06-30T00:00:00Z"));
        List<ReplaySignal> signals = signals(bars, 5, new double[] {0.8});
        ReplaySettings settings = new ReplaySettings(account, 10_000, ReplaySettings.Fill.CLOSE, 0, 0, 5);
        Replay.Result replay = Replay.run(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default", bars,
                signals, settings, Replay.Progress.NONE);
        assertThat(replay.trades()).as("trades in the replay").hasSizeGreaterThan(1);

        assertThat(api.put("/api/v1/accounts/" + account + "/equity", JsonNodeFactory.instance.objectNode()
                .put("equity", 10_000.0).put("timestamp", bars.get(0).openTime().toString())).status()).isEqualTo(200);
        Desk desk = new Desk(api, symbol);
        double reported = 10_000;
        List<JsonNode> decisions = new ArrayList<>();
        List<String> tradeIds = new ArrayList<>();
        int b = 0;
        for (ReplaySignal sig : signals) {
            while (b < bars.size() && !bars.get(b).openTime().plus(Duration.ofDays(1)).isAfter(sig.time())) {
                desk.barClosed(bars.get(b++));
            }
            java.util.Map<String, JsonNode> open = desk.open;
            double last = desk.last;
            double equity = 10_000 + desk.realized;
            for (JsonNode t : open.values()) {
                equity += (t.path("side").asText().equals("LONG") ? 1 : -1)
                        * (last - t.path("entryPrice").asDouble()) * t.path("openQuantity").asDouble();
            }
            if (equity != reported) {
                api.put("/api/v1/accounts/" + account + "/equity", JsonNodeFactory.instance.objectNode()
                        .put("equity", equity).put("timestamp", sig.time().toString()));
                reported = equity;
            }
            ObjectNode check = JsonNodeFactory.instance.objectNode();
            check.put("account", account).put("symbol", symbol).put("side", sig.side().name());
            check.putObject("signal").put("consensus", "STRONG").put("confidence", 0.8);
            check.putObject("market").put("price", last).put("volume24h", 1_000 * last).put("spreadBps", 5.0)
                    .put("timestamp", sig.time().toString());
            JsonNode live = api.check(check);
            decisions.add(live);
            if (live.path("approved").asBoolean()) {
                JsonNode t = api.post("/api/v1/trades", JsonNodeFactory.instance.objectNode()
                        .put("decisionId", live.path("decisionId").asText()).put("fillPrice", last)
                        .put("quantity", live.path("quantity").asDouble()).put("timestamp", sig.time().toString()))
                        .body();
                open.put(t.path("id").asText(), t);
                tradeIds.add(t.path("id").asText());
            }
        }
        while (b < bars.size()) {
            desk.barClosed(bars.get(b++)); // the bars after the last signal, as the replay goes on to its end
        }

        assertThat(decisions).hasSameSizeAs(replay.decisions());
        for (int s = 0; s < decisions.size(); s++) {
            JsonNode live = decisions.get(s);
            Decision replayed = replay.decisions().get(s);
            List<String> codes = new ArrayList<>();
            live.path("rejections").forEach(r -> codes.add(r.path("code").asText()));
            assertThat(codes).as("order %d", s).isEqualTo(replayed.codes());
            assertThat(live.path("quantity").asDouble()).as("order %d", s).isEqualTo(replayed.quantity());
        }
        // every trade, in the order opened: its final state and realized P&L
        assertThat(tradeIds).hasSameSizeAs(replay.trades());
        for (int t = 0; t < tradeIds.size(); t++) {
            JsonNode live = api.get("/api/v1/trades/" + tradeIds.get(t)).body();
            var replayed = replay.trades().get(t);
            assertThat(live.path("state").asText()).as("trade %d", t).isEqualTo(replayed.state().name());
            assertThat(live.path("realizedPnl").asDouble()).as("trade %d", t).isEqualTo(replayed.realizedPnl());
        }
    }

    /**
     * A signal at the close of every {@code every}-th bar from bar 210, LONG and SHORT in turn, confidences cycling
     * through {@code confidences}.
     */
    private static List<ReplaySignal> signals(List<MarketBar> bars, int every, double[] confidences) {
        List<ReplaySignal> out = new ArrayList<>();
        for (int i = 210; i < bars.size(); i += every) {
            out.add(new ReplaySignal(bars.get(i).openTime().plus(Duration.ofDays(1)), bars.get(i).symbol(),
                    (i / every) % 2 == 0 ? Side.LONG : Side.SHORT, null, Consensus.STRONG,
                    confidences[(i / every) % confidences.length], OptionalDouble.empty(), OptionalDouble.empty(),
                    OptionalDouble.empty(), OptionalDouble.empty()));
        }
        return out;
    }

    /** The REST side's trading desk: stores each bar, marks its open trades and carries out the closes. */
    private static final class Desk {
        final HttpApi api;
        final String symbol;
        final java.util.Map<String, JsonNode> open = new java.util.LinkedHashMap<>(); // trade id -> the trade
        double realized;
        double last = Double.NaN;

        Desk(HttpApi api, String symbol) {
            this.api = api;
            this.symbol = symbol;
        }

        void barClosed(MarketBar bar) {
            Instant close = bar.openTime().plus(Duration.ofDays(1));
            post(api, bar);
            last = bar.close();
            if (open.isEmpty()) {
                return;
            }
            JsonNode instructions = api.post("/api/v1/marks", JsonNodeFactory.instance.objectNode()
                    .put("symbol", symbol).put("price", bar.close()).put("high", bar.high()).put("low", bar.low())
                    .put("timestamp", close.toString())).body();
            for (JsonNode i : instructions) {
                String action = i.path("action").asText();
                JsonNode t = open.get(i.path("tradeId").asText());
                if (t == null || !(action.equals("CLOSE") || action.equals("CLOSE_PARTIAL"))) {
                    continue;
                }
                double price = i.path("price").isNull() || i.path("price").isMissingNode() ? bar.close()
                        : i.path("price").asDouble();
                boolean longSide = t.path("side").asText().equals("LONG");
                if (i.path("code").asText().equals("STOP_LOSS_HIT")
                        && (longSide ? bar.open() < price : bar.open() > price)) {
                    price = bar.open(); // gapped through the stop
                }
                double q = Math.min(i.path("quantity").asDouble(), t.path("openQuantity").asDouble());
                JsonNode after = api.post("/api/v1/trades/" + t.path("id").asText() + "/close",
                        JsonNodeFactory.instance.objectNode().put("price", price).put("quantity", q)
                                .put("reason", i.path("code").asText()).put("timestamp", close.toString())).body();
                realized += (longSide ? 1 : -1) * (price - t.path("entryPrice").asDouble()) * q;
                if (after.path("state").asText().startsWith("CLOSED")) {
                    open.remove(t.path("id").asText());
                } else {
                    open.put(t.path("id").asText(), after);
                }
            }
        }
    }

    private static void post(HttpApi api, MarketBar b) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode one = body.putArray("bars");
        one.addObject().put("symbol", b.symbol()).put("interval", b.interval())
                .put("openTime", b.openTime().toString()).put("open", b.open()).put("high", b.high())
                .put("low", b.low()).put("close", b.close()).put("volume", b.volume());
        assertThat(api.post("/api/v1/market/bars", body).status()).isEqualTo(200);
    }
}
