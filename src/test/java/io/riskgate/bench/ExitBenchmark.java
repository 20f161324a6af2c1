package io.riskgate.bench;

import io.riskgate.check.PolicyCompiler;
import io.riskgate.exits.ExitEvaluator;
import io.riskgate.market.Mark;
import io.riskgate.policy.PolicyLoader;
import io.riskgate.policy.Side;
import io.riskgate.portfolio.Trade;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.testing.TestRuntime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The exit rules for one trade on one mark, no I/O ({@code -Dbench.args="ExitBenchmark"}): seed 001's long at
 * 50,000 marked at +2R (54,500), where breakeven, the partial take-profit and the ATR trail all fire and resolve
 * into two instructions, the busiest mark a trade sees; and a quiet mark (50,100) where nothing fires.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class ExitBenchmark {

    private CompiledPolicy policy;
    private Trade trade;
    private Mark busy;
    private Mark quiet;

    @Setup(Level.Trial)
    public void setUp() {
        policy = PolicyCompiler.standard().compile(new PolicyLoader(TestRuntime.repoRules())
                .load(TestRuntime.repoPolicies().resolve("default.yaml")));
        Instant t0 = Instant.parse("2026-11-21T10:00:00Z");
        trade = Trade.opened("t", "d", "acc", "BTCUSDT", "BTC", null, Side.LONG, 0.01, 50_000, 47_750, 55_625,
                1_500.0, t0);
        busy = Mark.at("BTCUSDT", 54_500, t0.plusSeconds(60));
        quiet = Mark.at("BTCUSDT", 50_100, t0.plusSeconds(60));
    }

    @Benchmark
    public ExitEvaluator.Outcome busyMark() {
        return ExitEvaluator.evaluate(policy, trade, busy, 1.0);
    }

    @Benchmark
    public ExitEvaluator.Outcome quietMark() {
        return ExitEvaluator.evaluate(policy, trade, quiet, 1.0);
    }
}
