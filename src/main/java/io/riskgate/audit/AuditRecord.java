package io.riskgate.audit;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.decision.Decision;
import java.time.Instant;

/** A stored decision: everything the caller was told, the request exactly as received, and when it was recorded. */
public record AuditRecord(@JsonUnwrapped Decision decision, JsonNode request, Instant recordedAt) {
}
