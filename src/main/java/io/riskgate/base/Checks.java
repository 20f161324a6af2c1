package io.riskgate.base;

/** Argument checks for value constructors: each returns its argument and names it in the message. */
public final class Checks {

    private Checks() {
    }

    public static double positive(String name, double v) {
        if (!Double.isFinite(v) || v <= 0) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, was " + v);
        }
        return v;
    }

    public static double nonNegative(String name, double v) {
        if (!Double.isFinite(v) || v < 0) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, was " + v);
        }
        return v;
    }

    public static double inRange(String name, double v, double min, double max) {
        if (!Double.isFinite(v) || v < min || v > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], was " + v);
        }
        return v;
    }

    public static String matches(String name, String v, String pattern) {
        if (v == null || !v.matches(pattern)) {
            throw new IllegalArgumentException(name + " must match " + pattern + ", was '" + v + "'");
        }
        return v;
    }

    public static String notBlank(String name, String v) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return v;
    }
}
