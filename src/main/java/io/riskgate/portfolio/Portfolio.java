package io.riskgate.portfolio;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Per-account portfolio state with serialized access: every check, fill and close on one account runs under that
 * account's lock, so two concurrent checks can never both take the last of a limit. Accounts proceed in parallel.
 *
 * <p>Each change is written to the database first, in one transaction with whatever the caller adds (the audit
 * record of a decision), and applied to the in-memory {@link AccountBook} only after the commit. One riskgate
 * process owns a database: the book is its write-through cache.
 */
public final class Portfolio {

    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        AccountBook book;
    }

    private final PortfolioStore store;
    private final TransactionOperations tx;
    private final Clock clock;
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

    public Portfolio(PortfolioStore store, TransactionOperations tx, Clock clock) {
        this.store = store;
        this.tx = tx;
        this.clock = clock;
    }

    public PortfolioStore store() {
        return store;
    }

    /** Runs {@code work} holding the account's lock, with its book loaded. */
    public <T> T withAccount(String account, Function<AccountBook, T> work) {
        Slot slot = slots.computeIfAbsent(account, k -> new Slot());
        slot.lock.lock();
        try {
            if (slot.book == null) {
                slot.book = store.load(account);
            }
            return work.apply(slot.book);
        } finally {
            slot.lock.unlock();
        }
    }

    /** Releases reservations whose time-to-live ran out by {@code now} (event time). Call under the lock. */
    public List<Reservation> expire(AccountBook book, Instant now) {
        List<Reservation> expired = book.expiredAt(now);
        if (!expired.isEmpty()) {
            tx.executeWithoutResult(s -> expired.forEach(r ->
                    store.releaseReservation(r.decisionId(), r.expiresAt(), "EXPIRED")));
            expired.forEach(r -> book.release(r.decisionId()));
        }
        return expired;
    }

    /**
     * The account as the engine holds it. Read-only: reservations are released by event time, when the next check
     * or fill on the account carries a timestamp at or past their expiry, never by reading the account.
     */
    public AccountView view(String account) {
        return withAccount(account, AccountView::of);
    }

    /** Records an equity snapshot reported by the caller (event time {@code snapshot.observedAt()}). */
    public AccountView reportEquity(EquitySnapshot snapshot) {
        return withAccount(snapshot.account(), book -> {
            recordEquity(book, snapshot, "API");
            return AccountView.of(book);
        });
    }

    /** Records an equity snapshot. Call under the lock. */
    public void recordEquity(AccountBook book, EquitySnapshot snapshot, String source) {
        tx.executeWithoutResult(s -> store.insertEquity(snapshot, source, clock.instant()));
        book.observe(snapshot);
    }

    /**
     * Commits {@code alongside} (the decision's audit record) and, when given, the reservation in one transaction,
     * then holds the reservation in the book. Call under the lock.
     */
    public void commit(AccountBook book, Runnable alongside, Reservation reservation) {
        tx.executeWithoutResult(s -> {
            alongside.run();
            if (reservation != null) {
                store.insertReservation(reservation);
            }
        });
        if (reservation != null) {
            book.reserve(reservation);
        }
    }

    /** Opens a trade against a decision's reservation. Call under the lock. */
    public void open(AccountBook book, Trade trade) {
        tx.executeWithoutResult(s -> {
            store.insertTrade(trade);
            store.releaseReservation(trade.decisionId(), trade.openedAt(), "FILLED");
        });
        book.release(trade.decisionId());
        book.open(trade.position());
    }

    /** Records a closed trade. Call under the lock. */
    public void close(AccountBook book, Trade closed) {
        tx.executeWithoutResult(s -> store.closeTrade(closed));
        book.close(closed.id());
    }
}
