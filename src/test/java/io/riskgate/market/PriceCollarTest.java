package io.riskgate.market;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.decision.Decision;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.Bars;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The price collar (controls.price_collar, rules/controls.drl): seed 001's order against riskgate's own latest
 * price of the symbol. The default policy allows 10% and counts a reference up to 2 days old. Daily BTCUSDT bars
 * with no move close at 50,000 each; the last opens 2026-11-20 and closes 2026-11-21T00:00, 10 hours before T0.
 */
class PriceCollarTest {

    private static final Instant T0 = TestRuntime.T0;
    private static final Instant LAST_CLOSE = Instant.parse("2026-11-21T00:00:00Z");

    private final MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(5)));

    private RiskgateRuntime start(Path policies, Path rules) {
        return RiskgateRuntime.start(policies, rules, "default", TestRuntime.memoryDatabase(), clock,
                new SimpleMeterRegistry());
    }

    private static void flatBars(RiskgateRuntime rt, String symbol) {
        rt.market().ingest(Bars.daily(symbol, 50_000, new double[30], Instant.parse("2026-11-20T00:00:00Z")));
    }

    private static Decision check(RiskgateRuntime rt, String symbol, double price, Instant at) {
        ObjectNode r = Requests.set(Requests.seed001(), "account", "pc-" + UUID.randomUUID().toString().substring(0, 8));
        Requests.set(r, "symbol", symbol);
        Requests.set(r, "market.price", price);
        Requests.set(r, "market.timestamp", at.toString());
        return rt.engine().check(r);
    }

    @Test
    void aPriceTenPercentFromTheLastBarPassesAndOneCentMoreIsRefused() {
        try (RiskgateRuntime rt = start(TestRuntime.repoPolicies(), TestRuntime.repoRules())) {
            flatBars(rt, "BTCUSDT");
            // |55,000 - 50,000| / 50,000 = 0.10: not above 10%
            Decision at = check(rt, "BTCUSDT", 55_000, T0);
            assertThat(at.codes()).doesNotContain("PRICE_OUT_OF_BAND");
            assertThat(at.approved()).isTrue();
            // 55,000.01 is 0.1000002 away: refused, with the reference and its age
            Decision over = check(rt, "BTCUSDT", 55_000.01, T0);
            assertThat(over.codes()).containsExactly("PRICE_OUT_OF_BAND");
            assertThat(over.rejections().get(0).message()).startsWith("price 55000.01 is 0.10000").endsWith(
                    " away from riskgate's reference 50000.0 (bar 1d at " + LAST_CLOSE + ", PT10H old); "
                            + "controls.price_collar.max_deviation_pct allows 0.1");
            // the same below: 45,000 passes, 44,999.99 does not
            assertThat(check(rt, "BTCUSDT", 45_000, T0).codes()).doesNotContain("PRICE_OUT_OF_BAND");
            assertThat(check(rt, "BTCUSDT", 44_999.99, T0).codes()).contains("PRICE_OUT_OF_BAND");
        }
    }

    @Test
    void aLaterMarkIsTheReferenceAndAMarkAfterTheOrderIsNot() {
        try (RiskgateRuntime rt = start(TestRuntime.repoPolicies(), TestRuntime.repoRules())) {
            flatBars(rt, "BTCUSDT");
            rt.exits().mark(new Mark("BTCUSDT", 60_000, 60_000, 60_000, T0.minusSeconds(60)));
            // against the mark: |50,000 - 60,000| / 60,000 = 0.167, refused; 55,000 is 0.083 away, passes
            Decision d = check(rt, "BTCUSDT", 50_000, T0);
            assertThat(d.codes()).containsExactly("PRICE_OUT_OF_BAND");
            assertThat(d.rejections().get(0).message()).contains("reference 60000.0 (mark at " + T0.minusSeconds(60)
                    + ", PT1M old)");
            assertThat(check(rt, "BTCUSDT", 55_000, T0).codes()).doesNotContain("PRICE_OUT_OF_BAND");
            // an order timed before the mark (a replay, a late order) is judged by the bar, as it was then
            assertThat(check(rt, "BTCUSDT", 50_000, T0.minusSeconds(120)).codes()).doesNotContain("PRICE_OUT_OF_BAND");
        }
    }

    @Test
    void withoutAReferenceTheDefaultAllowsAndRejectRefusesAndAStaleReferenceIsStaleMarketData(@TempDir Path dir)
            throws IOException {
        try (RiskgateRuntime rt = start(TestRuntime.repoPolicies(), TestRuntime.repoRules())) {
            // no bar, no mark of ETHUSDT: missing_reference allow skips the collar
            assertThat(check(rt, "ETHUSDT", 50_000, T0).codes()).doesNotContain("PRICE_OUT_OF_BAND");
        }
        TestRuntime.copyRepoConfig(dir, text -> text.replace("missing_reference: allow", "missing_reference: reject"));
        try (RiskgateRuntime rt = start(dir.resolve("policies"), dir.resolve("rules"))) {
            Decision none = check(rt, "ETHUSDT", 50_000, T0);
            assertThat(none.codes()).containsExactly("PRICE_OUT_OF_BAND");
            assertThat(none.rejections().get(0).message()).startsWith("riskgate has seen no price of ETHUSDT");

            flatBars(rt, "BTCUSDT");
            // the last bar closed 2026-11-21T00:00: at +2 days exactly it is not older than max_reference_age 2d
            Decision edge = check(rt, "BTCUSDT", 50_000, LAST_CLOSE.plus(Duration.ofDays(2)));
            assertThat(edge.codes()).doesNotContain("STALE_MARKET_DATA", "PRICE_OUT_OF_BAND");
            Decision stale = check(rt, "BTCUSDT", 50_000, LAST_CLOSE.plus(Duration.ofDays(2)).plusSeconds(1));
            assertThat(stale.codes()).containsExactly("STALE_MARKET_DATA");
            assertThat(stale.rejections().get(0).message()).isEqualTo("riskgate's latest price of BTCUSDT (bar 1d at "
                    + LAST_CLOSE + ") is PT48H1S old, older than controls.price_collar.max_reference_age PT48H, "
                    + "and missing_reference is reject");
        }
    }
}
