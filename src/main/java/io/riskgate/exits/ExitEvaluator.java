package io.riskgate.exits;

import io.riskgate.base.Ids;
import io.riskgate.decision.PolicyRef;
import io.riskgate.facts.ExitFacts;
import io.riskgate.facts.FiredRule;
import io.riskgate.facts.Verdict;
import io.riskgate.market.Mark;
import io.riskgate.policy.Exits;
import io.riskgate.portfolio.ExitProgress;
import io.riskgate.portfolio.Trade;
import io.riskgate.portfolio.TradeState;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleEvaluator;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the exit rules for one trade on one mark and resolves what they proposed into instructions. No I/O: the
 * same trade and mark always give the same result, so a replay of history behaves like live trading.
 *
 * <p>Resolution, in this order:
 * <ol>
 *   <li>The new stop: the tightest proposed level that lies behind the best price. A stop only ever tightens; a
 *       percentage trail moves only by at least its step. A trail has begun once it has moved the stop.</li>
 *   <li>A full close wins over everything else. Within one bar the stop (the one in force before the bar) wins
 *       over the take-profit (the bar's order of prices is unknown; assuming the worse outcome is the safe side),
 *       and both win over the time exit.</li>
 *   <li>The take-profit no longer closes once a trail has begun, on an earlier bar or in this one when price
 *       passes the ATR trail's start before it reaches a farther target, unless
 *       {@code exits.take_profit_after_trailing} is true.</li>
 *   <li>Otherwise: a partial close (when its quantity is above zero once floored to 8 decimals), then the stop
 *       move.</li>
 *   <li>If the new stop is at or through the mark's price, the position is already past it: close at market.</li>
 * </ol>
 */
public final class ExitEvaluator {

    /** The trade after the mark, the instructions for the caller, and every rule that fired. */
    public record Outcome(Trade trade, List<ExitInstruction> instructions, List<FiredRule> fired) {
    }

    private ExitEvaluator() {
    }

    public static Outcome evaluate(CompiledPolicy policy, Trade trade, Mark mark, double tightening) {
        if (!trade.state().isLive()) {
            throw new IllegalArgumentException("trade " + trade.id() + " is " + trade.state() + ", not open");
        }
        double factor = Double.isFinite(tightening) && tightening > 1 ? tightening : 1;
        ExitProgress p = trade.progress();
        boolean isLong = trade.side().sign() > 0;
        double best = isLong ? Math.max(p.bestPrice(), mark.high()) : Math.min(p.bestPrice(), mark.low());
        double worst = isLong ? Math.min(p.worstPrice(), mark.low()) : Math.max(p.worstPrice(), mark.high());
        if (p.pendingExit() != null) {
            // a full close is outstanding: track the excursion, decide nothing new
            ExitProgress np = new ExitProgress(best, worst, mark.timestamp(), p.breakeven(), p.partial(),
                    p.trailing(), p.pendingExit());
            return new Outcome(trade.withExitState(trade.stopLoss(), trade.state(), np), List.of(), List.of());
        }
        ExitFacts facts = new ExitFacts(policy.policy().exits(), trade, mark, best, worst, factor);
        Verdict verdict = new Verdict();
        RuleEvaluator.fireOn(policy, facts, verdict);
        return resolve(policy, facts, best, worst, verdict.fired());
    }

    private static Outcome resolve(CompiledPolicy policy, ExitFacts f, double best, double worst,
                                   List<FiredRule> fired) {
        Exits exits = policy.policy().exits();
        Trade t = f.trade();
        ExitProgress p = t.progress();
        int sign = t.side().sign();
        PolicyRef ref = PolicyRef.of(policy);
        List<ExitFacts.Proposal> proposals = f.proposals();

        // 1. where the stop would go: the tightest proposal that can stand behind the best price
        double stop = t.stopLoss();
        ExitFacts.Proposal winner = null;
        String winnerReason = null;
        boolean breakeven = p.breakeven();
        ExitFacts.Proposal partialClose = null;
        for (ExitFacts.Proposal c : proposals) {
            if (c.kind() == ExitFacts.Proposal.Kind.PARTIAL) {
                partialClose = c;
            } else if (c.kind() != ExitFacts.Proposal.Kind.CLOSE) {
                double level = round8(c.kind() == ExitFacts.Proposal.Kind.PERCENT_TRAIL
                        ? best * (1 - sign * c.distancePct() / f.tightening()) : c.level());
                boolean behindBest = sign * (best - level) > 0;
                // breakeven is passed once its stop can stand (behind the best price); with a tiny R it waits
                breakeven |= c.state() == TradeState.BREAKEVEN && behindBest;
                boolean stepReached = c.kind() != ExitFacts.Proposal.Kind.PERCENT_TRAIL
                        || sign * (level - t.stopLoss()) >= c.stepPct() * t.entryPrice();
                if (behindBest && stepReached && sign * (level - stop) > 0) {
                    stop = level;
                    winner = c;
                    winnerReason = c.kind() == ExitFacts.Proposal.Kind.PERCENT_TRAIL
                            ? percentTrailReason(c, f, best, level) : c.reason();
                }
            }
        }
        // a trail has begun once it has moved the stop, on an earlier bar or this one
        boolean trailedNow = winner != null && isTrail(winner);
        boolean trailing = p.trailing() || trailedNow;

        // 2. a full close wins: the stop in force before this bar, then the target, then the time exit
        ExitFacts.Proposal close = null;
        for (TradeState exit : List.of(TradeState.CLOSED_SL, TradeState.CLOSED_TP, TradeState.CLOSED_TIME)) {
            if (exit == TradeState.CLOSED_TP && !exits.takeProfitAfterTrailing()
                    && (p.trailing() || (trailedNow && atrTrailStartsBeforeTarget(winner, t, exits)))) {
                continue; // the remainder runs on the trail
            }
            for (ExitFacts.Proposal c : proposals) {
                if (close == null && c.kind() == ExitFacts.Proposal.Kind.CLOSE && c.state() == exit) {
                    close = c;
                }
            }
        }
        if (close != null) {
            ExitProgress np = new ExitProgress(best, worst, f.mark().timestamp(), p.breakeven(), p.partial(),
                    p.trailing(), close.state());
            Trade after = t.withExitState(t.stopLoss(), t.state(), np);
            return new Outcome(after, List.of(instruction(after, ExitAction.CLOSE, t.openQuantity(), close.level(),
                    close.reason(), close.rule(), close.code(), f, ref, fired)), fired);
        }

        // 3. a partial close, then the stop move
        double open = t.openQuantity();
        double partialQty = partialClose == null ? 0 : floor8(exits.partialFraction() * open);
        boolean partialNow = partialQty > 0 && partialQty < open;
        boolean partial = p.partial() || partialNow;
        TradeState state = trailing ? TradeState.TRAILING : partial ? TradeState.PARTIAL_TP
                : breakeven ? TradeState.BREAKEVEN : TradeState.OPEN;
        List<ExitInstruction> out = new ArrayList<>(2);
        if (winner != null && sign * (f.getPrice() - stop) <= 0) {
            // the new stop is already at or through the market: a resting stop there would trigger at once
            ExitProgress np = new ExitProgress(best, worst, f.mark().timestamp(), breakeven, p.partial(), trailing,
                    TradeState.CLOSED_SL);
            Trade after = t.withExitState(stop, state, np);
            out.add(instruction(after, ExitAction.CLOSE, open, f.getPrice(), winnerReason
                    + "; the price " + ExitFacts.fmt(f.getPrice()) + " is already at or through it: close at market",
                    winner.rule(), winner.code(), f, ref, fired));
            return new Outcome(after, out, fired);
        }
        ExitProgress np = new ExitProgress(best, worst, f.mark().timestamp(), breakeven, partial, trailing, null);
        Trade after = t.withExitState(stop, state, np);
        if (partialNow) {
            out.add(instruction(after, ExitAction.CLOSE_PARTIAL, partialQty, partialClose.level(), partialClose.reason(),
                    partialClose.rule(), partialClose.code(), f, ref, fired));
            open = BigDecimal.valueOf(open).subtract(BigDecimal.valueOf(partialQty)).doubleValue();
        }
        if (winner != null) {
            out.add(instruction(after, ExitAction.MOVE_STOP, open, null, winnerReason, winner.rule(), winner.code(), f,
                    ref, fired));
        }
        return new Outcome(after, out, fired);
    }

    /**
     * Within one bar, price passes the ATR trail's start (+{@code start_r} R) before a target lying beyond it: the
     * trail begins first and the target no longer closes. A target nearer than the start is reached first and
     * closes. A percentage trail first reached in the same bar as the target never supersedes it (its activation
     * is a table row, not a level known here): the target closes, the conservative reading.
     */
    private static boolean atrTrailStartsBeforeTarget(ExitFacts.Proposal winner, Trade t, Exits exits) {
        if (winner.kind() != ExitFacts.Proposal.Kind.MOVE) {
            return false;
        }
        int sign = t.side().sign();
        double start = t.entryPrice() + sign * exits.trailingStartR() * t.riskPerUnit();
        return sign * (t.takeProfit() - start) > 0;
    }

    private static boolean isTrail(ExitFacts.Proposal c) {
        return c.kind() == ExitFacts.Proposal.Kind.PERCENT_TRAIL
                || (c.kind() == ExitFacts.Proposal.Kind.MOVE && c.state() == TradeState.TRAILING);
    }

    private static String percentTrailReason(ExitFacts.Proposal c, ExitFacts f, double best, double level) {
        return "trailing " + ExitFacts.fmt(c.distancePct() * 100) + "%"
                + (f.tightening() > 1 ? " tightened " + ExitFacts.fmt(f.tightening()) + "x" : "")
                + " behind the best price " + ExitFacts.fmt(best) + " (strategy " + f.getStrategy() + ", step "
                + ExitFacts.fmt(c.stepPct() * 100) + "% of entry): stop " + ExitFacts.fmt(level);
    }

    private static ExitInstruction instruction(Trade after, ExitAction action, double quantity, Double price,
                                               String reason, String rule, String code, ExitFacts f, PolicyRef ref,
                                               List<FiredRule> fired) {
        return new ExitInstruction(Ids.next(), after.id(), after.account(), after.symbol(), action,
                quantity, after.stopLoss(), price, reason, rule, code, after.state(), f.mark().timestamp(), ref,
                fired);
    }

    /** Price levels are rounded to 8 decimals: 49,747.49999999999 from binary arithmetic is 49,747.5. */
    static double round8(double v) {
        return BigDecimal.valueOf(v).setScale(8, RoundingMode.HALF_EVEN).doubleValue();
    }

    /** Quantities are floored to 8 decimals, as the sizer does: never close more than the fraction. */
    static double floor8(double v) {
        return BigDecimal.valueOf(v).setScale(8, RoundingMode.FLOOR).doubleValue();
    }
}
