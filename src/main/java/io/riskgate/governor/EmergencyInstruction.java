package io.riskgate.governor;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * An emergency protocol (seed 003) the governor asks the caller to carry out, kept until acknowledged:
 * {@code CLOSE_ALL} (every open trade, listed), {@code CLOSE} (the listed trades, e.g. one over the position loss
 * limit) or {@code REDUCE} (close {@code fraction} of every open trade). Issued once per trip.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EmergencyInstruction(String instructionId, String account, Kind kind, List<String> tradeIds,
                                   Double fraction, String code, String rule, String reason, Instant issuedAt,
                                   Instant acknowledgedAt, String acknowledgement) {

    /** What the caller is asked to do. */
    public enum Kind {
        /** Close every open trade of the account (listed). */
        CLOSE_ALL,
        /** Close the listed trades. */
        CLOSE,
        /** Close {@code fraction} of every open trade. */
        REDUCE
    }

    public EmergencyInstruction {
        tradeIds = List.copyOf(tradeIds);
    }

    public boolean acknowledged() {
        return acknowledgedAt != null;
    }
}
