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
}
