package io.riskgate.risk;

import java.util.Arrays;

/**
 * A series of simple returns, oldest first: r_t = P_t / P_(t-1) - 1. Immutable; every value finite.
 *
 * <p>Prices 100, 102, 99.96 give returns 0.02 and -0.02.
 */
public final class Returns {

    private final double[] values;

    private Returns(double[] values) {
        this.values = values;
    }

    public static Returns of(double... returns) {
        return new Returns(Args.finiteCopy("returns", returns));
    }

    /** Simple returns of consecutive prices; n prices give n - 1 returns. Every price must be finite and > 0. */
    public static Returns fromPrices(double... prices) {
        double[] p = Args.finiteCopy("prices", prices);
        for (int i = 0; i < p.length; i++) {
            if (p[i] <= 0) {
                throw new IllegalArgumentException("prices[" + i + "] must be > 0, was " + p[i]);
            }
        }
        double[] r = new double[Math.max(0, p.length - 1)];
        for (int i = 1; i < p.length; i++) {
            r[i - 1] = p[i] / p[i - 1] - 1;
        }
        return new Returns(r);
    }

    public int size() {
        return values.length;
    }

    public double get(int i) {
        return values[i];
    }

    /** A copy of the values. */
    public double[] toArray() {
        return values.clone();
    }

    /** Each return multiplied by {@code factor}: the series of a position worth {@code factor} of the portfolio. */
    public Returns times(double factor) {
        double[] r = new double[values.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = values[i] * factor;
        }
        return new Returns(r);
    }

    /** Internal read-only view for the calculators in this package, which must not write to it. */
    double[] view() {
        return values;
    }

    static Returns wrap(double[] owned) {
        return new Returns(owned);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Returns other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Returns" + Arrays.toString(values);
    }
}
