package io.riskgate.sizing;

/**
 * An upper bound on a new position's notional, in account currency, and where it comes from
 * ({@code MAX_POSITION_USD}, {@code MAX_LEVERAGE}, {@code MAX_EXPOSURE}, ...). A negative headroom is kept as is:
 * it tells the audit how far over the limit the account already was.
 */
public record Cap(CapName name, double notional) {
}
