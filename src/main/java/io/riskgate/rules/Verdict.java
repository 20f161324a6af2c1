package io.riskgate.rules;

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
        if (!Double.isFinite(factor) || factor < 0) {
            throw new IllegalArgumentException("rule '" + ctx.getRule().getName()
                    + "' produced an invalid factor " + factor);
        }
        Rule r = ctx.getRule();
        adjustments.add(new Adjustment(r.getName(), code(r), factor, reason));
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

    void fired(Rule r) {
        Map<String, Object> meta = r.getMetaData();
        fired.add(new FiredRule(r.getName(), code(r), String.valueOf(meta.getOrDefault("category", ""))));
    }

    static String code(Rule r) {
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

    /** Product of every adjustment's factor; 1.0 when none fired. */
    public double riskMultiplier() {
        double m = 1.0;
        for (Adjustment a : adjustments) {
            m *= a.factor();
        }
        return m;
    }
}
