package io.riskgate.risk;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deterministic return series in closed form, rebuilt term by term in {@code reference.py} (test resources), which
 * computes the expected figures with numpy and scipy. Sums of sines with incommensurate frequencies: no ties, a
 * shared component so the symbols correlate, a small drift per symbol.
 */
final class ReferenceSeries {

    private ReferenceSeries() {
    }

    /** r_t = 0.01 sin(0.9 t) + 0.015 sin(0.37 t (k + 2) + k) + 0.002 cos(2.1 t + 3k) + 0.0005 k, t = 1..n. */
    static Returns wave(int n, int k) {
        double[] r = new double[n];
        for (int t = 1; t <= n; t++) {
            r[t - 1] = 0.01 * Math.sin(0.9 * t) + 0.015 * Math.sin(0.37 * t * (k + 2) + k)
                    + 0.002 * Math.cos(2.1 * t + 3 * k) + 0.0005 * k;
        }
        return Returns.of(r);
    }

    /** Symbols S0, S1, ... holding {@code wave(n, 0)}, {@code wave(n, 1)}, ... */
    static AlignedReturns waves(int n, int symbols) {
        Map<String, Returns> m = new LinkedHashMap<>();
        for (int k = 0; k < symbols; k++) {
            m.put("S" + k, wave(n, k));
        }
        return AlignedReturns.of(m);
    }

    /** {@code n} returns: the first {@code n - 1} small gains, the last the loss given. */
    static Returns gainsThenLoss(int n, double loss) {
        double[] r = new double[n];
        for (int i = 0; i < n - 1; i++) {
            r[i] = 0.001 * (i + 1);
        }
        r[n - 1] = -loss;
        return Returns.of(r);
    }

    /**
     * Hull's two stocks ("Options, Futures, and Other Derivatives", VaR chapter) as return series with exactly his
     * moments: MSFT daily sigma 2%, ATT 1%, correlation 0.3, both mean 0 (sample statistics, n - 1). Built from two
     * {@link #wave} series centred, made orthogonal (Gram-Schmidt) and scaled to sample standard deviation 1.
     */
    static AlignedReturns hullTwoStocks(int n) {
        double[] u = centred(wave(n, 0).toArray());
        double[] v = centred(wave(n, 1).toArray());
        double proj = dot(u, v) / dot(u, u);
        for (int t = 0; t < n; t++) {
            v[t] -= proj * u[t];
        }
        double su = Math.sqrt(dot(u, u) / (n - 1));
        double sv = Math.sqrt(dot(v, v) / (n - 1));
        double[] msft = new double[n];
        double[] att = new double[n];
        for (int t = 0; t < n; t++) {
            msft[t] = 0.02 * u[t] / su;
            att[t] = 0.01 * (0.3 * u[t] / su + Math.sqrt(1 - 0.3 * 0.3) * v[t] / sv);
        }
        Map<String, Returns> m = new LinkedHashMap<>();
        m.put("MSFT", Returns.of(msft));
        m.put("ATT", Returns.of(att));
        return AlignedReturns.of(m);
    }

    private static double[] centred(double[] x) {
        double mean = 0;
        for (double v : x) {
            mean += v / x.length;
        }
        for (int t = 0; t < x.length; t++) {
            x[t] -= mean;
        }
        return x;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int t = 0; t < a.length; t++) {
            s += a[t] * b[t];
        }
        return s;
    }
}
