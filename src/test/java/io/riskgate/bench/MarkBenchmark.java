package io.riskgate.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.decision.Decision;
import io.riskgate.exits.ExitInstruction;
import io.riskgate.lifecycle.FillRequest;
import io.riskgate.market.Mark;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 12's mark goal: one {@code mark} over 1,000 open BTCUSDT trades (seed 001's long, four on each of 250
 * accounts, filled at 50,000), durable as the service runs it (H2 file behind Hikari, group commit).
 * {@code quiet}: the price moves between 50,100 and 50,050, inside every exit level (stop 47,750, breakeven at +1R
 * 52,250), so no stop moves and no instruction is issued after the first two marks; {@code trailing}: every mark a
 * new high above +2R (54,500 and up by 10 a mark), so the ATR trail moves every trade's stop, each change durable
 * before the answer. {@code mvn -Pbench clean test-compile exec:exec -Dbench.args="MarkBenchmark -f 1"}. Ten
 * warm-ups: with three, the JIT was still compiling and a quiet mark's iterations still falling at the seventh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class MarkBenchmark {

    private static final int ACCOUNTS = 250;
    private static final int TRADES_PER_ACCOUNT = 4;

    @Param({"quiet", "trailing"})
    public String kind;

    private RiskgateRuntime rt;
    private FileDatabase db;
    private MutableClock clock;
    private Instant at;
    private long n;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        db = new FileDatabase();
        clock = new MutableClock(TestRuntime.T0.plusSeconds(60));
        rt = RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default", db.pool, clock,
                new SimpleMeterRegistry());
        for (int a = 0; a < ACCOUNTS; a++) {
            for (int t = 0; t < TRADES_PER_ACCOUNT; t++) {
                Decision d = rt.engine().check(Requests.set(Requests.set(Requests.seed001(), "account", "acct-" + a),
                        "clientOrderId", "o-" + t));
                if (!d.approved()) {
                    throw new IllegalStateException("setup: " + d.codes());
                }
                rt.trades().fill(new FillRequest(d.decisionId(), 50_000, d.quantity(), Optional.empty()));
            }
        }
        at = TestRuntime.T0.plusSeconds(60);
    }

    /**
     * Issue 12's disk bound for exit instructions: the file per instruction while open and after H2's compaction
     * (the trailing mark writes 1,000 a mark; the 1,000 trades and their decisions are in the file too).
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException, java.sql.SQLException {
        long instructions = new org.springframework.jdbc.core.JdbcTemplate(db.pool)
                .queryForObject("SELECT COUNT(*) FROM exit_instruction", Long.class);
        long live = java.nio.file.Files.size(db.file());
        rt.close();
        long compact = db.compactedSize();
        System.out.printf("%n%d marks; %d exit instructions; database %d bytes while open (%.0f an instruction), "
                + "%d after SHUTDOWN COMPACT (%.0f)%n", n, instructions, live, live / (double) Math.max(1,
                instructions), compact, compact / (double) Math.max(1, instructions));
        db.close();
    }

    @Benchmark
    public List<ExitInstruction> mark() {
        n++;
        at = at.plusMillis(10);
        clock.set(at);
        double price = kind.equals("quiet") ? (n % 2 == 0 ? 50_100 : 50_050) : 54_500 + 10 * n;
        return rt.exits().mark(Mark.at("BTCUSDT", price, at));
    }
}
