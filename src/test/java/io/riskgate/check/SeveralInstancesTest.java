package io.riskgate.check;

import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.decision.Decision;
import io.riskgate.decision.Outcome;
import io.riskgate.governor.GovernorEvent;
import io.riskgate.governor.KillSwitches;
import io.riskgate.portfolio.TradingState;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.HeldWriter;
import io.riskgate.testing.Postgres;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two riskgate instances on one PostgreSQL database serving the same account (issue 15): each has its own pool,
 * group commit and books in memory, as two processes would, and together they never pass a limit. Each write moves
 * the account's version on from the one its book was read at; a write decided on a book the other instance has made
 * stale fails before it commits and is decided again on what is stored (AccountVersions, Portfolio.withAccount).
 * The two instances are started once for the class; each test has an account of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeveralInstancesTest {

    // seed 001's event time plus a minute
    private final Clock clock = Clock.fixed(TestRuntime.T0.plusSeconds(60), ZoneOffset.UTC);
    private Pair instances;
    private JdbcTemplate jdbc;
    private RiskgateRuntime a;
    private RiskgateRuntime b;

    @BeforeAll
    void start() {
        instances = Pair.start(TestRuntime.repoPolicies().toAbsolutePath().getParent(), clock);
        a = instances.x();
        b = instances.y();
        // the tests poll by hand, so each knows what the other instance has seen: a poll of the instances' own timers
        // (every second) between a change and the next check would decide it by the rule instead of the store's
        // refusal (a CI run saw REJECTED by KILL_SWITCH where FAILED was expected)
        a.sync().close();
        b.sync().close();
        jdbc = new JdbcTemplate(instances.one());
    }

    /** Two instances on a database of their own, reading one policies and rules directory ({@code dir}). */
    private record Pair(HikariDataSource one, HikariDataSource two, RiskgateRuntime x, RiskgateRuntime y)
            implements AutoCloseable {

        static Pair start(Path dir, Clock clock) {
            String url = Postgres.newDatabaseUrl();
            HikariDataSource one = Postgres.pool(url);
            HikariDataSource two = Postgres.pool(url);
            return new Pair(one, two, instance(dir, one, clock), instance(dir, two, clock));
        }

        private static RiskgateRuntime instance(Path dir, HikariDataSource pool, Clock clock) {
            return RiskgateRuntime.start(dir.resolve("policies"), dir.resolve("rules"), "default", pool, clock,
                    new SimpleMeterRegistry());
        }

        @Override
        public void close() {
            x.close();
            y.close();
            one.close();
            two.close();
        }
    }

    @AfterAll
    void stop() {
        instances.close();
    }

    /** {@code clients} threads on each of the class's instances, all let go at once: every decision, in order sent. */
    private List<Decision> race(int clients, IntFunction<ObjectNode> order) throws Exception {
        return race(a, b, clients, order);
    }

    /** {@code clients} threads on each of {@code a} and {@code b}, let go at once: every decision, in order sent. */
    private static List<Decision> race(RiskgateRuntime a, RiskgateRuntime b, int clients,
                                       IntFunction<ObjectNode> order) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2 * clients);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Decision>> futures = new ArrayList<>();
        for (int i = 0; i < 2 * clients; i++) {
            RiskgateRuntime instance = i % 2 == 0 ? a : b;
            ObjectNode request = order.apply(i);
            futures.add(threads.submit(() -> {
                go.await();
                return instance.engine().check(request);
            }));
        }
        go.countDown();
        List<Decision> decisions = new ArrayList<>();
        for (Future<Decision> f : futures) {
            decisions.add(f.get(120, TimeUnit.SECONDS));
        }
        threads.shutdown();
        return decisions;
    }

    /**
     * What lives above the runtime and other instances change (the API keys, SecurityConfiguration) is read again at
     * every poll of the instance sync, with the runtime's own shared state.
     */
    @Test
    void theInstanceSyncAlsoRunsWhatIsRegisteredAtEachPoll() {
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        a.sync().alsoEachPoll(reads::incrementAndGet);
        a.sync().poll();
        a.sync().poll();
        assertThat(reads).hasValueGreaterThanOrEqualTo(2);
    }

    @Test
    void aRecordRefusedFirstInABatchLeavesTheRestOfTheBatchInItsPlaceInTheChain() throws Exception {
        // a links one record, then b links two: the head a last linked is now two places behind the chain's
        Decision linkedByA = a.engine().check(set(Requests.seed001(), "account", "chain-a"));
        b.engine().check(set(Requests.seed001(), "account", "chain-b"));
        b.engine().check(set(Requests.seed001(), "account", "chain-b"));
        // a decision not yet in this database (decided on an instance of its own)
        RiskgateRuntime elsewhere = TestRuntime.start(new io.riskgate.testing.MutableClock(TestRuntime.T0));
        Decision fresh = elsewhere.engine().check(set(Requests.seed001(), "account", "chain-a"));
        elsewhere.close();
        // a's next batch: first a record the store refuses (its id is taken), then one that must link after b's.
        // The writer is held in a batch of its own while both are queued, so that they share the next one
        HeldWriter writer = HeldWriter.hold(a.commits());
        var refused = a.commits().submit(s -> {
            a.audit().insert(linkedByA, Requests.seed001(), TestRuntime.T0);
            return null;
        });
        var next = a.commits().submit(s -> {
            a.audit().insert(fresh, Requests.seed001(), TestRuntime.T0);
            return null;
        });
        writer.release();
        org.assertj.core.api.Assertions.assertThatThrownBy(refused::await)
                .isInstanceOf(org.springframework.dao.DataIntegrityViolationException.class);
        next.await();
        var report = a.audit().chain().verify(Optional.empty());
        assertThat(report.problems()).isEmpty();
        assertThat(report.head()).get().extracting(io.riskgate.audit.AuditChain.Head::decisionId)
                .isEqualTo(fresh.decisionId());
    }

    @Test
    void sixtyFourClientsOnTwoInstancesGetExactlyTheFourTradeSlots() throws Exception {
        // 2 x 32 clients send seed 001's order (0.01 BTC, 500 notional: the 5% max position binds) on one account,
        // alternating BTC and ETH so that asset concentration never binds; policies/default.yaml allows 4
        // concurrent trades, so exactly 4 approvals between the two instances, every other check refused for slots
        long retries = a.portfolio().staleRetries() + b.portfolio().staleRetries();
        List<Decision> decisions = race(32, i -> set(set(Requests.seed001(), "account", "shared"), "symbol",
                i % 2 == 0 ? "BTCUSDT" : "ETHUSDT"));
        assertThat(decisions.stream().filter(Decision::approved).count()).isEqualTo(4);
        assertThat(decisions.stream().filter(d -> !d.approved()))
                .allSatisfy(d -> assertThat(d.codes()).containsExactly("MAX_CONCURRENT_TRADES"));
        // every decision is audited once, on one chain both instances linked to
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM decision WHERE account = 'shared'", Integer.class))
                .isEqualTo(64);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM reservation WHERE account = 'shared' "
                + "AND released_at IS NULL", Integer.class)).isEqualTo(4);
        assertThat(a.audit().chain().verify(Optional.empty()).problems()).isEmpty();
        // both instances' books agree with the store: 4 x 500 = 2,000 reserved
        assertThat(a.portfolio().view("shared").exposure()).isEqualTo(2_000.0);
        assertThat(b.portfolio().view("shared").exposure()).isEqualTo(2_000.0);
        // the instances took turns on the account under its lock across processes: no write found it stale
        assertThat(a.portfolio().staleRetries() + b.portfolio().staleRetries()).isEqualTo(retries);
    }

    @Test
    void twoTimesThirtyTwoClientsNeverTakeTheAccountPastItsExposureLimit() throws Exception {
        // seed 001's order on equity 2,000 (as ConcurrentChecksTest): 1% x 2,000 = 20 at risk over a stop 2,250
        // away = 0.0088889 BTC x 50,000 = 444.44; max exposure 0.80 x 2,000 = 1,600: three full orders
        // (1,333.33) and a fourth cut to 266.67, which also takes the last of the 4 slots. Each order on an asset of
        // its own (concentration 0.25 x 2,000 = 500 never binds)
        List<Decision> decisions = race(32, i -> set(set(set(Requests.seed001(), "account", "exposed"), "symbol",
                String.format("A%02dUSDT", i)), "equity", 2_000.0));
        List<Decision> approved = decisions.stream().filter(Decision::approved).toList();
        double full = 20.0 / 2_250 * 50_000;
        assertThat(approved).extracting(Decision::notional).usingComparatorForType(
                        (x, y) -> Math.abs(x - y) < 0.01 ? 0 : Double.compare(x, y), Double.class)
                .containsExactlyInAnyOrder(full, full, full, 1_600 - 3 * full);
        Double reserved = jdbc.queryForObject("SELECT SUM(notional) FROM reservation WHERE account = 'exposed' "
                + "AND released_at IS NULL", Double.class);
        assertThat(reserved).isCloseTo(1_600.0, within(0.01)).isLessThanOrEqualTo(1_600.0);
        assertThat(b.portfolio().view("exposed").exposure()).isCloseTo(reserved, within(1e-9));
    }

    @Test
    void anInstanceWhoseBookIsStaleDecidesAgainOnWhatTheOtherStored() {
        // a approves one order and keeps the account's book (one reservation) in memory
        assertThat(a.engine().check(order("a-1")).approved()).isTrue();
        // b reads the account from the store and takes the other three slots
        for (int i = 1; i <= 3; i++) {
            assertThat(b.engine().check(order("b-" + i)).approved()).isTrue();
        }
        // a's book still shows one slot taken, at the version a-1 left; taking the account's lock, a finds it at
        // a later version (b's three writes), reads the book again, and decides on the four slots taken
        long loads = a.portfolio().bookLoads();
        long retries = a.portfolio().staleRetries();
        Decision late = a.engine().check(order("a-2"));
        assertThat(late.approved()).isFalse();
        assertThat(late.codes()).containsExactly("MAX_CONCURRENT_TRADES");
        assertThat(a.portfolio().bookLoads()).isEqualTo(loads + 1);
        assertThat(a.portfolio().staleRetries()).isEqualTo(retries);
        // nothing of the stale approval was stored: four reservations, five decisions, one chain
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM reservation WHERE account = 'stale'", Integer.class))
                .isEqualTo(4);
        assertThat(jdbc.queryForList("SELECT client_order_id FROM decision WHERE account = 'stale' "
                + "ORDER BY chain_seq", String.class))
                .containsExactly("a-1", "b-1", "b-2", "b-3", "a-2");
        assertThat(b.audit().chain().verify(Optional.empty()).problems()).isEmpty();
    }

    @Test
    void anOfficersTripOnOneInstanceHaltsTheAccountOnTheOtherAtItsNextCheckAndIsStreamedThere() {
        List<GovernorEvent> streamedOnB = new java.util.concurrent.CopyOnWriteArrayList<>();
        Runnable unsubscribe = b.governor().bus().subscribe(streamedOnB::add);
        try {
            assertThat(b.engine().check(set(Requests.seed001(), "account", "tripped")).approved()).isTrue();
            // the officer trips the account on a; b's book of it is one version behind
            a.governor().officer("tripped", "officer-1", "TRIP", "desk review", Optional.empty(), Optional.empty(),
                    Optional.empty());
            // b's next check on it takes the account's lock, finds it moved on, reads it again: HALTED
            Decision halted = b.engine().check(set(Requests.seed001(), "account", "tripped"));
            assertThat(halted.approved()).isFalse();
            assertThat(halted.accountState()).isNotNull();
            assertThat(b.governor().view("tripped").state()).isEqualTo(TradingState.HALTED);
            // the trip's events reach b's alert stream with b's next poll (about once a second)
            b.sync().poll();
            assertThat(streamedOnB).anySatisfy(e -> assertThat(e.account()).isEqualTo("tripped"));
            int streamed = streamedOnB.size();
            b.sync().poll();
            assertThat(streamedOnB).as("an event is streamed once").hasSize(streamed);
            // the officer resets it on b this time: a's next check on the account reads it ACTIVE again
            b.governor().officer("tripped", "officer-2", "RESET", "review done", Optional.empty(), Optional.empty(),
                    Optional.empty());
            assertThat(a.engine().check(set(Requests.seed001(), "account", "tripped")).approved()).isTrue();
        } finally {
            unsubscribe.run();
        }
    }

    @Test
    void aKillSwitchTrippedOnOneInstanceStopsApprovalsOnTheOtherBeforeItsPollAndIsInForceThereAfterIt() {
        assertThat(b.engine().check(set(Requests.seed001(), "account", "switched")).approved()).isTrue();
        a.killSwitches().trip("ALL", "officer-1", "exchange outage");
        try {
            // b has not polled yet: its approval's write reads the switch as stored and fails closed
            Decision before = b.engine().check(set(Requests.seed001(), "account", "switched"));
            assertThat(before.approved()).isFalse();
            assertThat(before.outcome()).isEqualTo(Outcome.FAILED);
            // after its poll, b refuses by the switch's rule
            b.sync().poll();
            Decision after = b.engine().check(set(Requests.seed001(), "account", "switched"));
            assertThat(after.approved()).isFalse();
            assertThat(after.codes()).contains("KILL_SWITCH");
        } finally {
            a.killSwitches().reset("ALL", "officer-1", "exchange back");
        }
        b.sync().poll();
        assertThat(b.killSwitches().inForce()).isEmpty();
        assertThat(b.engine().check(set(Requests.seed001(), "account", "switched")).approved()).isTrue();
    }

    @Test
    void aKillSwitchTrippedOnAnInstanceThatHasNotSeenItsResetIsStoredAndHaltsEveryInstance() {
        // both instances hold ALL in force; b resets it, and a has not polled since
        a.killSwitches().trip("ALL", "officer-1", "exchange outage");
        b.sync().poll();
        assertThat(b.killSwitches().reset("ALL", "officer-2", "exchange back")).isTrue();
        assertThat(a.killSwitches().inForce()).extracting(KillSwitches.Switch::scope).containsExactly("ALL");
        try {
            // an officer trips it again on a: stored, whatever a still held
            a.killSwitches().trip("ALL", "officer-1", "outage again");
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM kill_switch WHERE scope = 'ALL'", Integer.class))
                    .isEqualTo(1);
            a.sync().poll();
            b.sync().poll();
            assertThat(a.killSwitches().inForce()).extracting(KillSwitches.Switch::reason)
                    .containsExactly("outage again");
            assertThat(b.engine().check(set(Requests.seed001(), "account", "switched-again")).codes())
                    .contains("KILL_SWITCH");
        } finally {
            a.killSwitches().reset("ALL", "officer-1", "exchange back");
            // both instances leave with nothing in force, whatever the order the tests run in
            a.sync().poll();
            b.sync().poll();
        }
    }

    @Test
    void aResetOnAnInstanceThatHasNotSeenTheTripResetsTheStoredSwitch() {
        // a trips ALL; b has not polled, holds nothing in force, and an officer resets ALL there
        a.killSwitches().trip("ALL", "officer-1", "exchange outage");
        assertThat(b.killSwitches().inForce()).isEmpty();
        assertThat(b.killSwitches().reset("ALL", "officer-2", "exchange back")).isTrue();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM kill_switch", Integer.class)).isZero();
        // a reset of a switch no longer stored answers none in force, and logs nothing
        int events = jdbc.queryForObject("SELECT COUNT(*) FROM kill_switch_event", Integer.class);
        assertThat(a.killSwitches().reset("ALL", "officer-1", "exchange back")).isFalse();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM kill_switch_event", Integer.class)).isEqualTo(events);
        a.sync().poll();
        b.sync().poll();
        assertThat(a.killSwitches().inForce()).isEmpty();
        assertThat(b.killSwitches().inForce()).isEmpty();
    }

    @Test
    void anAssignmentMadeOnOneInstanceIsReadAgainByTheOtherAtItsPoll() {
        // b has read the account's assignment (none: the default policy) and keeps it cached
        assertThat(b.accountPolicies().assigned("assigned")).isEmpty();
        // an officer assigns it on a, as PUT /api/v1/accounts/{id}/policy does (the assignment and its log entry)
        a.accountPolicies().assign("assigned", "default", "officer-1", "explicitly the default",
                () -> a.policyArchive().assigned("assigned", "default", a.registry().active().sha256(), "officer-1",
                        "explicitly the default"));
        assertThat(b.accountPolicies().assigned("assigned")).as("cached until b polls").isEmpty();
        b.sync().poll();
        assertThat(b.accountPolicies().assigned("assigned")).contains("default");
    }

    @Test
    void twoTimesThirtyTwoAccountsOnTwoInstancesNeverTogetherPassTheFirmsGrossExposure(@TempDir Path dir)
            throws Exception {
        // controls.firm.max_gross_exposure $10,000 (as RiskBudgetControlTest, one instance): exactly 20 of seed
        // 001's $500 positions, whichever 20 of the 64 accounts come first, whichever instance decides them
        TestRuntime.copyRepoConfig(dir, text -> text.replace("    max_gross_exposure: 50000000 ",
                "    max_gross_exposure: 10000 "));
        try (Pair p = Pair.start(dir, clock)) {
            List<Decision> decisions = race(p.x(), p.y(), 32, i -> set(Requests.seed001(), "account", "firm-" + i));
            assertThat(decisions.stream().filter(Decision::approved).mapToDouble(Decision::notional).sum())
                    .isEqualTo(10_000.0);
            assertThat(decisions.stream().filter(Decision::approved)).hasSize(20);
            assertThat(decisions.stream().filter(d -> d.codes().contains("FIRM_EXPOSURE_LIMIT"))).hasSize(44);
            // the store agrees: $10,000 reserved, and every account's stored share sums to it
            JdbcTemplate firmDb = new JdbcTemplate(p.one());
            assertThat(firmDb.queryForObject("SELECT SUM(notional) FROM reservation WHERE released_at IS NULL",
                    Double.class)).isEqualTo(10_000.0);
            assertThat(firmDb.queryForObject("SELECT SUM(gross_exposure) FROM firm_share", Double.class))
                    .isEqualTo(10_000.0);
            // each instance, having polled, sees the whole firm
            p.x().sync().poll();
            p.y().sync().poll();
            assertThat(p.x().portfolio().firm().totals().grossExposure()).isEqualTo(10_000.0);
            assertThat(p.y().portfolio().firm().totals().grossExposure()).isEqualTo(10_000.0);
        }
    }

    @Test
    void aPolicyActivatedOnOneInstanceIsInForceOnTheOtherAfterItsPoll(@TempDir Path dir) throws IOException {
        // both instances read one policies directory, as operations.md asks
        TestRuntime.copyRepoConfig(dir);
        try (Pair p = Pair.start(dir, clock)) {
            RiskgateRuntime x = p.x();
            RiskgateRuntime y = p.y();
            JdbcTemplate db = new JdbcTemplate(p.one());
            String before = y.registry().active().sha256();
            // an officer edits the default policy (the firm's gross exposure limit) and reloads it on x
            Path yaml = dir.resolve("policies/default.yaml");
            Files.writeString(yaml, Files.readString(yaml)
                    .replace("    max_gross_exposure: 50000000 ", "    max_gross_exposure: 40000000 "));
            x.registry().reload("officer-1", "lower firm limit");
            String after = x.registry().active().sha256();
            assertThat(after).isNotEqualTo(before);
            assertThat(y.registry().active().sha256()).as("until y polls").isEqualTo(before);
            y.sync().poll();
            assertThat(y.registry().active().sha256()).isEqualTo(after);
            assertThat(y.registry().active().policy().controls().firm().maxGrossExposure().getAsDouble())
                    .isEqualTo(40_000_000.0);
            // y's reload archived the same version as x's (one row for it) and x, polling, has nothing to do
            long activations = db.queryForObject("SELECT COUNT(*) FROM policy_activation", Long.class);
            x.sync().poll();
            assertThat(db.queryForObject("SELECT COUNT(*) FROM policy_activation", Long.class)).isEqualTo(activations);
            assertThat(db.queryForObject("SELECT COUNT(*) FROM policy_version WHERE sha256 = ?", Long.class, after))
                    .isOne();
        }
    }


    /**
     * An instance's own reloads are never taken for another instance's, however its poll interleaves with them: a
     * poll that read the activation log just before one of this instance's reloads logged its version, and compared
     * it with what that reload put in force, reloaded the directory for nothing (actor instance-sync), which could put
     * in force files nobody had activated. Six reloads of alternating versions while the instance polls without pause.
     */
    @Test
    void anInstancesOwnReloadsAreNeverTakenForAnothersWhileItPolls(@TempDir Path dir) throws Exception {
        TestRuntime.copyRepoConfig(dir);
        try (Pair p = Pair.start(dir, clock)) {
            RiskgateRuntime x = p.x();
            // y would take x's activations on its own timer and log reloads of its own ("instance-sync", from the
            // same directory, where x may already have written the next version): only x's are counted below
            p.y().sync().close();
            JdbcTemplate db = new JdbcTemplate(p.one());
            Path yaml = dir.resolve("policies/default.yaml");
            String shipped = Files.readString(yaml);
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.CompletableFuture<Void> polling = java.util.concurrent.CompletableFuture.runAsync(() -> {
                while (!done.get()) {
                    x.sync().poll();
                }
            });
            try {
                for (int i = 0; i < 6; i++) {
                    Files.writeString(yaml, shipped.replace("version: \"1\"", "version: \"race-" + i + "\""));
                    x.registry().reload("officer-1", "version race-" + i);
                }
            } finally {
                done.set(true);
                polling.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            x.sync().poll();
            assertThat(db.queryForList("SELECT outcome FROM policy_activation WHERE actor = 'instance-sync'",
                    String.class)).as("reloads the instance made by itself, for nothing").isEmpty();
            assertThat(x.registry().active().version()).isEqualTo("race-5");
        }
    }

    @Test
    void aWriteDecidedUnderALockLostWithItsSessionIsRefusedAndDecidedAgainOnWhatTheOtherStored() {
        String account = "cut";
        assertThat(a.engine().check(set(Requests.seed001(), "account", account)).approved()).isTrue();
        long retries = a.portfolio().staleRetries();
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        int reservationsSeen = a.portfolio().withAccount(account, book -> {
            if (attempts.incrementAndGet() == 1) {
                // a's session holding the account is cut (a network cut): its lock goes, unnoticed by a
                String held = "FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND granted";
                jdbc.queryForList("SELECT pg_terminate_backend(pid) " + held);
                for (int i = 0; i < 500 && jdbc.queryForObject("SELECT COUNT(*) " + held, Integer.class) > 0; i++) {
                    java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
                }
                // b, free to take the account, approves another order on it
                assertThat(b.engine().check(set(Requests.seed001(), "account", account)).approved()).isTrue();
            }
            // a writes on the book it read before b's approval: refused on its first attempt, then done on the
            // book read again (two reservations)
            a.portfolio().recordEquity(book, new io.riskgate.portfolio.EquitySnapshot(account, 10_000,
                    TestRuntime.T0.plusSeconds(30)), "API");
            return book.reservations().size();
        });
        assertThat(attempts).hasValue(2);
        assertThat(a.portfolio().staleRetries()).isEqualTo(retries + 1);
        assertThat(reservationsSeen).isEqualTo(2);
        // the equity was stored once, by the second attempt
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM equity_snapshot WHERE account = ? AND source = 'API'",
                Integer.class, account)).isOne();
    }

    private static ObjectNode order(String clientOrderId) {
        return set(set(Requests.seed001(), "account", "stale"), "clientOrderId", clientOrderId);
    }
}
