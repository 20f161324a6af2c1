package io.riskgate.risk.indicators;

import java.util.ArrayList;
import java.util.List;

/**
 * The 40 bars of {@code reference.py} ("bars (high, low, close)"): a slow sine with an upward drift, and every 9th
 * bar gapped 3 up from the previous close so its true range is wider than its high - low.
 */
final class Bars {

    static final double[][] HLC = {
        {103.45, 99.79, 101.48}, {104.53, 101.77, 102.92}, {106.04, 102.84, 104.29}, {107.46, 103.70, 105.55},
        {108.04, 104.83, 106.67}, {109.63, 106.19, 107.63}, {109.87, 107.24, 108.41}, {110.84, 107.28, 108.98},
        {114.14, 110.43, 112.33}, {111.00, 107.78, 109.46}, {111.37, 108.24, 109.38}, {110.36, 107.60, 109.07},
        {110.51, 106.72, 108.57}, {109.56, 106.04, 107.88}, {108.72, 105.61, 107.04}, {108.00, 104.88, 106.06},
        {106.27, 103.27, 104.98}, {108.82, 104.93, 106.83}, {104.19, 100.98, 102.65}, {103.29, 100.36, 101.48},
        {102.20, 98.86, 100.34}, {100.75, 97.43, 99.29}, {100.35, 96.52, 98.35}, {98.92, 96.14, 97.55},
        {98.82, 95.71, 96.91}, {98.22, 94.75, 96.47}, {100.84, 97.33, 99.23}, {98.18, 94.55, 96.21},
        {97.61, 95.30, 96.41}, {98.80, 95.34, 96.83}, {99.07, 95.60, 97.46}, {100.04, 96.46, 98.29},
        {101.22, 97.91, 99.31}, {101.84, 99.26, 100.47}, {103.77, 100.04, 101.77}, {107.61, 104.26, 106.16},
        {106.48, 102.97, 104.62}, {107.91, 105.01, 106.10}, {109.11, 106.06, 107.57}, {110.98, 107.12, 108.99}};

    private Bars() {
    }

    /** The first {@code n} bars. */
    static List<Bar> first(int n) {
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            bars.add(new Bar(HLC[i][0], HLC[i][1], HLC[i][2]));
        }
        return bars;
    }

    /** The closes of the first {@code n} bars. */
    static double[] closes(int n) {
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = HLC[i][2];
        }
        return c;
    }
}
