package io.riskgate.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.decision.Decision;
import io.riskgate.lifecycle.FillRequest;
import io.riskgate.market.AccountRisk;
import io.riskgate.market.MarketBar;
import io.riskgate.market.PortfolioRisk;
import io.riskgate.order.CheckRequest;
import io.riskgate.order.CheckRequestParser;
import io.riskgate.portfolio.TradingState;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The analytics on the engine path (issue 5's budget: VaR and correlation for 50 open positions x 500 returns
 * under 10 ms, the check never recomputing the full matrix per request), on demand:
 * {@code mvn -Pbench test-compile exec:exec -Dbench.args="AnalyticsCheckBenchmark -f 1 -wi 2 -i 3 -w 2 -r 2"}.
 *
 * <p>Setup: a copy of the shipped policies and rules with room for 50 positions (max_concurrent_trades 60,
 * exposure, asset concentration, portfolio heat and correlation limits relaxed so every setup order is approved),
 * an H2 file database behind HikariCP as in {@link CheckBenchmark}; 501 daily bars (500 returns) for each of 51
 * symbols, posted one symbol per batch through {@code MarketData.ingest}; then 50 seed 001 orders (LONG, equity
 * 1,000,000) in the first 50 symbols on one account, each checked and filled. Returns are seeded: a common market
 * factor (1% daily) times a beta in [0.5, 1.5) plus 1.5% noise of each symbol's own, as in {@link RiskBenchmark},
 * so pairwise correlations are about 0.2 to 0.5 and no spike breaker trips.
 *
 * <ul>
 *   <li>{@code evaluate}: {@code PreTradeEngine.evaluate} of an order in the 51st symbol against the 50 positions:
 *   rules, sizing, the correlation gate (50 pairs, read from the pair cache) and the exposure check (aligned
 *   returns of the 51 symbols and a historical VaR); no audit, no governor, no I/O;</li>
 *   <li>{@code checkWithAudit}: the full in-process check of the same order from JSON: account lock, the governor
 *   (its spike measures over the 50 open symbols), the above, and the H2 transaction (equity snapshot, which
 *   rebases the 50 live trades' reference prices, audit record, reservation, governor state). Each call's event
 *   time is 5 minutes after the previous one, so the previous reservation lapses;</li>
 *   <li>{@code accountRisk}: what {@code GET /api/v1/accounts/{id}/risk} computes under the account's lock:
 *   aligned returns of the 50 symbols, historical and parametric portfolio VaR and ES, the 50 x 50 correlation
 *   matrix, concentration and the diversification ratio.</li>
 * </ul>
 * Sample time (p50/p99 per op), one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class AnalyticsCheckBenchmark {

    static final int POSITIONS = 50;
    static final int RETURNS = 500;
    static final String ACCOUNT = "bench-analytics";
    static final double EQUITY = 1_000_000;
    static final double PRICE = 50_000;

    private Path dir;
    private HikariDataSource pool;
    private RiskgateRuntime rt;
    private CompiledPolicy policy;
    private CheckRequest request;
    private ObjectNode json;
    private Instant evaluateAt;
    private Instant now;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("riskgate-analytics-bench");
        Path config = TestRuntime.copyRepoConfig(dir.resolve("config"));
        Path yaml = config.resolve("policies/default.yaml");
        String text = Files.readString(yaml);
        text = replace(text, "max_concurrent_trades: 4 ", "max_concurrent_trades: 60 ");
        text = replace(text, "max_exposure_pct: 0.80", "max_exposure_pct: 5.0");
        text = replace(text, "max_asset_concentration_pct: 0.25", "max_asset_concentration_pct: 1.0");
        text = replace(text, "max_portfolio_heat_pct: 0.06", "max_portfolio_heat_pct: 1.0");
        text = replace(text, "max_correlation: 0.70", "max_correlation: 1.0");
        Files.writeString(yaml, text);

        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl("jdbc:h2:file:" + dir.resolve("db"));
        ds.setUsername("sa");
        pool = ds;
        rt = RiskgateRuntime.start(config.resolve("policies"), config.resolve("rules"), "default", ds,
                Clock.systemUTC(), new SimpleMeterRegistry());
        policy = rt.registry().active();

        // ten years back, as CheckBenchmark: event times never run ahead of the clock. The last bar opens the day
        // before `start` and has closed by it; the checks come after
        Instant start = Instant.now().minus(Duration.ofDays(3650)).truncatedTo(ChronoUnit.DAYS);
        Instant lastOpen = start.minus(Duration.ofDays(1));
        Random random = new Random(42);
        double[] market = new double[RETURNS];
        for (int t = 0; t < RETURNS; t++) {
            market[t] = 0.01 * random.nextGaussian();
        }
        for (int i = 0; i <= POSITIONS; i++) {
            double beta = 0.5 + random.nextDouble();
            double[] r = new double[RETURNS];
            for (int t = 0; t < RETURNS; t++) {
                r[t] = beta * market[t] + 0.015 * random.nextGaussian();
            }
            rt.market().ingest(bars(symbol(i), lastOpen, r));
        }

        Instant t = start.plus(Duration.ofHours(1));
        for (int i = 0; i < POSITIONS; i++) {
            Decision d = rt.engine().check(order(symbol(i), t));
            if (!d.approved()) {
                throw new IllegalStateException("setup order " + i + " (" + symbol(i) + ") refused: "
                        + d.rejections());
            }
            rt.trades().fill(new FillRequest(d.decisionId(), PRICE, d.quantity(), Optional.of(t)));
            t = t.plus(Duration.ofMinutes(1));
        }
        TradingState state = rt.governor().view(ACCOUNT).state();
        if (state != TradingState.ACTIVE) {
            throw new IllegalStateException("the governor is " + state + " after setup: " + rt.governor()
                    .view(ACCOUNT).breakers());
        }

        // the measured order: the 51st symbol against the 50 open positions
        evaluateAt = t.plus(Duration.ofMinutes(10));
        request = CheckRequestParser.parse(order(symbol(POSITIONS), evaluateAt));
        Decision first = evaluate();
        requireFullAnalytics("evaluate", first);
        json = order(symbol(POSITIONS), evaluateAt);
        now = evaluateAt;
        requireFullAnalytics("checkWithAudit", checkWithAudit());
        AccountRisk risk = accountRisk();
        if (risk.symbols().size() != POSITIONS || risk.observations() != RETURNS || risk.var().size() != 2
                || risk.correlation().size() != POSITIONS || risk.diversificationRatio() == null) {
            throw new IllegalStateException("accountRisk did not compute every figure: " + risk);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        pool.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public Decision evaluate() {
        return rt.portfolio().withAccount(ACCOUNT, book -> rt.engine().pipeline()
                .decide("bench", policy, request, book, book.governor(), evaluateAt, evaluateAt));
    }

    @Benchmark
    public Decision checkWithAudit() {
        now = now.plus(Duration.ofMinutes(5));
        Requests.set(json, "market.timestamp", now.toString());
        return rt.engine().check(json);
    }

    /** As MarketController's GET /api/v1/accounts/{id}/risk. */
    @Benchmark
    public AccountRisk accountRisk() {
        var analytics = rt.registry().active().policy().analytics();
        return rt.portfolio().withAccount(ACCOUNT, book -> new PortfolioRisk(rt.market()).accountRisk(analytics,
                book, book.markedEquity().orElse(null), rt.clock().instant()));
    }

    private static String symbol(int i) {
        return String.format("S%02dUSDT", i);
    }

    private static ObjectNode order(String symbol, Instant at) {
        ObjectNode r = Requests.set(Requests.seed001(), "account", ACCOUNT);
        Requests.set(r, "symbol", symbol);
        Requests.set(r, "equity", EQUITY);
        Requests.set(r, "market.timestamp", at.toString());
        return r;
    }

    private static List<MarketBar> bars(String symbol, Instant lastOpen, double[] returns) {
        return io.riskgate.testing.Bars.daily(symbol, PRICE, returns, lastOpen);
    }

    /** The measured order must be approved with the correlation gate and the VaR measured over everything. */
    private static void requireFullAnalytics(String what, Decision d) {
        var a = d.analytics();
        if (!d.approved() || a == null || a.maxCorrelation() == null || a.correlationUnmeasured() != null
                || a.varPct() == null || a.varObservations() == null || a.varObservations() != RETURNS) {
            throw new IllegalStateException(what + " did not measure the order in full: " + d.rejections() + " "
                    + a);
        }
    }

    private static String replace(String yaml, String from, String to) {
        if (!yaml.contains(from)) {
            throw new IllegalStateException("policies/default.yaml no longer contains '" + from + "'");
        }
        return yaml.replace(from, to);
    }
}
