package io.riskgate.audit;

import io.riskgate.decision.Outcome;
import java.time.Instant;
import java.util.Optional;

/**
 * A search over audited decisions; every filter is optional. Times are decision (event) times, {@code from}
 * inclusive and {@code to} exclusive.
 *
 * @param outcome APPROVED, REJECTED or FAILED (the engine could not decide)
 * @param code matches a rejection, an adjustment or any fired rule with this code
 * @param symbol the order's symbol, exactly
 */
public record AuditQuery(Optional<String> account, Optional<String> symbol, Optional<Boolean> approved,
                         Optional<Outcome> outcome, Optional<String> code, Optional<Instant> from,
                         Optional<Instant> to, int page, int size) {

    public static final int MAX_SIZE = 500;

    public AuditQuery {
        if (page < 0) {
            throw new IllegalArgumentException("page must be >= 0, was " + page);
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be in [1, " + MAX_SIZE + "], was " + size);
        }
    }

    /** A search of any symbol. */
    public AuditQuery(Optional<String> account, Optional<Boolean> approved, Optional<Outcome> outcome,
                      Optional<String> code, Optional<Instant> from, Optional<Instant> to, int page, int size) {
        this(account, Optional.empty(), approved, outcome, code, from, to, page, size);
    }
}
