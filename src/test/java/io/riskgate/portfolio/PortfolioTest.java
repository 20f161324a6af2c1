package io.riskgate.portfolio;

import static io.riskgate.portfolio.PortfolioDatabase.T0;
import static io.riskgate.portfolio.PortfolioDatabase.freshAccount;
import static io.riskgate.portfolio.PortfolioDatabase.freshSymbol;
import static io.riskgate.portfolio.PortfolioDatabase.reservation;
import static io.riskgate.portfolio.PortfolioDatabase.seed001Trade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.riskgate.portfolio.PortfolioDatabase.Held;
import io.riskgate.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The portfolio over an H2 database in files: one account's work runs under its lock (never two at once on an
 * account, never waiting on another account's), a book is read once and served from memory until it has been idle
 * for the residency's time or pushed out beyond its bound (idle time from a ticker the test moves), and every
 * change reaches the book only as the database holds it: a transaction that fails drops the cached book, so the
 * next use reads exactly what the database kept. A check's batch (lapsed reservations by event time, the equity it
 * reports, its reservation after the commit), fills, closes, cancels, equity reports and views.
 *
 * <p>The governor's state is written alongside most of these; its writing is being reworked elsewhere and is not
 * asserted here (the comparisons of memory with the database leave it out, see {@link Held}).
 *
 * <p>Numbers from seed 001 (see {@link PortfolioDatabase}): equity 10,000, 0.01 BTC long from 50,000, stop 47,750
 * (1R = 2,250), target 55,625; an approval reserves 0.01 x 50,000 = 500.
 */
class PortfolioTest {

    private static final Duration IDLE = Duration.ofMinutes(10);
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final Offset<Double> EXACT = within(1e-9);

    @TempDir
    static Path dir;
    private static PortfolioDatabase db;

    private final AtomicLong nanos = new AtomicLong();
    /** Recording time (the wall clock); event times are the T0 + ... passed in. */
    private final MutableClock clock = new MutableClock(T0.plus(Duration.ofHours(12)));
    private final String account = freshAccount();
    private final String btc = freshSymbol("BTC");
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private FlakyTx tx;
    private Portfolio portfolio;
    private PortfolioStore store;

    @BeforeAll
    static void open() {
        db = new PortfolioDatabase(dir);
    }

    @AfterAll
    static void shut() {
        db.close();
    }

    @BeforeEach
    void portfolio() {
        store = db.store;
        tx = new FlakyTx(db.tx);
        portfolio = portfolio(100);
    }

    @AfterEach
    void stopThreads() {
        pool.shutdownNow();
    }

    private Portfolio portfolio(int maxResident) {
        return new Portfolio(store, tx, clock, new Portfolio.Residency(IDLE, maxResident, nanos::get));
    }

