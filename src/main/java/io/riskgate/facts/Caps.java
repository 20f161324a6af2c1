package io.riskgate.facts;

/** Names of the notional caps the engine passes to the sizer; the portfolio rules read headroom by these names. */
public final class Caps {
    public static final String MAX_POSITION_USD = "MAX_POSITION_USD";
    public static final String MAX_LEVERAGE = "MAX_LEVERAGE";
    public static final String STRATEGY_MAX_LEVERAGE = "STRATEGY_MAX_LEVERAGE";
    public static final String MAX_EXPOSURE = "MAX_EXPOSURE";
    public static final String ASSET_CONCENTRATION = "ASSET_CONCENTRATION";
    public static final String STRATEGY_MAX_POSITION = "STRATEGY_MAX_POSITION";

    private Caps() {
    }
}
