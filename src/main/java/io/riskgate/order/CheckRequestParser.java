package io.riskgate.order;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.policy.Consensus;
import io.riskgate.policy.Side;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Turns the JSON of {@code POST /api/v1/checks} (or a CLI check file) into a {@link CheckRequest}, listing every
 * bad field at once: a missing, non-finite or negative price, a price, amount or spread past its {@link Bounds},
 * a confidence or strength outside [0, 1], an unknown side, a stop on the wrong side of the entry, a market regime
 * that is not an identifier, an unknown field.
 */
public final class CheckRequestParser {

    public static final String ID_PATTERN = "[A-Za-z0-9_.:/@-]{1,64}";
    private static final Set<String> TOP = Set.of("account", "symbol", "side", "strategy", "clientOrderId", "signal",
            "market",
            "equity", "entry", "stopLoss", "takeProfit", "reduceOnly", "quantity");
    private static final Set<String> SIGNAL = Set.of("consensus", "confidence", "strength", "modelVotes");
    private static final Set<String> MARKET = Set.of("price", "atr", "ema200", "volume24h", "spreadBps",
            "timestamp", "regime");
    /** A regime as a caller may send it: {@link io.riskgate.policy.SizerSpec#REGIME_NAME} in any case. */
    private static final String REGIME = "[A-Za-z][A-Za-z0-9_]{0,31}";

    private CheckRequestParser() {
    }

    public static CheckRequest parse(JsonNode json) {
        List<FieldProblem> problems = new ArrayList<>();
        JsonFields root = JsonFields.root(json, problems);
        root.rejectUnknown(TOP);
        String account = root.optionalText("account", ID_PATTERN).orElse("default");
        String symbol = root.text("symbol", ID_PATTERN);
        Side side = root.enumValue("side", Side.class);
        Optional<String> strategy = root.optionalText("strategy", "[A-Za-z0-9_]{1,64}")
                .map(s -> s.toLowerCase(Locale.ROOT));
        Optional<String> clientOrderId = root.optionalText("clientOrderId", ID_PATTERN);

        JsonFields s = root.object("signal", true);
        s.rejectUnknown(SIGNAL);
        Consensus consensus = s.enumValue("consensus", Consensus.class);
        double confidence = s.number("confidence", Bounds.UNIT);
        OptionalDouble strength = s.optionalNumber("strength", Bounds.UNIT);
        Map<String, String> votes = votes(s, problems);

        JsonFields m = root.object("market", true);
        m.rejectUnknown(MARKET);
        double price = m.number("price", Bounds.PRICE);
        // omitted: computed from stored bars (analytics.bar_interval, sizing.atr_period, filters.ema_period)
        double atr = m.optionalNumber("atr", Bounds.PRICE).orElse(Double.NaN);
        double ema200 = m.optionalNumber("ema200", Bounds.PRICE).orElse(Double.NaN);
        double volume = m.number("volume24h", Bounds.VOLUME);
        double spread = m.number("spreadBps", Bounds.SPREAD_BPS);
        var timestamp = m.optionalInstant("timestamp");
        // only a regime_based sizer reads it; checked here like every other field, so it is only ever compared
        Optional<String> regime = m.optionalText("regime", REGIME).map(r -> r.toLowerCase(Locale.ROOT));

        OptionalDouble equity = root.optionalNumber("equity", Bounds.EQUITY);
        OptionalDouble entry = root.optionalNumber("entry", Bounds.PRICE);
        OptionalDouble stop = root.optionalNumber("stopLoss", Bounds.PRICE);
        OptionalDouble take = root.optionalNumber("takeProfit", Bounds.PRICE);
        boolean reduceOnly = false;
        JsonNode reduce = root.raw("reduceOnly");
        if (reduce != null && !reduce.isNull()) {
            if (reduce.isBoolean()) {
                reduceOnly = reduce.booleanValue();
            } else {
                root.problem("reduceOnly", "must be true or false, was " + Echo.of(reduce));
            }
        }
        OptionalDouble quantity = root.optionalNumber("quantity", Bounds.QUANTITY);
        if (reduceOnly && quantity.isEmpty() && !root.has("quantity")) {
            root.problem("quantity", "is required with reduceOnly: the quantity of the position to reduce");
        }
        if (!reduceOnly && root.has("quantity") && (reduce == null || reduce.isNull() || reduce.isBoolean())) {
            root.problem("quantity", "is accepted only with reduceOnly: true; riskgate sizes new positions itself");
        }
        if (reduceOnly) {
            // it closes (part of) a position at the market: none of a new position's levels applies to it
            for (String level : List.of("entry", "stopLoss", "takeProfit")) {
                if (root.has(level)) {
                    root.problem(level, "a reduceOnly order closes a position at market.price: it has no " + level
                            + " of its own");
                }
            }
        }
        double e = entry.orElse(price);
        if (side != null && (stop.isPresent() || take.isPresent()) && Double.isFinite(e)) {
            int sign = side.sign();
            if (stop.isPresent() && sign * (e - stop.getAsDouble()) <= 0) {
                root.problem("stopLoss", "a " + side + " stop must be " + (sign > 0 ? "below" : "above")
                        + " the entry " + e + ", was " + stop.getAsDouble());
            }
            if (take.isPresent() && sign * (take.getAsDouble() - e) <= 0) {
                root.problem("takeProfit", "a " + side + " take-profit must be " + (sign > 0 ? "above" : "below")
                        + " the entry " + e + ", was " + take.getAsDouble());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return new CheckRequest(account, symbol.toUpperCase(Locale.ROOT), side, strategy,
                new Signal(consensus, confidence, strength, votes),
                new Market(price, atr, ema200, volume, spread, timestamp, regime),
                equity, entry, stop, take, clientOrderId, reduceOnly, quantity);
    }

    private static Map<String, String> votes(JsonFields signal, List<FieldProblem> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode v = signal.raw("modelVotes");
        if (v == null) {
            return out;
        }
        if (!v.isObject()) {
            signal.problem("modelVotes", "must be an object of model name to LONG|SHORT|HOLD");
            return out;
        }
        v.fields().forEachRemaining(e -> {
            String vote = e.getValue().asText("").toUpperCase(Locale.ROOT);
            if (!Set.of("LONG", "SHORT", "HOLD").contains(vote)) {
                problems.add(new FieldProblem(signal.path("modelVotes." + e.getKey()),
                        "must be LONG, SHORT or HOLD, was " + Echo.of(e.getValue())));
            } else {
                out.put(e.getKey(), vote);
            }
        });
        return out;
    }
}
