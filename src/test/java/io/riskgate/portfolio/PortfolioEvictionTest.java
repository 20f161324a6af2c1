package io.riskgate.portfolio;

import static io.riskgate.testing.Requests.set;
import static io.riskgate.testing.TestRuntime.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.decision.Decision;
import io.riskgate.lifecycle.CloseRequest;
import io.riskgate.lifecycle.FillRequest;
import io.riskgate.market.Mark;
import io.riskgate.testing.Engine;
import io.riskgate.testing.Requests;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Idle account books leave memory and come back from the database as they were: the resident count stays within
 * the bound, an evicted account's next use sees its reservations, open trades, equity, clock and governor state
 * unchanged, and a book is never evicted while a thread holds or waits for its lock. Time for eviction comes from
 * a ticker the test moves.
 */
class PortfolioEvictionTest {

    private static final Duration IDLE = Duration.ofMinutes(1);

    private final AtomicLong nanos = new AtomicLong();

    private Engine engine(int maxResident) {
        return new Engine(new Portfolio.Residency(IDLE, maxResident, nanos::get));
    }

    private void idleFor(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    /** Everything an account's book holds, read under its lock. */
    private record BookState(AccountView view, Optional<Double> markedEquity, GovernorState governor, Instant clock,
                             List<TradeResult> results, Map<String, List<Double>> prices) {
    }

    private static BookState state(Portfolio portfolio, String account) {
        return portfolio.withAccount(account, b -> {
            Map<String, List<Double>> prices = new LinkedHashMap<>();
            b.positions().forEach(p -> prices.put(p.tradeId(), List.of(b.lastPrice(p.tradeId()),
                    b.refPrice(p.tradeId()))));
            return new BookState(AccountView.of(b), b.markedEquity(), b.governor(), b.advance(Instant.MIN),
                    b.recentResults(), prices);
        });
    }

    private static ObjectNode order(String account, String symbol, Instant at) {
        ObjectNode r = set(Requests.seed001(), "account", account);
        set(r, "symbol", symbol);
        set(r, "market.timestamp", at.toString());
        return r;
    }

    @Test
    void residentBooksStayWithinTheBoundAndIdleOnesLeave() {
        Engine e = engine(5);
        Portfolio portfolio = e.rt.portfolio();
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String account = Engine.freshAccount();
            accounts.add(account);
            portfolio.view(account);
            assertThat(portfolio.residentBooks()).isLessThanOrEqualTo(5);
        }
        assertThat(portfolio.residentBooks()).isEqualTo(5);
        assertThat(portfolio.bookLoads()).isEqualTo(30);

        idleFor(IDLE.minusSeconds(1));
        assertThat(portfolio.residentBooks()).isEqualTo(5);
        idleFor(Duration.ofSeconds(1));
        assertThat(portfolio.residentBooks()).isZero();

        // the next use reads the book again
        portfolio.view(accounts.get(0));
        assertThat(portfolio.bookLoads()).isEqualTo(31);
        assertThat(portfolio.isResident(accounts.get(0))).isTrue();
    }

