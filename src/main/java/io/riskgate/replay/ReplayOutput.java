package io.riskgate.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskgate.decision.Decision;
import io.riskgate.facts.Rejection;
import io.riskgate.portfolio.Trade;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A replay's files (docs/replay.md): {@code decisions.jsonl} (each decision as {@code POST /api/v1/checks} answers
 * it), {@code trades.csv}, {@code equity.csv} and {@code summary.json}, plus {@code report.html}. The ids riskgate
 * gave the records are time-ordered and random; here they are numbered in the order they were made ({@code d-000001},
 * {@code t-000001}), so the same inputs give byte-identical files.
 */
public final class ReplayOutput {

    private ReplayOutput() {
    }

    /** The summary figures of a replay. */
    public record Summary(Object policy, ReplaySettings settings, long bars, long signals, int decisions,
                          int approved, Map<String, Integer> rejectionsByCode, int trades, int closedTrades,
                          double winRate, double expectancyR, double netPnl, double fees, double finalEquity,
                          double maxDrawdownPct, List<ReplayAnalysis.Multiplier> multipliers,
                          ReplayAnalysis.Rolling lastRolling, List<String> notes) {
    }

    /** The summary of {@code r}. */
    public static Summary summary(Replay.Result r) {
        int approved = 0;
        Map<String, Integer> codes = new TreeMap<>();
        for (Decision d : r.decisions()) {
            approved += d.approved() ? 1 : 0;
            for (Rejection x : d.rejections()) {
                codes.merge(x.code(), 1, Integer::sum);
            }
        }
        int closed = 0;
        int wins = 0;
        double rSum = 0;
        for (Trade t : r.trades()) {
            if (t.state().isClosed()) {
                closed++;
                wins += t.realizedPnl() != null && t.realizedPnl() > 0 ? 1 : 0;
                rSum += t.realizedR() == null ? 0 : t.realizedR();
            }
        }
        double start = r.settings().equity();
        double end = r.equity().isEmpty() ? start : r.equity().get(r.equity().size() - 1).equity();
        List<ReplayAnalysis.Rolling> rolling = ReplayAnalysis.rolling(r);
        return new Summary(r.policy(), r.settings(), r.bars(), r.signals(), r.decisions().size(), approved, codes,
                r.trades().size(), closed, closed == 0 ? 0 : (double) wins / closed, closed == 0 ? 0 : rSum / closed,
                end - start, r.fees(), end, maxDrawdown(r.equity(), start), ReplayAnalysis.multipliers(r),
                rolling.isEmpty() ? null : rolling.get(rolling.size() - 1), r.notes());
    }

    /** The deepest fall of the equity from its running peak, as a fraction of the peak. */
    static double maxDrawdown(List<Replay.EquityPoint> curve, double start) {
        double peak = start;
        double worst = 0;
        for (Replay.EquityPoint p : curve) {
            peak = Math.max(peak, p.equity());
            worst = Math.max(worst, (peak - p.equity()) / peak);
        }
        return worst;
    }

    /** Writes every file of {@code r} into {@code dir} (created if needed). */
    public static void write(Replay.Result r, Path dir, ObjectMapper json) {
        try {
            Files.createDirectories(dir);
            Map<String, String> ids = new HashMap<>();
            int[] n = new int[2];
            for (Decision d : r.decisions()) {
                ids.put(d.decisionId(), String.format(Locale.ROOT, "d-%06d", ++n[0]));
            }
            for (Trade t : r.trades()) {
                ids.put(t.id(), String.format(Locale.ROOT, "t-%06d", ++n[1]));
            }
            java.util.function.UnaryOperator<String> renumbered = text -> renumber(text, ids);
            try (Writer w = Files.newBufferedWriter(dir.resolve("decisions.jsonl"), StandardCharsets.UTF_8)) {
                for (Decision d : r.decisions()) {
                    // every id riskgate made, wherever it appears (a cooldown's message names the trade)
                    w.write(renumbered.apply(json.writeValueAsString(d)));
                    w.write('\n');
                }
            }
            try (Writer w = Files.newBufferedWriter(dir.resolve("trades.csv"), StandardCharsets.UTF_8)) {
                w.write("trade,decision,symbol,side,strategy,opened_at,entry,initial_stop,quantity,closed_at,exit,"
                        + "state,realized_pnl,r_multiple\n");
                for (Trade t : r.trades()) {
                    w.write(String.join(",", ids.get(t.id()), ids.getOrDefault(t.decisionId(), t.decisionId()),
                            t.symbol(), t.side().name(), t.strategy() == null ? "" : t.strategy(),
                            t.openedAt().toString(), num(t.entryPrice()), num(t.initialStop()), num(t.quantity()),
                            t.closedAt() == null ? "" : t.closedAt().toString(),
                            t.exitPrice() == null ? "" : num(t.exitPrice()), t.state().name(),
                            t.realizedPnl() == null ? "" : num(t.realizedPnl()),
                            t.realizedR() == null ? "" : num(t.realizedR())));
                    w.write('\n');
                }
            }
            try (Writer w = Files.newBufferedWriter(dir.resolve("equity.csv"), StandardCharsets.UTF_8)) {
                w.write("time,equity,drawdown\n");
                double peak = r.settings().equity();
                for (Replay.EquityPoint p : r.equity()) {
                    peak = Math.max(peak, p.equity());
                    w.write(p.at() + "," + num(p.equity()) + "," + num((peak - p.equity()) / peak) + "\n");
                }
            }
            Summary raw = summary(r);
            Summary summary = new Summary(raw.policy(), raw.settings(), raw.bars(), raw.signals(), raw.decisions(),
                    raw.approved(), raw.rejectionsByCode(), raw.trades(), raw.closedTrades(), raw.winRate(),
                    raw.expectancyR(), raw.netPnl(), raw.fees(), raw.finalEquity(), raw.maxDrawdownPct(),
                    raw.multipliers(), raw.lastRolling(), raw.notes().stream().map(renumbered).toList());
            Files.writeString(dir.resolve("summary.json"), json.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(summary) + "\n");
            Files.writeString(dir.resolve("report.html"), ReplayReport.html(r, summary));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final java.util.regex.Pattern UUID = java.util.regex.Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** {@code text} with each id of {@code ids} replaced by its number. */
    static String renumber(String text, Map<String, String> ids) {
        return UUID.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                ids.getOrDefault(m.group(), m.group())));
    }

    /** A number as plain decimal text, the same on every machine. */
    static String num(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** The trades of {@code r} by strategy and symbol: the rows of the report's table. */
    static Map<String, List<Trade>> byStrategyAndSymbol(Replay.Result r) {
        Map<String, List<Trade>> out = new LinkedHashMap<>();
        for (Trade t : r.trades()) {
            out.computeIfAbsent((t.strategy() == null ? "(none)" : t.strategy()) + " / " + t.symbol(),
                    k -> new java.util.ArrayList<>()).add(t);
        }
        return out;
    }
}
