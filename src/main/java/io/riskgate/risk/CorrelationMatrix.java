package io.riskgate.risk;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pairwise correlations of symbols' returns, from {@link Correlation#pearson}. Immutable; symmetric with 1 on the
 * diagonal.
 */
public final class CorrelationMatrix {

    private final List<String> symbols;
    private final Map<String, Integer> index = new HashMap<>();
    private final double[][] rho;
    private final int observations;

    CorrelationMatrix(List<String> symbols, double[][] rho, int observations) {
        this.symbols = List.copyOf(symbols);
        this.rho = rho;
        this.observations = observations;
        for (int i = 0; i < this.symbols.size(); i++) {
            index.put(this.symbols.get(i), i);
        }
    }

    public List<String> symbols() {
        return symbols;
    }

    /** Returns per series the matrix was computed from. */
    public int observations() {
        return observations;
    }

    public double get(String a, String b) {
        return rho[indexOf(a)][indexOf(b)];
    }

    /** The most positively correlated pair, or empty with fewer than two symbols. */
    public Optional<Pair> highest() {
        Pair best = null;
        for (int i = 0; i < rho.length; i++) {
            for (int j = 0; j < i; j++) {
                if (best == null || rho[i][j] > best.correlation()) {
                    best = new Pair(symbols.get(j), symbols.get(i), rho[i][j]);
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The symbol most positively correlated with {@code symbol} (seed 003: keep a new position's correlation with
     * the book under 0.7), or empty when it is the only one.
     */
    public Optional<Pair> highestWith(String symbol) {
        int i = indexOf(symbol);
        Pair best = null;
        for (int j = 0; j < rho.length; j++) {
            if (j != i && (best == null || rho[i][j] > best.correlation())) {
                best = new Pair(symbol, symbols.get(j), rho[i][j]);
            }
        }
        return Optional.ofNullable(best);
    }

    /** A copy of the matrix, rows and columns in {@link #symbols()} order. */
    public double[][] toArray() {
        double[][] copy = new double[rho.length][];
        for (int i = 0; i < rho.length; i++) {
            copy[i] = rho[i].clone();
        }
        return copy;
    }

    private int indexOf(String symbol) {
        Integer i = index.get(symbol);
        if (i == null) {
            throw new IllegalArgumentException("no correlations for " + symbol + "; have " + symbols);
        }
        return i;
    }

    /** Two symbols and their correlation. */
    public record Pair(String first, String second, double correlation) {
    }
}
