package io.riskgate.sizing;

/** Where a notional cap on a new position comes from; the portfolio rules read each headroom by its name. */
public enum CapName {
    /** The policy's largest position, in account currency. */
    MAX_POSITION_USD,
    /** Leverage: max_leverage x equity. */
    MAX_LEVERAGE,
    /** The strategy's own leverage limit x equity. */
    STRATEGY_MAX_LEVERAGE,
    /** Total exposure headroom: max_exposure_pct x equity minus what is open and reserved. */
    MAX_EXPOSURE,
    /** The asset's headroom: max_asset_concentration_pct x equity minus the asset's exposure. */
    ASSET_CONCENTRATION,
    /** The strategy's headroom: its max position pct x equity minus the strategy's exposure. */
    STRATEGY_MAX_POSITION,
    /** A fraction sizer's position may not risk more than max_risk_pct of equity at its stop. */
    MAX_RISK,
    /** The largest order in the symbol's base unit (controls.order_size.max_quantity) x the entry. */
    ORDER_MAX_QUANTITY,
    /** The largest order in account currency (controls.order_size.max_notional). */
    ORDER_MAX_NOTIONAL,
    /** The firm's gross exposure headroom (controls.firm.max_gross_exposure minus every account's exposure). */
    FIRM_GROSS_EXPOSURE,
    /** The account's daily risk budget left (controls.daily_risk_budget.max_pct x equity minus today's risk). */
    DAILY_RISK_BUDGET,
    /** The firm's daily risk left (controls.firm.max_daily_risk minus every account's risk opened today). */
    FIRM_DAILY_RISK
}
