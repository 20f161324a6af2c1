package io.riskgate.lifecycle;

import io.riskgate.base.Checks;
import java.time.Instant;
import java.util.Optional;

/** An execution report against an approved decision: what was actually bought or sold, and at what price. */
public record FillRequest(String decisionId, double fillPrice, double quantity, Optional<Instant> timestamp) {
    public FillRequest {
        Checks.notBlank("decisionId", decisionId);
        Checks.positive("fillPrice", fillPrice);
        Checks.positive("quantity", quantity);
    }

    /** A decision's id as a fill names it (a UUID's characters). */
    public static final String DECISION_ID = "[0-9a-fA-F-]{36}";

    /**
     * A fill as JSON ({@code decisionId}, {@code fillPrice}, {@code quantity}, optional {@code timestamp}), read the
     * same way over REST ({@code POST /api/v1/trades}) and from the bus: every problem listed.
     */
    public static FillRequest parse(com.fasterxml.jackson.databind.JsonNode body) {
        java.util.List<io.riskgate.order.FieldProblem> problems = new java.util.ArrayList<>();
        io.riskgate.order.JsonFields f = io.riskgate.order.JsonFields.root(body, problems);
        f.rejectUnknown(java.util.Set.of("decisionId", "fillPrice", "quantity", "timestamp"));
        String decisionId = f.text("decisionId", DECISION_ID);
        double price = f.number("fillPrice", io.riskgate.order.Bounds.PRICE);
        double quantity = f.number("quantity", io.riskgate.order.Bounds.QUANTITY);
        var at = f.optionalInstant("timestamp");
        if (!problems.isEmpty()) {
            throw new io.riskgate.order.InvalidRequestException(problems);
        }
        return new FillRequest(decisionId, price, quantity, at);
    }

    /** The decision id of a fill body, when it has a well-formed one: whose fill it is comes before what is wrong. */
    public static Optional<String> decisionIdOf(com.fasterxml.jackson.databind.JsonNode body) {
        return Optional.ofNullable(body == null ? null : body.get("decisionId"))
                .filter(com.fasterxml.jackson.databind.JsonNode::isTextual).map(
                        com.fasterxml.jackson.databind.JsonNode::asText).map(String::trim)
                .filter(id -> id.matches(DECISION_ID)); // trimmed as parse() reads it
    }
}