    @Test
    void anEvictedAccountComesBackExactlyAsItWas() {
        Engine e = engine(100);
        Portfolio portfolio = e.rt.portfolio();
        String account = Engine.freshAccount();
        // a reservation, an open trade marked below its fill, a closed loss, a later equity report
        Decision filled = e.check(order(account, "BTCUSDT", T0.plusSeconds(10)));
        Decision reserved = e.check(order(account, "ETHUSDT", T0.plusSeconds(20)));
        Decision lost = e.check(order(account, "SOLUSDT", T0.plusSeconds(30)));
        assertThat(List.of(filled, reserved, lost)).allMatch(Decision::approved);
        e.clock.set(T0.plusSeconds(120));
        Trade open = e.rt.trades().fill(new FillRequest(filled.decisionId(), 50_000, 0.01,
                Optional.of(T0.plusSeconds(40)))).trade();
        Trade loss = e.rt.trades().fill(new FillRequest(lost.decisionId(), lost.entryPrice(), lost.quantity(),
                Optional.of(T0.plusSeconds(45)))).trade();
        e.rt.trades().close(loss.id(), new CloseRequest(lost.stopLoss(), OptionalDouble.empty(), Optional.empty(),
                Optional.of(T0.plusSeconds(50))));
        e.rt.exits().mark(Mark.at("BTCUSDT", 49_000, T0.plusSeconds(60)));
        portfolio.reportEquity(new EquitySnapshot(account, 9_950, T0.plusSeconds(90)));
        BookState before = state(portfolio, account);
        assertThat(before.view().reservations()).extracting(Reservation::decisionId)
                .containsExactly(reserved.decisionId());
        assertThat(before.view().openPositions()).extracting(Position::tradeId).containsExactly(open.id());
        assertThat(before.results()).containsExactly(TradeResult.LOSS);
        assertThat(before.clock()).isEqualTo(T0.plusSeconds(90));
        long loads = portfolio.bookLoads();

        idleFor(IDLE);
        assertThat(portfolio.isResident(account)).isFalse();
        BookState after = state(portfolio, account);
        assertThat(portfolio.bookLoads()).isEqualTo(loads + 1);
        assertThat(after).isEqualTo(before);

        // the next check sees the same account: one open trade, one reservation, their exposure, the same clock
        Decision next = e.check(order(account, "XRPUSDT", T0.plusSeconds(100)));
        assertThat(next.accountState().openPositions()).isEqualTo(1);
        assertThat(next.accountState().reservedTrades()).isEqualTo(1);
        assertThat(next.accountState().exposure()).isEqualTo(before.view().exposure());
        assertThat(next.accountState().accountClock()).isEqualTo(T0.plusSeconds(100));
    }

    @Test
    void aHaltedAccountIsStillHaltedAfterEviction() {
        Engine e = engine(100);
        Portfolio portfolio = e.rt.portfolio();
        String account = Engine.freshAccount();
        portfolio.reportEquity(new EquitySnapshot(account, 10_000, T0));
        // 9,700: 3% lost since the day opened, the daily loss limit halts the account
        e.clock.set(T0.plusSeconds(60));
        portfolio.reportEquity(new EquitySnapshot(account, 9_700, T0.plusSeconds(60)));
        BookState before = state(portfolio, account);
        assertThat(before.governor().state()).isEqualTo(TradingState.HALTED);

        idleFor(IDLE.plusSeconds(1));
        assertThat(portfolio.isResident(account)).isFalse();
        assertThat(state(portfolio, account)).isEqualTo(before);
        assertThat(e.rt.governor().view(account).breakers()).extracting(ActiveBreaker::code)
                .containsExactly("DAILY_LOSS_LIMIT");
        ObjectNode r = order(account, "BTCUSDT", T0.plusSeconds(120));
        r.remove("equity");
        Decision refused = e.check(r);
        assertThat(refused.approved()).isFalse();
        assertThat(refused.codes()).contains("DAILY_LOSS_LIMIT");
    }

    @Test
    void aHeldAccountIsNeitherEvictedNorGivenASecondLock() throws Exception {
        Engine e = engine(2);
        Portfolio portfolio = e.rt.portfolio();
        String account = Engine.freshAccount();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        AtomicReference<AccountBook> first = new AtomicReference<>();
        AtomicReference<AccountBook> second = new AtomicReference<>();
        AtomicBoolean secondInside = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<?> holder = pool.submit(() -> portfolio.withAccount(account, b -> {
            first.set(b);
            inside.countDown();
            await(leave);
            return null;
        }));
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        Future<?> waiter = pool.submit(() -> portfolio.withAccount(account, b -> {
            secondInside.set(true);
            second.set(b);
            return null;
        }));
        // long past the idle time, and three times the bound of other accounts come and go
        idleFor(IDLE.multipliedBy(10));
        for (int i = 0; i < 6; i++) {
            portfolio.view(Engine.freshAccount());
        }
        Thread.sleep(200);
        assertThat(portfolio.isResident(account)).isTrue();
        assertThat(secondInside).isFalse();
        long loads = portfolio.bookLoads();

        leave.countDown();
        holder.get(10, TimeUnit.SECONDS);
        waiter.get(10, TimeUnit.SECONDS);
        pool.shutdown();
        // the waiter got the same lock and the same book: nothing was read again
        assertThat(second.get()).isSameAs(first.get());
        assertThat(portfolio.bookLoads()).isEqualTo(loads);
        // once free it is idle like any other
        idleFor(IDLE);
        assertThat(portfolio.isResident(account)).isFalse();
    }

