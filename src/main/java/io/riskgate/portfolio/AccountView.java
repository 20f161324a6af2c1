package io.riskgate.portfolio;

import java.time.Instant;
import java.util.List;

/** An account as {@code GET /api/v1/accounts/{id}} shows it. Equity fields are null when none is known. */
public record AccountView(String account, Double equity, Instant equityAt, double exposure,
                          Double exposurePctOfEquity, List<Position> openPositions, List<Reservation> reservations) {

    static AccountView of(AccountBook b) {
        Double eq = b.equity().map(EquitySnapshot::equity).orElse(null);
        double exposure = b.exposure();
        return new AccountView(b.account(), eq, b.equity().map(EquitySnapshot::observedAt).orElse(null), exposure,
                eq == null || eq <= 0 ? null : exposure / eq, List.copyOf(b.positions()),
                List.copyOf(b.reservations()));
    }
}
