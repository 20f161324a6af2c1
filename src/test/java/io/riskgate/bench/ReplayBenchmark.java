package io.riskgate.bench;

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
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 14's replay goals: 50,000 bar events/s and 5,000 checks/s. Each invocation is a whole replay under the
 * shipped policy (its rule base compiled once per replay, which the figure includes):
 * <ul>
 *   <li>{@code bars}: 100,000 daily bars, 10 symbols of 10,000, no signal: the history alone;</li>
 *   <li>{@code checks}: 5,000 signals on 5,000 daily bars of one symbol, one a bar, each with its own ATR and EMA200
 *   (seed 001's), refused for confidence 0.5 so that no trade opens: the check path alone.</li>
 * </ul>
 * Scores are events (bars, or signals) a second, counted over the replay. {@code mvn -Pbench clean test-compile
 * exec:exec -Dbench.args="ReplayBenchmark -f 1"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
public class ReplayBenchmark {

    private List<MarketBar> history;
    private List<MarketBar> oneSymbol;
    private List<ReplaySignal> signals;

    @Setup
    public void setUp() {
        history = new ArrayList<>();
        Instant last = Instant.parse("2025-06-30T00:00:00Z");
        for (int s = 0; s < 10; s++) {
            history.addAll(Bars.daily("BENCH" + s + "USDT", 100 * (s + 1), Bars.randomReturns(s, 9_999, 0.01), last));
        }
        oneSymbol = Bars.daily("CHECKUSDT", 50_000, Bars.randomReturns(99, 4_999, 0.01), last);
        signals = new ArrayList<>();
        for (MarketBar b : oneSymbol) {
            signals.add(new ReplaySignal(b.openTime().plus(Duration.ofDays(1)), "CHECKUSDT", Side.LONG, null,
                    Consensus.STRONG, 0.5, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
                    OptionalDouble.empty(), OptionalDouble.of(1_500), OptionalDouble.of(1)));
        }
    }

    @Benchmark
    @OperationsPerInvocation(100_000)
    public Replay.Result bars() {
        return Replay.run(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default", history, List.of(),
                ReplaySettings.defaults(), Replay.Progress.NONE);
    }

    @Benchmark
    @OperationsPerInvocation(5_000)
    public Replay.Result checks() {
        return Replay.run(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default", oneSymbol, signals,
                ReplaySettings.defaults(), Replay.Progress.NONE);
    }
}