    @Test
    void nestedCallsOnOneThreadShareTheLockAndTheBook() {
        Engine e = engine(1);
        Portfolio portfolio = e.rt.portfolio();
        String account = Engine.freshAccount();
        boolean same = portfolio.withAccount(account, outer -> {
            idleFor(IDLE.multipliedBy(2));
            portfolio.view(Engine.freshAccount());
            return portfolio.withAccount(account, inner -> inner == outer);
        });
        assertThat(same).isTrue();
    }

    /**
     * Eight threads on four accounts, in shuffled order, while every free book is evicted at once (the ticker jumps
     * past the idle time on every reading, the bound is one book, and a sweeper runs the due evictions all along):
     * at times several threads queue on one account, at times an account is free and leaves memory between two
     * checks. Each account still gets exactly its four trade slots, and the book read back holds exactly the
     * reservations approved.
     */
    @Test
    void hammeringAFewAccountsWhileTheyAreEvictedNeverOvershootsNorLosesAReservation() throws Exception {
        Engine e = new Engine(new Portfolio.Residency(Duration.ofMillis(1), 1,
                () -> nanos.addAndGet(Duration.ofSeconds(1).toNanos())));
        Portfolio portfolio = e.rt.portfolio();
        List<String> accounts = List.of(Engine.freshAccount(), Engine.freshAccount(), Engine.freshAccount(),
                Engine.freshAccount());
        int perAccount = 20;
        List<String> order = new ArrayList<>();
        for (int i = 0; i < perAccount; i++) {
            order.addAll(accounts);
        }
        java.util.Collections.shuffle(order, new java.util.Random(7));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        Thread sweeper = new Thread(() -> {
            while (!done.get()) {
                portfolio.residentBooks();
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
        });
        sweeper.start();
        Map<String, List<Future<Decision>>> futures = new LinkedHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            String account = order.get(i);
            // BTC and ETH alternate so asset concentration is not what binds
            String symbol = i % 2 == 0 ? "BTCUSDT" : "ETHUSDT";
            futures.computeIfAbsent(account, a -> new ArrayList<>()).add(pool.submit(() -> {
                go.await();
                return e.check(order(account, symbol, T0));
            }));
        }
        go.countDown();
        Map<String, List<Decision>> decisions = new LinkedHashMap<>();
        for (var entry : futures.entrySet()) {
            for (Future<Decision> f : entry.getValue()) {
                decisions.computeIfAbsent(entry.getKey(), a -> new ArrayList<>()).add(f.get(60, TimeUnit.SECONDS));
            }
        }
        done.set(true);
        sweeper.join();
        pool.shutdown();

        // books were evicted and read again during the run (about 20 loads for the 4 accounts when measured)
        assertThat(portfolio.bookLoads()).isGreaterThanOrEqualTo(2L * accounts.size());
        for (String account : accounts) {
            List<Decision> ds = decisions.get(account);
            assertThat(ds).hasSize(perAccount);
            // max_concurrent_trades 4: exactly four approvals, every other check refused for the slots
            assertThat(ds.stream().filter(Decision::approved).count()).as(account).isEqualTo(4);
            assertThat(ds.stream().filter(d -> !d.approved()))
                    .allSatisfy(d -> assertThat(d.codes()).containsExactly("MAX_CONCURRENT_TRADES"));
            List<String> approved = ds.stream().filter(Decision::approved).map(Decision::decisionId).toList();
            // read back from the database: exactly the approved reservations, 4 x 500 of exposure
            AccountView v = portfolio.view(account);
            assertThat(v.reservations()).extracting(Reservation::decisionId)
                    .containsExactlyInAnyOrderElementsOf(approved);
            assertThat(v.exposure()).isEqualTo(2_000.0);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }
}
