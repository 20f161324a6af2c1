package io.riskgate.exits;

import io.riskgate.facts.ExitFacts;
import io.riskgate.facts.Verdict;
import io.riskgate.market.Mark;
import io.riskgate.policy.Side;
import io.riskgate.portfolio.Trade;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleEvaluator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs a policy's exit rules over sample trades before the policy is activated, so a rule that throws, or a
 * trailing table with two rows for one strategy, is refused at load instead of met on a live mark. Samples: a long
 * and a short at seed 001's numbers (entry 50,000, ATR 1,500, 1R = 2,250), for every declared strategy and for
 * none, marked flat, at +1R, at +2R, far in profit, through the stop, and 48 hours later.
 */
public final class ExitProbe {

    private ExitProbe() {
    }

    /** Problems found, each a sentence; empty when the exit rules behave. */
    public static List<String> problems(CompiledPolicy policy) {
        Set<String> out = new LinkedHashSet<>();
        List<String> strategies = new ArrayList<>(policy.policy().strategies().keySet());
        strategies.add(null);
        for (String strategy : strategies) {
            for (Side side : Side.values()) {
                int s = side.sign();
                Trade t = Trade.opened("probe", "probe", "probe", "PROBEUSDT", "PROBE", strategy, side, 1, 50_000,
                        50_000 - s * 2_250, 50_000 + s * 5_625, 1_500.0, Instant.EPOCH);
                for (double move : new double[] {0, 2_250, 4_500, 40_000, -3_000}) {
                    double price = Math.max(1, 50_000 + s * move);
                    for (Instant at : List.of(Instant.EPOCH.plusSeconds(60), Instant.EPOCH.plus(Duration.ofHours(48)))) {
                        Mark m = Mark.at("PROBEUSDT", price, at);
                        try {
                            ExitEvaluator.evaluate(policy, t, m, 1.0);
                            if (move == 40_000) {
                                countTrails(policy, t, m, strategy, out);
                            }
                        } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
                            out.add("an exit rule fails on a " + side + " trade" + (strategy == null ? ""
                                    : " of strategy " + strategy) + " marked at " + price + ": " + root(e));
                        }
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    private static void countTrails(CompiledPolicy policy, Trade t, Mark m, String strategy, Set<String> out) {
        ExitFacts f = new ExitFacts(policy.policy().exits(), t, m, m.price(), t.entryPrice(), 1.0);
        RuleEvaluator.fireOn(policy, f, new Verdict());
        List<String> rows = f.proposals().stream().filter(p -> p.kind() == ExitFacts.Proposal.Kind.PERCENT_TRAIL)
                .map(p -> p.rule()).toList();
        if (strategy == null && !rows.isEmpty()) {
            out.add("a percentage trailing row matches trades that name no strategy (" + rows + "): every row must "
                    + "name one");
        } else if (rows.size() > 1) {
            out.add(rows.size() + " rows of the trailing table match strategy '" + strategy + "' (" + rows
                    + "): keep exactly one");
        }
    }

    private static String root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
