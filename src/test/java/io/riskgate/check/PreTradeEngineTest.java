package io.riskgate.check;

import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.audit.AuditRecord;
import io.riskgate.decision.Decision;
import io.riskgate.decision.Outcome;
import io.riskgate.errors.ConflictException;
import io.riskgate.lifecycle.CloseRequest;
import io.riskgate.lifecycle.FillRequest;
import io.riskgate.lifecycle.TradeService;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.portfolio.AccountView;
import io.riskgate.portfolio.ActiveBreaker;
import io.riskgate.portfolio.EquitySnapshot;
import io.riskgate.portfolio.Trade;
import io.riskgate.portfolio.TradeResult;
import io.riskgate.portfolio.TradingState;
import io.riskgate.testing.Engine;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The engine end to end on the default policy: sizing, fail-closed paths, reservations, fills and the audit. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PreTradeEngineTest {

    private Engine engine;

    @BeforeAll
    void start() {
        engine = new Engine();
    }

    @Test
    void approvesSeed001ExampleWithItsNumbers() {
        Decision d = engine.check(engine.seed001());
        // risk 1% x 10,000 = 100 over a 1.5 x 1,500 = 2,250 stop = 0.0444 BTC = 2,222 notional;
        // the 500 max position binds: 500 / 50,000 = 0.01 BTC
        assertThat(d.approved()).isTrue();
        assertThat(d.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(d.quantity()).isEqualTo(0.01);
        assertThat(d.notional()).isEqualTo(500.0);
        assertThat(d.sizing().riskQuantity()).isCloseTo(0.0444, within(0.0001));
        assertThat(d.sizing().bindingCap()).isEqualTo("MAX_POSITION_USD");
        // stop 50,000 - 2,250 = 47,750; target 50,000 + 3.75 x 1,500 = 55,625
        assertThat(d.stopLoss()).isEqualTo(47_750.0);
        assertThat(d.takeProfit()).isEqualTo(55_625.0);
        assertThat(d.riskAmount()).isEqualTo(100.0);
        assertThat(d.rewardRisk()).isEqualTo(2.5);
        assertThat(d.policy().id()).isEqualTo("default");
        assertThat(d.policy().sha256()).hasSize(64);
        // the reservation lasts 5 minutes of event time
        assertThat(d.reservationExpiresAt()).isEqualTo(TestRuntime.T0.plus(Duration.ofMinutes(5)));
    }

    @Test
    void shortIsTheMirrorOfLong() {
        ObjectNode r = set(engine.seed001(), "side", "SHORT");
        set(r, "market.ema200", 52_000.0);
        Decision d = engine.check(r);
        // stop 50,000 + 2,250 = 52,250; target 50,000 - 5,625 = 44,375; same 0.01 BTC
        assertThat(d.approved()).isTrue();
        assertThat(d.stopLoss()).isEqualTo(52_250.0);
        assertThat(d.takeProfit()).isEqualTo(44_375.0);
        assertThat(d.quantity()).isEqualTo(0.01);
    }

    @Test
    void rejectsWithNoEquityWhenNoneIsKnown() {
        ObjectNode r = set(engine.seed001(), "equity", null);
        Decision d = engine.check(r);
        assertThat(d.approved()).isFalse();
        assertThat(d.codes()).containsExactly(PreTradeEngine.NO_EQUITY);
        assertThat(d.quantity()).isZero();
        assertThat(engine.rt.audit().find(d.decisionId())).isPresent();
    }

    @Test
    void rejectsWithNoEquityWhenTheLatestEquityIsZero() {
        String account = Engine.freshAccount();
        engine.rt.portfolio().reportEquity(new EquitySnapshot(account, 0, TestRuntime.T0));
        Decision d = engine.check(set(set(engine.seed001(), "account", account), "equity", null));
        assertThat(d.codes()).containsExactly(PreTradeEngine.NO_EQUITY);
    }

    @Test
    void usesTheEquityOnFileWhenTheCheckSendsNone() {
        String account = Engine.freshAccount();
        engine.rt.portfolio().reportEquity(new EquitySnapshot(account, 10_000, TestRuntime.T0));
        Decision d = engine.check(set(set(engine.seed001(), "account", account), "equity", null));
        assertThat(d.approved()).isTrue();
        assertThat(d.riskAmount()).isEqualTo(100.0);
    }

    @Test
    void anOlderEquitySnapshotDoesNotReplaceANewerOne() {
        String account = Engine.freshAccount();
        engine.rt.portfolio().reportEquity(new EquitySnapshot(account, 20_000, TestRuntime.T0));
        engine.rt.portfolio().reportEquity(new EquitySnapshot(account, 5_000, TestRuntime.T0.minusSeconds(60)));
        AccountView v = engine.rt.portfolio().view(account);
        assertThat(v.equity()).isEqualTo(20_000.0);
    }

    @Test
    void malformedRequestStoresNothing() {
        String account = Engine.freshAccount();
        ObjectNode r = set(set(engine.seed001(), "account", account), "market.price", -1.0);
        set(r, "signal.confidence", 2.0);
        assertThatThrownBy(() -> engine.check(r)).isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).problems()).hasSize(2));
        AccountView v = engine.rt.portfolio().view(account);
        assertThat(v.reservations()).isEmpty();
        assertThat(v.equity()).isNull();
    }

    @Test
    void auditRecordHoldsRequestPolicyRulesAndNumbers() {
        ObjectNode r = set(engine.seed001(), "signal.confidence", 0.9);
        set(r, "strategy", "htf");
        Decision d = engine.check(r);
        AuditRecord rec = engine.rt.audit().find(d.decisionId()).orElseThrow();
        assertThat(rec.request().get("strategy").asText()).isEqualTo("htf");
        assertThat(rec.decision().policy()).isEqualTo(d.policy());
        assertThat(rec.decision().firedRules()).containsExactlyInAnyOrder("High confidence: risk x1.5",
                "Strategy limits: htf");
        assertThat(rec.decision().firedRules()).isEqualTo(d.firedRules());
        assertThat(rec.decision().adjustments()).singleElement().satisfies(a -> assertThat(a.factor()).isEqualTo(1.5));
        assertThat(rec.decision().quantity()).isEqualTo(d.quantity());
        assertThat(rec.decision().sizing()).isEqualTo(d.sizing());
        // the account as the decision saw it: the equity it sized from, nothing held yet
        assertThat(rec.decision().accountState().equity()).isEqualTo(10_000.0);
        assertThat(rec.decision().accountState().exposure()).isZero();
        assertThat(rec.decision().accountState().strategyExposure()).isZero();
    }

    @Test
    void reservationHoldsUntilItsTimeToLiveByEventTime() {
        String account = Engine.freshAccount();
        Decision d = engine.check(set(engine.seed001(), "account", account));
        // a rejected check on the account 4m59s later (event time) finds the reservation still holding 500
        ObjectNode later = set(set(engine.seed001(), "account", account), "signal.consensus", "SPLIT");
        set(later, "market.timestamp", TestRuntime.T0.plus(Duration.ofMinutes(5)).minusSeconds(1).toString());
        assertThat(engine.check(later).approved()).isFalse();
        AccountView v = engine.rt.portfolio().view(account);
        assertThat(v.reservations()).singleElement().satisfies(res ->
                assertThat(res.decisionId()).isEqualTo(d.decisionId()));
        assertThat(v.exposure()).isEqualTo(500.0);
        // one at exactly 5 minutes releases it
        set(later, "market.timestamp", TestRuntime.T0.plus(Duration.ofMinutes(5)).toString());
        engine.check(later);
        assertThat(engine.rt.portfolio().view(account).reservations()).isEmpty();
    }

    @Test
    void readingAnAccountReleasesNothing() {
        String account = Engine.freshAccount();
        engine.check(set(engine.seed001(), "account", account));
        // the wall clock is far past the 5-minute TTL, but only event time releases reservations
        engine.clock.advance(Duration.ofDays(1));
        assertThat(engine.rt.portfolio().view(account).reservations()).hasSize(1);
        engine.clock.set(TestRuntime.T0);
    }

    @Test
    void aLaterCheckReleasesLapsedReservationsByItsOwnTimestamp() {
        String account = Engine.freshAccount();
        for (int i = 0; i < 4; i++) {
            assertThat(engine.check(set(engine.seed001(), "account", account)).approved()).isTrue();
        }
        ObjectNode fifth = set(engine.seed001(), "account", account);
        assertThat(engine.check(fifth).codes()).containsExactly("MAX_CONCURRENT_TRADES");
        // the same order 5 minutes later (its market timestamp) finds the four reservations lapsed
        set(fifth, "market.timestamp", TestRuntime.T0.plus(Duration.ofMinutes(5)).toString());
        assertThat(engine.check(fifth).approved()).isTrue();
    }

    @Test
    void aRetryWithTheSameClientOrderIdGetsTheFirstDecisionAndTakesNoSecondSlot() {
        String account = Engine.freshAccount();
        ObjectNode r = set(set(engine.seed001(), "account", account), "clientOrderId", "ord-42");
        Decision first = engine.check(r);
        // the retry spells a number differently (50000 vs 50000.0): still the same order
        Decision retry = engine.check(set(r.deepCopy(), "market.price", 50_000));
        assertThat(retry).isEqualTo(first);
        assertThat(engine.rt.portfolio().view(account).reservations()).hasSize(1);
        // the same id for a different order is a conflict, not a silent second answer
        assertThatThrownBy(() -> engine.check(set(r.deepCopy(), "signal.confidence", 0.9)))
                .isInstanceOf(ConflictException.class).hasMessageContaining("ord-42");
        // ids are per account
        assertThat(engine.check(set(r.deepCopy(), "account", Engine.freshAccount())).decisionId())
                .isNotEqualTo(first.decisionId());
    }

    @Test
    void aRetryOfACancelledApprovalIsAConflictNotAStaleApproval() {
        ObjectNode r = set(engine.seed001(), "clientOrderId", "ord-cancel");
        Decision first = engine.check(r);
        engine.rt.trades().cancel(first.decisionId());
        assertThatThrownBy(() -> engine.check(r.deepCopy())).isInstanceOf(ConflictException.class)
                .hasMessageContaining("CANCELLED");
    }


    /**
     * An engine over a copy of the shipped config whose policy also lists rules/boom.drl holding {@code rules}.
     */
    private static Engine withExtraRules(Path dir, String rules) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        Files.writeString(dir.resolve("rules/boom.drl"), "package test.boom;\n"
                + "import io.riskgate.facts.OrderFacts;\n" + rules);
        Path policy = dir.resolve("policies/default.yaml");
        Files.writeString(policy, Files.readString(policy).replace("  - gates.drl", "  - gates.drl\n  - boom.drl"));
        return new Engine(dir.resolve("policies"), dir.resolve("rules"));
    }

    /** A rule whose consequence throws (Verdict.adjust refuses a negative factor) for symbol BOOMUSDT. */
    private static final String EXPLODES = """
            rule "Explodes" @code(BOOM) @category(test) dialect "mvel"
            when $o : OrderFacts( symbol == "BOOMUSDT" )
            then $o.adjust(kcontext, -1.0, "boom");
            end
            """;

    @Test
    void aFailedAnswerDoesNotBindTheClientOrderId(@TempDir Path dir) throws IOException {
        Engine boom = withExtraRules(dir, EXPLODES);
        Path policy = dir.resolve("policies/default.yaml");
        ObjectNode r = set(set(boom.seed001(), "symbol", "BOOMUSDT"), "clientOrderId", "ord-retry");
        assertThat(boom.check(r).outcome()).isEqualTo(Outcome.FAILED);
        // the faulty rule is removed; the retry with the same id is decided afresh
        Files.writeString(policy, Files.readString(policy).replace("\n  - boom.drl", ""));
        boom.rt.registry().reload();
        assertThat(boom.check(r.deepCopy()).approved()).isTrue();
    }

    @Test
    void theAccountClockResumesAfterARestartFromFillsToo() {
        // one database, two runtimes: the second is a restart
        var db = TestRuntime.memoryDatabase();
        io.riskgate.testing.MutableClock clock = new io.riskgate.testing.MutableClock(TestRuntime.T0);
        var first = io.riskgate.runtime.RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default",
                db, clock, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        Decision d = first.engine().check(Requests.seed001());
        clock.set(TestRuntime.T0.plus(Duration.ofMinutes(30)));
        first.trades().fill(new FillRequest(d.decisionId(), 50_000, 0.01,
                Optional.of(TestRuntime.T0.plus(Duration.ofMinutes(30)))));

        var restarted = io.riskgate.runtime.RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(),
                "default", db, clock, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        // a check timed T0 + 26 min (4 minutes behind, within controls.market_data.max_age 5m): the account's clock
        // stands at the fill's T0 + 30 min, so its reservation lasts until T0 + 35 min, as without the restart
        Decision later = restarted.engine().check(set(Requests.seed001(), "market.timestamp",
                TestRuntime.T0.plus(Duration.ofMinutes(26)).toString()));
        assertThat(later.accountState().accountClock()).isEqualTo(TestRuntime.T0.plus(Duration.ofMinutes(30)));
        assertThat(later.reservationExpiresAt()).isEqualTo(TestRuntime.T0.plus(Duration.ofMinutes(35)));
    }

    @Test
    void aFillThatIsNotStoredLeavesTheAccountClockWhereItWas() {
        var db = TestRuntime.memoryDatabase();
        io.riskgate.testing.MutableClock clock = new io.riskgate.testing.MutableClock(TestRuntime.T0);
        try (var rt = io.riskgate.runtime.RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(),
                "default", db, clock, new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
            fillNotStored(db, clock, rt);
        }
    }

    private static void fillNotStored(javax.sql.DataSource db, io.riskgate.testing.MutableClock clock,
                                      io.riskgate.runtime.RiskgateRuntime rt) {
        Decision d = rt.engine().check(Requests.seed001());
        // the fill, timed T0 + 30 min, cannot be stored: the trade table refuses every new row
        var jdbc = new org.springframework.jdbc.core.JdbcTemplate(db);
        jdbc.execute("ALTER TABLE trade ADD CONSTRAINT refuse_trades CHECK (id IS NULL)");
        clock.set(TestRuntime.T0.plus(Duration.ofMinutes(30)));
        assertThatThrownBy(() -> rt.trades().fill(new FillRequest(d.decisionId(), 50_000, 0.01,
                Optional.of(TestRuntime.T0.plus(Duration.ofMinutes(30))))))
                .isInstanceOf(RuntimeException.class);
        jdbc.execute("ALTER TABLE trade DROP CONSTRAINT refuse_trades");
        // the next check, timed T0 + 1 min, runs on the clock the store supports, not the unstored fill's: its
        // reservation (TTL 5 min) lasts until T0 + 6 min, not T0 + 35 min. (The first check's reservation, due at
        // T0 + 5 min, stays lapsed: the fill stored that lapse before its own write failed.)
        Decision next = rt.engine().check(set(Requests.seed001(), "market.timestamp",
                TestRuntime.T0.plus(Duration.ofMinutes(1)).toString()));
        assertThat(next.accountState().accountClock()).isEqualTo(TestRuntime.T0.plus(Duration.ofMinutes(1)));
        assertThat(next.reservationExpiresAt()).isEqualTo(TestRuntime.T0.plus(Duration.ofMinutes(6)));
    }

    @Test
    void aCancelledApprovalFreesItsSlotAndCannotBeFilled() {
        String account = Engine.freshAccount();
        Decision d = null;
        for (int i = 0; i < 4; i++) {
            d = engine.check(set(engine.seed001(), "account", account));
        }
        assertThat(engine.check(set(engine.seed001(), "account", account)).codes())
                .containsExactly("MAX_CONCURRENT_TRADES");
        engine.rt.trades().cancel(d.decisionId());
        assertThat(engine.check(set(engine.seed001(), "account", account)).approved()).isTrue();
        String cancelled = d.decisionId();
        assertThatThrownBy(() -> engine.rt.trades().fill(new FillRequest(cancelled, 50_000, 0.01,
                Optional.empty()))).isInstanceOf(ConflictException.class).hasMessageContaining("cancelled");
        assertThatThrownBy(() -> engine.rt.trades().cancel(cancelled)).isInstanceOf(ConflictException.class);
    }

    @Test
    void aDecisionIsFilledOnceAndTheSecondFillIsRefused() {
        Decision d = engine.check(engine.seed001());
        TradeService.FillResult first = engine.rt.trades().fill(new FillRequest(d.decisionId(), 50_010, 0.01,
                Optional.of(TestRuntime.T0.plusSeconds(1))));
        assertThat(first.lateFill()).isFalse();
        assertThat(first.trade().entryPrice()).isEqualTo(50_010.0);
        assertThatThrownBy(() -> engine.rt.trades().fill(new FillRequest(d.decisionId(), 50_010, 0.01,
                Optional.empty()))).isInstanceOf(ConflictException.class).hasMessageContaining("already filled");
        AccountView v = engine.rt.portfolio().view(d.account());
        assertThat(v.reservations()).isEmpty();
        assertThat(v.openPositions()).hasSize(1);
    }

    @Test
    void aFillAboveTheApprovedQuantityIsRefused() {
        Decision d = engine.check(engine.seed001());
        assertThatThrownBy(() -> engine.rt.trades().fill(new FillRequest(d.decisionId(), 50_000, 0.0101,
                Optional.empty()))).isInstanceOf(ConflictException.class).hasMessageContaining("exceeds");
    }

    @Test
    void aRejectedDecisionCannotBeFilled() {
        Decision d = engine.check(set(engine.seed001(), "signal.consensus", "SPLIT"));
        assertThatThrownBy(() -> engine.rt.trades().fill(new FillRequest(d.decisionId(), 50_000, 0.01,
                Optional.empty()))).isInstanceOf(ConflictException.class).hasMessageContaining("REJECTED");
    }

    @Test
    void aLateFillIsRecordedAndFlagged() {
        Decision d = engine.check(engine.seed001());
        // filled 6 minutes after the decision: the 5-minute reservation has lapsed by the fill's own time
        engine.clock.set(TestRuntime.T0.plus(Duration.ofMinutes(6)));
        TradeService.FillResult f;
        try {
            f = engine.rt.trades().fill(new FillRequest(d.decisionId(), 50_000, 0.01,
                    Optional.of(TestRuntime.T0.plus(Duration.ofMinutes(6)))));
        } finally {
            engine.clock.set(TestRuntime.T0);
        }
        assertThat(f.lateFill()).isTrue();
        assertThat(engine.rt.portfolio().view(d.account()).openPositions()).hasSize(1);
    }

    @Test
    void aFillPriceWithinTheDeviationIsRecordedAndBeyondItIsRefused() {
        // max_fill_deviation_pct 0.05 of the 50,000 entry: 52,500 is exactly 5% away, 52,500.5 is 5.001%
        Decision within = engine.check(engine.seed001());
        assertThat(engine.rt.trades().fill(new FillRequest(within.decisionId(), 52_500, 0.01, Optional.empty()))
                .trade().entryPrice()).isEqualTo(52_500.0);
        Decision beyond = engine.check(engine.seed001());
        assertThatThrownBy(() -> engine.rt.trades().fill(new FillRequest(beyond.decisionId(), 52_500.5, 0.01,
                Optional.empty()))).isInstanceOf(ConflictException.class)
                .hasMessageContaining("max_fill_deviation_pct");
        assertThat(engine.rt.portfolio().view(beyond.account()).openPositions()).isEmpty();
    }

    @Test
    void anEventTimedTooFarAheadOfTheClockIsRefused() {
        // max_event_lead 5m with the clock at T0: T0 + 5m is accepted, T0 + 5m 1s is a bad request
        Decision ok = engine.check(set(engine.seed001(), "market.timestamp",
                TestRuntime.T0.plus(Duration.ofMinutes(5)).toString()));
        assertThat(ok.approved()).isTrue();
        assertThatThrownBy(() -> engine.check(set(engine.seed001(), "market.timestamp",
                TestRuntime.T0.plus(Duration.ofMinutes(5)).plusSeconds(1).toString())))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("max_event_lead");
        assertThatThrownBy(() -> engine.rt.trades().fill(new FillRequest(ok.decisionId(), 50_000, 0.01,
                Optional.of(TestRuntime.T0.plus(Duration.ofDays(1)))))).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void aFillTimedBeforeItsDecisionIsRefused() {
        Decision d = engine.check(engine.seed001());
        assertThatThrownBy(() -> engine.rt.trades().fill(new FillRequest(d.decisionId(), 50_000, 0.01,
                Optional.of(TestRuntime.T0.minusSeconds(1))))).isInstanceOf(ConflictException.class)
                .hasMessageContaining("before the decision time");
    }

    @Test
    void closingRealizesProfitAndLossOnceForLongAndShort() {
        Decision longD = engine.check(engine.seed001());
        Trade t = engine.rt.trades().fill(new FillRequest(longD.decisionId(), 50_000, 0.01, Optional.empty()))
                .trade();
        // 0.01 BTC long from 50,000 closed at 47,750 (the stop): (47,750 - 50,000) x 0.01 = -22.5
        Trade closed = engine.rt.trades().close(t.id(), new CloseRequest(47_750, OptionalDouble.empty(),
                Optional.empty(), Optional.of(TestRuntime.T0.plusSeconds(60))));
        assertThat(closed.realizedPnl()).isCloseTo(-22.5, within(1e-9));
        assertThat(closed.result()).isEqualTo(TradeResult.LOSS);
        assertThatThrownBy(() -> engine.rt.trades().close(t.id(), CloseRequest.all(50_000)))
                .isInstanceOf(ConflictException.class).hasMessageContaining("already CLOSED_MANUAL");
        assertThat(engine.rt.portfolio().view(longD.account()).openPositions()).isEmpty();

        ObjectNode s = set(engine.seed001(), "side", "SHORT");
        set(s, "market.ema200", 52_000.0);
        Decision shortD = engine.check(s);
        Trade st = engine.rt.trades().fill(new FillRequest(shortD.decisionId(), 50_000, 0.01, Optional.empty()))
                .trade();
        // 0.01 BTC short from 50,000 closed at 44,375 (the target): (50,000 - 44,375) x 0.01 = +56.25
        Trade sc = engine.rt.trades().close(st.id(), CloseRequest.all(44_375));
        assertThat(sc.realizedPnl()).isCloseTo(56.25, within(1e-9));
        assertThat(sc.result()).isEqualTo(TradeResult.WIN);
    }

    @Test
    void anExceptionInsideTheRulesRejectsAsEngineErrorAndIsAudited(@TempDir Path dir) throws IOException {
        Engine boom = withExtraRules(dir, EXPLODES + """
                rule "Throws an Error" @code(BOOM_ERROR) @category(test) dialect "java"
                when $o : OrderFacts( symbol == "ERRORUSDT" )
                then throw new AssertionError("a rule's Error");
                end
                rule "Loops" @code(BOOM_LOOP) @category(test) dialect "java"
                when $o : OrderFacts( symbol == "LOOPUSDT" )
                then update($o);
                end
                """);
        Decision d = boom.check(set(boom.seed001(), "symbol", "BOOMUSDT"));
        assertThat(d.approved()).isFalse();
        assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(d.codes()).containsExactly(PreTradeEngine.ENGINE_ERROR);
        assertThat(d.error()).contains("invalid factor");
        assertThat(boom.rt.audit().find(d.decisionId())).hasValueSatisfying(rec ->
                assertThat(rec.decision().outcome()).isEqualTo(Outcome.FAILED));
        assertThat(boom.rt.portfolio().view(d.account()).reservations()).isEmpty();
        // other symbols are unaffected
        assertThat(boom.check(boom.seed001()).approved()).isTrue();

        // an Error (not an Exception) thrown by a rule fails closed too
        Decision error = boom.check(set(boom.seed001(), "symbol", "ERRORUSDT"));
        assertThat(error.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(error.error()).contains("a rule's Error");

        // a rule that loops is stopped, fails closed, and releases the account's lock
        String account = Engine.freshAccount();
        Decision loop = boom.check(set(set(boom.seed001(), "symbol", "LOOPUSDT"), "account", account));
        assertThat(loop.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(loop.error()).contains("a rule loops");
        assertThat(boom.check(set(boom.seed001(), "account", account)).approved()).isTrue();
    }

    @Test
    void aBreakerTheCheckTripsIsStoredEvenWhenDecidingTheOrderThenFails(@TempDir Path dir) throws IOException {
        Engine boom = withExtraRules(dir, EXPLODES);
        String account = Engine.freshAccount();
        // the day opens at 10,000 (seed 001's equity); the default policy's daily loss limit is 3% (seed 001)
        assertThat(boom.check(set(boom.seed001(), "account", account)).approved()).isTrue();
        // 9,650 is a 3.5% loss on the day: the governor trips DAILY_LOSS_LIMIT, then an order rule throws
        ObjectNode failing = set(set(set(boom.seed001(), "account", account), "symbol", "BOOMUSDT"), "equity", 9_650.0);
        Decision d = boom.check(failing);
        assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
        // the trip is kept: the account is halted in memory and after a reload from the database
        assertThat(boom.rt.governor().view(account).state()).isEqualTo(TradingState.HALTED);
        assertThat(boom.rt.governor().view(account).breakers()).extracting(ActiveBreaker::code)
                .containsExactly("DAILY_LOSS_LIMIT");
        Decision next = boom.check(set(boom.seed001(), "account", account));
        assertThat(next.codes()).contains("DAILY_LOSS_LIMIT");
    }

    @Test
    void staleTimestampsCannotReleaseReservationsEarly() {
        String account = Engine.freshAccount();
        // orders alternately timed T0 and ten minutes earlier: the account's clock stays at T0, so every
        // approval holds its slot until T0 + 5 min, and max_concurrent_trades 4 holds
        int approved = 0;
        for (int i = 0; i < 8; i++) {
            Instant t = i % 2 == 0 ? TestRuntime.T0 : TestRuntime.T0.minus(Duration.ofMinutes(10));
            Decision d = engine.check(set(set(engine.seed001(), "account", account), "market.timestamp",
                    t.toString()));
            if (d.approved()) {
                approved++;
                assertThat(d.reservationExpiresAt()).isEqualTo(TestRuntime.T0.plus(Duration.ofMinutes(5)));
            }
        }
        assertThat(approved).isEqualTo(4);
    }
}
