package io.riskgate.portfolio;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.riskgate.database.AccountVersions;
import io.riskgate.database.GroupCommit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Per-account portfolio state with serialized access: every check, fill and close on one account runs under that
 * account's lock, so two concurrent checks can never both take the last of a limit. Accounts proceed in parallel.
 *
 * <p>Each change is written to the database first, in one transaction with whatever the caller adds (the audit
 * record of a decision), and applied to the in-memory {@link AccountBook} only after the commit: the book is a
 * write-through cache. On PostgreSQL several riskgate processes may serve one account; each write then also moves
 * the account's version on ({@link AccountVersions}), and work decided on a book another process has made stale is
 * decided again on what is stored ({@link #withAccount}).
 *
 * <p><b>Residency.</b> Only accounts in use stay in memory. An account's book and its lock live in one slot of a
 * Caffeine cache; a slot nobody has used for {@link Residency#idleEviction()} leaves memory, and beyond
 * {@link Residency#maxResident()} slots the idle ones Caffeine judges least worth keeping go first (W-TinyLFU:
 * mostly the least recently used, but a flood of ids used once does not push out accounts in steady use). The next
 * use of an evicted account loads its book from the database, as a restart would: the book holds nothing the
 * database does not.
 *
 * <p>A slot is never evicted while a thread is inside {@link #withAccount} for its account, holding its lock or
 * waiting for it, and a check decides and commits inside one such call. Each slot counts its holders; the count
 * changes only inside the cache's atomic {@code compute} for that account (+1 before taking the lock, -1 after
 * releasing it), and the same {@code compute} sets the slot's weight and lifetime: weight 0 and no expiry while
 * held, weight 1 and the idle time once free (Caffeine's documented way of pinning an entry). Caffeine evicts an
 * entry only inside a {@code compute} on its key that checks its weight and expiry again, so it cannot remove a
 * slot between a thread's +1 and its -1. Hence two threads on one account always find the same slot and the same
 * lock: a slot is replaced only when no thread holds it, and a thread that took a slot gives it back before it
 * can leave. Held slots weigh nothing, so while accounts are busy the resident count may exceed the maximum by at
 * most the number of accounts held at once: one per thread inside {@code withAccount}, and up to a group's (64) per
 * thread marking a group of accounts (ExitService).
 */
public final class Portfolio {

    private static final Logger log = LoggerFactory.getLogger(Portfolio.class);

    /**
     * How many account books stay in memory: a book unused for {@code idleEviction} leaves it, and at most
     * {@code maxResident} unused books are kept. {@code ticker} measures the idle time (nanoseconds; tests pass
     * their own).
     */
    public record Residency(Duration idleEviction, int maxResident, Ticker ticker) {

        /** Ten minutes idle, 10,000 books: the service's defaults. */
        public static final Residency DEFAULT = of(Duration.ofMinutes(10), 10_000);

        public Residency {
            Objects.requireNonNull(idleEviction, "idleEviction");
            Objects.requireNonNull(ticker, "ticker");
            if (idleEviction.isNegative() || idleEviction.isZero()) {
                throw new IllegalArgumentException("idleEviction must be > 0, was " + idleEviction);
            }
            if (maxResident < 1) {
                throw new IllegalArgumentException("maxResident must be >= 1, was " + maxResident);
            }
        }

        /** The settings measured by the system's nanosecond ticker. */
        public static Residency of(Duration idleEviction, int maxResident) {
            return new Residency(idleEviction, maxResident, Ticker.systemTicker());
        }
    }

    /** One account's lock and book. {@code holders} changes only inside the cache's compute for the account. */
    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        int holders;
        AccountBook book;
    }

    private final PortfolioStore store;
    private final TransactionOperations tx;
    private final Clock clock;
    private final Cache<String, Slot> slots;
    private final AtomicLong loads = new AtomicLong();
    private final AtomicLong staleRetries = new AtomicLong();
    private final AccountVersions versions;
    private final FirmLedger firm;
    private volatile java.util.function.BiConsumer<AccountBook, Instant> afterEquityReport = (book, at) -> { };

    public Portfolio(PortfolioStore store, TransactionOperations tx, Clock clock, Residency residency) {
        this.store = store;
        this.tx = tx;
        this.clock = clock;
        this.firm = store.firmLedger();
        store.firmShares().bootstrap(firm);
        this.versions = store.versions();
        Duration idle = residency.idleEviction();
        // held: weight 0 and no expiry, so neither the size bound nor the idle time can evict it
        Expiry<String, Slot> lifetime = Expiry.writing((account, slot) ->
                slot.holders > 0 ? Duration.ofNanos(Long.MAX_VALUE) : idle);
        this.slots = Caffeine.newBuilder()
                .ticker(residency.ticker())
                .maximumWeight(residency.maxResident())
                .weigher((String account, Slot slot) -> slot.holders > 0 ? 0 : 1)
                .expireAfter(lifetime)
                // evictions run on the calling thread, right after the write that makes them due
                .executor(Runnable::run)
                .build();
    }

    public PortfolioStore store() {
        return store;
    }

    /**
     * Whether other processes share the accounts (PostgreSQL): each account held then also holds one of a few
     * database connections ({@link AccountVersions#hold}), so one thread must not hold many accounts at once.
     */
    public boolean sharedAcrossProcesses() {
        return versions.shared();
    }

    /** The firm limits' shares other processes on the database see (nothing to share on H2). */
    public FirmShares firmShares() {
        return store.firmShares();
    }

    /** Every account's share of the firm-wide limits (controls.firm). */
    public FirmLedger firm() {
        return firm;
    }

    /**
     * Runs {@code work} holding the account's lock, with its book loaded (from the database if it is not in
     * memory). The account stays in memory until the call returns. Calls nest on one thread.
     *
     * <p>When several processes share the database (PostgreSQL), the outermost call also holds the account's lock
     * across processes ({@link AccountVersions#hold}), and a book another process has moved on since it was read is
     * read again first. Should a write of {@code work} still find the account written by another process (the lock
     * was lost with its session), it fails with {@link AccountVersions.Stale}, nothing of it is committed, and
     * {@code work} runs again on the book read anew, up to {@value #STALE_ATTEMPTS} times in all. {@code work} must therefore
     * leave nothing outside the book before its writes commit.
     */
    public <T> T withAccount(String account, Function<AccountBook, T> work) {
        Slot slot = hold(account);
        try {
            slot.lock.lock();
            // other processes on the database: their turn on the account comes before or after this work, not
            // during it, and a book they have moved on since it was read is read again
            AccountVersions.Held across = slot.lock.getHoldCount() == 1 ? holdAcross(account, slot) : null;
            try {
                for (int attempt = 1; ; attempt++) {
                    if (slot.book == null) {
                        slot.book = store.load(account);
                        loads.incrementAndGet();
                    }
                    try {
                        return work.apply(slot.book);
                    } catch (AccountVersions.Stale stale) {
                        // another process wrote the account: its book was dropped; the outermost call decides again
                        if (slot.lock.getHoldCount() > 1 || attempt == STALE_ATTEMPTS) {
                            throw stale;
                        }
                        staleRetries.incrementAndGet();
                        log.debug("account {} was written by another process; deciding again (attempt {})",
                                account, attempt + 1);
                    }
                }
            } finally {
                // the account's share of the firm limits as its book now stands (read again if a write failed)
                AccountBook book = slot.book;
                if (book != null) {
                    firm.publish(account, book.exposure(), book.dailyRisk());
                    if (across != null) {
                        store.firmShares().publish(account, book.exposure(), book.dailyRisk());
                    }
                }
                if (across != null) {
                    across.close();
                }
                slot.lock.unlock();
            }
        } finally {
            release(account, slot);
        }
    }

    /** The account's lock across processes; a book at another version than the store's is dropped. */
    private AccountVersions.Held holdAcross(String account, Slot slot) {
        AccountVersions.Held held;
        try {
            held = versions.hold(account);
        } catch (RuntimeException | Error e) {
            slot.lock.unlock();
            throw e;
        }
        if (slot.book != null && held.version() >= 0 && held.version() != slot.book.version()) {
            slot.book = null;
        }
        return held;
    }

    /** How many times one call's work runs at most when other processes keep writing its account. */
    static final int STALE_ATTEMPTS = 16;

    /** The account's slot, created if absent, with one more holder: it cannot be evicted until released. */
    private Slot hold(String account) {
        return slots.asMap().compute(account, (k, s) -> {
            Slot held = s == null ? new Slot() : s;
            held.holders++;
            return held;
        });
    }

    /** One holder fewer; with none left the slot weighs 1 and its idle time starts. */
    private void release(String account, Slot slot) {
        slots.asMap().compute(account, (k, s) -> {
            if (s != slot) {
                // cannot happen (a held slot is never evicted); the work is committed, so say so and go on
                log.error("the slot of account {} left memory while held: the account's lock was not exclusive", k);
                return s;
            }
            s.holders--;
            return s;
        });
    }

    /**
     * How many account books are in memory, after the evictions that are due have run. Held ones count too; see
     * the class comment for the bound.
     */
    public long residentBooks() {
        slots.cleanUp();
        return slots.estimatedSize();
    }

    /** How many times a book was read from the database: first uses, uses after eviction, after a failed write. */
    public long bookLoads() {
        return loads.get();
    }

    /** How many times work on an account was decided again because another process had written it meanwhile. */
    public long staleRetries() {
        return staleRetries.get();
    }

    /** Whether the account's book is in memory (due evictions run first). */
    boolean isResident(String account) {
        slots.cleanUp();
        return slots.policy().getIfPresentQuietly(account) != null;
    }

    /**
     * The changes one check makes to an account, gathered under the account's lock and written in ONE
     * transaction: lapsed reservations, the equity the check reported, the audit record, the new reservation.
     * Lapses and equity are applied to the book at once (the decision must see them); the reservation only after
     * the commit. If the commit fails, the book is dropped and reloaded from the database on next use, so memory
     * never holds what the database does not.
     */
    public final class Batch {
        private final AccountBook book;
        private final List<Reservation> lapsed = new java.util.ArrayList<>();
        private EquitySnapshot equity;
        private String equitySource;
        private boolean rebase;
        private GovernorState governor;

        private Batch(AccountBook book) {
            this.book = book;
        }

        /** Releases reservations whose time-to-live ran out by {@code now} (event time). */
        public Batch expire(Instant now) {
            for (Reservation r : book.expiredAt(now)) {
                lapsed.add(r);
                book.lapse(r.decisionId());
            }
            return this;
        }

        public Batch recordEquity(EquitySnapshot snapshot, String source) {
            equity = snapshot;
            equitySource = source;
            rebase |= book.observe(snapshot);
            return this;
        }

        /** The governor state this check leaves; stored with the commit, put in the book only once it succeeds. */
        public Batch governor(GovernorState next) {
            governor = next;
            return this;
        }

        /** Writes everything, with {@code alongside} and the reservation (may be null), in one transaction. */
        public void commit(Runnable alongside, Reservation reservation) {
            GovernorState next = governor == null ? book.governor() : governor;
            write(book, () -> {
                lapsed.forEach(r -> store.releaseReservation(r.decisionId(), r.expiresAt(), ReservationRelease.EXPIRED));
                if (equity != null) {
                    store.insertEquity(equity, equitySource, clock.instant());
                }
                if (rebase && !book.positions().isEmpty()) {
                    // only live trades have a reference price to move (an account with none: no statement)
                    store.rebaseRefPrices(book.account());
                }
                alongside.run();
                if (reservation != null) {
                    store.insertReservation(reservation);
                }
                // written only when it changed: the stored row is the book's state (loaded with it, or
                // written when the book took it)
                if (!next.equals(book.governor())) {
                    store.saveGovernor(book.account(), next, clock.instant());
                }
            });
            book.governor(next);
            governor = null;
            lapsed.clear();
            equity = null;
            rebase = false;
            if (reservation != null) {
                book.reserve(reservation);
            }
        }
    }

    /** Starts the changes of one check on an account. Call under the lock. */
    public Batch batch(AccountBook book) {
        return new Batch(book);
    }

    /**
     * Writes {@code body} in one transaction (a unit of the group commit) with the account's version moved on from
     * the book's ({@link AccountVersions#advance}); if it fails, the book is dropped and read again on next use, so
     * memory never holds what the database does not. Call under the lock.
     */
    private void write(AccountBook book, Runnable body) {
        write(book, body, true);
    }

    /**
     * As {@link #write(AccountBook, Runnable)}, for a change the book takes only after the commit
     * ({@code changedBefore} false): a failed write leaves it as it was, unless another process wrote the account.
     */
    private void write(AccountBook book, Runnable body, boolean changedBefore) {
        writeLater(book, body, changedBefore).await();
    }

    /**
     * As {@link #write(AccountBook, Runnable, boolean)}, handed to the group commit without waiting: the returned
     * write's {@code await}, called under the same lock, waits for it to be durable and then does what a failure
     * or success means for the book.
     */
    private GroupCommit.Pending<Void> writeLater(AccountBook book, Runnable body, boolean changedBefore) {
        long expected = book.version();
        org.springframework.transaction.support.TransactionCallback<Void> unit = s -> {
            versions.advance(book.account(), expected);
            body.run();
            return null;
        };
        GroupCommit.Pending<GroupCommit.Pending<Void>> handed = GroupCommit.Pending.now(() ->
                tx instanceof GroupCommit c ? c.submit(unit) : GroupCommit.Pending.now(() -> tx.execute(unit)));
        return () -> {
            try {
                handed.await().await();
            } catch (RuntimeException | Error e) {
                if (changedBefore || e instanceof AccountVersions.Stale) {
                    invalidate(book.account());
                }
                throw e;
            }
            if (versions.shared()) {
                book.version(expected + 1);
            }
            return null;
        };
    }

    /** Drops an account's cached book; the next access reloads it from the database. Call under the lock. */
    private void invalidate(String account) {
        // the caller holds the slot, so it is there
        Slot slot = slots.policy().getIfPresentQuietly(account);
        if (slot != null) {
            slot.book = null;
        }
    }

    /** Releases reservations whose time-to-live ran out by {@code now} (event time). Call under the lock. */
    public List<Reservation> expire(AccountBook book, Instant now) {
        List<Reservation> expired = book.expiredAt(now);
        if (!expired.isEmpty()) {
            write(book, () -> expired.forEach(r ->
                    store.releaseReservation(r.decisionId(), r.expiresAt(), ReservationRelease.EXPIRED)), false);
            expired.forEach(r -> book.lapse(r.decisionId()));
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

    /** What runs, under the lock, after an equity report: the governor measures the new equity. */
    public void setAfterEquityReport(java.util.function.BiConsumer<AccountBook, Instant> hook) {
        this.afterEquityReport = hook;
    }

    /** Records an equity snapshot reported by the caller (event time {@code snapshot.observedAt()}). */
    public AccountView reportEquity(EquitySnapshot snapshot) {
        return withAccount(snapshot.account(), book -> {
            recordEquity(book, snapshot, "API");
            afterEquityReport.accept(book, book.advance(snapshot.observedAt()));
            return AccountView.of(book);
        });
    }

    /** Records an equity snapshot. Call under the lock. */
    public void recordEquity(AccountBook book, EquitySnapshot snapshot, String source) {
        write(book, () -> {
            store.insertEquity(snapshot, source, clock.instant());
            if (book.observe(snapshot)) {
                store.rebaseRefPrices(book.account());
                store.saveGovernor(book.account(), book.governor(), clock.instant());
            }
        });
    }

    /**
     * Stores the account's governor state {@code next} with {@code alongside} (breaker events, instructions,
     * alerts) in one transaction; the book holds {@code next} once the commit succeeded. If the write fails the
     * book is dropped and reloaded. Call under the lock.
     */
    public void saveGovernor(AccountBook book, GovernorState next, Runnable alongside) {
        write(book, () -> {
            if (!next.equals(book.governor())) {
                store.saveGovernor(book.account(), next, clock.instant());
            }
            alongside.run();
        });
        book.governor(next);
    }

    /** Releases an approval's reservation at the caller's request. Call under the lock. */
    public void cancel(AccountBook book, Reservation r, Instant at) {
        write(book, () -> store.releaseReservation(r.decisionId(), at, ReservationRelease.CANCELLED), false);
        book.lapse(r.decisionId());
    }

    /** Records an officer's lift of a lock (controls.cooldown, stoploss_guard), durable before it counts. */
    public void lift(AccountBook book, StopOuts.Lift lift) {
        write(book, () -> store.insertLift(book.account(), lift), false);
        book.stopOuts().lift(lift);
    }

    /** Opens a trade against a decision's reservation. Call under the lock. */
    public void open(AccountBook book, Trade trade) {
        write(book, () -> {
            store.insertTrade(trade, book.marked(trade.symbol()).seq());
            store.releaseReservation(trade.decisionId(), trade.openedAt(), ReservationRelease.FILLED);
        }, false);
        book.release(trade.decisionId());
        book.open(trade.position());
        book.value(trade.id(), trade.entryPrice(), trade.entryPrice());
    }

    /**
     * Records a close of {@code quantity} at {@code price}; {@code after} is the trade as it stands after it (still
     * open with less quantity, or closed). Call under the lock.
     */
    public void close(AccountBook book, Trade after, double quantity, double price, String reason, Instant at) {
        // equity: what this close realized over the trade's reference price joins the P&L since the snapshot
        double ref = book.refPrice(after.id());
        double realized = after.side().sign() * (price - (Double.isNaN(ref) ? after.entryPrice() : ref)) * quantity;
        GovernorState next = book.governor().withRealized(realized);
        // the account's clock when the close is reported: a stop-out locks from then, whatever time it names
        Instant clockAt = book.advance(at);
        write(book, () -> {
            store.closeTrade(after, quantity, price, reason, at, clock.instant(),
                    after.state() == TradeState.CLOSED_SL ? clockAt : null);
            store.saveGovernor(book.account(), next, clock.instant());
        });
        book.governor(next);
        book.recentChecks().reduced(after.symbol(), after.side(), quantity, clockAt);
        if (after.state().isClosed()) {
            book.close(after.id());
            book.recordResult(after.result());
            if (after.state() == TradeState.CLOSED_SL) {
                book.stopOuts().add(new StopOuts.StopOut(after.id(), after.symbol(), clockAt));
            }
        } else {
            book.open(after.position());
        }
    }

    /**
     * What a mark's unit writes besides the trades: {@code beforeTrades} (the exit instructions, which fill the map
     * {@link #applyMarks} gives with each trade's latest instruction) and {@code afterTrades} (the governor's update).
     */
    public record MarkWrites(Runnable beforeTrades, Runnable afterTrades) {
    }

    /**
     * What a mark did to one account's live trades on its symbol.
     *
     * @param priced the trades the exit rules evaluated at the mark, as they stand after it
     * @param changed those of {@code priced} whose stop, state or progress the mark moved
     * @param failed the trades the exit rules could not evaluate, as they stood (nothing of them changes)
     */
    public record Marking(String symbol, double price, Instant at, List<Trade> priced, List<Trade> changed,
                          List<Trade> failed) {
    }

    /**
     * Applies a mark's outcome on an account's trades to its book, then writes it with what {@code alongside}
     * returns (the audit of the instructions, the governor's measure of the marked book) in one unit of the group
     * commit. The book is marked first and {@code alongside} called on this thread, so that it computes from the
     * marked book here and leaves the writer only its writes; if the unit fails, the book is dropped and read again
     * from the store, as after any failed write. Call under the lock.
     *
     * <p>A mark no earlier than the account's latest on the symbol moves the account's mark row (account_mark) on by
     * one sequence, and then writes only the trades it changed, and those it could not evaluate (so that they do not
     * take the row's price and time); the others take the row's ({@link PortfolioStore#MARKED}). That is done when it
     * writes less: not when the mark changed every trade it priced. Otherwise, and for a mark older than the row
     * (marks arriving out of order), the row stays and every trade the mark priced is written, as it stands.
     *
     * <p>{@code alongside} is given a map to fill with each trade's latest exit instruction's place ({@code seq}),
     * as its writes before the trades insert them; the trades are written after them, with it
     * ({@code trade.last_instruction_seq}), and its writes after the trades last.
     *
     * <p>The unit is handed over without waiting for it: call {@code await} on what this returns, under the same lock,
     * before the account is used again (a mark over many accounts hands them all over first, so they share batches).
     */
    public GroupCommit.Pending<Void> applyMarks(AccountBook book, Marking m,
                                                java.util.function.Function<java.util.Map<String, Long>, MarkWrites>
                                                        alongside) {
        AccountBook.Marked before = book.marked(m.symbol());
        boolean inOrder = before.at() == null || !m.at().isBefore(before.at());
        // the row saves writing the trades the mark priced but did not change, at the cost of its own write and of
        // writing the failed ones: worth it only when more is saved (not when every stop moved)
        boolean moveRow = inOrder && m.priced().size() - m.changed().size() > m.failed().size();
        AccountBook.Marked row = moveRow ? new AccountBook.Marked(before.seq() + 1, m.price(), m.at()) : before;
        MarkWrites writes;
        List<Trade> written;
        java.util.Map<String, Double> failedPrices = new java.util.HashMap<>();
        // each trade's latest exit instruction's place, as the unit's writes put them: written with the trade
        java.util.Map<String, Long> instructed = new java.util.HashMap<>();
        try {
            m.failed().forEach(t -> failedPrices.put(t.id(), book.lastPrice(t.id())));
            written = new java.util.ArrayList<>(moveRow ? m.changed() : m.priced());
            if (moveRow) {
                written.addAll(m.failed());
            }
            m.priced().forEach(t -> {
                book.open(t.position());
                book.mark(t.id(), m.price());
            });
            book.marked(m.symbol(), row);
            writes = alongside.apply(instructed);
        } catch (RuntimeException | Error e) {
            invalidate(book.account());
            throw e;
        }
        return writeLater(book, () -> {
            // the instructions take their places first, then the trades are written with their latest, then what
            // must come after the trades (the governor's update marks trades for a breaker's close: written before
            // them, it would be overwritten by the trades as the mark left them)
            writes.beforeTrades().run();
            if (moveRow) {
                store.saveMark(book.account(), m.symbol(), row, before.seq() == 0);
            }
            store.updateMarked(written, t -> failedPrices.getOrDefault(t.id(), m.price()), row.seq(), instructed);
            writes.afterTrades().run();
        }, true);
    }
}
