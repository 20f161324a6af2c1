package io.riskgate.market;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.order.Bounds;
import io.riskgate.order.CheckRequestParser;
import io.riskgate.order.Echo;
import io.riskgate.order.FieldProblem;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.order.JsonFields;
import io.riskgate.policy.PolicyLoader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Bars as riskgate takes them, checked one way wherever they come from: the JSON of {@code POST /api/v1/market/bars}
 * and the CSV a replay reads. Every bad field is listed at once ({@link InvalidRequestException}); nothing is
 * returned unless all are good.
 *
 * <p>The CSV has this header, in this order (docs/replay.md):
 * <pre>
 * symbol,interval,open_time,open,high,low,close,volume
 * BTCUSDT,5m,2026-01-05T00:00:00Z,50000,50120.5,49950,50100,12.5
 * </pre>
 * {@code open_time} is ISO-8601 UTC (or epoch seconds), volume in the symbol's base unit.
 */
public final class BarsParser {

    /** The CSV header, column for column. */
    public static final String CSV_HEADER = "symbol,interval,open_time,open,high,low,close,volume";

    private BarsParser() {
    }

    /**
     * A JSON batch: {@code {"symbol"?, "interval"?, "bars": [{symbol?, interval?, openTime, open, high, low, close,
     * volume}]}}, the top's symbol and interval applying to every bar that names none; at most {@code maxBars}.
     */
    public static List<MarketBar> json(JsonNode body, int maxBars) {
        List<FieldProblem> problems = new ArrayList<>();
        JsonFields root = JsonFields.root(body, problems);
        root.rejectUnknown(Set.of("symbol", "interval", "bars"));
        String symbol = root.optionalText("symbol", CheckRequestParser.ID_PATTERN).orElse(null);
        String interval = root.optionalText("interval", PolicyLoader.BAR_INTERVAL).orElse(null);
        JsonNode array = body == null ? null : body.get("bars");
        List<MarketBar> bars = new ArrayList<>();
        if (array == null || !array.isArray() || array.isEmpty()) {
            root.problem("bars", "must be a non-empty array of bars");
        } else if (array.size() > maxBars) {
            root.problem("bars", "holds " + array.size() + " bars; post at most " + maxBars + " at a time");
        } else {
            for (int i = 0; i < array.size(); i++) {
                if (!array.get(i).isObject()) {
                    problems.add(new FieldProblem("bars[" + i + "]", "must be a bar object {openTime, open, high, low, "
                            + "close, volume}, was " + Echo.of(array.get(i))));
                    continue;
                }
                JsonFields b = new JsonFields(array.get(i), "bars[" + i + "]", problems);
                b.rejectUnknown(Set.of("symbol", "interval", "openTime", "open", "high", "low", "close", "volume"));
                String s = b.optionalText("symbol", CheckRequestParser.ID_PATTERN).orElse(symbol);
                String iv = b.optionalText("interval", PolicyLoader.BAR_INTERVAL).orElse(interval);
                var openTime = b.optionalInstant("openTime");
                double open = b.number("open", Bounds.PRICE);
                double high = b.number("high", Bounds.PRICE);
                double low = b.number("low", Bounds.PRICE);
                double close = b.number("close", Bounds.PRICE);
                double volume = b.number("volume", Bounds.VOLUME);
                if (s == null) {
                    b.problem("symbol", "is required (here or at the top of the batch)");
                }
                if (iv == null) {
                    b.problem("interval", "is required (here or at the top of the batch), e.g. 1d");
                }
                if (openTime.isEmpty() && !array.get(i).has("openTime")) {
                    b.problem("openTime", "is required");
                }
                enclosing(b, open, high, low, close);
                if (problems.isEmpty()) {
                    bars.add(new MarketBar(s.toUpperCase(Locale.ROOT), iv, openTime.get(), open, high, low, close,
                            volume));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return bars;
    }

    // compiled once: a year of five-minute bars is a million lines, and String.matches compiles its pattern per call
    private static final Pattern SYMBOL = Pattern.compile(CheckRequestParser.ID_PATTERN);
    private static final Pattern INTERVAL = Pattern.compile(PolicyLoader.BAR_INTERVAL);
    private static final Pattern EPOCH_SECONDS = Pattern.compile("\\d{1,12}");

    /**
     * Bars from CSV with {@link #CSV_HEADER}; problems name {@code source}, the line and the column
     * ({@code bars.csv:12 high}).
     */
    public static List<MarketBar> csv(Reader in, String source) throws IOException {
        List<FieldProblem> problems = new ArrayList<>();
        List<MarketBar> bars = new ArrayList<>();
        BufferedReader r = new BufferedReader(in);
        String header = r.readLine();
        if (header == null || !header.strip().replace(" ", "").equalsIgnoreCase(CSV_HEADER)) {
            throw InvalidRequestException.of(source + ":1", "the header must be " + CSV_HEADER + ", was "
                    + Echo.of(header == null ? "(empty file)" : header));
        }
        String line;
        int n = 1;
        while ((line = r.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            String at = source + ":" + n;
            String[] f = line.split(",", -1);
            if (f.length != 8) {
                problems.add(new FieldProblem(at, "has " + f.length + " columns, the header 8"));
            } else {
                int before = problems.size();
                String symbol = f[0].strip();
                String interval = f[1].strip();
                if (!SYMBOL.matcher(symbol).matches()) {
                    problems.add(new FieldProblem(at + " symbol", "must match " + CheckRequestParser.ID_PATTERN
                            + ", was " + Echo.of(symbol)));
                }
                if (!INTERVAL.matcher(interval).matches()) {
                    problems.add(new FieldProblem(at + " interval", "must be an interval such as 5m, 1h or 1d, was "
                            + Echo.of(interval)));
                }
                Instant openTime = instant(f[2].strip(), at, problems);
                double open = number(f[3], Bounds.PRICE, at + " open", problems);
                double high = number(f[4], Bounds.PRICE, at + " high", problems);
                double low = number(f[5], Bounds.PRICE, at + " low", problems);
                double close = number(f[6], Bounds.PRICE, at + " close", problems);
                double volume = number(f[7], Bounds.VOLUME, at + " volume", problems);
                if (problems.size() == before) {
                    if (high < Math.max(open, close)) {
                        problems.add(new FieldProblem(at + " high", "must be at least open and close, was " + high));
                    } else if (low > Math.min(open, close)) {
                        problems.add(new FieldProblem(at + " low", "must be at most open and close, was " + low));
                    } else {
                        bars.add(new MarketBar(symbol.toUpperCase(Locale.ROOT), interval, openTime, open, high, low,
                                close, volume));
                    }
                }
            }
            if (problems.size() > InvalidRequestException.MAX_LISTED) {
                break;
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return bars;
    }

    private static void enclosing(JsonFields b, double open, double high, double low, double close) {
        if (open > 0 && close > 0 && high > 0 && high < Math.max(open, close)) {
            b.problem("high", "must be at least open and close, was " + high);
        }
        if (open > 0 && close > 0 && low > 0 && low > Math.min(open, close)) {
            b.problem("low", "must be at most open and close, was " + low);
        }
    }

    private static Instant instant(String v, String at, List<FieldProblem> problems) {
        try {
            return EPOCH_SECONDS.matcher(v).matches() ? Instant.ofEpochSecond(Long.parseLong(v)) : Instant.parse(v);
        } catch (DateTimeParseException | NumberFormatException e) {
            problems.add(new FieldProblem(at + " open_time", "must be ISO-8601 UTC (2026-01-05T00:00:00Z) or epoch "
                    + "seconds, was " + Echo.of(v)));
            return null;
        }
    }

    private static double number(String v, Bounds.Range range, String field, List<FieldProblem> problems) {
        double d;
        try {
            d = Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            problems.add(new FieldProblem(field, "must be a number, was " + Echo.of(v)));
            return Double.NaN;
        }
        String violation = range.violation(d);
        if (violation != null) {
            problems.add(new FieldProblem(field, violation + ", was " + Echo.of(v)));
            return Double.NaN;
        }
        return d;
    }
}
