package io.riskgate.facts;

/**
 * A multiplier a rule applied to the risk per trade, with the rule's code and its reason.
 *
 * @param group null for the signal-quality factors (confidence bands), which the policy's min/max risk clamp;
 *        {@link #GOVERNOR} for the account's protective factors (losing streak, recovery, weekly target) and
 *        {@link #DYNAMIC} for seed 004's dynamic factors (drawdown table, win rate, volatility), applied after the
 *        clamp so a protective reduction is never undone by the minimum risk
 */
public record Adjustment(String rule, String code, double factor, String reason, String group) {

    public static final String GOVERNOR = "governor";
    public static final String DYNAMIC = "dynamic";
    /**
     * A budget's report (controls.daily_risk_budget): what it used and left. It multiplies nothing: the budget
     * bounds the size as a cap.
     */
    public static final String BUDGET = "budget";

    /** A signal-quality factor (no group). */
    public Adjustment(String rule, String code, double factor, String reason) {
        this(rule, code, factor, reason, null);
    }
}
