package io.riskgate.api;

import io.riskgate.order.Bounds;
import io.riskgate.order.CheckRequestParser;
import io.riskgate.policy.PolicyLoader;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request bodies of the operations that read JSON themselves (JsonFields), as named schemas of the published
 * OpenAPI document (issue 16): each field with its type, pattern or range and whether it is required. Numeric ranges
 * are the parsers' own ({@link Bounds}); field names and patterns are written here from the controllers' parsing
 * (deriving both from one field list is the next step of the issue).
 */
final class RequestBodies {

    private RequestBodies() {
    }

    /** A body: its schema's name, its fields, the required ones, and an example (null: none). */
    record Body(String name, String description, Map<String, Schema<?>> fields, List<String> required,
                Map<String, Object> example) {

        Body(String name, String description, Map<String, Schema<?>> fields, List<String> required) {
            this(name, description, fields, required, null);
        }

        ObjectSchema schema() {
            ObjectSchema s = new ObjectSchema();
            s.description(description + " Unknown fields are refused.");
            if (example != null) {
                // as a JSON tree: ObjectSchema would print a Map as text
                s.setExample(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(example));
            }
            fields.forEach(s::addProperty);
            if (!required.isEmpty()) {
                s.required(required);
            }
            s.additionalProperties(false);
            return s;
        }
    }

    static Schema<?> number(Bounds.Range r, String description) {
        NumberSchema s = new NumberSchema();
        s.format("double"); // as the parsers read it (a generated client types it double, not BigDecimal)
        if (r.minIncluded()) {
            s.minimum(BigDecimal.valueOf(r.min()));
        } else {
            // OpenAPI 3.1 (the document's version): the bound itself, excluded
            s.exclusiveMinimumValue(BigDecimal.valueOf(r.min()));
        }
        s.maximum(BigDecimal.valueOf(r.max()));
        s.description(description);
        return s;
    }

    static Schema<?> text(String pattern, String description) {
        StringSchema s = new StringSchema();
        if (pattern != null) {
            s.pattern("^(?:" + pattern + ")$");
        }
        s.description(description);
        return s;
    }

    static Schema<?> time(String description) {
        return new StringSchema().format("date-time").description(description + " (ISO-8601, UTC)");
    }

    static Schema<?> reason() {
        return new StringSchema().minLength(1).maxLength(500).description("why, in the officer's words (audited)");
    }

