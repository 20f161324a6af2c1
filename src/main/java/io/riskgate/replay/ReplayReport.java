package io.riskgate.replay;

import io.riskgate.governor.BreakerChange;
import io.riskgate.portfolio.Trade;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A replay's report: one HTML file that opens with no network — its charts are SVG drawn here, its styles inline —
 * for a risk officer: the policy replayed, the equity curve and drawdown, breaker trips on the timeline, rejections
 * per rule code, the R-multiple histogram, and a table per strategy and symbol (docs/replay.md).
 */
final class ReplayReport {

    private static final int W = 900;
    private static final int H = 220;

    private ReplayReport() {
    }

    static String html(Replay.Result r, ReplayOutput.Summary s) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>riskgate replay: ").append(esc(r.policy().id())).append(' ')
                .append(esc(r.policy().version())).append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;max-width:960px;color:#1a1a1a}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;")
                .append("text-align:right}th:first-child,td:first-child{text-align:left}")
                .append("svg{border:1px solid #ddd;background:#fafafa}.mono{font-family:monospace}")
                .append("</style></head><body>\n");
        h.append("<h1>Replay of policy ").append(esc(r.policy().id())).append(" version ")
                .append(esc(r.policy().version())).append("</h1>\n");
        h.append("<p>sha256 <span class=\"mono\">").append(esc(r.policy().sha256())).append("</span></p>\n");
        ReplaySettings st = r.settings();
        h.append("<p>").append(s.bars()).append(" bars and ").append(s.signals()).append(" signals; starting equity ")
                .append(money(st.equity())).append(", fills at ")
                .append(st.fill() == ReplaySettings.Fill.CLOSE ? "the signal bar's close" : "the next bar's open")
                .append(", slippage ").append(ReplayOutput.num(st.slippageBps())).append(" bps, fee ")
                .append(ReplayOutput.num(st.feeBps())).append(" bps, spread ")
                .append(ReplayOutput.num(st.spreadBps())).append(" bps.</p>\n");
        h.append("<table aria-label=\"summary\"><tr><th>decisions</th><th>approved</th><th>trades</th>")
                .append("<th>closed</th><th>win rate</th><th>expectancy (R)</th><th>net P&amp;L</th><th>fees</th>")
                .append("<th>final equity</th><th>max drawdown</th></tr><tr><td>").append(s.decisions())
                .append("</td><td>").append(s.approved()).append("</td><td>").append(s.trades()).append("</td><td>")
                .append(s.closedTrades()).append("</td><td>").append(pct(s.winRate())).append("</td><td>")
                .append(fixed(s.expectancyR(), 2)).append("</td><td>").append(money(s.netPnl())).append("</td><td>")
                .append(money(s.fees())).append("</td><td>").append(money(s.finalEquity())).append("</td><td>")
                .append(pct(s.maxDrawdownPct())).append("</td></tr></table>\n");

