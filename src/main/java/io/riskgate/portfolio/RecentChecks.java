package io.riskgate.portfolio;

import io.riskgate.policy.Side;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The event times of an account's latest decided checks, in all and per strategy, for the order-rate throttle
 * (controls.order_rate): how many checks fell in the window before an event time; and its latest approvals, for
 * the duplicate-order control and the daily risk budget. At most {@link #KEPT} are kept of each, which bounds a
 * policy's {@code max_checks}; a book read from the store gets its account's latest decisions back.
 */
public final class RecentChecks {

    /** The throttle's code (rules/controls.drl): a check it refused is not counted, here or when a book is read. */
    public static final String THROTTLED = "ORDER_RATE_EXCEEDED";

    /** The most checks a throttle can count, so the most kept. */
    public static final int KEPT = io.riskgate.policy.Controls.MAX_COUNTED_CHECKS;

    /**
     * An approved order: when (event time), what, and the risk it put at its stop (quantity x |entry - stop|);
     */
    public record Approval(String decisionId, Instant at, String symbol, Side side, String strategy, double quantity,
                           double riskAtStop) {
    }

    private final Times all = new Times();
    /** The kept approvals, oldest first (the order the risk budget sums them in). */
    private final ArrayDeque<Kept> approvals = new ArrayDeque<>();
    /**
     * The same by decision id (unique), so that a lapse finds its approval without a scan: every check of a busy
     * account lapses the reservations it outlived and sums its kept approvals several times.
     */
    private final Map<String, Kept> byDecision = new HashMap<>();
    private final Map<String, Times> byStrategy = new HashMap<>();

    /** Records a decided check at event time {@code at}, of {@code strategy} (null: none). */
    public void add(Instant at, String strategy) {
        all.add(at);
        if (strategy != null) {
            byStrategy.computeIfAbsent(strategy, s -> new Times()).add(at);
        }
    }

    /** Records an approval (oldest first when a book is read). */
    public void approved(Approval a) {
        Kept kept = new Kept(a);
        approvals.addLast(kept);
        byDecision.put(a.decisionId(), kept);
        if (approvals.size() > KEPT) {
            Kept oldest = approvals.removeFirst();
            byDecision.remove(oldest.approval.decisionId(), oldest);
        }
    }

    /** A kept approval, and whether its reservation expired or was cancelled unfilled (it never reached the market). */
    private static final class Kept {
        final Approval approval;
        boolean lapsed;

        Kept(Approval approval) {
            this.approval = approval;
        }
    }

    /**
     * A reduce-only approval's hold on the position it reduces: {@code remaining} of its quantity on {@code symbol},
     * by an order of {@code side}, until closes carry it out or {@code expiresAt} (the account's clock) passes.
     */
    public static final class Reduction {
        final Instant at;
        final String symbol;
        final Side side;
        final Instant expiresAt;
        double remaining;

        public Reduction(Instant at, String symbol, Side side, double quantity, Instant expiresAt) {
            this.at = at;
            this.symbol = symbol;
            this.side = side;
            this.remaining = quantity;
            this.expiresAt = expiresAt;
        }

        /** When it was approved, on the account's clock. */
        public Instant at() {
            return at;
        }
    }

    private final java.util.List<Reduction> reductions = new java.util.ArrayList<>();

    /** Records a reduce-only approval's hold. */
    public void reducing(Reduction r) {
        reductions.add(r);
    }

    /**
     * How much of the open position on {@code symbol} approved reduce-only orders of {@code side} still hold at
     * {@code at}: a new one may reduce only what is left.
     */
    public double pendingReduction(String symbol, Side side, Instant at) {
        reductions.removeIf(r -> !at.isBefore(r.expiresAt) || r.remaining <= 0);
        double sum = 0;
        for (Reduction r : reductions) {
            if (r.side == side && r.symbol.equalsIgnoreCase(symbol)) {
                sum += r.remaining;
            }
        }
        return sum;
    }

    /**
     * A close of {@code quantity} of a {@code positionSide} position on {@code symbol} at {@code at}: it carries out
     * the oldest reductions of it approved by then.
     */
    void reduced(String symbol, Side positionSide, double quantity, Instant at) {
        double left = quantity;
        for (Reduction r : reductions) {
            if (left <= 0) {
                break;
            }
            if (r.side != positionSide && r.symbol.equalsIgnoreCase(symbol) && !r.at.isAfter(at)
                    && at.isBefore(r.expiresAt)) {
                double used = Math.min(left, r.remaining);
                r.remaining -= used;
                left -= used;
            }
        }
    }

    /** How many approvals are kept, as the list and as its index by decision id (the two must agree). */
    int[] keptApprovals() {
        return new int[] {approvals.size(), byDecision.size()};
    }

    /** The approval of {@code decisionId} lapsed: its reservation expired or was cancelled unfilled. */
    void lapse(String decisionId) {
        Kept kept = byDecision.get(decisionId);
        if (kept != null) {
            kept.lapsed = true;
        }
    }

    /**
     * The latest approval, not lapsed, of the same order — symbol (any case), side, strategy and quantity — with
     * an event time in ({@code at} - {@code window}, {@code at}].
     */
    public Optional<Approval> sameOrder(String symbol, Side side, String strategy, double quantity, Instant at,
                                        Duration window) {
        Instant from = at.minus(window);
        for (var it = approvals.descendingIterator(); it.hasNext(); ) {
            Kept kept = it.next();
            Approval a = kept.approval;
            if (!kept.lapsed && a.at().isAfter(from) && !a.at().isAfter(at) && a.side() == side
                    && a.quantity() == quantity && a.symbol().equalsIgnoreCase(symbol)
                    && Objects.equals(a.strategy(), strategy)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * The risk at the stop of the approvals, not lapsed, with an event time at or after {@code since} (null: all
     * kept): what the account's trades opened in the governor's day put at risk.
     */
    public double riskSince(Instant since) {
        double sum = 0;
        for (Kept kept : approvals) {
            if (!kept.lapsed && (since == null || !kept.approval.at().isBefore(since))) {
                sum += kept.approval.riskAtStop();
            }
        }
        return sum;
    }

    /** The account's checks with an event time in ({@code at} - {@code window}, {@code at}]. */
    public int inWindow(Instant at, java.time.Duration window) {
        return all.count(at, window);
    }

    /** The same for the account's checks of {@code strategy}. */
    public int inWindow(Instant at, java.time.Duration window, String strategy) {
        Times times = strategy == null ? null : byStrategy.get(strategy);
        return times == null ? 0 : times.count(at, window);
    }

    /**
     * The latest {@link #KEPT} event times, in the order they came (not necessarily time order: an order may be
     * backdated), as seconds and nanoseconds in a ring: every check counts them, so they are scanned as numbers.
     */
    private static final class Times {
        // grown as checks come, up to KEPT; only then does the ring wrap, the newest replacing the oldest
        private long[] seconds = new long[16];
        private int[] nanos = new int[16];
        private int next;
        private int size;

        void add(Instant at) {
            if (size == seconds.length && size < KEPT) {
                seconds = java.util.Arrays.copyOf(seconds, Math.min(size * 2, KEPT));
                nanos = java.util.Arrays.copyOf(nanos, seconds.length);
                next = size; // a full array that was not yet the ring: the next slot is after the last
            }
            seconds[next] = at.getEpochSecond();
            nanos[next] = at.getNano();
            next = (next + 1) % seconds.length;
            size = Math.min(size + 1, seconds.length);
        }

        /** How many lie in ({@code at} - {@code window}, {@code at}]. */
        int count(Instant at, java.time.Duration window) {
            Instant from = at.minus(window);
            long fromS = from.getEpochSecond();
            int fromN = from.getNano();
            long atS = at.getEpochSecond();
            int atN = at.getNano();
            int n = 0;
            for (int i = 0; i < size; i++) {
                long s = seconds[i];
                int ns = nanos[i];
                boolean afterFrom = s > fromS || (s == fromS && ns > fromN);
                boolean notAfterAt = s < atS || (s == atS && ns <= atN);
                if (afterFrom && notAfterAt) {
                    n++;
                }
            }
            return n;
        }
    }
}