    private static Map<String, Schema<?>> fields(Object... nameAndSchema) {
        Map<String, Schema<?>> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndSchema.length; i += 2) {
            m.put((String) nameAndSchema[i], (Schema<?>) nameAndSchema[i + 1]);
        }
        return m;
    }

    /**
     * A candidate policy's fields (what-if and validation), with {@code more} of the request's own between the
     * candidate and the refused {@code rules}.
     */
    private static Map<String, Schema<?>> candidate(Object... more) {
        Map<String, Schema<?>> m = fields("directory", text(null, "the candidate's policies directory, relative to "
                + "the workspace"), "yaml", text(null, "the candidate policy's YAML, inline (rule files only from the "
                + "workspace)"), "policyId", text(PolicyLoader.POLICY_ID, "the policy the candidate replaces; default "
                + "'default'"));
        m.putAll(fields(more));
        m.put("rules", new Schema<>().description("refused: rule files are code, taken only from the workspace"));
        return m;
    }

    private static Schema<?> bar() {
        return new ObjectSchema().description("One OHLCV bar")
                .addProperty("symbol", text(CheckRequestParser.ID_PATTERN, "the symbol (default: the batch's)"))
                .addProperty("interval", text(null, "the bar's interval, e.g. 1d, 5m (default: the batch's)"))
                .addProperty("openTime", time("the bar's open time"))
                .addProperty("open", number(Bounds.PRICE, "open price"))
                .addProperty("high", number(Bounds.PRICE, "high price"))
                .addProperty("low", number(Bounds.PRICE, "low price"))
                .addProperty("close", number(Bounds.PRICE, "close price"))
                .addProperty("volume", number(Bounds.VOLUME, "volume"))
                .required(List.of("openTime", "open", "high", "low", "close", "volume"));
    }

    /** Each operation's body, by "METHOD path" as the document names it. */
    static final Map<String, Body> BY_OPERATION = Map.ofEntries(
            Map.entry("PUT /api/v1/accounts/{id}/policy", new Body("AssignPolicy",
                    "An account's assignment to a loaded policy.",
                    fields("policyId", text(PolicyLoader.POLICY_ID, "a loaded policy's id"), "reason", reason()),
                    List.of("policyId", "reason"))),
            Map.entry("PUT /api/v1/accounts/{id}/equity", new Body("EquityReport",
                    "The account's equity at an event time.",
                    fields("equity", number(Bounds.REPORTED_EQUITY, "the account's equity, in the quote currency"),
                            "timestamp", time("when it was observed; default now; not ahead of the server's clock")),
                    List.of("equity"))),
            Map.entry("POST /api/v1/trades", new Body("Fill",
                    "A fill of an approved order.",
                    fields("decisionId", text(TradesController.DECISION_ID, "the approval's decisionId"),
                            "fillPrice", number(Bounds.PRICE, "the fill's price"),
                            "quantity", number(Bounds.QUANTITY, "the quantity filled, at most the approved one"),
                            "timestamp", time("when it was filled; default now")),
                    List.of("decisionId", "fillPrice", "quantity"),
                    // seed 001's approval filled: 0.01 BTC at 50,000 (README)
                    Map.of("decisionId", "01a242e1-b216-7000-b3c4-d6bfca0359ae", "fillPrice", 50_000,
                            "quantity", 0.01))),
            Map.entry("POST /api/v1/trades/{id}/close", new Body("Close",
                    "A close of a trade, whole or part.",
                    fields("price", number(Bounds.PRICE, "the close's price"),
                            "quantity", number(Bounds.QUANTITY, "the quantity closed; default all that is open"),
                            "reason", new StringSchema().maxLength(500).description("why it was closed"),
                            "timestamp", time("when it was closed; default now")),
                    List.of("price"), Map.of("price", 50_100, "reason", "manual"))),
            Map.entry("POST /api/v1/policies/what-if", new Body("WhatIf",
                    "A candidate policy, as a workspace directory or inline YAML (one of the two), previewed over "
                            + "audited decisions.",
                    candidate("last", new IntegerSchema().minimum(BigDecimal.ZERO).maximum(BigDecimal.valueOf(
                                    io.riskgate.audit.AuditQuery.MAX_SIZE)).description("how many of the latest "
                                    + "decisions; default 100"),
                            "from", time("decisions from"), "to", time("decisions until"),
                            "account", text(CheckRequestParser.ID_PATTERN, "only this account's decisions")),
                    List.of())),
            Map.entry("POST /api/v1/policies/validate", new Body("Candidate",
                    "A candidate policy, as a workspace directory or inline YAML (one of the two), validated and "
                            + "tested without being put in force.",
                    candidate(), List.of())),
            Map.entry("POST /api/v1/policies/reload", new Body("Reload",
                    "Why the policy files are put in force.", fields("reason", reason()), List.of("reason"))),
            Map.entry("POST /api/v1/marks", new Body("Mark",
                    "A price mark: every open trade on the symbol is measured against its exit rules.",
                    fields("symbol", text(CheckRequestParser.ID_PATTERN, "the symbol marked"),
                            "price", number(Bounds.PRICE, "the price"),
                            "high", number(Bounds.PRICE, "the bar's high since the last mark, at least price"),
                            "low", number(Bounds.PRICE, "the bar's low since the last mark, at most price"),
                            "timestamp", time("the mark's event time: keep the milliseconds; not before a fill it "
                                    + "should see")),
                    List.of("symbol", "price", "timestamp"),
                    // seed 001's trade at +1R (1R = 2,250 over 50,000): the stop moves to breakeven (README)
                    Map.of("symbol", "BTCUSDT", "price", 52_250, "timestamp", "2026-11-21T10:01:00.250Z"))),
            Map.entry("POST /api/v1/market/bars", new Body("Bars",
                    "A batch of OHLCV bars of one symbol and interval (each bar may name its own).",
                    fields("symbol", text(CheckRequestParser.ID_PATTERN, "the bars' symbol"),
                            "interval", text(null, "the bars' interval, e.g. 1d"),
                            "bars", new ArraySchema().items(bar()).minItems(1).description("the bars")),
                    List.of("bars"))),
            Map.entry("POST /api/v1/accounts/{id}/instructions/{iid}/ack", new Body("Acknowledgement",
                    "An emergency instruction carried out.",
                    fields("note", new StringSchema().maxLength(500).description("what was done")), List.of())),
            Map.entry("POST /api/v1/accounts/{id}/breaker", new Body("BreakerAction",
                    "An officer's trip or reset of an account's breaker.",
                    fields("action", new StringSchema()._enum(List.of("TRIP", "RESET")).description("TRIP or RESET "
                                    + "(any case)"),
                            "reason", new StringSchema().minLength(1).maxLength(500).description("why (audited)"),
                            "state", new StringSchema()._enum(List.of("HALTED", "REDUCING")).description("TRIP: the "
                                    + "state to put the account in; default HALTED"),
                            "emergency", new StringSchema()._enum(List.of("NONE", "CLOSE_ALL", "REDUCE"))
                                    .description("TRIP: the emergency protocol; default NONE"),
                            "code", text(PolicyLoader.RULE_CODE, "RESET: the one breaker to reset; default all")),
                    List.of("action", "reason"))),
            Map.entry("POST /api/v1/firm/kill-switch", new Body("KillSwitchAction",
                    "An officer's trip or reset of a kill switch.",
                    fields("action", new StringSchema()._enum(List.of("TRIP", "RESET")).description("TRIP or RESET"),
                            "scope", text(FirmController.SCOPE, "ALL, or STRATEGY:<name>"), "reason", reason()),
                    List.of("action", "scope", "reason"))),
            Map.entry("POST /api/v1/accounts/{id}/locks/lift", new Body("LockLift",
                    "An officer's lift of an account's lock.",
                    fields("code", text(null, "the lock's code: COOLDOWN or STOPLOSS_GUARD"),
                            "symbol", text(CheckRequestParser.ID_PATTERN, "the symbol a cooldown holds"),
                            "reason", reason()),
                    List.of("code", "reason"))),
            Map.entry("POST /api/v1/audit/exports", new Body("AuditExport",
                    "Which decisions to export and remove.", fields("before", time("decisions decided before")),
                    List.of("before"))),
            Map.entry("POST /api/v1/keys", new Body("NewKey",
                    "An API key to create.",
                    fields("name", text(CheckRequestParser.ID_PATTERN, "the key's name"),
                            "roles", new ArraySchema().items(new StringSchema()).description("its roles"),
                            "accounts", new ArraySchema().items(new StringSchema()).description("the accounts it may "
                                    + "use; none: every account"),
                            "expiresInDays", new IntegerSchema().minimum(BigDecimal.ZERO).description("days until it "
                                    + "expires")),
                    List.of("name", "roles"))),
            Map.entry("POST /api/v1/replays", new Body("ReplayStart",
                    "A replay of history: bars and signals, through a loaded policy.",
                    fields("policy", text(PolicyLoader.POLICY_ID, "the policy replayed; default 'default'"),
                            "comparePolicy", text(PolicyLoader.POLICY_ID, "a second policy to compare it with"),
                            "bars", new ArraySchema().items(bar()).description("the bars, each naming its symbol and "
                                    + "interval"),
                            "signals", new ArraySchema().items(new ObjectSchema()).description("the signals replayed "
                                    + "(docs/replay.md)"),
                            "equity", number(Bounds.EQUITY, "the starting equity; default 10,000"),
                            "fill", new StringSchema()._enum(List.of("close", "next-open")).description("fill at the "
                                    + "signal bar's close or the next bar's open; default next-open"),
                            "slippageBps", number(Bounds.Range.from(0, 10_000), "slippage; default 5"),
                            "feeBps", number(Bounds.Range.from(0, 10_000), "fee; default 10"),
                            "spreadBps", number(Bounds.SPREAD_BPS, "spread; default 5")),
                    List.of("bars"))));
}
