package io.riskgate.testing;

import io.riskgate.market.MarketBar;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Daily bars built from returns, for the analytics tests and benchmarks. */
public final class Bars {

    private Bars() {
    }

    /**
     * Daily bars of {@code symbol} starting at {@code start} and moving by {@code returns}, the last opening at
     * {@code lastOpen}; each bar's high and low lie 0.5% beyond its open and close; volume 1,000.
     */
    public static List<MarketBar> daily(String symbol, double start, double[] returns, Instant lastOpen) {
        List<MarketBar> out = new ArrayList<>(returns.length + 1);
        double close = start;
        Instant open = lastOpen.minus(Duration.ofDays(returns.length));
        for (int i = 0; i <= returns.length; i++) {
            double prev = close;
            if (i > 0) {
                close = prev * (1 + returns[i - 1]);
            }
            out.add(new MarketBar(symbol, "1d", open.plus(Duration.ofDays(i)), prev, Math.max(prev, close) * 1.005,
                    Math.min(prev, close) * 0.995, close, 1_000));
        }
        return out;
    }

    /** {@code n} normal returns of standard deviation {@code sd}, from a fixed seed. */
    public static double[] randomReturns(long seed, int n, double sd) {
        Random r = new Random(seed);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextGaussian() * sd;
        }
        return out;
    }
}
