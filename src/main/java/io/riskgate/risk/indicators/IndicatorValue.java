package io.riskgate.risk.indicators;

/**
 * The latest value of an indicator of the given period, and how many bars it was computed from.
 *
 * @param bars the input's length; the value rests on all of it (the smoothing never forgets the seed entirely)
 */
public record IndicatorValue(int period, int bars, double value) {
}
