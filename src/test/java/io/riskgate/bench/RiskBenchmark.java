package io.riskgate.bench;

import io.riskgate.risk.AlignedReturns;
import io.riskgate.risk.Correlation;
import io.riskgate.risk.CorrelationMatrix;
import io.riskgate.risk.Diversification;
import io.riskgate.risk.Estimate;
import io.riskgate.risk.Exposure;
import io.riskgate.risk.Exposures;
import io.riskgate.risk.HistoricalVar;
import io.riskgate.risk.ParametricVar;
import io.riskgate.risk.PortfolioVar;
import io.riskgate.risk.Returns;
import io.riskgate.risk.VarResult;
import io.riskgate.risk.VarSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The risk analytics on a book of 50 positions with 500 returns each (the budget: well under 10 ms for VaR and
 * correlation), on demand: {@code mvn -Pbench test-compile exec:exec -Dbench.args="RiskBenchmark -f 1 -wi 2 -i 3"}.
 *
 * <ul>
 *   <li>{@code historicalVar}: one series of 500 returns, a different one of the 50 on each call (sorting the same
 *   array every time lets the branch predictor learn it and reads about three times faster than real);</li>
 *   <li>{@code historicalPortfolioVar} / {@code parametricPortfolioVar}: the 50-position book, portfolio figure and
 *   the 50 stand-alone VaRs for the undiversified sum;</li>
 *   <li>{@code correlation}: the 50 x 50 Pearson matrix;</li>
 *   <li>{@code diversificationRatio}: 51 standard deviations of 500 returns.</li>
 * </ul>
 * Returns are seeded Gaussian noise with a common factor, so the inputs are the same on every run.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class RiskBenchmark {

    static final int POSITIONS = 50;
    static final int RETURNS = 500;

    private AlignedReturns returns;
    private Exposures book;
    private Returns[] singles;
    private int next;
    private final VarSpec spec = new VarSpec(0.99, 1);
    private final HistoricalVar historical = new HistoricalVar();
    private final PortfolioVar historicalPortfolio = new PortfolioVar(new HistoricalVar());
    private final PortfolioVar parametricPortfolio = new PortfolioVar(new ParametricVar());

    @Setup
    public void setUp() {
        Random random = new Random(42);
        double[] market = new double[RETURNS];
        for (int t = 0; t < RETURNS; t++) {
            market[t] = 0.01 * random.nextGaussian();
        }
        Map<String, Returns> series = new LinkedHashMap<>();
        List<Exposure> positions = new ArrayList<>();
        for (int i = 0; i < POSITIONS; i++) {
            double beta = 0.5 + random.nextDouble();
            double[] r = new double[RETURNS];
            for (int t = 0; t < RETURNS; t++) {
                r[t] = beta * market[t] + 0.015 * random.nextGaussian();
            }
            String symbol = "SYM" + i;
            series.put(symbol, Returns.of(r));
            positions.add(new Exposure(symbol, (i % 7 == 0 ? -1 : 1) * (1_000 + 100 * i)));
        }
        returns = AlignedReturns.of(series);
        book = new Exposures(250_000, positions);
        singles = returns.symbols().stream().map(returns::returns).toArray(Returns[]::new);
    }

    @Benchmark
    public Estimate<VarResult> historicalVar() {
        next = (next + 1) % singles.length;
        return historical.estimate(singles[next], spec);
    }

    @Benchmark
    public Estimate<PortfolioVar.PortfolioVarResult> historicalPortfolioVar() {
        return historicalPortfolio.estimate(book, returns, spec);
    }

    @Benchmark
    public Estimate<PortfolioVar.PortfolioVarResult> parametricPortfolioVar() {
        return parametricPortfolio.estimate(book, returns, spec);
    }

    @Benchmark
    public Estimate<CorrelationMatrix> correlation() {
        return Correlation.pearson(returns);
    }

    @Benchmark
    public Estimate<Diversification.DiversificationRatio> diversificationRatio() {
        return Diversification.ratio(book, returns);
    }
}
