package io.riskgate.lifecycle;

import io.riskgate.base.Checks;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A close the caller carried out: all of what is open, or {@code quantity} of it, at an exit price.
 *
 * @param reason the caller's words, kept with the close in the trade's history
 */
public record CloseRequest(double price, OptionalDouble quantity, Optional<String> reason,
                           Optional<Instant> timestamp) {
    public CloseRequest {
        Checks.positive("price", price);
        quantity.ifPresent(q -> Checks.positive("quantity", q));
    }

    /**
     * A close as JSON ({@code price}, optional {@code quantity}, {@code reason} of at most 500 characters,
     * {@code timestamp}), read the same way over REST ({@code POST /api/v1/trades/{id}/close}) and from the bus.
     */
    public static CloseRequest parse(com.fasterxml.jackson.databind.JsonNode body) {
        java.util.List<io.riskgate.order.FieldProblem> problems = new java.util.ArrayList<>();
        io.riskgate.order.JsonFields f = io.riskgate.order.JsonFields.root(body, problems);
        f.rejectUnknown(java.util.Set.of("price", "quantity", "reason", "timestamp"));
        double price = f.number("price", io.riskgate.order.Bounds.PRICE);
        var quantity = f.optionalNumber("quantity", io.riskgate.order.Bounds.QUANTITY);
        var reason = f.optionalText("reason", null);
        if (reason.filter(r -> r.length() > 500).isPresent()) {
            f.problem("reason", "must be at most 500 characters, was " + reason.get().length());
        }
        var at = f.optionalInstant("timestamp");
        if (!problems.isEmpty()) {
            throw new io.riskgate.order.InvalidRequestException(problems);
        }
        return new CloseRequest(price, quantity, reason, at);
    }

    /** Closes everything still open at {@code price}, at riskgate's clock. */
    public static CloseRequest all(double price) {
        return new CloseRequest(price, OptionalDouble.empty(), Optional.empty(), Optional.empty());
    }
}