    private void idleFor(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    /** What the account's book holds now (read under its lock; loads it if it is not in memory). */
    private Held held(String account) {
        return portfolio.withAccount(account, Held::of);
    }

    /** Memory is the database: the book in use holds exactly what a restart would read. */
    private void assertMemoryIsTheDatabase(String account) {
        assertThat(held(account)).isEqualTo(db.stored(account));
    }

    /**
     * Real transactions, counted; told to, it fails the next one after its work ran, as a commit that fails does
     * (the work is rolled back).
     */
    static final class FlakyTx implements TransactionOperations {
        private final TransactionOperations real;
        private final AtomicInteger executed = new AtomicInteger();
        private volatile boolean failNext;

        FlakyTx(TransactionOperations real) {
            this.real = real;
        }

        void failNext() {
            failNext = true;
        }

        @Override
        public <T> T execute(TransactionCallback<T> action) throws TransactionException {
            executed.incrementAndGet();
            boolean fail = failNext;
            failNext = false;
            return real.execute(status -> {
                T result = action.doInTransaction(status);
                if (fail) {
                    throw new CommitFailed();
                }
                return result;
            });
        }
    }

    static final class CommitFailed extends RuntimeException {
        CommitFailed() {
            super("the database went away at commit");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits until {@code thread} is parked (waiting for a lock), at most 5 s. */
    private static void awaitParked(AtomicReference<Thread> thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (thread.get() == null || thread.get().getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the second thread never waited: " + thread.get());
            }
            Thread.sleep(1);
        }
    }

    // ---- one account at a time

    @Test
    void aSecondThreadOnTheAccountWaitsUntilTheFirstLeaves() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        AtomicBoolean firstLeft = new AtomicBoolean();
        Future<?> first = pool.submit(() -> portfolio.withAccount(account, b -> {
            inside.countDown();
            await(leave);
            firstLeft.set(true);
            return null;
        }));
        await(inside);
        AtomicReference<Thread> secondThread = new AtomicReference<>();
        AtomicBoolean secondEntered = new AtomicBoolean();
        AtomicBoolean secondSawFirstLeave = new AtomicBoolean();
        Future<?> second = pool.submit(() -> {
            secondThread.set(Thread.currentThread());
            return portfolio.withAccount(account, b -> {
                secondEntered.set(true);
                secondSawFirstLeave.set(firstLeft.get());
                return null;
            });
        });
        awaitParked(secondThread);
        assertThat(secondEntered).isFalse();

        leave.countDown();
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        assertThat(secondSawFirstLeave).isTrue();
        // the same slot throughout: one book read
        assertThat(portfolio.bookLoads()).isEqualTo(1);
    }

    @Test
    void workOnOneAccountNeverOverlaps() throws Exception {
        int threads = 4;
        int rounds = 500;
        ExecutorService many = Executors.newFixedThreadPool(threads);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        int[] unguarded = new int[1];
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                done.add(many.submit(() -> {
                    await(start);
                    for (int i = 0; i < rounds; i++) {
                        portfolio.withAccount(account, b -> {
                            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            int read = unguarded[0];
                            Thread.yield();
                            unguarded[0] = read + 1;  // a lost update if two were ever inside at once
                            inside.decrementAndGet();
                            return null;
                        });
                    }
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            many.shutdownNow();
        }
        assertThat(mostInside).hasValue(1);
        assertThat(unguarded[0]).isEqualTo(threads * rounds);
    }

    @Test
    void anotherAccountDoesNotWaitForABusyOne() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        AtomicBoolean holding = new AtomicBoolean();
        Future<?> busy = pool.submit(() -> portfolio.withAccount(account, b -> {
            holding.set(true);
            inside.countDown();
            await(leave);
            holding.set(false);
            return null;
        }));
        await(inside);
        String other = freshAccount();
        Future<Boolean> meanwhile = pool.submit(() -> portfolio.withAccount(other, b -> holding.get()));
        // done while the first account is still held
        assertThat(meanwhile.get(5, TimeUnit.SECONDS)).isTrue();
        leave.countDown();
        busy.get(10, TimeUnit.SECONDS);
    }

    @Test
    void callsNestOnOneThreadOverTheSameBook() {
        AccountBook[] books = new AccountBook[2];
        portfolio.withAccount(account, outer -> {
            books[0] = outer;
            return portfolio.withAccount(account, inner -> books[1] = inner);
        });
        assertThat(books[1]).isSameAs(books[0]);
        assertThat(portfolio.bookLoads()).isEqualTo(1);
    }

    // ---- read once, kept while in use

    @Test
    void aBookIsReadOnceAndThenServedFromMemory() {
        Reservation r = db.storedReservation(account, btc, T0, T0.plus(TTL));
        AccountBook first = portfolio.withAccount(account, b -> b);
        AccountBook second = portfolio.withAccount(account, b -> b);
        assertThat(second).isSameAs(first);
        assertThat(portfolio.bookLoads()).isEqualTo(1);
        assertThat(first.reservations()).containsExactly(r);
        // a row written behind the portfolio's back is not read: the book in memory is the copy in use
        db.storedReservation(account, btc, T0, T0.plus(TTL));
        assertThat(portfolio.view(account).reservations()).containsExactly(r);
        assertThat(portfolio.bookLoads()).isEqualTo(1);
    }

    @Test
    void aBookThatCannotBeReadIsReadAgainOnTheNextUse() {
        db.jdbc.update("INSERT INTO governor_state (account, state_json, updated_at) VALUES (?, ?, ?)", account,
                "not json", PortfolioStore.ts(T0));
        assertThatThrownBy(() -> portfolio.view(account)).isInstanceOf(IllegalStateException.class);
        assertThat(portfolio.bookLoads()).isZero();
        db.jdbc.update("DELETE FROM governor_state WHERE account = ?", account);
        assertThat(portfolio.view(account).account()).isEqualTo(account);
        assertThat(portfolio.bookLoads()).isEqualTo(1);
    }

    // ---- residency

    static Stream<Arguments> residencies() {
        return Stream.of(
                Arguments.of(Duration.ZERO, 1, "idleEviction must be > 0, was PT0S"),
                Arguments.of(Duration.ofNanos(-1), 1, "idleEviction must be > 0, was PT-0.000000001S"),
                Arguments.of(Duration.ofNanos(1), 1, null),
                Arguments.of(Duration.ofMinutes(1), 0, "maxResident must be >= 1, was 0"),
                Arguments.of(Duration.ofMinutes(1), -1, "maxResident must be >= 1, was -1"));
    }

    @ParameterizedTest
    @MethodSource("residencies")
    void residencyNeedsAPositiveIdleTimeAndRoomForOneBook(Duration idle, int maxResident, String problem) {
        if (problem == null) {
            assertThat(new Portfolio.Residency(idle, maxResident, nanos::get).maxResident()).isEqualTo(maxResident);
        } else {
            assertThatThrownBy(() -> new Portfolio.Residency(idle, maxResident, nanos::get))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage(problem);
        }
    }

    @Test
    void anIdleBookLeavesMemoryAtItsIdleTimeAndComesBackAsItWas() {
        db.store.insertEquity(new EquitySnapshot(account, 10_000, T0), "API", T0);
        db.storedReservation(account, btc, T0, T0.plus(TTL));
        Held before = held(account);
        AccountBook first = portfolio.withAccount(account, b -> b);

        idleFor(IDLE.minusNanos(1));
        assertThat(portfolio.isResident(account)).isTrue();
        idleFor(Duration.ofNanos(1));
        assertThat(portfolio.isResident(account)).isFalse();

        AccountBook again = portfolio.withAccount(account, b -> b);
        assertThat(again).isNotSameAs(first);
        assertThat(portfolio.bookLoads()).isEqualTo(2);
        assertThat(held(account)).isEqualTo(before);
    }

    @Test
    void usingABookStartsItsIdleTimeAgain() {
        portfolio.view(account);
        idleFor(IDLE.minusSeconds(1));
        portfolio.view(account);
        idleFor(IDLE.minusSeconds(1));
        assertThat(portfolio.isResident(account)).isTrue();
        assertThat(portfolio.bookLoads()).isEqualTo(1);
    }

    @Test
    void beyondTheBoundTheIdleBooksGo() {
        Portfolio two = portfolio(2);
        for (int i = 0; i < 5; i++) {
            two.view(freshAccount());
            assertThat(two.residentBooks()).isLessThanOrEqualTo(2);
        }
        assertThat(two.residentBooks()).isEqualTo(2);
        assertThat(two.bookLoads()).isEqualTo(5);
    }

    @Test
    void aBookInUseStaysWhateverItsIdleTimeAndTheBound() {
        Portfolio one = portfolio(1);
        List<Long> whileHeld = one.withAccount(account, b -> {
            idleFor(IDLE.multipliedBy(10));
            one.view(freshAccount());
            one.view(freshAccount());
            return List.of(one.isResident(account) ? 1L : 0L, one.residentBooks());
        });
        // held, it stays and weighs nothing: the bound of one holds the two others to one, so two are resident
        // (the maximum plus the one thread inside withAccount)
        assertThat(whileHeld).containsExactly(1L, 2L);
        assertThat(one.bookLoads()).isEqualTo(3);
    }

    // ---- a failed transaction drops the book

    @Test
    void aBatchWhoseCommitFailsLeavesTheBookAsTheDatabaseKeptIt() {
        db.store.insertEquity(new EquitySnapshot(account, 10_000, T0), "API", T0);
        Trade t = db.storedTrade(account, btc, T0.plusSeconds(10));
        db.lastPrice(List.of(t), 49_000);
        Reservation lapsing = db.storedReservation(account, btc, T0.plusSeconds(20), T0.plusSeconds(20).plus(TTL));
        Held before = held(account);
        assertThat(before.reservations()).containsExactly(lapsing);

        Instant now = T0.plus(Duration.ofMinutes(6));
        String decision = UUID.randomUUID().toString();
        RuntimeException auditFailed = new IllegalStateException("the audit record could not be written");
        AtomicReference<Held> beforeCommit = new AtomicReference<>();
        assertThatThrownBy(() -> portfolio.withAccount(account, book -> {
            // as a check does: the account's clock moves to the check's time, the reservation lapses, the check
            // reports 9,990 (seed 001's 10,000 with the 0.01 BTC marked 1,000 lower)
            book.advance(now);
            Portfolio.Batch batch = portfolio.batch(book).expire(now)
                    .recordEquity(new EquitySnapshot(account, 9_990, now), "CHECK");
            beforeCommit.set(Held.of(book));
            batch.commit(() -> {
                db.decision(decision, account, now);
                throw auditFailed;
            }, reservation(decision, account, btc, now.plus(TTL)));
            return null;
        })).isSameAs(auditFailed);
        // memory had moved on before the commit: the lapse, the new equity, the trade valued from 49,000
        assertThat(beforeCommit.get().reservations()).isEmpty();
        assertThat(beforeCommit.get().equity()).contains(new EquitySnapshot(account, 9_990, now));
        assertThat(beforeCommit.get().prices()).containsEntry(t.id(), List.of(49_000.0, 49_000.0));

        // the database kept none of it, and neither does memory: the book is read again
        assertThat(held(account)).isEqualTo(before).isEqualTo(db.stored(account));
        assertThat(portfolio.bookLoads()).isEqualTo(2);
        assertThat(store.reservationRelease(lapsing.decisionId())).isEmpty();
        assertThat(db.count("reservation", account)).isEqualTo(1);
        assertThat(db.count("decision", account)).isEqualTo(2);
        assertThat(db.count("equity_snapshot", account)).isEqualTo(1);
        assertThat(db.tradeColumn(t.id(), "ref_price")).isEqualTo(50_000.0);
    }

    @Test
    void marksWhoseCommitFailsLeaveTheBookAsTheDatabaseKeptIt() {
        Trade t = db.storedTrade(account, btc, T0);
        Held before = held(account);
        Instant markAt = T0.plus(Duration.ofHours(1));
        // +1R at 52,250: breakeven, the stop to entry + 0.1% = 50,050
        Trade breakeven = t.withExitState(50_050, TradeState.BREAKEVEN,
                new ExitProgress(52_250, 50_000, markAt, true, false, false, null));
        RuntimeException exitLogFailed = new IllegalStateException("the exit instruction could not be written");
        assertThatThrownBy(() -> portfolio.withAccount(account, book -> {
            book.advance(markAt);  // as the exit service does before it writes
            // the insert of the exit instruction fails in the unit, on the writer
            portfolio.applyMarks(book, new Portfolio.Marking("BTCUSDT", 52_250, markAt, List.of(breakeven),
                    List.of(breakeven), List.of()), latest -> new Portfolio.MarkWrites(() -> {
                        throw exitLogFailed;
                    }, () -> { })).await();
            return null;
        })).isSameAs(exitLogFailed);

        assertThat(held(account)).isEqualTo(before).isEqualTo(db.stored(account));
        assertThat(portfolio.bookLoads()).isEqualTo(2);
        assertThat(store.trade(t.id())).contains(t);
        assertThat(store.lastPrices(account)).containsEntry(t.id(), 50_000.0);
        assertThat(db.count("account_mark", account)).as("the account's mark row was not written either").isZero();
    }

    @Test
    void whatAMarkWritesAfterTheTradesIsNotOverwrittenByThem() {
        Trade t = db.storedTrade(account, btc, T0);
        Instant markAt = T0.plus(Duration.ofHours(1));
        // +1R at 52,250: breakeven, the stop to entry + 0.1% = 50,050, so the mark writes the trade
        Trade breakeven = t.withExitState(50_050, TradeState.BREAKEVEN,
                new ExitProgress(52_250, 50_000, markAt, true, false, false, null));
        portfolio.withAccount(account, book -> {
            book.advance(markAt);
            // the governor's update is written after the trades: a breaker's close it marks on the trade (as
            // GovernorService.persist does) must not be overwritten by the trade as the mark left it
            portfolio.applyMarks(book, new Portfolio.Marking(btc, 52_250, markAt, List.of(breakeven),
                    List.of(breakeven), List.of()), latest -> new Portfolio.MarkWrites(() -> { },
                    () -> db.jdbc.update("UPDATE trade SET pending_exit = 'CLOSED_BREAKER' WHERE id = ?", t.id())))
                    .await();
            return null;
        });
        assertThat(db.pendingExit(t.id())).contains("CLOSED_BREAKER");
        assertThat(db.tradeColumn(t.id(), "stop_loss")).isEqualTo(50_050.0);
    }

    @Test
    void aTradeTheExitRulesCouldNotEvaluateKeepsItsPriceWhileTheAccountsRowMovesOn() {
        Trade priced = db.storedTrade(account, btc, T0);
        Trade alsoPriced = db.storedTrade(account, btc, T0);
        Trade failed = db.storedTrade(account, btc, T0);
        Instant markAt = T0.plus(Duration.ofHours(1));
        // a mark at 50,100 that moved nothing of the first two trades (as if an earlier mark had set their best
        // price) and could not evaluate the third: two trades not written against one more, so the row moves
        List<Trade> marked = List.of(priced, alsoPriced).stream().map(t -> t.withExitState(t.stopLoss(), t.state(),
                new ExitProgress(50_000, 50_000, markAt, false, false, false, null))).toList();
        portfolio.withAccount(account, book -> {
            book.advance(markAt);
            portfolio.applyMarks(book, new Portfolio.Marking(btc, 50_100, markAt, marked, List.of(),
                    List.of(failed)), latest -> new Portfolio.MarkWrites(() -> { }, () -> { })).await();
            return null;
        });

        // the row moved on to sequence 1 and prices the first two; the third was written at sequence 1 with its own
        // price (the fill's 50,000) and no mark time, so the row does not price it
        assertThat(db.tradeColumn(priced.id(), "mark_seq")).isZero();
        assertThat(store.lastPrices(account)).containsEntry(alsoPriced.id(), 50_100.0);
        assertThat(db.tradeColumn(failed.id(), "mark_seq")).isEqualTo(1.0);
        assertThat(store.lastPrices(account)).containsEntry(priced.id(), 50_100.0)
                .containsEntry(failed.id(), 50_000.0);
        assertThat(store.trade(failed.id()).orElseThrow().progress().lastMarkAt()).isNull();
        assertMemoryIsTheDatabase(account);
    }

    @Test
    void anEquityReportWhoseCommitFailsIsForgottenAndNotMeasured() {
        db.store.insertEquity(new EquitySnapshot(account, 10_000, T0), "API", T0);
        Trade t = db.storedTrade(account, btc, T0);
        db.lastPrice(List.of(t), 49_000);
        Held before = held(account);
        AtomicInteger measured = new AtomicInteger();
        portfolio.setAfterEquityReport((book, at) -> measured.incrementAndGet());

        tx.failNext();
        assertThatThrownBy(() -> portfolio.reportEquity(new EquitySnapshot(account, 9_990, T0.plusSeconds(60))))
                .isInstanceOf(CommitFailed.class);
        assertThat(measured).hasValue(0);
        assertThat(held(account)).isEqualTo(before).isEqualTo(db.stored(account));
        assertThat(portfolio.bookLoads()).isEqualTo(2);
        assertThat(db.count("equity_snapshot", account)).isEqualTo(1);
    }

    enum Step { FILL, CANCEL, EXPIRE }

    @ParameterizedTest
    @EnumSource(Step.class)
    void aFillCancelOrExpiryThatFailsLeavesTheBookUntouched(Step step) {
        Reservation r = db.storedReservation(account, btc, T0, T0.plus(TTL));
        Held before = held(account);
        tx.failNext();
        assertThatThrownBy(() -> portfolio.withAccount(account, book -> {
            switch (step) {
                case FILL -> portfolio.open(book, seed001Trade(r.decisionId(), account, btc, T0.plusSeconds(60)));
                case CANCEL -> portfolio.cancel(book, r, T0.plusSeconds(60));
                case EXPIRE -> portfolio.expire(book, T0.plus(TTL));
            }
            return null;
        })).isInstanceOf(CommitFailed.class);
        // these change the book only after their commit: nothing to drop, nothing read again
        assertThat(held(account)).isEqualTo(before).isEqualTo(db.stored(account));
        assertThat(portfolio.bookLoads()).isEqualTo(1);
        assertThat(store.reservationRelease(r.decisionId())).isEmpty();
        assertThat(store.tradeForDecisionId(r.decisionId())).isEmpty();
    }

    // ---- a check's batch

    static Stream<Arguments> checkTimes() {
        Instant expiry = T0.plus(TTL);
        return Stream.of(
                Arguments.of(expiry.minusNanos(1), false),
                Arguments.of(expiry, true),            // lapses at its expiry instant
                Arguments.of(expiry.plusNanos(1), true));
    }

    @ParameterizedTest
    @MethodSource("checkTimes")
    void aBatchReleasesReservationsLapsedByTheChecksEventTime(Instant now, boolean lapsed) {
        Reservation r = db.storedReservation(account, btc, T0, T0.plus(TTL));
        AtomicReference<List<Reservation>> seenByTheCheck = new AtomicReference<>();
        AtomicReference<Optional<ReservationRelease>> storedMeanwhile = new AtomicReference<>();
        portfolio.withAccount(account, book -> {
            Portfolio.Batch batch = portfolio.batch(book).expire(now);
            seenByTheCheck.set(List.copyOf(book.reservations()));
            storedMeanwhile.set(store.reservationRelease(r.decisionId()));
            batch.commit(() -> { }, null);
            return null;
        });
        // the check decides without a lapsed reservation; the database learns of it with the check's commit
        assertThat(seenByTheCheck.get()).hasSize(lapsed ? 0 : 1);
        assertThat(storedMeanwhile.get()).isEmpty();
        assertThat(store.reservationRelease(r.decisionId())).isEqualTo(lapsed ? Optional.of(ReservationRelease.EXPIRED)
                : Optional.empty());
        // released at its expiry, not at the check's time
        assertThat(db.releasedAt(r.decisionId())).isEqualTo(lapsed ? Optional.of(T0.plus(TTL)) : Optional.empty());
        assertMemoryIsTheDatabase(account);
    }

    @Test
    void aBatchRecordsTheChecksEquityAndValuesLiveTradesFromTheirLastPrice() {
        db.store.insertEquity(new EquitySnapshot(account, 10_000, T0), "API", T0);
        Trade t = db.storedTrade(account, btc, T0.plusSeconds(10));
        db.lastPrice(List.of(t), 49_000);
        // seed 001's example: 10,000 + 0.01 x (49,000 - 50,000) = 9,990
        assertThat(portfolio.withAccount(account, AccountBook::markedEquity)).contains(9_990.0);
        Instant now = T0.plusSeconds(60);
        AtomicReference<Held> beforeCommit = new AtomicReference<>();
        portfolio.withAccount(account, book -> {
            book.advance(now);
            Portfolio.Batch batch = portfolio.batch(book)
                    .recordEquity(new EquitySnapshot(account, 9_990, now), "CHECK");
            beforeCommit.set(Held.of(book));
            batch.commit(() -> { }, null);
            return null;
        });
        // the check sees its equity at once, the trade valued from 49,000 on: the -10 is not counted twice
        assertThat(beforeCommit.get().equity()).contains(new EquitySnapshot(account, 9_990, now));
        assertThat(beforeCommit.get().prices()).containsEntry(t.id(), List.of(49_000.0, 49_000.0));
        assertThat(portfolio.withAccount(account, AccountBook::markedEquity)).contains(9_990.0);
        assertThat(db.tradeColumn(t.id(), "ref_price")).isEqualTo(49_000.0);
        assertThat(db.jdbc.queryForMap("SELECT equity, source, recorded_at FROM equity_snapshot WHERE account = ? "
                + "AND observed_at = ?", account, PortfolioStore.ts(now)))
                .containsEntry("EQUITY", 9_990.0).containsEntry("SOURCE", "CHECK")
                .containsEntry("RECORDED_AT", PortfolioStore.ts(clock.instant()));
        assertMemoryIsTheDatabase(account);
    }

    @Test
    void anOlderSnapshotIsKeptInTheHistoryButNeitherHeldNorRebased() {
        db.store.insertEquity(new EquitySnapshot(account, 10_000, T0.plusSeconds(60)), "API", T0);
        Trade t = db.storedTrade(account, btc, T0);
        db.lastPrice(List.of(t), 49_000);
        portfolio.withAccount(account, book -> {
            portfolio.batch(book).recordEquity(new EquitySnapshot(account, 9_900, T0.plusSeconds(30)), "CHECK")
                    .commit(() -> { }, null);
            return null;
        });
        assertThat(portfolio.view(account).equity()).isEqualTo(10_000.0);
        assertThat(db.count("equity_snapshot", account)).isEqualTo(2);
        assertThat(db.tradeColumn(t.id(), "ref_price")).isEqualTo(50_000.0);
        assertMemoryIsTheDatabase(account);
    }

    @Test
    void theReservationJoinsTheBookOnlyOnceCommitted() {
        String decision = UUID.randomUUID().toString();
        Reservation r = reservation(decision, account, btc, T0.plus(TTL));
        AtomicInteger heldDuringTheTransaction = new AtomicInteger(-1);
        portfolio.withAccount(account, book -> {
            book.advance(T0);
            portfolio.batch(book).commit(() -> {
                db.decision(decision, account, T0);  // the audit record the reservation refers to
                heldDuringTheTransaction.set(book.reservations().size());
            }, r);
            return null;
        });
        assertThat(heldDuringTheTransaction).hasValue(0);
        assertThat(portfolio.view(account).reservations()).containsExactly(r);
        assertThat(portfolio.view(account).exposure()).isEqualTo(500.0);
        assertThat(store.reservationAsset(decision)).contains("BTC");
        assertMemoryIsTheDatabase(account);
    }

    // ---- fills, closes, cancels, expiry

    @Test
    void aFillReleasesItsReservationAsFilledAndHoldsThePositionAtItsFill() {
        Reservation r = db.storedReservation(account, btc, T0, T0.plus(TTL));
        Instant filledAt = T0.plusSeconds(60);
        Trade t = seed001Trade(r.decisionId(), account, btc, filledAt);
        portfolio.withAccount(account, book -> {
            book.advance(filledAt);  // as the trade service does
            portfolio.open(book, t);
            return null;
        });
        assertThat(store.reservationRelease(r.decisionId())).contains(ReservationRelease.FILLED);
        assertThat(db.releasedAt(r.decisionId())).contains(filledAt);
        assertThat(store.trade(t.id())).contains(t);
        Held h = held(account);
        assertThat(h.reservations()).isEmpty();
        assertThat(h.positions()).containsExactly(t.position());
        assertThat(h.prices()).containsEntry(t.id(), List.of(50_000.0, 50_000.0));
        // the reservation's 500 became the position's 0.01 x 50,000
        assertThat(portfolio.view(account).exposure()).isEqualTo(500.0);
        assertMemoryIsTheDatabase(account);
    }

    @Test
    void aPartialCloseLeavesTheRestOpenAndTheFinalCloseRecordsTheResult() {
        db.store.insertEquity(new EquitySnapshot(account, 10_000, T0), "API", T0);
        Trade t = db.storedTrade(account, btc, T0);
        // half at +2R: 0.005 at 54,500
        Instant partialAt = T0.plus(Duration.ofHours(2));
        Trade half = t.withClose(0.005, 54_500, partialAt, 0.005, TradeState.CLOSED_TP);
        portfolio.withAccount(account, book -> {
            portfolio.close(book, half, 0.005, 54_500, "partial at +2R", partialAt);
            return null;
        });
        Held afterHalf = held(account);
        assertThat(afterHalf.positions()).containsExactly(half.position());
        assertThat(portfolio.view(account).exposure()).isCloseTo(250.0, EXACT);  // 0.005 x 50,000
        assertThat(afterHalf.results()).isEmpty();
        assertThat(store.closes(t.id())).extracting(TradeClose::reason).containsExactly("partial at +2R");
        assertMemoryIsTheDatabase(account);

        // the rest at the target 55,625: 22.5 + 28.125 = 50.625 realized, a WIN
        Instant finalAt = T0.plus(Duration.ofHours(3));
        Trade closed = half.withClose(0.005, 55_625, finalAt, 0, TradeState.CLOSED_TP);
        portfolio.withAccount(account, book -> {
            book.advance(finalAt);  // as the trade service does
            portfolio.close(book, closed, 0.005, 55_625, null, finalAt);
            return null;
        });
        Held afterAll = held(account);
        assertThat(afterAll.positions()).isEmpty();
        assertThat(afterAll.prices()).isEmpty();
        assertThat(afterAll.results()).containsExactly(TradeResult.WIN);
        double lastPrice = portfolio.withAccount(account, b -> b.lastPrice(t.id()));
        assertThat(lastPrice).isNaN();
        assertThat(store.trade(t.id()).orElseThrow().realizedPnl()).isCloseTo(50.625, EXACT);
        assertMemoryIsTheDatabase(account);
    }

    @Test
    void aCancelReleasesTheReservationAtOnce() {
        Reservation r = db.storedReservation(account, btc, T0, T0.plus(TTL));
        Instant at = T0.plusSeconds(90);
        portfolio.withAccount(account, book -> {
            portfolio.cancel(book, r, at);
            return null;
        });
        assertThat(store.reservationRelease(r.decisionId())).contains(ReservationRelease.CANCELLED);
        assertThat(db.releasedAt(r.decisionId())).contains(at);
        assertThat(portfolio.view(account).reservations()).isEmpty();
        assertThat(portfolio.view(account).exposure()).isZero();
        assertMemoryIsTheDatabase(account);
    }

    @Test
    void expiryReleasesWhatLapsedByEventTimeAndWritesNothingOtherwise() {
        Reservation first = db.storedReservation(account, btc, T0, T0.plus(TTL));
        Reservation second = db.storedReservation(account, btc, T0, T0.plus(TTL).plusSeconds(60));
        int transactions = tx.executed.get();
        List<Reservation> none = portfolio.withAccount(account, b -> portfolio.expire(b, T0.plus(TTL).minusNanos(1)));
        assertThat(none).isEmpty();
        assertThat(tx.executed).hasValue(transactions);

        List<Reservation> lapsed = portfolio.withAccount(account, b -> portfolio.expire(b, T0.plus(TTL)));
        assertThat(lapsed).containsExactly(first);
        assertThat(tx.executed).hasValue(transactions + 1);
        assertThat(store.reservationRelease(first.decisionId())).contains(ReservationRelease.EXPIRED);
        assertThat(db.releasedAt(first.decisionId())).contains(T0.plus(TTL));
        assertThat(store.reservationRelease(second.decisionId())).isEmpty();
        assertThat(portfolio.view(account).reservations()).containsExactly(second);
        assertMemoryIsTheDatabase(account);
    }

    // ---- equity reports and views

    @Test
    void anEquityReportIsStoredThenMeasuredAtTheAccountsClock() {
        List<Instant> measuredAt = new ArrayList<>();
        List<Integer> storedWhenMeasured = new ArrayList<>();
        AtomicReference<AccountBook> measuredBook = new AtomicReference<>();
        portfolio.setAfterEquityReport((book, at) -> {
            measuredAt.add(at);
            measuredBook.set(book);
            storedWhenMeasured.add(db.count("equity_snapshot", account));
        });
        AccountView v = portfolio.reportEquity(new EquitySnapshot(account, 10_000, T0));
        assertThat(v.equity()).isEqualTo(10_000.0);
        assertThat(v.equityAt()).isEqualTo(T0);
        assertThat(measuredBook.get()).isSameAs(portfolio.withAccount(account, b -> b));

        // a late report, observed a minute earlier: kept in the history, not held; the clock does not go back
        AccountView late = portfolio.reportEquity(new EquitySnapshot(account, 9_900, T0.minusSeconds(60)));
        assertThat(late.equity()).isEqualTo(10_000.0);
        assertThat(measuredAt).containsExactly(T0, T0);
        // the governor measures what is already committed
        assertThat(storedWhenMeasured).containsExactly(1, 2);
        assertThat(db.jdbc.queryForList("SELECT source FROM equity_snapshot WHERE account = ?", String.class,
                account)).containsExactly("API", "API");
        assertMemoryIsTheDatabase(account);
    }

    @Test
    void aViewShowsTheAccountAndReleasesNothing() {
        db.store.insertEquity(new EquitySnapshot(account, 10_000, T0), "API", T0);
        Trade t = db.storedTrade(account, btc, T0);
        // seed 001's order at confidence >= 85%: 1% x 1.5 = 1.5% of 10,000 = 150 over 1.5 x 1,500 = 2,250 is
        // 0.06666666 BTC (8 decimals, rounded down), 0.06666666 x 50,000 = 3,333.333 reserved
        Reservation r = new Reservation(db.decision(account, T0), account, btc, "BTC", null, 0.06666666 * 50_000,
                T0.plus(TTL));
        store.insertReservation(r);
        // long past its expiry by the wall clock: only an event (a check or fill at or after it) releases it
        clock.set(T0.plus(Duration.ofHours(1)));

        AccountView v = portfolio.view(account);
        assertThat(v.account()).isEqualTo(account);
        assertThat(v.equity()).isEqualTo(10_000.0);
        assertThat(v.equityAt()).isEqualTo(T0);
        assertThat(v.openPositions()).containsExactly(t.position());
        assertThat(v.reservations()).containsExactly(r);
        // 500 + 3,333.333 = 3,833.333, 38.33% of 10,000
        assertThat(v.exposure()).isCloseTo(3_833.333, EXACT);
        assertThat(v.exposurePctOfEquity()).isCloseTo(0.3833333, EXACT);
        assertThat(store.reservationRelease(r.decisionId())).isEmpty();
        assertThat(tx.executed).hasValue(0);
    }

    static Stream<Arguments> equities() {
        return Stream.of(
                Arguments.of(null, null),            // no snapshot yet: no share
                Arguments.of(0.0, null),             // nothing to divide by
                Arguments.of(-1.0, null),
                Arguments.of(10_000.0, 0.05));       // 500 of 10,000
    }

    @ParameterizedTest
    @MethodSource("equities")
    void theShareOfEquityNeedsAPositiveEquity(Double equity, Double share) {
        db.storedTrade(account, btc, T0);
        if (equity != null) {
            db.store.insertEquity(new EquitySnapshot(account, equity, T0), "API", T0);
        }
        AccountView v = portfolio.view(account);
        assertThat(v.equity()).isEqualTo(equity);
        assertThat(v.exposure()).isEqualTo(500.0);
        assertThat(v.exposurePctOfEquity()).isEqualTo(share);
    }
}
