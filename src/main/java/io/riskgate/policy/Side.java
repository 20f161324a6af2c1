package io.riskgate.policy;

/** Direction of a position. */
public enum Side {
    LONG, SHORT;

    /** +1 for a long, -1 for a short: multiply a price move by it to get the position's gain. */
    public int sign() {
        return this == LONG ? 1 : -1;
    }
}
