package io.riskgate.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.decision.Decision;
import io.riskgate.facts.FiredRule;
import io.riskgate.lifecycle.FillRequest;
import io.riskgate.portfolio.ActiveBreaker;
import io.riskgate.portfolio.TradingState;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analytics rules end to end: daily bars posted for symbols, orders checked against open positions, with the
 * default policy (max correlation 0.70, heat 6%, VaR 5% at 95%) or a copy with one limit changed. Bars are made
 * from seeded random daily returns: BTC's own, ETH = 0.9 x BTC's + a little noise of its own (correlation about
 * 0.99), SOL independent of both (correlation near 0). The last bar opens 2026-11-20 and has closed by the checks
 * at 2026-11-21 10:00.
 */
class AnalyticsScenarioTest {

    private static final Instant T0 = TestRuntime.T0;
    private static final Instant LAST_OPEN = Instant.parse("2026-11-20T00:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    /** Where {@link #startDefault} copies the shipped configuration; JUnit deletes it after each test. */
    @TempDir
    Path copies;
    private RiskgateRuntime rt;
    private final String account = "an-" + UUID.randomUUID().toString().substring(0, 8);

    private void start(Path policies, Path rules) {
        rt = RiskgateRuntime.start(policies, rules, "default", TestRuntime.memoryDatabase(), clock,
                new SimpleMeterRegistry());
    }

    /**
     * The default policy without its price collar: these worked examples send seed 001's order, priced 50,000, on
     * every symbol (ETHUSDT's bars are near 3,000), and judge correlation and VaR, not the price. The collar has
     * tests of its own (PriceCollarTest).
     */
    private void startDefault() {
        try {
            // a directory of its own inside the test's: a test may also start an edited copy in its @TempDir
            startEdited(Files.createDirectories(copies.resolve("without-collar")), UnaryOperator.identity());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void startEdited(Path dir, UnaryOperator<String> edit) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        Path yaml = dir.resolve("policies/default.yaml");
        String text = Files.readString(yaml);
        int collar = text.indexOf("  price_collar:");
        int end = text.indexOf("\n", text.indexOf("missing_reference:", collar)) + 1;
        Files.writeString(yaml, edit.apply(text.substring(0, collar) + text.substring(end)));
        start(dir.resolve("policies"), dir.resolve("rules"));
    }

    static List<MarketBar> bars(String symbol, double start, double[] returns) {
        return io.riskgate.testing.Bars.daily(symbol, start, returns, LAST_OPEN);
    }

    static double[] randomReturns(long seed, int n, double sd) {
        return io.riskgate.testing.Bars.randomReturns(seed, n, sd);
    }

    /** 60 days: BTC, ETH (0.9 x BTC + noise), SOL (independent). */
    private void postCorrelatedMarket() {
        double[] btc = randomReturns(1, 60, 0.02);
        double[] noise = randomReturns(2, 60, 0.003);
        double[] eth = new double[60];
        for (int i = 0; i < 60; i++) {
            eth[i] = 0.9 * btc[i] + noise[i];
        }
        List<MarketBar> all = new ArrayList<>(bars("BTCUSDT", 50_000, btc));
        all.addAll(bars("ETHUSDT", 3_000, eth));
        all.addAll(bars("SOLUSDT", 150, randomReturns(3, 60, 0.02)));
        assertThat(rt.market().ingest(all)).isEqualTo(183);
    }

    private Decision check(String symbol, String side, Instant at) {
        clock.set(at);
        ObjectNode r = Requests.set(Requests.seed001(), "account", account);
        Requests.set(r, "symbol", symbol);
        Requests.set(r, "side", side);
        if (side.equals("SHORT")) {
            Requests.set(r, "market.ema200", 52_000.0);
        }
        Requests.set(r, "market.timestamp", at.toString());
        return rt.engine().check(r);
    }

    private void open(String symbol, Instant at) {
        Decision d = check(symbol, "LONG", at);
        assertThat(d.approved()).as("%s", d.rejections()).isTrue();
        rt.trades().fill(new FillRequest(d.decisionId(), 50_000, d.quantity(), Optional.of(at)));
    }

    @Test
    void aStronglyCorrelatedSymbolIsRefusedWhileAnUncorrelatedOneIsApproved() {
        startDefault();
        postCorrelatedMarket();
        open("BTCUSDT", T0);

        Decision eth = check("ETHUSDT", "LONG", T0.plusSeconds(60));
        assertThat(eth.codes()).containsExactly("CORRELATION_TOO_HIGH");
        assertThat(eth.analytics().maxCorrelation()).isGreaterThan(0.95);
        assertThat(eth.analytics().correlatedWith()).isEqualTo("BTCUSDT (LONG)");

        Decision sol = check("SOLUSDT", "LONG", T0.plusSeconds(120));
        assertThat(sol.approved()).as("%s", sol.rejections()).isTrue();
        assertThat(Math.abs(sol.analytics().maxCorrelation())).isLessThan(0.3);
        assertThat(sol.firedRuleDetails()).extracting(FiredRule::code).doesNotContain("CORRELATION_TOO_HIGH");

        // short ETH against long BTC is a hedge: its direction-adjusted correlation is negative
        Decision hedge = check("ETHUSDT", "SHORT", T0.plusSeconds(180));
        assertThat(hedge.codes()).doesNotContain("CORRELATION_TOO_HIGH");
        assertThat(hedge.analytics().maxCorrelation()).isLessThan(-0.95);
    }

    @Test
    void theCorrelationLimitIsInclusive(@TempDir Path dir) throws IOException {
        // with the limit set to the pair's own measured correlation, the order passes; a hair below, it does not
        startDefault();
        postCorrelatedMarket();
        open("BTCUSDT", T0);
        double measured = check("ETHUSDT", "LONG", T0.plusSeconds(60)).analytics().maxCorrelation();

        startEdited(dir, y -> y.replace("max_correlation: 0.70", "max_correlation: " + measured));
        postCorrelatedMarket();
        open("BTCUSDT", T0.plusSeconds(120));
        assertThat(check("ETHUSDT", "LONG", T0.plusSeconds(180)).codes()).doesNotContain("CORRELATION_TOO_HIGH");
    }

    @Test
    void omittedAtrAndEmaComeFromStoredBarsAndTooFewBarsRejectWithTheirOwnCode() {
        startDefault();
        // 250 flat days at 50,000 with 49,500-50,500 ranges: every true range is 1,000, so Wilder's ATR(14) is
        // exactly 1,000 and the EMA(200) of a constant 50,000 is 50,000
        List<MarketBar> flat = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            flat.add(new MarketBar("BTCUSDT", "1d", LAST_OPEN.minus(Duration.ofDays(249 - i)), 50_000, 50_500,
                    49_500, 50_000, 1_000));
        }
        rt.market().ingest(flat);
        ObjectNode r = Requests.set(Requests.seed001(), "account", account);
        ((ObjectNode) r.get("market")).remove("atr");
        ((ObjectNode) r.get("market")).remove("ema200");
        Requests.set(r, "market.price", 50_100.0); // above the EMA: the trend gate passes
        Requests.set(r, "market.timestamp", T0.toString());
        Decision d = rt.engine().check(r);
        assertThat(d.approved()).as("%s", d.rejections()).isTrue();
        assertThat(d.analytics().computed().get("atr")).isCloseTo(1_000.0, within(1e-9));
        assertThat(d.analytics().computed().get("ema200")).isCloseTo(50_000.0, within(1e-9));
        // stop 1.5 x 1,000 below the 50,100 entry
        assertThat(d.stopLoss()).isCloseTo(48_600, within(1e-9));

        // SOL has 10 bars: ATR(14) needs 14, EMA(200) needs 200
        List<MarketBar> few = flat.subList(240, 250).stream().map(b -> new MarketBar("SOLUSDT", "1d", b.openTime(),
                b.open(), b.high(), b.low(), b.close(), b.volume())).toList();
        rt.market().ingest(few);
        Requests.set(r, "symbol", "SOLUSDT");
        Decision refused = rt.engine().check(r);
        assertThat(refused.codes()).containsExactly("INSUFFICIENT_MARKET_DATA");
        assertThat(refused.rejections().get(0).message()).contains("ATR(14)").contains("EMA(200)");
        assertThat(refused.quantity()).isZero();
    }

    @Test
    void portfolioHeatAboveItsLimitIsRefused(@TempDir Path dir) throws IOException {
        // limit 2%: on 1,000 of equity each seed 001 trade risks 1% = 10 to its stop (0.00444444 x 2,250)
        startEdited(dir, y -> y.replace("max_portfolio_heat_pct: 0.06", "max_portfolio_heat_pct: 0.02"));
        rt.portfolio().reportEquity(new io.riskgate.portfolio.EquitySnapshot(account, 1_000, T0));
        for (String s : List.of("ETHUSDT", "SOLUSDT")) {
            ObjectNode r = Requests.set(Requests.seed001(), "account", account);
            r.remove("equity");
            Requests.set(r, "symbol", s);
            Decision d = rt.engine().check(r);
            // the second: 10 + 9.99999 of 1,000 = 1.999999% <= 2%
            assertThat(d.approved()).as("%s %s", s, d.rejections()).isTrue();
            rt.trades().fill(new FillRequest(d.decisionId(), 50_000, d.quantity(), Optional.empty()));
        }
        ObjectNode third = Requests.set(Requests.seed001(), "account", account);
        third.remove("equity");
        Requests.set(third, "symbol", "ADAUSDT");
        Decision d = rt.engine().check(third);
        // 3 x ~10 = 2.99999% > 2%
        assertThat(d.codes()).containsExactly("PORTFOLIO_HEAT");
        assertThat(d.analytics().portfolioHeatPct()).isCloseTo(0.03, within(1e-6));
    }

    @Test
    void aPortfolioVarAboveItsLimitIsRefused(@TempDir Path dir) throws IOException {
        startDefault();
        postCorrelatedMarket();
        open("BTCUSDT", T0);
        Decision measured = check("SOLUSDT", "LONG", T0.plusSeconds(60));
        double var = measured.analytics().varPct();
        assertThat(measured.analytics().varObservations()).isEqualTo(60);
        // BTC 500 + SOL 500 of 10,000 with 2% daily moves: a 95% one-day VaR well under 5%
        assertThat(var).isBetween(0.0005, 0.01);
        assertThat(measured.approved()).isTrue();

        // the limit just under the measured VaR refuses the same order
        startEdited(dir, y -> y.replace("max_var_pct: 0.05", "max_var_pct: " + (var * 0.999)));
        postCorrelatedMarket();
        open("BTCUSDT", T0.plusSeconds(120));
        Decision refused = check("SOLUSDT", "LONG", T0.plusSeconds(180));
        assertThat(refused.codes()).containsExactly("VAR_LIMIT");
        assertThat(refused.analytics().varPct()).isCloseTo(var, within(1e-12));
    }

    @Test
    void withMissingDataRejectAnUnmeasurableOrderIsRefused(@TempDir Path dir) throws IOException {
        startEdited(dir, y -> y.replace("missing_data: allow", "missing_data: reject"));
        // no bars at all: the VaR cannot be measured even for a first order
        Decision first = check("BTCUSDT", "LONG", T0);
        assertThat(first.codes()).containsExactly("INSUFFICIENT_MARKET_DATA");
        assertThat(first.rejections().get(0).message()).contains("VaR needs 20");
    }

    @Test
    void withMissingDataAllowTheUnmeasurableChecksAreSkippedAndSaidSo() {
        startDefault();
        open("BTCUSDT", T0);
        Decision eth = check("ETHUSDT", "LONG", T0.plusSeconds(60));
        assertThat(eth.approved()).isTrue();
        assertThat(eth.analytics().correlationUnmeasured()).singleElement().asString().contains("BTCUSDT");
        assertThat(eth.analytics().varPct()).isNull();
        assertThat(eth.analytics().varNote()).contains("VaR needs 20");
    }

    @Test
    void aThreeSigmaMoveTripsTheVolatilitySpikeBreaker() {
        startDefault();
        open("BTCUSDT", T0);
        // 40 calm days (1% moves), then a day 3 standard deviations out is posted
        double[] calm = randomReturns(7, 40, 0.01);
        rt.market().ingest(bars("BTCUSDT", 50_000, calm));
        assertThat(rt.governor().view(account).state()).isEqualTo(TradingState.ACTIVE);

        double mean = java.util.Arrays.stream(calm).average().orElseThrow();
        double sd = new org.hipparchus.stat.descriptive.moment.StandardDeviation().evaluate(calm);
        double[] spiked = java.util.Arrays.copyOf(calm, 41);
        spiked[40] = mean - 3.0001 * sd;
        List<MarketBar> b = bars("BTCUSDT", 50_000, spiked);
        // shift one day later so the spike is the newest closed bar (it closes 2026-11-21 00:00)
        clock.set(T0.plusSeconds(60));
        rt.market().ingest(b);
        var v = rt.governor().view(account);
        assertThat(v.state()).isEqualTo(TradingState.REDUCING);
        assertThat(v.breakers()).extracting(ActiveBreaker::code).containsExactly("VOLATILITY_SPIKE");
        assertThat(v.breakers().get(0).measured()).isCloseTo(3.0001, within(1e-6));
    }

    @Test
    void twoOpenPositionsMovingTogetherTripTheCorrelationSpikeBreaker() {
        startDefault();
        // opened before any bars: the gate could not measure them (missing_data: allow)
        open("BTCUSDT", T0);
        open("ETHUSDT", T0.plusSeconds(30));
        clock.set(T0.plusSeconds(60));
        postCorrelatedMarket();
        var v = rt.governor().view(account);
        assertThat(v.breakers()).extracting(ActiveBreaker::code).contains("CORRELATION_SPIKE");
        assertThat(v.breakers()).filteredOn(b -> b.code().equals("CORRELATION_SPIKE")).singleElement()
                .satisfies(b -> assertThat(b.measured()).isGreaterThanOrEqualTo(0.90));
        // and the risk view shows the pair's correlation
        AccountRisk risk = new PortfolioRisk(rt.market()).accountRisk(
                rt.registry().active().policy().analytics(), rt.portfolio().withAccount(account, x -> x),
                10_000.0, T0.plusSeconds(60));
        assertThat(risk.correlation().get("BTCUSDT").get("ETHUSDT")).isGreaterThan(0.95);
        assertThat(risk.var()).containsKeys("HISTORICAL", "PARAMETRIC_NORMAL");
        assertThat(risk.effectivePositions()).isCloseTo(2.0, within(0.01));
    }
}
