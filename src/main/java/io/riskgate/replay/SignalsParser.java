package io.riskgate.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.order.Bounds;
import io.riskgate.order.CheckRequestParser;
import io.riskgate.order.Echo;
import io.riskgate.order.FieldProblem;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.order.JsonFields;
import io.riskgate.policy.Consensus;
import io.riskgate.policy.Side;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A replay's signals, from CSV or JSON, every bad field listed at once (docs/replay.md). The CSV's header names its
 * columns: {@code time,symbol,side,consensus,confidence} are required, {@code strategy,strength,entry,stop_loss,
 * take_profit,atr,ema200} optional, in any order (without atr and ema200 riskgate computes them from the bars). The JSON is an array of objects with the same fields in camelCase
 * ({@code stopLoss}, {@code takeProfit}).
 */
public final class SignalsParser {

    private static final List<String> REQUIRED = List.of("time", "symbol", "side", "consensus", "confidence");
    private static final Set<String> COLUMNS = Set.of("time", "symbol", "side", "strategy", "consensus",
            "confidence", "strength", "entry", "stop_loss", "take_profit", "atr", "ema200");

    private SignalsParser() {
    }

    public static List<ReplaySignal> csv(Reader in, String source) throws IOException {
        BufferedReader r = new BufferedReader(in);
        String header = r.readLine();
        if (header == null) {
            throw InvalidRequestException.of(source + ":1", "is empty: the header names the columns, e.g. "
                    + String.join(",", REQUIRED));
        }
        List<String> cols = Arrays.stream(header.split(",")).map(c -> c.strip().toLowerCase(Locale.ROOT)).toList();
        List<FieldProblem> problems = new ArrayList<>();
        for (String c : cols) {
            if (!COLUMNS.contains(c)) {
                problems.add(new FieldProblem(source + ":1", "unknown column '" + c + "' (known: " + COLUMNS + ")"));
            }
        }
        for (String c : REQUIRED) {
            if (!cols.contains(c)) {
                problems.add(new FieldProblem(source + ":1", "the column '" + c + "' is required"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        List<ReplaySignal> out = new ArrayList<>();
        int n = 1;
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            String at = source + ":" + n;
            if (f.length != cols.size()) {
                problems.add(new FieldProblem(at, "has " + f.length + " columns, the header " + cols.size()));
                continue;
            }
            Map<String, String> row = new java.util.HashMap<>();
            for (int i = 0; i < f.length; i++) {
                if (!f[i].isBlank()) {
                    row.put(cols.get(i), f[i].strip());
                }
            }
            ReplaySignal s = signal(row::get, at + " ", problems);
            if (s != null) {
                out.add(s);
            }
            if (problems.size() > InvalidRequestException.MAX_LISTED) {
                break;
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return out;
    }

    public static List<ReplaySignal> json(JsonNode array, String source) {
        if (array == null || !array.isArray()) {
            throw InvalidRequestException.of(source, "must be a JSON array of signals");
        }
        List<FieldProblem> problems = new ArrayList<>();
        List<ReplaySignal> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode o = array.get(i);
            String at = source + "[" + i + "] ";
            if (!o.isObject()) {
                problems.add(new FieldProblem(at.strip(), "must be a signal object, was " + Echo.of(o)));
                continue;
            }
            new JsonFields(o, at.strip(), problems).rejectUnknown(Set.of("time", "symbol", "side", "strategy",
                    "consensus", "confidence", "strength", "entry", "stopLoss", "takeProfit", "atr", "ema200"));
            Map<String, String> names = Map.of("stop_loss", "stopLoss", "take_profit", "takeProfit");
            ReplaySignal s = signal(k -> {
                JsonNode v = o.get(names.getOrDefault(k, k));
                return v == null || v.isNull() ? null : v.asText();
            }, at, problems);
            if (s != null) {
                out.add(s);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return out;
    }

    private static ReplaySignal signal(Function<String, String> field, String at, List<FieldProblem> problems) {
        int before = problems.size();
        Instant time = null;
        String t = field.apply("time");
        try {
            time = t == null ? null : t.matches("\\d{1,12}") ? Instant.ofEpochSecond(Long.parseLong(t))
                    : Instant.parse(t);
        } catch (RuntimeException e) {
            problems.add(new FieldProblem(at + "time", "must be ISO-8601 UTC or epoch seconds, was " + Echo.of(t)));
        }
        for (String k : REQUIRED) {
            if (field.apply(k) == null) {
                problems.add(new FieldProblem(at + k, "is required"));
            }
        }
        String symbol = field.apply("symbol");
        if (symbol != null && !symbol.matches(CheckRequestParser.ID_PATTERN)) {
            problems.add(new FieldProblem(at + "symbol", "must match " + CheckRequestParser.ID_PATTERN));
        }
        Side side = choice(field.apply("side"), Side.class, at + "side", problems);
        Consensus consensus = choice(field.apply("consensus"), Consensus.class, at + "consensus", problems);
        String strategy = field.apply("strategy");
        if (strategy != null && !strategy.matches("[A-Za-z0-9_]{1,64}")) {
            problems.add(new FieldProblem(at + "strategy", "must be 1-64 letters, digits or _"));
        }
        double confidence = number(field.apply("confidence"), Bounds.UNIT, at + "confidence", problems)
                .orElse(Double.NaN);
        OptionalDouble strength = number(field.apply("strength"), Bounds.UNIT, at + "strength", problems);
        OptionalDouble entry = number(field.apply("entry"), Bounds.PRICE, at + "entry", problems);
        OptionalDouble stop = number(field.apply("stop_loss"), Bounds.PRICE, at + "stop_loss", problems);
        OptionalDouble take = number(field.apply("take_profit"), Bounds.PRICE, at + "take_profit", problems);
        OptionalDouble atr = number(field.apply("atr"), Bounds.PRICE, at + "atr", problems);
        OptionalDouble ema = number(field.apply("ema200"), Bounds.PRICE, at + "ema200", problems);
        if (problems.size() > before) {
            return null;
        }
        return new ReplaySignal(time, symbol.toUpperCase(Locale.ROOT), side,
                strategy == null ? null : strategy.toLowerCase(Locale.ROOT), consensus, confidence, strength, entry,
                stop, take, atr, ema);
    }

    private static <E extends Enum<E>> E choice(String v, Class<E> type, String at, List<FieldProblem> problems) {
        if (v == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem(at, "must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(Enum::name).collect(Collectors.joining(", ")) + ", was " + Echo.of(v)));
            return null;
        }
    }

    private static OptionalDouble number(String v, Bounds.Range range, String at, List<FieldProblem> problems) {
        if (v == null) {
            return OptionalDouble.empty();
        }
        try {
            double d = Double.parseDouble(v);
            String violation = range.violation(d);
            if (violation != null) {
                problems.add(new FieldProblem(at, violation + ", was " + Echo.of(v)));
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(d);
        } catch (NumberFormatException e) {
            problems.add(new FieldProblem(at, "must be a number, was " + Echo.of(v)));
            return OptionalDouble.empty();
        }
    }
}
