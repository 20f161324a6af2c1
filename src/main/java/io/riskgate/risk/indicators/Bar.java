package io.riskgate.risk.indicators;

import io.riskgate.base.Checks;

/** One period's high, low and close, the inputs of the true range. */
public record Bar(double high, double low, double close) {

    public Bar {
        Checks.positive("high", high);
        Checks.positive("low", low);
        Checks.positive("close", close);
        if (high < low) {
            throw new IllegalArgumentException("high must be >= low, was " + high + " < " + low);
        }
    }

    /**
     * max(high - low, |high - previous close|, |low - previous close|): the day's range stretched to cover a gap
     * from the previous close.
     */
    public double trueRange(double previousClose) {
        return Math.max(high - low, Math.max(Math.abs(high - previousClose), Math.abs(low - previousClose)));
    }
}
