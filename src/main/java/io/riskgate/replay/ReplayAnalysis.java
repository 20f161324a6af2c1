package io.riskgate.replay;

import io.riskgate.decision.Decision;
import io.riskgate.facts.Adjustment;
import io.riskgate.portfolio.Trade;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Seed 004's effectiveness view of a replay, and its rolling figures.
 *
 * <p>For each risk multiplier (the governor's losing streak, recovery, weekly target, and the dynamic drawdown table,
 * win rate and volatility factors): from when to when it was applied to approved orders, the trades it sized, their
 * P&L, and what the same trades would have made at the unadjusted size: P&L / factor where the risk budget set the
 * size, the same P&L where a cap did (the factor changed nothing there). Rolling over the latest {@link #WINDOW} closed trades:
 * the win rate and a Sharpe ratio of their returns on equity (mean / standard deviation, per trade, not annualised).
 */
public final class ReplayAnalysis {

    /** Closed trades in a rolling window. */
    public static final int WINDOW = 20;

    private ReplayAnalysis() {
    }

    /** One multiplier's effect: trades it sized, their P&L, and the P&L at the unadjusted size. */
    public record Multiplier(String code, Instant from, Instant to, double factorMin, double factorMax, int orders,
                             int trades, double pnl, double unadjustedPnl) {
        /** What the multiplier saved (positive) or cost (negative): the actual P&L less the unadjusted. */
        public double difference() {
            return pnl - unadjustedPnl;
        }
    }

    /** A rolling figure after a closed trade. */
    public record Rolling(Instant at, double winRate, double sharpe) {
    }

    public static List<Multiplier> multipliers(Replay.Result r) {
        Map<String, Trade> byDecision = new HashMap<>();
        r.trades().forEach(t -> byDecision.put(t.decisionId(), t));
        Map<String, double[]> acc = new TreeMap<>(); // orders, trades, pnl, unadjusted, min, max
        Map<String, Instant[]> when = new HashMap<>();
        for (Decision d : r.decisions()) {
            if (!d.approved()) {
                continue;
            }
            for (Adjustment a : d.adjustments()) {
                if (!Adjustment.GOVERNOR.equals(a.group()) && !Adjustment.DYNAMIC.equals(a.group())) {
                    continue;
                }
                double[] x = acc.computeIfAbsent(a.code(), k -> new double[] {0, 0, 0, 0, Double.MAX_VALUE, 0});
                Instant[] w = when.computeIfAbsent(a.code(), k -> new Instant[] {d.timestamp(), d.timestamp()});
                w[1] = d.timestamp();
                x[0]++;
                x[4] = Math.min(x[4], a.factor());
                x[5] = Math.max(x[5], a.factor());
                Trade t = byDecision.get(d.decisionId());
                if (t != null && t.realizedPnl() != null && a.factor() > 0) {
                    x[1]++;
                    x[2] += t.realizedPnl();
                    // where the risk budget set the size the factor scaled it; where a cap did, it changed nothing
                    boolean scaled = d.sizing() != null && d.sizing().bindingCap().equals("RISK");
                    x[3] += scaled ? t.realizedPnl() / a.factor() : t.realizedPnl();
                }
            }
        }
        List<Multiplier> out = new ArrayList<>();
        acc.forEach((code, x) -> out.add(new Multiplier(code, when.get(code)[0], when.get(code)[1], x[4], x[5],
                (int) x[0], (int) x[1], x[2], x[3])));
        return out;
    }

    /** The win rate and Sharpe ratio over the latest {@link #WINDOW} closed trades, after each close. */
    public static List<Rolling> rolling(Replay.Result r) {
        Map<String, Double> equityAtEntry = new LinkedHashMap<>();
        for (Decision d : r.decisions()) {
            equityAtEntry.put(d.decisionId(), d.equity() == null ? r.settings().equity() : d.equity());
        }
        List<Trade> closed = r.trades().stream().filter(t -> t.state().isClosed() && t.realizedPnl() != null)
                .sorted(Comparator.comparing(Trade::closedAt)).toList();
        List<Rolling> out = new ArrayList<>();
        for (int i = WINDOW - 1; i < closed.size(); i++) {
            List<Trade> w = closed.subList(i - WINDOW + 1, i + 1);
            double[] ret = w.stream().mapToDouble(t -> t.realizedPnl()
                    / equityAtEntry.getOrDefault(t.decisionId(), r.settings().equity())).toArray();
            double mean = java.util.Arrays.stream(ret).average().orElse(0);
            double sd = Math.sqrt(java.util.Arrays.stream(ret).map(v -> (v - mean) * (v - mean)).sum()
                    / (ret.length - 1));
            long wins = w.stream().filter(t -> t.realizedPnl() > 0).count();
            out.add(new Rolling(closed.get(i).closedAt(), (double) wins / WINDOW, sd > 0 ? mean / sd : 0));
        }
        return out;
    }
}
