package io.riskgate.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.decision.Decision;
import io.riskgate.order.CheckRequest;
import io.riskgate.order.CheckRequestParser;
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
import java.util.Comparator;
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
 * One in-process check with the default policy (shipped rules/ and policies/), on demand:
 * {@code mvn -Pbench test-compile exec:exec} (all benchmarks) or {@code -Dbench.args="CheckBenchmark.evaluate"}.
 *
 * <ul>
 *   <li>{@code evaluate}: rules + sizing, no I/O (the "without the audit write" budget: p50 <= 50 us);</li>
 *   <li>{@code checkWithAudit}: the full in-process check from JSON, audit record, equity snapshot, lapsed and new
 *   reservation committed in one transaction to an H2 file database (HikariCP pool). Each call's event time is 5 minutes after the previous one, so the previous reservation lapses and
 *   the account stays approvable, as when orders are checked and filled in turn.</li>
 * </ul>
 * Modes: sample time (p50/p99 per op) and throughput (ops/s), one thread. {@code controls}: {@code on} is the
 * shipped policy, {@code off} the same without its market-access controls (no {@code controls:} section, no
 * {@code controls.drl}), so one run compares the check with and without them (issue 13: within 1.25x).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class CheckBenchmark {

    @org.openjdk.jmh.annotations.Param({"on", "off"})
    public String controls;

    private RiskgateRuntime rt;
    private CompiledPolicy policy;
    private CheckRequest request;
    private Path dbDir;
    private Instant now;
    private ObjectNode json;
    private HikariDataSource pool;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dbDir = Files.createTempDirectory("riskgate-bench");
        // a pooled data source, as the service has (Spring Boot's HikariCP): opening an H2 file connection per
        // check would cost milliseconds and measure the pool's absence, not the engine
        HikariDataSource ds = new HikariDataSource();
        // with the settings the service adds (LocalDatabase.tuned)
        ds.setJdbcUrl(io.riskgate.database.LocalDatabase.tuned("jdbc:h2:file:" + dbDir.resolve("db")));
        ds.setUsername("sa");
        pool = ds;
        Path config = TestRuntime.copyRepoConfig(dbDir.resolve("config"));
        if (controls.equals("off")) {
            Path yaml = config.resolve("policies/default.yaml");
            String text = Files.readString(yaml);
            Files.writeString(yaml, text.substring(0, text.indexOf("\n# Market-access controls"))
                    .replaceAll("\n  - controls\\.drl[^\n]*", "") + "\n");
        }
        rt = RiskgateRuntime.start(config.resolve("policies"), config.resolve("rules"), "default", ds,
                Clock.systemUTC(), new SimpleMeterRegistry());
        if (rt.registry().active().policy().controls().orderSize().limitFor("SHIBUSDT").maxQuantity().isPresent()
                != controls.equals("on")) {
            throw new IllegalStateException("the policy's controls are not " + controls);
        }
        policy = rt.registry().active();
        json = Requests.seed001();
        // event times start ten years back and advance 5 minutes a call: never ahead of the clock
        // (portfolio.max_event_lead), and each call's reservation lapses before the next
        now = Instant.now().minus(Duration.ofDays(3650));
        Requests.set(json, "market.timestamp", now.toString());
        request = CheckRequestParser.parse(json);
        // first check records the account's equity (10,000) so evaluate() sizes from it
        rt.engine().check(request);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        pool.close();
        try (Stream<Path> s = Files.walk(dbDir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public Decision evaluate() {
        return rt.portfolio().withAccount("default", book -> rt.engine().pipeline()
                .decide("bench", policy, request, book, book.governor(), now, now));
    }

    @Benchmark
    public Decision checkWithAudit() {
        now = now.plus(Duration.ofMinutes(5));
        Requests.set(json, "market.timestamp", now.toString());
        return rt.engine().check(json);
    }
}
