package io.riskgate.lifecycle;

import io.riskgate.order.Checks;
import java.time.Instant;
import java.util.Optional;

/** Closing a whole trade at an exit price. */
public record CloseRequest(double price, Optional<Instant> timestamp) {
    public CloseRequest {
        Checks.positive("price", price);
    }
}
