package io.riskgate.portfolio;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.order.Bounds;
import io.riskgate.order.CheckRequestParser;
import io.riskgate.order.FieldProblem;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.order.JsonFields;
import io.riskgate.policy.PortfolioLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Account equity as observed at an event time. */
public record EquitySnapshot(String account, double equity, Instant observedAt) {

    /**
     * An equity report as JSON ({@code equity}, optional {@code timestamp}: default {@code now}, not further ahead of
     * it than {@code limits} allow) for {@code account}, read the same way over REST ({@code PUT
     * /api/v1/accounts/{id}/equity}) and from the bus: every problem listed.
     */
    public static EquitySnapshot parse(String account, JsonNode body, PortfolioLimits limits, Instant now) {
        List<FieldProblem> problems = new ArrayList<>();
        if (account == null || !account.matches(CheckRequestParser.ID_PATTERN)) {
            problems.add(new FieldProblem("id", "must match " + CheckRequestParser.ID_PATTERN));
        }
        JsonFields f = JsonFields.root(body, problems);
        f.rejectUnknown(Set.of("equity", "timestamp"));
        double equity = f.number("equity", Bounds.REPORTED_EQUITY);
        var at = f.optionalInstant("timestamp");
        at.ifPresent(t -> {
            try {
                limits.requireNotAhead("timestamp", t, now);
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem("timestamp", e.getMessage()));
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return new EquitySnapshot(account, equity, at.orElse(now));
    }
}
