package io.riskgate.risk;

/**
 * Argument checks for the risk and indicator values that {@link io.riskgate.base.Checks} does not cover; each
 * returns its argument and names it in the message.
 */
public final class Args {

    private Args() {
    }

    public static int atLeast(String name, int v, int min) {
        if (v < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", was " + v);
        }
        return v;
    }

    public static double finite(String name, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number, was " + v);
        }
        return v;
    }

    /** A copy of {@code values}, each checked finite; the message names the index. */
    public static double[] finiteCopy(String name, double[] values) {
        if (values == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        double[] copy = values.clone();
        for (int i = 0; i < copy.length; i++) {
            if (!Double.isFinite(copy[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] must be a finite number, was " + copy[i]);
            }
        }
        return copy;
    }
}
