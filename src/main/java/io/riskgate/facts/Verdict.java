package io.riskgate.facts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.rule.RuleContext;

/**
 * What the rules of one decision said. Rules call it through their fact ({@code $o.reject(kcontext, "...")});
 * the code and category come from the firing rule's metadata, so a rule's code lives in exactly one place.
 * One instance per decision: never shared between threads.
 */
public final class Verdict {

    private final List<Rejection> rejections = new ArrayList<>(4);
    private final List<Adjustment> adjustments = new ArrayList<>(4);
    private final List<FiredRule> fired = new ArrayList<>(8);
    private final List<StrategyLimits> strategyLimits = new ArrayList<>(1);

    public void reject(RuleContext ctx, String message) {
        Rule r = ctx.getRule();
        rejections.add(new Rejection(code(r), r.getName(), message));
    }

    public void adjust(RuleContext ctx, double factor, String reason) {
        Rule r = ctx.getRule();
        add(new Adjustment(r.getName(), code(r), factor, reason, null));
    }

    /** A protective or dynamic factor, applied after the risk clamp (see {@link Adjustment#group()}). */
    public void adjust(RuleContext ctx, double factor, String reason, String group) {
        Rule r = ctx.getRule();
        add(new Adjustment(r.getName(), code(r), factor, reason, group));
    }

    /** An adjustment decided elsewhere (the governor's standing multipliers), applied as it is. */
    public void add(Adjustment a) {
        if (!Double.isFinite(a.factor()) || a.factor() < 0) {
            throw new IllegalArgumentException("rule '" + a.rule() + "' produced an invalid factor " + a.factor());
        }
        adjustments.add(a);
    }

    /** A rejection with a code other than the firing rule's: a breaker's code, reported by the rule that saw it. */
    public void rejectAs(RuleContext ctx, String code, String message) {
        rejections.add(new Rejection(code, ctx.getRule().getName(), message));
    }

    /** A per-strategy table row: the strategy's max position as a fraction of equity. */
    public void limitStrategy(RuleContext ctx, double maxPositionPct) {
        strategyLimits.add(new StrategyLimits(ctx.getRule().getName(), maxPositionPct, Double.NaN));
    }

    /** The same row's leverage limit; a row that leaves it blank keeps the policy's max leverage. */
    public void limitStrategyLeverage(RuleContext ctx, double maxLeverage) {
        String rule = ctx.getRule().getName();
        for (int i = strategyLimits.size() - 1; i >= 0; i--) {
            StrategyLimits l = strategyLimits.get(i);
            if (l.rule().equals(rule)) {
                strategyLimits.set(i, new StrategyLimits(rule, l.maxPositionPct(), maxLeverage));
                return;
            }
        }
        strategyLimits.add(new StrategyLimits(rule, Double.NaN, maxLeverage));
    }

    public void fired(Rule r) {
        Map<String, Object> meta = r.getMetaData();
        fired.add(new FiredRule(r.getName(), code(r), String.valueOf(meta.getOrDefault("category", ""))));
    }

    /** A rule's {@code @code} metadata, else its name (the compiler refuses rules without one). */
    public static String code(Rule r) {
        Object c = r.getMetaData().get("code");
        return c == null ? r.getName() : String.valueOf(c);
    }

    public List<Rejection> rejections() {
        return Collections.unmodifiableList(rejections);
    }

    public List<Adjustment> adjustments() {
        return Collections.unmodifiableList(adjustments);
    }

    public List<FiredRule> fired() {
        return Collections.unmodifiableList(fired);
    }

    /** Limits set by the per-strategy table; more than one row matching is a table error the engine refuses. */
    public List<StrategyLimits> strategyLimits() {
        return Collections.unmodifiableList(strategyLimits);
    }

    /** Product of the signal-quality factors (no group); 1.0 when none fired. */
    public double riskMultiplier() {
        double m = 1.0;
        for (Adjustment a : adjustments) {
            if (a.group() == null) {
                m *= a.factor();
            }
        }
        return m;
    }

    /**
     * The protective multiplier: the product of the governor's factors, times the dynamic factors combined as the
     * policy says (seed 004: the most restrictive, i.e. the lowest, wins; or their product). 1.0 when none fired.
     */
    public double protectiveMultiplier(io.riskgate.policy.Governor.Combine dynamicCombine) {
        double governor = 1.0;
        Double dynamic = null;
        for (Adjustment a : adjustments) {
            if (Adjustment.GOVERNOR.equals(a.group())) {
                governor *= a.factor();
            } else if (Adjustment.DYNAMIC.equals(a.group())) {
                dynamic = dynamic == null ? a.factor()
                        : dynamicCombine == io.riskgate.policy.Governor.Combine.PRODUCT ? dynamic * a.factor()
                        : Math.min(dynamic, a.factor());
            }
        }
        return governor * (dynamic == null ? 1.0 : dynamic);
    }
}