        h.append("<h2>Equity and drawdown</h2>\n").append(equityChart(r));
        h.append("<h2>Breaker trips</h2>\n");
        if (r.breakers().isEmpty()) {
            h.append("<p>No breaker tripped.</p>\n");
        } else {
            h.append("<table aria-label=\"breaker changes\"><tr><th>time</th><th>action</th><th>code</th>")
                    .append("<th>state</th><th>reason</th></tr>");
            for (BreakerChange b : r.breakers()) {
                h.append("<tr><td>").append(b.at()).append("</td><td>").append(esc(b.action())).append("</td><td>")
                        .append(esc(b.code())).append("</td><td>").append(b.state()).append("</td><td>")
                        .append(esc(b.reason())).append("</td></tr>");
            }
            h.append("</table>\n");
        }
        h.append("<h2>Rejections per rule code</h2>\n").append(bars(s.rejectionsByCode(), "rejections"));
        h.append("<h2>R-multiples of closed trades</h2>\n").append(histogram(r.trades()));
        h.append("<h2>Risk multipliers: what they did</h2>\n");
        if (s.multipliers().isEmpty()) {
            h.append("<p>No risk multiplier sized an approved order.</p>\n");
        } else {
            h.append("<table aria-label=\"risk multipliers\"><tr><th>multiplier</th><th>in force</th>")
                    .append("<th>factor</th><th>orders</th><th>closed trades</th><th>P&amp;L</th>")
                    .append("<th>P&amp;L unadjusted</th><th>difference</th></tr>");
            for (ReplayAnalysis.Multiplier m : s.multipliers()) {
                h.append("<tr><td>").append(esc(m.code())).append("</td><td>").append(m.from()).append(" to ")
                        .append(m.to()).append("</td><td>").append(fixed(m.factorMin(), 2))
                        .append(m.factorMax() != m.factorMin() ? " to " + fixed(m.factorMax(), 2) : "")
                        .append("</td><td>").append(m.orders()).append("</td><td>").append(m.trades())
                        .append("</td><td>").append(money(m.pnl())).append("</td><td>")
                        .append(money(m.unadjustedPnl())).append("</td><td>").append(money(m.difference()))
                        .append("</td></tr>");
            }
            h.append("</table>\n<p>Unadjusted: each trade's P&amp;L divided by the factor where the risk budget set "
                    + "its size (a cap's size is the same without the factor). Difference: the P&amp;L less the "
                    + "unadjusted; positive is what the multiplier saved, negative what it cost.</p>\n");
        }
        h.append("<h2>Rolling win rate and Sharpe ratio</h2>\n").append(rolling(ReplayAnalysis.rolling(r)));
        h.append("<h2>By strategy and symbol</h2>\n<table aria-label=\"by strategy and symbol\"><tr>")
                .append("<th>strategy / symbol</th><th>trades</th><th>win rate</th><th>expectancy (R)</th>")
                .append("<th>P&amp;L</th><th>max drawdown</th></tr>");
        for (Map.Entry<String, List<Trade>> e : ReplayOutput.byStrategyAndSymbol(r).entrySet()) {
            List<Trade> closed = e.getValue().stream().filter(t -> t.state().isClosed()).toList();
            long wins = closed.stream().filter(t -> t.realizedPnl() != null && t.realizedPnl() > 0).count();
            double rSum = closed.stream().mapToDouble(t -> t.realizedR() == null ? 0 : t.realizedR()).sum();
            double pnl = closed.stream().mapToDouble(t -> t.realizedPnl() == null ? 0 : t.realizedPnl()).sum();
            h.append("<tr><td>").append(esc(e.getKey())).append("</td><td>").append(e.getValue().size())
                    .append("</td><td>").append(closed.isEmpty() ? "-" : pct((double) wins / closed.size()))
                    .append("</td><td>").append(closed.isEmpty() ? "-" : fixed(rSum / closed.size(), 2))
                    .append("</td><td>").append(money(pnl)).append("</td><td>").append(money(drawdown(closed)))
                    .append("</td></tr>");
        }
        h.append("</table>\n");
        if (!s.notes().isEmpty()) {
            h.append("<h2>Notes</h2>\n<ul>");
            s.notes().stream().limit(100).forEach(n -> h.append("<li>").append(esc(n)).append("</li>"));
            h.append("</ul>\n");
        }
        h.append("<p>Decisions, trades and the equity curve are in decisions.jsonl, trades.csv and equity.csv beside ")
                .append("this file.</p>\n</body></html>\n");
        return h.toString();
    }

    /** The deepest fall of the trades' cumulative realized P&L from its running peak (0 to start), in currency. */
    static double drawdown(List<Trade> closed) {
        double sum = 0;
        double peak = 0;
        double worst = 0;
        for (Trade t : closed.stream().sorted(java.util.Comparator.comparing(Trade::closedAt)).toList()) {
            sum += t.realizedPnl() == null ? 0 : t.realizedPnl();
            peak = Math.max(peak, sum);
            worst = Math.max(worst, peak - sum);
        }
        return worst;
    }

    /** Equity as a line over time, drawdown as a red area under the top axis. */
    private static String equityChart(Replay.Result r) {
        List<Replay.EquityPoint> c = r.equity();
        if (c.size() < 2) {
            return "<p>Too few bars for a chart.</p>\n";
        }
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (Replay.EquityPoint p : c) {
            min = Math.min(min, p.equity());
            max = Math.max(max, p.equity());
        }
        if (max == min) {
            max = min + 1;
        }
        int n = c.size();
        double[] drawdown = new double[n];
        double peak = r.settings().equity();
        for (int i = 0; i < n; i++) {
            peak = Math.max(peak, c.get(i).equity());
            drawdown[i] = (peak - c.get(i).equity()) / peak;
        }
        StringBuilder line = new StringBuilder();
        StringBuilder dd = new StringBuilder("0,0 ");
        for (int i : plotted(c, drawdown, false)) {
            double y = H - (c.get(i).equity() - min) / (max - min) * (H - 20) - 10;
            line.append(fixed((double) i / (n - 1) * W, 1)).append(',').append(fixed(y, 1)).append(' ');
        }
        for (int i : plotted(c, drawdown, true)) {
            dd.append(fixed((double) i / (n - 1) * W, 1)).append(',').append(fixed(drawdown[i] * H * 4, 1))
                    .append(' ');
        }
        dd.append(W).append(",0");
        // breaker trips as red ticks on the timeline, where their time falls between the curve's first and last bar
        StringBuilder trips = new StringBuilder();
        long first = c.get(0).at().getEpochSecond();
        long span = Math.max(1, c.get(c.size() - 1).at().getEpochSecond() - first);
        for (BreakerChange b : r.breakers()) {
            double x = (double) (b.at().getEpochSecond() - first) / span * W;
            if (x >= 0 && x <= W && "TRIP".equals(b.action())) {
                trips.append("<line x1=\"").append(fixed(x, 1)).append("\" y1=\"0\" x2=\"").append(fixed(x, 1))
                        .append("\" y2=\"").append(H).append("\" stroke=\"#c00\" stroke-dasharray=\"3,3\"><title>")
                        .append(esc(b.code())).append(' ').append(b.at()).append("</title></line>");
            }
        }
        return "<svg role=\"img\" aria-label=\"equity curve from " + money(c.get(0).equity()) + " to "
                + money(c.get(c.size() - 1).equity()) + "\" width=\"" + W + "\" height=\"" + H + "\" viewBox=\"0 0 "
                + W + " " + H + "\"><polygon fill=\"#f4b6b6\" points=\"" + dd + "\"/>" + trips + "<polyline fill=\"none\" "
                + "stroke=\"#1f5fa8\" stroke-width=\"1.5\" points=\"" + line + "\"/><text x=\"4\" y=\"14\" "
                + "font-size=\"12\">" + money(max) + "</text><text x=\"4\" y=\"" + (H - 4) + "\" font-size=\"12\">"
                + money(min) + "</text><text x=\"" + (W - 4) + "\" y=\"" + (H - 4) + "\" font-size=\"12\" "
                + "text-anchor=\"end\">" + c.get(0).at() + " to " + c.get(c.size() - 1).at() + "</text></svg>\n"
                + "<p>Blue: equity (account currency). Red from the top: drawdown from the running peak, 1 px per "
                + fixed(100.0 / (H * 4), 3) + "%. Dashed red lines: breaker trips (" + r.breakers().stream()
                .filter(b -> "TRIP".equals(b.action())).count() + ").</p>\n";
    }

    /**
     * The points of the curve worth drawing, in time order: all of them while there are at most four per pixel
     * column; beyond that (a year of five-minute bars has 105,120) each half-pixel column keeps its lowest and highest
     * equity, or its deepest drawdown, so no dip or peak is lost and the report stays small.
     */
    static List<Integer> plotted(List<Replay.EquityPoint> c, double[] drawdown, boolean ofDrawdown) {
        int n = c.size();
        int columns = 2 * W;
        List<Integer> out = new java.util.ArrayList<>();
        if (n <= 2 * columns) {
            for (int i = 0; i < n; i++) {
                out.add(i);
            }
            return out;
        }
        java.util.SortedSet<Integer> keep = new java.util.TreeSet<>(List.of(0, n - 1));
        for (int col = 0; col < columns; col++) {
            int from = (int) ((long) col * n / columns);
            int to = (int) ((long) (col + 1) * n / columns);
            int low = from;
            int high = from;
            for (int i = from; i < to; i++) {
                double v = ofDrawdown ? drawdown[i] : c.get(i).equity();
                double lowV = ofDrawdown ? drawdown[low] : c.get(low).equity();
                double highV = ofDrawdown ? drawdown[high] : c.get(high).equity();
                low = v < lowV ? i : low;
                high = v > highV ? i : high;
            }
            if (!ofDrawdown) {
                keep.add(low);
            }
            keep.add(high);
        }
        out.addAll(keep);
        return out;
    }

    /** The rolling win rate (blue, 0 to 100%) and Sharpe ratio (green, -1 to 1, clipped) over closed trades. */
    private static String rolling(List<ReplayAnalysis.Rolling> points) {
        if (points.size() < 2) {
            return "<p>Fewer than " + (ReplayAnalysis.WINDOW + 1) + " closed trades: no rolling window.</p>\n";
        }
        StringBuilder win = new StringBuilder();
        StringBuilder sharpe = new StringBuilder();
        for (int i = 0; i < points.size(); i++) {
            double x = (double) i / (points.size() - 1) * W;
            win.append(fixed(x, 1)).append(',').append(fixed(H - points.get(i).winRate() * H, 1)).append(' ');
            double sh = Math.max(-1, Math.min(1, points.get(i).sharpe()));
            sharpe.append(fixed(x, 1)).append(',').append(fixed(H / 2.0 - sh * H / 2.0, 1)).append(' ');
        }
        ReplayAnalysis.Rolling last = points.get(points.size() - 1);
        return "<svg role=\"img\" aria-label=\"rolling win rate, last " + pct(last.winRate()) + ", and Sharpe ratio, "
                + "last " + fixed(last.sharpe(), 2) + "\" width=\"" + W + "\" height=\"" + H + "\"><line x1=\"0\" y1=\""
                + H / 2 + "\" x2=\"" + W + "\" y2=\"" + H / 2 + "\" stroke=\"#bbb\"/><polyline fill=\"none\" "
                + "stroke=\"#1f5fa8\" points=\"" + win + "\"/><polyline fill=\"none\" stroke=\"#2e8b57\" points=\""
                + sharpe + "\"/></svg>\n<p>Over the latest " + ReplayAnalysis.WINDOW + " closed trades. Blue: win rate, "
                + "0% at the bottom to 100% at the top. Green: Sharpe ratio of the trades' returns on equity (mean over "
                + "standard deviation, per trade), -1 at the bottom to +1 at the top; last " + fixed(last.sharpe(), 2)
                + ".</p>\n";
    }

    private static String bars(Map<String, Integer> counts, String label) {
        if (counts.isEmpty()) {
            return "<p>None.</p>\n";
        }
        int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(1);
        int rowH = 22;
        StringBuilder svg = new StringBuilder("<svg role=\"img\" aria-label=\"" + label + " per rule code\" width=\"" + W
                + "\" height=\"" + (counts.size() * rowH + 8) + "\">");
        int i = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            double w = (double) e.getValue() / max * (W - 320);
            int y = 4 + i++ * rowH;
            svg.append("<text x=\"4\" y=\"").append(y + 15).append("\" font-size=\"12\">").append(esc(e.getKey()))
                    .append("</text><rect x=\"260\" y=\"").append(y).append("\" width=\"").append(fixed(w, 1))
                    .append("\" height=\"16\" fill=\"#c0504d\"/><text x=\"").append(fixed(266 + w, 1))
                    .append("\" y=\"").append(y + 13).append("\" font-size=\"12\">").append(e.getValue())
                    .append("</text>");
        }
        return svg.append("</svg>\n").toString();
    }

    /** Closed trades' R-multiples in half-R bins from -3 to +5 (the ends collect the rest). */
    private static String histogram(List<Trade> trades) {
        int[] bins = new int[16];
        int n = 0;
        for (Trade t : trades) {
            if (t.state().isClosed() && t.realizedR() != null) {
                int b = (int) Math.floor((t.realizedR() + 3) * 2);
                bins[Math.max(0, Math.min(15, b))]++;
                n++;
            }
        }
        if (n == 0) {
            return "<p>No closed trades.</p>\n";
        }
        int max = java.util.Arrays.stream(bins).max().orElse(1);
        double bw = (double) W / bins.length;
        StringBuilder svg = new StringBuilder("<svg role=\"img\" aria-label=\"histogram of " + n + " R-multiples\" "
                + "width=\"" + W + "\" height=\"" + (H + 20) + "\">");
        for (int i = 0; i < bins.length; i++) {
            double h = (double) bins[i] / max * (H - 20);
            double lo = -3 + i * 0.5;
            svg.append("<rect x=\"").append(fixed(i * bw + 2, 1)).append("\" y=\"").append(fixed(H - h, 1))
                    .append("\" width=\"").append(fixed(bw - 4, 1)).append("\" height=\"").append(fixed(h, 1))
                    .append("\" fill=\"").append(lo < 0 ? "#c0504d" : "#4f81bd").append("\"><title>")
                    .append(bins[i]).append(" trades from ").append(lo).append("R</title></rect><text x=\"")
                    .append(fixed(i * bw + bw / 2, 1)).append("\" y=\"").append(H + 14)
                    .append("\" font-size=\"11\" text-anchor=\"middle\">").append(lo).append("</text>");
        }
        return svg.append("</svg>\n<p>Bins of 0.5 R; the first holds all below -2.5 R, the last all from 4.5 R.</p>\n")
                .toString();
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    private static String money(double v) {
        return String.format(Locale.ROOT, "%,.2f", v);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", v * 100);
    }

    private static String fixed(double v, int places) {
        return String.format(Locale.ROOT, "%." + places + "f", v);
    }
}
