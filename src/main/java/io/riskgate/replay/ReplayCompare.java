package io.riskgate.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskgate.decision.Decision;
import io.riskgate.decision.PolicyRef;
import io.riskgate.facts.FiredRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Two policies replayed over the same history and signals, side by side (docs/replay.md): both summaries, and every
 * order whose outcome, rejection codes or quantity differ, with the rules that fired under one policy only.
 */
public final class ReplayCompare {

    private ReplayCompare() {
    }

    /** One order decided differently: the signal's time, symbol and side, each side's answer, the rules behind. */
    public record Difference(int order, Instant at, String symbol, String side, String outcomeA, List<String> codesA,
                            double quantityA, String outcomeB, List<String> codesB, double quantityB,
                            List<String> rulesOnlyA, List<String> rulesOnlyB) {
    }

    public record Comparison(PolicyRef a, PolicyRef b, ReplayOutput.Summary summaryA, ReplayOutput.Summary summaryB,
                             int orders, List<Difference> differences) {
    }

    /** Compares two replays of the same bars and signals (their decisions are in the same order). */
    public static Comparison of(Replay.Result a, Replay.Result b) {
        List<Difference> out = new ArrayList<>();
        int n = Math.min(a.decisions().size(), b.decisions().size());
        for (int i = 0; i < n; i++) {
            Decision x = a.decisions().get(i);
            Decision y = b.decisions().get(i);
            if (x.outcome() != y.outcome() || !x.codes().equals(y.codes())
                    || Math.abs(x.quantity() - y.quantity()) > 1e-12) {
                out.add(new Difference(i + 1, x.timestamp(), x.symbol(), x.side().name(), x.outcome().name(),
                        x.codes(), x.quantity(), y.outcome().name(), y.codes(), y.quantity(), only(x, y), only(y, x)));
            }
        }
        return new Comparison(a.policy(), b.policy(), ReplayOutput.summary(a), ReplayOutput.summary(b), n, out);
    }

    /** The rules (name and code) that fired on {@code x} and not on {@code y}. */
    private static List<String> only(Decision x, Decision y) {
        Set<String> theirs = new LinkedHashSet<>();
        y.firedRuleDetails().forEach(f -> theirs.add(label(f)));
        return x.firedRuleDetails().stream().map(ReplayCompare::label).filter(l -> !theirs.contains(l)).distinct()
                .toList();
    }

    private static String label(FiredRule f) {
        return f.name() + " (" + f.code() + ")";
    }

    /** Writes {@code compare.json} and {@code compare.html} into {@code dir}. */
    public static void write(Comparison c, Path dir, ObjectMapper json) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("compare.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(c)
                    + "\n");
            StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    + "<title>riskgate replay: two policies compared</title><style>body{font-family:system-ui,"
                    + "sans-serif;margin:2em;color:#1a1a1a}table{border-collapse:collapse;margin:1em 0}td,th{border:1px "
                    + "solid #ccc;padding:4px 8px;vertical-align:top}</style></head><body>\n<h1>Two policies on the "
                    + "same history</h1>\n<table aria-label=\"the two policies\"><tr><th></th><th>A: ")
                    .append(esc(c.a().id() + " " + c.a().version())).append("</th><th>B: ")
                    .append(esc(c.b().id() + " " + c.b().version())).append("</th></tr>");
            row(h, "sha256", c.a().sha256(), c.b().sha256());
            row(h, "approved", c.summaryA().approved() + " of " + c.summaryA().decisions(),
                    c.summaryB().approved() + " of " + c.summaryB().decisions());
            row(h, "closed trades", "" + c.summaryA().closedTrades(), "" + c.summaryB().closedTrades());
            row(h, "win rate", pct(c.summaryA().winRate()), pct(c.summaryB().winRate()));
            row(h, "net P&amp;L", money(c.summaryA().netPnl()), money(c.summaryB().netPnl()));
            row(h, "max drawdown", pct(c.summaryA().maxDrawdownPct()), pct(c.summaryB().maxDrawdownPct()));
            h.append("</table>\n<h2>").append(c.differences().size()).append(" of ").append(c.orders())
                    .append(" orders decided differently</h2>\n<table aria-label=\"orders decided differently\"><tr>")
                    .append("<th>#</th><th>time</th><th>order</th><th>A</th><th>B</th><th>rules only under A</th>")
                    .append("<th>rules only under B</th></tr>");
            for (Difference d : c.differences()) {
                h.append("<tr><td>").append(d.order()).append("</td><td>").append(d.at()).append("</td><td>")
                        .append(esc(d.symbol() + " " + d.side())).append("</td><td>").append(answer(d.outcomeA(),
                                d.codesA(), d.quantityA())).append("</td><td>").append(answer(d.outcomeB(), d.codesB(),
                                d.quantityB())).append("</td><td>").append(esc(String.join(", ", d.rulesOnlyA())))
                        .append("</td><td>").append(esc(String.join(", ", d.rulesOnlyB()))).append("</td></tr>");
            }
            h.append("</table>\n<p>Each policy's own report is in a/report.html and b/report.html.</p>\n</body></html>\n");
            Files.writeString(dir.resolve("compare.html"), h.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String answer(String outcome, List<String> codes, double quantity) {
        return esc(outcome) + (codes.isEmpty() ? "" : " " + esc(String.join(", ", codes))) + (quantity > 0
                ? " " + ReplayOutput.num(quantity) : "");
    }

    private static void row(StringBuilder h, String label, String a, String b) {
        h.append("<tr><th>").append(label).append("</th><td>").append(esc(a)).append("</td><td>").append(esc(b))
                .append("</td></tr>");
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String money(double v) {
        return String.format(Locale.ROOT, "%,.2f", v);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", v * 100);
    }
}
