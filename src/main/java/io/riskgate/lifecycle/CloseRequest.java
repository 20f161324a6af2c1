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

    /** Closes everything still open at {@code price}, at riskgate's clock. */
    public static CloseRequest all(double price) {
        return new CloseRequest(price, OptionalDouble.empty(), Optional.empty(), Optional.empty());
    }
}
