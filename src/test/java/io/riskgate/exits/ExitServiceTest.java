package io.riskgate.exits;

import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.decision.Decision;
import io.riskgate.decision.PolicyRef;
import io.riskgate.errors.ConflictException;
import io.riskgate.facts.FiredRule;
import io.riskgate.lifecycle.CloseRequest;
import io.riskgate.lifecycle.FillRequest;
import io.riskgate.lifecycle.TradeDetail;
import io.riskgate.market.Mark;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.policy.Side;
import io.riskgate.portfolio.AccountView;
import io.riskgate.portfolio.ExitProgress;
import io.riskgate.portfolio.Trade;
import io.riskgate.portfolio.TradeResult;
import io.riskgate.portfolio.TradeState;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.Engine;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exit engine in process, end to end: marks through {@link ExitService} on the real Drools rule base of
 * {@code rules/exits.drl}, trades, closes and instructions in H2, details from {@code TradeService.detail}.
 *
 * <p>Every number is worked from seed 001's defaults: entry 50,000 with ATR 1,500 gives a 1.5 ATR stop of 47,750
 * (1R = 2,250) and a 3.75 ATR target of 55,625 for a long (52,250 and 44,375 for a short); the size is 0.01 BTC
 * (the 500 max position over 50,000), so 1R of the whole trade is 2,250 x 0.01 = 22.50. Each test takes its own
 * account and symbol, since a mark moves every trade on its symbol.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExitServiceTest {

    static final Instant T0 = TestRuntime.T0;
    /** Prices computed with a multiplication (entry x 1.001) are compared to this tolerance. */
    static final Offset<Double> CENT = within(1e-6);

    private Desk desk;

    @BeforeAll
    void start() {
        desk = new Desk(new Engine());
    }

    static Instant at(Duration d) {
        return T0.plus(d);
    }

    static Duration hours(long h) {
        return Duration.ofHours(h);
    }

    static Duration minutes(long m) {
        return Duration.ofMinutes(m);
    }

    static String freshSymbol() {
        return "X" + UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT) + "USDT";
    }

    static ExitInstruction only(List<ExitInstruction> instructions) {
        assertThat(instructions).hasSize(1);
        return instructions.get(0);
    }

    /** A trade wholly closed: the state it ended in, the P&L it realized and that P&L in R. */
    static void assertEnded(Desk desk, Trade closed, TradeState state, double pnl, double r) {
        assertThat(closed.state()).isEqualTo(state);
        assertThat(closed.realizedPnl()).isCloseTo(pnl, CENT);
        assertThat(closed.openQuantity()).isZero();
        assertThat(desk.detail(closed).rMultiple()).isCloseTo(r, CENT);
    }

    /**
     * One runtime and what a trading desk does on it: checks and fills seed 001's order, sends marks and reports
     * closes. The clock follows the events forward, so no event is refused as ahead of it.
     */
    static final class Desk {
        final Engine engine;

        Desk(Engine engine) {
            this.engine = engine;
        }

        RiskgateRuntime rt() {
            return engine.rt;
        }

        /** Seed 001's order for {@code side} at {@code price}, timed {@code at}. */
        ObjectNode order(String account, String symbol, Side side, double price, Instant at) {
            ObjectNode r = set(set(set(Requests.seed001(), "account", account), "symbol", symbol), "side",
                    side.name());
            set(r, "market.price", price);
            // a LONG must lie above its EMA200 and a SHORT below it: 2,000 away, as seed 001's 48,000 is
            set(r, "market.ema200", price - side.sign() * 2_000);
            return set(r, "market.timestamp", at.toString());
        }

        /** Checks {@code order}, which must be approved, and fills all of it at its price and time. */
        Trade fill(ObjectNode order) {
            Instant at = Instant.parse(order.path("market").path("timestamp").asText());
            reach(at);
            Decision d = engine.check(order);
            assertThat(d.approved()).as("setup order approved: %s", d.rejections()).isTrue();
            return rt().trades().fill(new FillRequest(d.decisionId(), order.path("market").path("price").asDouble(),
                    d.quantity(), Optional.of(at))).trade();
        }

        /** A trade of its own: fresh account and symbol. */
        Trade open(Side side, double price, Instant at) {
            return fill(order(Engine.freshAccount(), freshSymbol(), side, price, at));
        }

        List<ExitInstruction> mark(Trade t, double price, Instant at) {
            return bar(t, price, price, price, at);
        }

        List<ExitInstruction> bar(Trade t, double price, double high, double low, Instant at) {
            reach(at);
            return rt().exits().mark(new Mark(t.symbol(), price, high, low, at));
        }

        Trade close(Trade t, double price, Instant at) {
            return rt().trades().close(t.id(), new CloseRequest(price, OptionalDouble.empty(), Optional.empty(),
                    Optional.of(at)));
        }

        Trade closePart(Trade t, double quantity, double price, Instant at) {
            return rt().trades().close(t.id(), new CloseRequest(price, OptionalDouble.of(quantity),
                    Optional.of("scale out"), Optional.of(at)));
        }

        Trade stored(Trade t) {
            return rt().portfolio().store().trade(t.id()).orElseThrow();
        }

        TradeDetail detail(Trade t) {
            return rt().trades().detail(t.id());
        }

        PolicyRef activePolicy() {
            var p = rt().registry().active();
            return new PolicyRef(p.id(), p.version(), p.sha256());
        }

        private void reach(Instant at) {
            if (engine.clock.instant().isBefore(at)) {
                engine.clock.set(at);
            }
        }
    }

    // ---- a long and a short through every state

    /**
     * One side's walk with every price written out. Bars are {price, high, low}. {@code toString} names the side
     * for the test report.
     */
    record Walk(Side side, double initialStop, double dip, double plus1R, double breakevenStop, double plus2R,
                double firstTrail, double pastTarget, double secondTrail, double pullback, double[] stopBar) {
        @Override
        public String toString() {
            return side.name();
        }
    }

    static Stream<Walk> walks() {
        return Stream.of(
                // LONG from 50,000: stop 50,000 - 2,250 = 47,750, target 55,625
                new Walk(Side.LONG, 47_750,
                        49_400,            // 600 against the trade: MAE 600 = 0.267R, nothing fires
                        52_250, 50_050,    // +1R = 50,000 + 2,250; breakeven stop 50,000 x 1.001 = 50,050
                        54_500, 53_000,    // +2R = 50,000 + 4,500: half closes, trail 54,500 - 1,500 = 53,000
                        56_000, 54_500,    // past the 55,625 target (ignored): trail 56,000 - 1,500 = 54,500
                        55_000,            // back down 1,000: the trail stays at 54,500
                        new double[] {54_600, 54_800, 54_500}), // the bar's low reaches 54,500
                // SHORT from 50,000: stop 50,000 + 2,250 = 52,250, target 44,375
                new Walk(Side.SHORT, 52_250,
                        50_600,            // 600 against the trade: MAE 600 = 0.267R
                        47_750, 49_950,    // +1R = 50,000 - 2,250; breakeven stop 50,000 x 0.999 = 49,950
                        45_500, 47_000,    // +2R = 50,000 - 4,500: half closes, trail 45,500 + 1,500 = 47,000
                        44_000, 45_500,    // past the 44,375 target (ignored): trail 44,000 + 1,500 = 45,500
                        45_000,            // back up 1,000: the trail stays at 45,500
                        new double[] {45_400, 45_500, 45_200})); // the bar's high reaches 45,500
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("walks")
    void walksThroughBreakevenPartialAndTrailToAStopOutAtPlus2R(Walk w) {
        Trade t = desk.open(w.side(), 50_000, T0);
        assertThat(t.stopLoss()).isEqualTo(w.initialStop());

        // OPEN: an adverse move of 600 (0.27R) fires nothing
        assertThat(desk.mark(t, w.dip(), at(minutes(30)))).isEmpty();
        assertThat(desk.stored(t).state()).isEqualTo(TradeState.OPEN);

        // BREAKEVEN at +1R
        ExitInstruction be = only(desk.mark(t, w.plus1R(), at(hours(1))));
        assertThat(be.action()).isEqualTo(ExitAction.MOVE_STOP);
        assertThat(be.code()).isEqualTo("BREAKEVEN");
        assertThat(be.stopLoss()).isCloseTo(w.breakevenStop(), CENT);
        assertThat(be.quantity()).isEqualTo(0.01);
        assertThat(be.price()).isNull();
        assertThat(be.state()).isEqualTo(TradeState.BREAKEVEN);
        assertThat(be.firedRules()).containsExactly(new FiredRule("Breakeven", "BREAKEVEN", "exit"));
        assertThat(desk.stored(t).stopLoss()).isCloseTo(w.breakevenStop(), CENT);

        // +2R: close half (0.5 x 0.01 = 0.005) at the +2R level, and the ATR trail begins; the trade is TRAILING
        assertThat(desk.mark(t, w.plus2R(), at(hours(2))))
                .extracting(ExitInstruction::action, ExitInstruction::quantity, ExitInstruction::price,
                        ExitInstruction::stopLoss, ExitInstruction::code, ExitInstruction::state)
                .containsExactly(
                        tuple(ExitAction.CLOSE_PARTIAL, 0.005, w.plus2R(), w.firstTrail(), "PARTIAL_TAKE_PROFIT",
                                TradeState.TRAILING),
                        tuple(ExitAction.MOVE_STOP, 0.005, null, w.firstTrail(), "ATR_TRAILING_STOP",
                                TradeState.TRAILING));
        // the caller carries out the partial: 0.005 x 4,500 = 22.50 realized, 0.005 still open
        Trade half = desk.closePart(t, 0.005, w.plus2R(), at(hours(2)));
        assertThat(half.state()).isEqualTo(TradeState.TRAILING);
        assertThat(half.openQuantity()).isEqualTo(0.005);
        assertThat(half.realizedPnl()).isCloseTo(22.5, CENT);

        // past the target: the take-profit rule fires but closes nothing, the trail moves 1 ATR behind the best
        ExitInstruction trail = only(desk.mark(t, w.pastTarget(), at(hours(3))));
        assertThat(trail.action()).isEqualTo(ExitAction.MOVE_STOP);
        assertThat(trail.stopLoss()).isEqualTo(w.secondTrail());
        assertThat(trail.quantity()).isEqualTo(0.005);
        assertThat(trail.firedRules()).extracting(FiredRule::code)
                .containsExactlyInAnyOrder("TAKE_PROFIT_HIT", "ATR_TRAILING_STOP");

        // the price comes back 1,000: no instruction, and the stop does not loosen
        assertThat(desk.mark(t, w.pullback(), at(hours(4)))).isEmpty();
        assertThat(desk.stored(t).stopLoss()).isEqualTo(w.secondTrail());
        assertThat(desk.rt().portfolio().view(t.account()).openPositions()).singleElement()
                .satisfies(p -> assertThat(p.stopLoss()).isEqualTo(w.secondTrail()));

        // a bar reaching the trail: CLOSE the remaining 0.005 at the stop; CLOSED_SL is pending until reported
        double[] b = w.stopBar();
        ExitInstruction exit = only(desk.bar(t, b[0], b[1], b[2], at(hours(5))));
        assertThat(exit.action()).isEqualTo(ExitAction.CLOSE);
        assertThat(exit.quantity()).isEqualTo(0.005);
        assertThat(exit.price()).isEqualTo(w.secondTrail());
        assertThat(exit.code()).isEqualTo("STOP_LOSS_HIT");
        assertThat(exit.reason()).contains("trailing stop");
        assertThat(desk.stored(t).progress().pendingExit()).isEqualTo(TradeState.CLOSED_SL);

        Trade closed = desk.close(t, w.secondTrail(), at(hours(5)));
        // 22.50 + 0.005 x 4,500 = 45 realized = 45 / (2,250 x 0.01) = +2.0R; both closes were 4,500 from the
        // entry, so the average exit is that level
        assertEnded(desk, closed, TradeState.CLOSED_SL, 45.0, 2.0);
        assertThat(closed.exitPrice()).isCloseTo(w.secondTrail(), CENT);
        assertThat(closed.result()).isEqualTo(TradeResult.WIN);
        assertThat(closed.closedAt()).isEqualTo(at(hours(5)));
        assertThat(desk.rt().portfolio().view(t.account()).openPositions()).isEmpty();

        TradeDetail d = desk.detail(t);
        // best 6,000 from the entry = 6,000 / 2,250 = 2.667R; worst 600 against = 0.267R
        assertThat(d.mfe().price()).isEqualTo(6_000.0);
        assertThat(d.mfe().r()).isCloseTo(6_000.0 / 2_250, CENT);
        assertThat(d.mae().price()).isEqualTo(600.0);
        assertThat(d.mae().r()).isCloseTo(600.0 / 2_250, CENT);
        assertThat(d.holdingTime()).isEqualTo("PT5H");
        assertThat(d.holdingHours()).isEqualTo(5.0);
        assertThat(d.history())
                .extracting(TradeDetail.Event::event, TradeDetail.Event::state, TradeDetail.Event::at)
                .containsExactly(
                        tuple("APPROVED", TradeState.APPROVED, T0),
                        tuple("OPEN", TradeState.OPEN, T0),
                        tuple("MOVE_STOP", TradeState.BREAKEVEN, at(hours(1))),
                        tuple("CLOSE_PARTIAL", TradeState.TRAILING, at(hours(2))),
                        tuple("MOVE_STOP", TradeState.TRAILING, at(hours(2))),
                        tuple("CLOSED", TradeState.TRAILING, at(hours(2))),
                        tuple("MOVE_STOP", TradeState.TRAILING, at(hours(3))),
                        tuple("CLOSE", TradeState.TRAILING, at(hours(5))),
                        tuple("CLOSED", TradeState.CLOSED_SL, at(hours(5))));
        // the five instructions in it, each with the policy that issued it
        assertThat(d.history()).filteredOn(e -> e.instructionId() != null).hasSize(5)
                .extracting(TradeDetail.Event::policy).containsOnly(desk.activePolicy());
    }

    @Test
    void everyInstructionIsAuditedWithThePolicyAndEveryRuleThatFired() {
        Trade t = desk.open(Side.LONG, 50_000, T0);

        // straight from OPEN to 54,500 (+2R): breakeven, partial and trail all fire in one mark; the trail's
        // 53,000 beats breakeven's 50,050, and both instructions carry all three rules
        List<ExitInstruction> issued = desk.mark(t, 54_500, at(hours(1)));

        PolicyRef policy = desk.activePolicy();
        assertThat(policy.id()).isEqualTo("default");
        assertThat(policy.version()).isEqualTo("1");
        assertThat(policy.sha256()).hasSize(64);
        assertThat(issued).extracting(ExitInstruction::action)
                .containsExactly(ExitAction.CLOSE_PARTIAL, ExitAction.MOVE_STOP);
        assertThat(issued).allSatisfy(i -> {
            assertThat(i.policy()).isEqualTo(policy);
            assertThat(i.firedRules()).containsExactlyInAnyOrder(
                    new FiredRule("Breakeven", "BREAKEVEN", "exit"),
                    new FiredRule("Partial take-profit", "PARTIAL_TAKE_PROFIT", "exit"),
                    new FiredRule("ATR trailing stop", "ATR_TRAILING_STOP", "exit"));
            assertThat(i.tradeId()).isEqualTo(t.id());
            assertThat(i.account()).isEqualTo(t.account());
            assertThat(i.timestamp()).isEqualTo(at(hours(1)));
        });
        // the decision that approved the trade was taken under the same policy
        assertThat(desk.detail(t).history().get(0).policy()).isEqualTo(policy);
        // the audit holds exactly what was returned, and the mark as received
        assertThat(desk.rt().exits().log().forTrade(t.id())).containsExactlyInAnyOrderElementsOf(issued);
        assertThat(desk.rt().exits().log().markOf(issued.get(0).instructionId()))
                .containsEntry("symbol", t.symbol()).containsEntry("price", 54_500.0)
                .containsEntry("timestamp", at(hours(1)).toString());
        // the stages the jump passed are remembered: breakeven will not fire again
        ExitProgress p = desk.stored(t).progress();
        assertThat(List.of(p.breakeven(), p.partial(), p.trailing())).containsOnly(true);
    }

    @Test
    void instructionsOfOneMarkAreListedInTheOrderTheyWereIssued() {
        // the partial close and the stop move come from one mark, at one event time: the history must keep the
        // order the engine gave them (CLOSE_PARTIAL, then MOVE_STOP), not an arbitrary one. Twenty trades make a
        // random tie-break show.
        for (int i = 0; i < 20; i++) {
            Trade t = desk.open(Side.LONG, 50_000, T0);
            desk.mark(t, 54_500, at(hours(1)));
            assertThat(desk.detail(t).history()).extracting(TradeDetail.Event::event)
                    .containsExactly("APPROVED", "OPEN", "CLOSE_PARTIAL", "MOVE_STOP");
        }
    }

    // ---- how a trade ends

    @Test
    void aTakeProfitBeforeTheTrailStartsClosesTheTradeAsClosedTp() {
        // the caller's own target 54,000 is +4,000 / 2,250 = 1.78R, before the trail's +2R (reward:risk 1.78 passes
        // the policy's 1.5 minimum)
        Trade t = desk.fill(set(desk.order(Engine.freshAccount(), freshSymbol(), Side.LONG, 50_000, T0),
                "takeProfit", 54_000.0));
        assertThat(t.takeProfit()).isEqualTo(54_000.0);

        // a bar up to 54,000: breakeven fires too, but a full close wins over a stop move
        ExitInstruction exit = only(desk.mark(t, 54_000, at(hours(1))));
        assertThat(exit.action()).isEqualTo(ExitAction.CLOSE);
        assertThat(exit.code()).isEqualTo("TAKE_PROFIT_HIT");
        assertThat(exit.price()).isEqualTo(54_000.0);
        assertThat(exit.quantity()).isEqualTo(0.01);
        assertThat(exit.firedRules()).extracting(FiredRule::code)
                .containsExactlyInAnyOrder("TAKE_PROFIT_HIT", "BREAKEVEN");

        Trade closed = desk.close(t, 54_000, at(hours(1)));
        // 0.01 x 4,000 = 40 = 40 / 22.50 = +1.78R
        assertEnded(desk, closed, TradeState.CLOSED_TP, 40.0, 40.0 / 22.5);
    }

    @Test
    void aTradeWithoutProgressIsClosedAfter24HoursOfEventTime() {
        Trade t = desk.open(Side.LONG, 50_000, T0);
        // replaying: riskgate's clock is a month on, yet the trade has been open 23 h 59 min by the marks' time
        desk.engine.clock.set(at(Duration.ofDays(30)));
        assertThat(desk.mark(t, 50_500, at(hours(24).minus(minutes(1))))).isEmpty();

        // 24 h after the fill, its best is 50,500: +500 / 2,250 = 0.22R, below the 0.5R of progress: close at market
        ExitInstruction exit = only(desk.mark(t, 50_500, at(hours(24))));
        assertThat(exit.action()).isEqualTo(ExitAction.CLOSE);
        assertThat(exit.code()).isEqualTo("TIME_EXIT");
        assertThat(exit.price()).isEqualTo(50_500.0);
        assertThat(exit.quantity()).isEqualTo(0.01);
        assertThat(exit.reason()).contains("open 24 h").contains("0.5R");
        // while the close is outstanding, even a bar through the stop issues nothing new: later marks answer with
        // the same instruction again (a caller that lost the first answer is told again), audited once
        assertThat(desk.mark(t, 47_000, at(hours(25)))).extracting(ExitInstruction::instructionId)
                .containsExactly(exit.instructionId());
        assertThat(desk.engine.rt.exits().log().forTrade(t.id())).extracting(ExitInstruction::instructionId)
                .containsExactly(exit.instructionId());

        // the caller closes in two parts: the first leaves the trade live, the last ends it as the instruction said
        assertThat(desk.closePart(t, 0.004, 50_500, at(hours(25))).state()).isEqualTo(TradeState.OPEN);
        Trade closed = desk.close(t, 50_500, at(hours(25)));
        // 0.01 x 500 = 5 = 5 / 22.50 = +0.22R
        assertEnded(desk, closed, TradeState.CLOSED_TIME, 5.0, 5.0 / 22.5);
    }

    @Test
    void progressIsHalfAnRAtLeastOnceBeforeTheTimeExit() {
        // best 51,125 = +1,125 / 2,250 = exactly 0.5R: progress made, kept; best 51,100 = 0.489R: closed
        Trade reached = desk.open(Side.LONG, 50_000, T0);
        Trade shortOf = desk.open(Side.LONG, 50_000, T0);
        desk.mark(reached, 51_125, at(hours(1)));
        desk.mark(shortOf, 51_100, at(hours(1)));

        assertThat(desk.mark(reached, 50_200, at(hours(24)))).isEmpty();
        assertThat(only(desk.mark(shortOf, 50_200, at(hours(24)))).code()).isEqualTo("TIME_EXIT");
    }

    @Test
    void aCloseWithNoInstructionOutstandingIsClosedManual() {
        Trade t = desk.open(Side.LONG, 50_000, T0);
        desk.mark(t, 52_250, at(hours(1))); // breakeven: a stop move, not a close

        Trade closed = desk.close(t, 51_000, at(hours(2)));

        // 0.01 x 1,000 = 10 = 10 / 22.50 = +0.44R
        assertEnded(desk, closed, TradeState.CLOSED_MANUAL, 10.0, 10.0 / 22.5);
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithTakeProfitAfterTrailing {

        private Desk tp;

        @BeforeAll
        void start(@TempDir Path dir) throws IOException {
            TestRuntime.copyRepoConfig(dir);
            Path policy = dir.resolve("policies/default.yaml");
            String yaml = Files.readString(policy);
            assertThat(yaml).contains("take_profit_after_trailing: false");
            Files.writeString(policy, yaml.replace("take_profit_after_trailing: false",
                    "take_profit_after_trailing: true"));
            tp = new Desk(new Engine(dir.resolve("policies"), dir.resolve("rules")));
        }

        @Test
        void theTargetClosesTheRemainderOfATrailingTrade() {
            Trade t = tp.open(Side.LONG, 50_000, T0);
            tp.mark(t, 54_500, at(hours(1))); // +2R: half closes, trail 53,000
            tp.closePart(t, 0.005, 54_500, at(hours(1)));

            // 56,000 passes the 55,625 target: with the switch on, the remainder closes there
            ExitInstruction exit = only(tp.mark(t, 56_000, at(hours(2))));
            assertThat(exit.action()).isEqualTo(ExitAction.CLOSE);
            assertThat(exit.code()).isEqualTo("TAKE_PROFIT_HIT");
            assertThat(exit.price()).isEqualTo(55_625.0);
            assertThat(exit.quantity()).isEqualTo(0.005);

            // 0.005 x 4,500 + 0.005 x 5,625 = 22.50 + 28.125 = 50.625 = 50.625 / 22.50 = +2.25R
            assertEnded(tp, tp.close(t, 55_625, at(hours(2))), TradeState.CLOSED_TP, 50.625, 2.25);
        }

        @Test
        void withinOneBarTheStopWinsOverTheTarget() {
            Trade t = tp.open(Side.LONG, 50_000, T0);

            // one bar from 47,000 to 56,000 touches the 47,750 stop and the 55,625 target: the order of prices is
            // unknown, so the worse outcome, the stop, is assumed
            ExitInstruction exit = only(tp.bar(t, 51_000, 56_000, 47_000, at(hours(1))));

            assertThat(exit.action()).isEqualTo(ExitAction.CLOSE);
            assertThat(exit.code()).isEqualTo("STOP_LOSS_HIT");
            assertThat(exit.price()).isEqualTo(47_750.0);
            assertThat(exit.firedRules()).extracting(FiredRule::code).contains("TAKE_PROFIT_HIT", "STOP_LOSS_HIT");
            assertThat(tp.close(t, 47_750, at(hours(1))).state()).isEqualTo(TradeState.CLOSED_SL);
        }
    }

    // ---- whose mark is it

    @Test
    void eachTradeKeepsItsOwnHighWaterMark() {
        String account = Engine.freshAccount();
        String symbol = freshSymbol();
        Trade first = desk.fill(desk.order(account, symbol, Side.LONG, 50_000, T0));
        // +2R for the first trade: trail 54,500 - 1,500 = 53,000
        desk.mark(first, 54_500, at(hours(1)));

        // a second long on the same symbol and account, opened later at 54,000: stop 51,750, 1R = 2,250
        Trade second = desk.fill(desk.order(account, symbol, Side.LONG, 54_000, at(hours(2))));
        assertThat(desk.mark(second, 54_200, at(hours(2).plus(minutes(30))))).isEmpty();
        // the 54,500 the first trade saw before the second existed is not the second's best
        assertThat(desk.stored(first).progress().bestPrice()).isEqualTo(54_500.0);
        assertThat(desk.stored(second).progress().bestPrice()).isEqualTo(54_200.0);

        // one mark at 56,250, two stops: the first trails 56,250 - 1,500 = 54,750; for the second it is
        // +2,250 = +1R, breakeven at 54,000 x 1.001 = 54,054
        Map<String, ExitInstruction> byTrade = desk.mark(first, 56_250, at(hours(3))).stream()
                .collect(Collectors.toMap(ExitInstruction::tradeId, Function.identity()));
        assertThat(byTrade).containsOnlyKeys(first.id(), second.id());
        assertThat(byTrade.get(first.id()).code()).isEqualTo("ATR_TRAILING_STOP");
        assertThat(byTrade.get(first.id()).stopLoss()).isEqualTo(54_750.0);
        assertThat(byTrade.get(second.id()).code()).isEqualTo("BREAKEVEN");
        assertThat(byTrade.get(second.id()).stopLoss()).isCloseTo(54_054.0, CENT);
        // excursions are each trade's own: 6,250 = 2.78R and 2,250 = 1R
        assertThat(desk.detail(first).mfe()).isEqualTo(new TradeDetail.Excursion(6_250, 6_250 / 2_250.0));
        assertThat(desk.detail(second).mfe()).isEqualTo(new TradeDetail.Excursion(2_250, 1.0));
    }

    @Test
    void aMarkOlderThanTheTradesLastMarkChangesNothing() {
        Trade t = desk.open(Side.LONG, 50_000, T0);
        desk.mark(t, 52_250, at(hours(2))); // breakeven, stop 50,050
        Trade before = desk.stored(t);

        // 56,000 timed an hour before the last mark would be a partial and a trail; it arrives late: ignored
        assertThat(desk.mark(t, 56_000, at(hours(1)))).isEmpty();
        assertThat(desk.stored(t)).isEqualTo(before);
        assertThat(before.progress().lastMarkAt()).isEqualTo(at(hours(2)));
        assertThat(before.progress().bestPrice()).isEqualTo(52_250.0);

        // a mark at the same time as the last one is not stale: +2R at 54,500 closes half
        assertThat(desk.mark(t, 54_500, at(hours(2)))).extracting(ExitInstruction::code)
                .containsExactly("PARTIAL_TAKE_PROFIT", "ATR_TRAILING_STOP");
    }

    @Test
    void aMarkTimedBeforeTheTradeOpenedChangesNothing() {
        Trade t = desk.open(Side.LONG, 50_000, at(hours(1)));

        // 56,000 a minute before the fill: a price the trade never had
        assertThat(desk.mark(t, 56_000, at(minutes(59)))).isEmpty();
        Trade after = desk.stored(t);
        assertThat(after.state()).isEqualTo(TradeState.OPEN);
        assertThat(after.stopLoss()).isEqualTo(47_750.0);
        assertThat(after.progress()).isEqualTo(ExitProgress.atEntry(50_000));

        // at the fill's own time it counts: 56,000 = +2.67R
        assertThat(desk.mark(t, 56_000, at(hours(1)))).isNotEmpty();
    }

    @Test
    void aMarkMoreThanFiveMinutesAheadOfTheClockIsRefusedAndChangesNothing() {
        Trade t = desk.open(Side.LONG, 50_000, T0);
        desk.engine.clock.set(at(hours(1)));

        // portfolio.max_event_lead is 5 min: 11:05:00.001 is ahead of a clock at 11:00
        assertThatThrownBy(() -> desk.rt().exits().mark(Mark.at(t.symbol(), 54_500,
                at(hours(1).plus(minutes(5)).plusMillis(1)))))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).problems())
                        .extracting(p -> p.field()).containsExactly("timestamp"))
                .hasMessageContaining("max_event_lead");
        assertThat(desk.stored(t).progress().lastMarkAt()).isNull();
        // 11:05:00 exactly is accepted: +2R, half closes
        assertThat(desk.rt().exits().mark(Mark.at(t.symbol(), 54_500, at(hours(1).plus(minutes(5))))))
                .hasSize(2);
    }

    // ---- closes

    @Test
    void aPartialCloseReducesExposureAndOverClosingOrClosingAgainIsRefused() {
        Trade t = desk.open(Side.LONG, 50_000, T0);
        assertThat(desk.rt().portfolio().view(t.account()).exposure()).isCloseTo(500.0, CENT);

        // 0.004 of 0.01 at 51,000: 0.006 open, exposure 0.006 x 50,000 = 300, 0.004 x 1,000 = 4 realized
        Trade part = desk.closePart(t, 0.004, 51_000, at(hours(1)));
        assertThat(part.state()).isEqualTo(TradeState.OPEN);
        assertThat(part.openQuantity()).isEqualTo(0.006);
        assertThat(part.realizedPnl()).isCloseTo(4.0, CENT);
        assertThat(part.closedAt()).isNull();
        AccountView view = desk.rt().portfolio().view(t.account());
        assertThat(view.exposure()).isCloseTo(300.0, CENT);
        assertThat(view.openPositions()).singleElement().satisfies(p -> assertThat(p.quantity()).isEqualTo(0.006));

        // 0.007 is more than the 0.006 open
        assertThatThrownBy(() -> desk.closePart(t, 0.007, 51_000, at(hours(2))))
                .isInstanceOf(ConflictException.class)
                .hasMessage("cannot close 0.007 of trade " + t.id() + ": only 0.006 of its 0.01 is open; "
                        + "nothing was recorded");
        assertThat(desk.stored(t).openQuantity()).isEqualTo(0.006);

        // the rest at 49,000: 4 + 0.006 x (-1,000) = -2; average exit (0.004 x 51,000 + 0.006 x 49,000) / 0.01
        // = 49,800; -2 / 22.50 = -0.089R
        Trade closed = desk.close(t, 49_000, at(hours(2)));
        assertEnded(desk, closed, TradeState.CLOSED_MANUAL, -2.0, -2.0 / 22.5);
        assertThat(closed.exitPrice()).isCloseTo(49_800.0, CENT);
        assertThat(closed.result()).isEqualTo(TradeResult.LOSS);
        assertThat(desk.rt().portfolio().view(t.account()).exposure()).isZero();

        assertThatThrownBy(() -> desk.close(t, 50_000, at(hours(3))))
                .isInstanceOf(ConflictException.class)
                .hasMessageStartingWith("trade " + t.id() + " is already CLOSED_MANUAL")
                .hasMessageEndingWith("it cannot be closed again");
        assertThat(desk.stored(t).realizedPnl()).isCloseTo(-2.0, CENT);
    }

    // ---- faults and restarts

    @Test
    void anEngineFaultIssuesAnErrorAndLeavesTheTradeAsItWas(@TempDir Path dir) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        Files.writeString(dir.resolve("rules/exit-boom.drl"), """
                package io.riskgate.rules.test;
                import io.riskgate.facts.ExitFacts;
                rule "Exit rule that throws" @code(EXIT_BOOM) @category(test) dialect "java"
                when $t : ExitFacts( price == 12345 )
                then throw new IllegalStateException("exit rule exploded at 12345");
                end
                """);
        Path policy = dir.resolve("policies/default.yaml");
        Files.writeString(policy, Files.readString(policy)
                .replace("\n  - exits.drl", "\n  - exit-boom.drl\n  - exits.drl"));
        Desk boom = new Desk(new Engine(dir.resolve("policies"), dir.resolve("rules")));
        Trade t = boom.open(Side.LONG, 50_000, T0);
        boom.mark(t, 52_250, at(hours(1))); // breakeven, stop 50,050
        Trade before = boom.stored(t);

        // 12,345 is far through the stop, but the rules cannot be evaluated: nothing is decided
        ExitInstruction error = only(boom.mark(t, 12_345, at(hours(2))));

        assertThat(error.action()).isEqualTo(ExitAction.ERROR);
        assertThat(error.code()).isEqualTo("ENGINE_ERROR");
        assertThat(error.rule()).isEqualTo("engine");
        assertThat(error.stopLoss()).isCloseTo(50_050.0, CENT);
        assertThat(error.state()).isEqualTo(TradeState.BREAKEVEN);
        assertThat(error.quantity()).isEqualTo(0.01);
        assertThat(error.price()).isNull();
        assertThat(error.reason()).contains("exit rule exploded at 12345").contains("nothing changed");
        assertThat(error.policy()).isEqualTo(boom.activePolicy());
        assertThat(boom.stored(t)).isEqualTo(before);
        assertThat(boom.detail(t).history()).extracting(TradeDetail.Event::event).last().isEqualTo("ERROR");
        // nothing stored carries the failed mark's time (the trade's last mark is the first one's): the account's
        // clock stays at the first mark, where a restart would resume it, not at the failed one's
        assertThat(boom.rt().portfolio().<java.time.Instant>withAccount(t.account(),
                io.riskgate.portfolio.AccountBook::clock)).isEqualTo(at(hours(1)));

        // other prices still work: 54,500 is +2R
        assertThat(boom.mark(t, 54_500, at(hours(3)))).extracting(ExitInstruction::code)
                .containsExactly("PARTIAL_TAKE_PROFIT", "ATR_TRAILING_STOP");
    }

    @Test
    void aRestartKeepsTheStopTheStateTheBestPriceAndTheOutstandingClose() {
        var db = TestRuntime.memoryDatabase();
        MutableClock clock = new MutableClock(T0);
        RiskgateRuntime first = RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default",
                db, clock, new SimpleMeterRegistry());
        Decision d = first.engine().check(Requests.seed001());
        Trade t = first.trades().fill(new FillRequest(d.decisionId(), 50_000, 0.01, Optional.of(T0))).trade();
        clock.set(at(hours(4))); // every event below is at or before the clock
        first.exits().mark(Mark.at(t.symbol(), 54_500, at(hours(1)))); // half closes, trail 53,000
        first.exits().mark(Mark.at(t.symbol(), 56_000, at(hours(2)))); // trail 56,000 - 1,500 = 54,500

        RiskgateRuntime restarted = RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(),
                "default", db, clock, new SimpleMeterRegistry());
        Trade loaded = restarted.portfolio().store().trade(t.id()).orElseThrow();
        assertThat(loaded.stopLoss()).isEqualTo(54_500.0);
        assertThat(loaded.state()).isEqualTo(TradeState.TRAILING);
        assertThat(loaded.progress()).isEqualTo(new ExitProgress(56_000, 50_000, at(hours(2)), true, true, true,
                null));
        assertThat(restarted.portfolio().view(t.account()).openPositions()).singleElement()
                .satisfies(p -> assertThat(p.stopLoss()).isEqualTo(54_500.0));

        // 55,500 is still +2.44R: the partial is not issued twice, and the trail from the kept best 56,000 stays
        assertThat(restarted.exits().mark(Mark.at(t.symbol(), 55_500, at(hours(3))))).isEmpty();
        // an outstanding close survives a restart too
        assertThat(restarted.exits().mark(Mark.at(t.symbol(), 54_400, at(hours(4)))))
                .extracting(ExitInstruction::code).containsExactly("STOP_LOSS_HIT");
        RiskgateRuntime again = RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default",
                db, clock, new SimpleMeterRegistry());
        assertThat(again.trades().close(t.id(), CloseRequest.all(54_500)).state()).isEqualTo(TradeState.CLOSED_SL);
    }
}
