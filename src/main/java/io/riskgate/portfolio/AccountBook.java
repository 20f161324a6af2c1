package io.riskgate.portfolio;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One account's live state in memory: latest equity, open positions and reservations. It is a write-through
 * copy of the database, loaded once and changed only under the account's lock after the database commit.
 */
public final class AccountBook {

    private final String account;
    private EquitySnapshot equity;
    private Instant clock = Instant.MIN;
    private final Map<String, Position> positions = new LinkedHashMap<>();
    private final Map<String, Reservation> reservations = new LinkedHashMap<>();

    AccountBook(String account) {
        this.account = account;
    }

    public String account() {
        return account;
    }

    /**
     * Advances the account's event clock to {@code eventTime} if it is later, and returns the clock. The account's
     * time never runs backwards: a check timed ten minutes in the past neither releases reservations early nor gets
     * a reservation that lapses before the ones already held.
     */
    public Instant advance(Instant eventTime) {
        if (eventTime.isAfter(clock)) {
            clock = eventTime;
        }
        return clock;
    }

    public Optional<EquitySnapshot> equity() {
        return Optional.ofNullable(equity);
    }

    /** Keeps the snapshot with the latest event time: a late, older snapshot does not replace a newer one. */
    void observe(EquitySnapshot s) {
        if (equity == null || !s.observedAt().isBefore(equity.observedAt())) {
            equity = s;
        }
    }

    public Collection<Position> positions() {
        return Collections.unmodifiableCollection(positions.values());
    }

    public Collection<Reservation> reservations() {
        return Collections.unmodifiableCollection(reservations.values());
    }

    void open(Position p) {
        positions.put(p.tradeId(), p);
    }

    void close(String tradeId) {
        positions.remove(tradeId);
    }

    void reserve(Reservation r) {
        reservations.put(r.decisionId(), r);
    }

    void release(String decisionId) {
        reservations.remove(decisionId);
    }

    /** Reservations whose time-to-live has run out at {@code now} (event time). */
    List<Reservation> expiredAt(Instant now) {
        List<Reservation> out = new ArrayList<>();
        for (Reservation r : reservations.values()) {
            if (!now.isBefore(r.expiresAt())) {
                out.add(r);
            }
        }
        return out;
    }

    /** Open positions' notional plus reserved notional. */
    public double exposure() {
        double sum = 0;
        for (Position p : positions.values()) {
            sum += p.notional();
        }
        for (Reservation r : reservations.values()) {
            sum += r.notional();
        }
        return sum;
    }

    public double assetExposure(String asset) {
        double sum = 0;
        for (Position p : positions.values()) {
            if (p.asset().equals(asset)) {
                sum += p.notional();
            }
        }
        for (Reservation r : reservations.values()) {
            if (r.asset().equals(asset)) {
                sum += r.notional();
            }
        }
        return sum;
    }

    public double strategyExposure(String strategy) {
        double sum = 0;
        for (Position p : positions.values()) {
            if (Objects.equals(p.strategy(), strategy)) {
                sum += p.notional();
            }
        }
        for (Reservation r : reservations.values()) {
            if (Objects.equals(r.strategy(), strategy)) {
                sum += r.notional();
            }
        }
        return sum;
    }
}
