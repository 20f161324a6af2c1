package io.riskgate.portfolio;

import static io.riskgate.portfolio.PortfolioDatabase.T0;
import static io.riskgate.portfolio.PortfolioDatabase.freshAccount;
import static io.riskgate.portfolio.PortfolioDatabase.freshSymbol;
import static io.riskgate.portfolio.PortfolioDatabase.reservation;
import static io.riskgate.portfolio.PortfolioDatabase.seed001Trade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.riskgate.policy.Side;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;

/**
 * The portfolio's JDBC store over an H2 database in files, migrated as the service migrates it: each write read
 * back (reservations and their release, trades through their exit stages and closes, last and reference prices,
 * equity history, the governor's state, breaker exit marks), the queries the engine asks (accounts trading a
 * symbol, live and closed trades), an account's book loaded back as a restart would, and what the schema refuses.
 * One database for the class; every test has its own account, ids and symbols in it.
 *
 * <p>Numbers from seed 001 (see {@link PortfolioDatabase}): 0.01 BTC long from 50,000, stop 47,750 (1R = 2,250),
 * target 55,625; equity 10,000.
 */
class PortfolioStoreTest {

    private static final Offset<Double> EXACT = within(1e-9);

    @TempDir
    static Path dir;
    private static PortfolioDatabase db;

    private final String account = freshAccount();
    private final String btc = freshSymbol("BTC");

    @BeforeAll
    static void open() {
        db = new PortfolioDatabase(dir);
    }

    @AfterAll
    static void shut() {
        db.close();
    }

    // ---- reservations

    @Test
    void aReservationHoldsUntilReleasedAndLoadsBackAsItWas() {
        Reservation r = db.storedReservation(account, btc, T0, T0.plus(Duration.ofMinutes(5)));
        assertThat(db.store.reservationRelease(r.decisionId())).isEmpty();
        assertThat(db.store.reservationAsset(r.decisionId())).contains("BTC");
        assertThat(db.store.load(account).reservations()).containsExactly(r);
    }

    @ParameterizedTest
    @EnumSource(ReservationRelease.class)
    void aReleasedReservationSaysWhyAndNoLongerLoads(ReservationRelease reason) {
        Reservation r = db.storedReservation(account, btc, T0, T0.plus(Duration.ofMinutes(5)));
        Instant at = T0.plusSeconds(90);
        db.store.releaseReservation(r.decisionId(), at, reason);
        assertThat(db.store.reservationRelease(r.decisionId())).contains(reason);
        assertThat(db.releasedAt(r.decisionId())).contains(at);
        // the asset stays known after the release: a retried fill or cancel still finds it
        assertThat(db.store.reservationAsset(r.decisionId())).contains("BTC");
        assertThat(db.store.load(account).reservations()).isEmpty();
    }

    @Test
    void aReleasedReservationKeepsItsFirstRelease() {
        Reservation r = db.storedReservation(account, btc, T0, T0.plus(Duration.ofMinutes(5)));
        db.store.releaseReservation(r.decisionId(), T0.plus(Duration.ofMinutes(5)), ReservationRelease.EXPIRED);
        // a late cancel (or fill) of a lapsed reservation changes neither the reason nor the time
        db.store.releaseReservation(r.decisionId(), T0.plus(Duration.ofMinutes(6)), ReservationRelease.CANCELLED);
        assertThat(db.store.reservationRelease(r.decisionId())).contains(ReservationRelease.EXPIRED);
        assertThat(db.releasedAt(r.decisionId())).contains(T0.plus(Duration.ofMinutes(5)));
    }

    @Test
    void anUnknownDecisionHasNeitherReleaseNorAsset() {
        assertThat(db.store.reservationRelease("no-such-decision")).isEmpty();
        assertThat(db.store.reservationAsset("no-such-decision")).isEmpty();
    }

    @Test
    void aReservationWithoutItsAuditedDecisionIsRefused() {
        Reservation orphan = reservation("not-audited", account, btc, T0.plus(Duration.ofMinutes(5)));
        assertThatThrownBy(() -> db.store.insertReservation(orphan))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(db.count("reservation", account)).isZero();
    }

    @Test
    void aDecisionReservesOnce() {
        Reservation r = db.storedReservation(account, btc, T0, T0.plus(Duration.ofMinutes(5)));
        assertThatThrownBy(() -> db.store.insertReservation(r)).isInstanceOf(DuplicateKeyException.class);
        assertThat(db.count("reservation", account)).isEqualTo(1);
    }

    // ---- trades

    @Test
    void aFilledTradeReadsBackAsOpenedAndIsValuedFromItsFill() {
        Trade t = db.storedTrade(account, btc, T0.plusSeconds(30));
        assertThat(db.store.trade(t.id())).contains(t);
        assertThat(db.store.tradeForDecisionId(t.decisionId())).contains(t);
        assertThat(t.state()).isEqualTo(TradeState.OPEN);
        // last and reference price start at the fill: nothing gained or lost yet
        assertThat(db.tradeColumn(t.id(), "last_price")).isEqualTo(50_000.0);
        assertThat(db.tradeColumn(t.id(), "ref_price")).isEqualTo(50_000.0);
        assertThat(db.store.closes(t.id())).isEmpty();
    }

    @Test
    void aTradeWithoutStrategyOrAtrReadsBackWithNulls() {
        String decision = db.decision(account, T0);
        Trade t = Trade.opened(UUID.randomUUID().toString(), decision, account, btc, "BTC", null, Side.SHORT, 0.01, 50_000,
                52_250, 44_375, null, T0);
        db.store.insertTrade(t, 0);
        Trade back = db.store.trade(t.id()).orElseThrow();
        assertThat(back).isEqualTo(t);
        assertThat(back.atr()).isNull();
        assertThat(back.strategy()).isNull();
    }

    @Test
    void anUnknownTradeIsNotFound() {
        assertThat(db.store.trade("no-such-trade")).isEmpty();
        assertThat(db.store.tradeForDecisionId("no-such-decision")).isEmpty();
    }

    @Test
    void aDecisionIsFilledOnceAndOnlyIfAudited() {
        Trade t = db.storedTrade(account, btc, T0);
        Trade again = seed001Trade(t.decisionId(), account, btc, T0.plusSeconds(1));
        assertThatThrownBy(() -> db.store.insertTrade(again, 0)).isInstanceOf(DuplicateKeyException.class);
        Trade orphan = seed001Trade("not-audited", account, btc, T0);
        assertThatThrownBy(() -> db.store.insertTrade(orphan, 0)).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(db.count("trade", account)).isEqualTo(1);
    }

    @Test
    void aMarkWritesTheStopTheStateAndTheExitProgress() {
        Trade t = db.storedTrade(account, btc, T0);
        // seed 001 after +2R: the peak was 55,000, so the trail 1 ATR below it stops at 53,500; breakeven (+1R:
        // entry + 0.1% = 50,050) and the partial (+2R, 54,500) were passed on the way; the worst price was 49,000
        ExitProgress progress = new ExitProgress(55_000, 49_000, T0.plus(Duration.ofHours(6)), true, true, true,
                null);
        Trade trailing = t.withExitState(53_500, TradeState.TRAILING, progress);
        db.store.updateExitState(trailing);
        assertThat(db.store.trade(t.id())).contains(trailing);
        // an exit the engine asked for and the caller has not reported yet
        Trade stopped = trailing.withExitState(53_500, TradeState.TRAILING, new ExitProgress(55_000, 49_000,
                T0.plus(Duration.ofHours(7)), true, true, true, TradeState.CLOSED_SL));
        db.store.updateExitState(stopped);
        assertThat(db.store.trade(t.id())).contains(stopped);
        // the initial stop (1R) is never rewritten
        assertThat(db.store.trade(t.id()).orElseThrow().initialStop()).isEqualTo(47_750.0);
    }

    @Test
    void aPartialCloseKeepsTheTradeLiveAndRecordsTheClose() {
        Trade t = db.storedTrade(account, btc, T0);
        Instant at = T0.plus(Duration.ofHours(2));
        // seed 001's partial at +2R: half of 0.01 at 50,000 + 2 x 2,250 = 54,500 realizes 0.005 x 4,500 = 22.5
        Trade after = t.withExitState(50_050, TradeState.PARTIAL_TP, new ExitProgress(54_500, 50_000, at, true, true,
                false, null)).withClose(0.005, 54_500, at, 0.005, TradeState.CLOSED_MANUAL);
        db.store.closeTrade(after, 0.005, 54_500, "partial at +2R", at, at.plusSeconds(1));

        Trade back = db.store.trade(t.id()).orElseThrow();
        assertThat(back.openQuantity()).isEqualTo(0.005);
        assertThat(back.state()).isEqualTo(TradeState.PARTIAL_TP);
        assertThat(back.closedAt()).isNull();
        assertThat(back.result()).isNull();
        assertThat(back.exitPrice()).isEqualTo(54_500.0);
        assertThat(back.realizedPnl()).isCloseTo(22.5, EXACT);
        assertThat(db.store.closes(t.id())).containsExactly(new TradeClose(at, 0.005, 54_500, 22.5, 0.005,
                TradeState.PARTIAL_TP, "partial at +2R"));
        assertThat(db.store.liveTrades(account, btc)).extracting(Trade::id).containsExactly(t.id());
        assertThat(db.store.closedTrades(account, 10)).isEmpty();
    }

    @Test
    void aFullCloseEndsTheTradeWithItsResultAndAverageExit() {
        Trade t = db.storedTrade(account, btc, T0);
        Instant partialAt = T0.plus(Duration.ofHours(2));
        Instant finalAt = T0.plus(Duration.ofHours(3));
        Trade half = t.withClose(0.005, 54_500, partialAt, 0.005, TradeState.CLOSED_TP);
        db.store.closeTrade(half, 0.005, 54_500, null, partialAt, partialAt);
        // the rest at the target 55,625: 0.005 x 5,625 = 28.125, so 22.5 + 28.125 = 50.625 in all;
        // average exit (54,500 + 55,625) / 2 = 55,062.5 (equal halves)
        Trade closed = half.withClose(0.005, 55_625, finalAt, 0, TradeState.CLOSED_TP);
        db.store.closeTrade(closed, 0.005, 55_625, "target", finalAt, finalAt);

        Trade back = db.store.trade(t.id()).orElseThrow();
        assertThat(back.state()).isEqualTo(TradeState.CLOSED_TP);
        assertThat(back.openQuantity()).isZero();
        assertThat(back.closedAt()).isEqualTo(finalAt);
        assertThat(back.realizedPnl()).isCloseTo(50.625, EXACT);
        assertThat(back.exitPrice()).isCloseTo(55_062.5, EXACT);
        assertThat(back.result()).isEqualTo(TradeResult.WIN);
        assertThat(db.store.closes(t.id())).extracting(TradeClose::at, TradeClose::pnl, TradeClose::openAfter,
                TradeClose::stateAfter).containsExactly(
                        tuple(partialAt, 22.5, 0.005, TradeState.OPEN),
                        tuple(finalAt, 28.125, 0.0, TradeState.CLOSED_TP));
        assertThat(db.store.liveTrades(account, btc)).isEmpty();
        assertThat(db.store.closedTrades(account, 10)).containsExactly(back);
        assertThat(db.store.accountsTrading(btc)).doesNotContain(account);
    }

    @Test
    void aCloseOfATradeNeverStoredIsRefused() {
        Trade ghost = seed001Trade(db.decision(account, T0), account, btc, T0)
                .withClose(0.01, 47_750, T0.plusSeconds(60), 0, TradeState.CLOSED_SL);
        assertThatThrownBy(() -> db.store.closeTrade(ghost, 0.01, 47_750, null, T0.plusSeconds(60), T0))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(db.store.closes(ghost.id())).isEmpty();
    }

    // ---- prices and equity

    @Test
    void aMarkMovesTheLastPriceAndASnapshotRebasesLiveTradesOnly() {
        Trade marked = db.storedTrade(account, btc, T0);
        Trade unmarked = db.storedTrade(account, btc, T0.plusSeconds(1));
        Trade closed = db.storedTrade(account, btc, T0.plusSeconds(2));
        db.lastPrice(List.of(closed), 48_000);
        db.store.closeTrade(closed.withClose(0.01, 48_000, T0.plusSeconds(3), 0, TradeState.CLOSED_MANUAL), 0.01,
                48_000, null, T0.plusSeconds(3), T0);
        String other = freshAccount();
        Trade otherAccounts = db.storedTrade(other, btc, T0);
        db.lastPrice(List.of(marked, otherAccounts), 49_000);
        assertThat(db.tradeColumn(marked.id(), "last_price")).isEqualTo(49_000.0);
        assertThat(db.tradeColumn(marked.id(), "ref_price")).isEqualTo(50_000.0);
        assertThat(db.tradeColumn(unmarked.id(), "last_price")).isEqualTo(50_000.0);

        db.store.rebaseRefPrices(account);
        assertThat(db.tradeColumn(marked.id(), "ref_price")).isEqualTo(49_000.0);
        assertThat(db.tradeColumn(unmarked.id(), "ref_price")).isEqualTo(50_000.0);
        // a closed trade and another account's trade keep theirs
        assertThat(db.tradeColumn(closed.id(), "ref_price")).isEqualTo(50_000.0);
        assertThat(db.tradeColumn(otherAccounts.id(), "ref_price")).isEqualTo(50_000.0);
    }

    @Test
    void theBookValuesLiveTradesFromTheirStoredPrices() {
        db.store.insertEquity(new EquitySnapshot(account, 10_000, T0), "API", T0);
        Trade t = db.storedTrade(account, btc, T0);
        db.lastPrice(List.of(t), 49_000);
        AccountBook marked = db.store.load(account);
        assertThat(marked.lastPrice(t.id())).isEqualTo(49_000.0);
        assertThat(marked.refPrice(t.id())).isEqualTo(50_000.0);
        // seed 001's example: 10,000 + 0.01 x (49,000 - 50,000) = 9,990
        assertThat(marked.markedEquity()).get().isEqualTo(9_990.0);

        // the caller reports the 9,990: the trade is valued from 49,000 on, the -10 is not counted twice
        db.store.insertEquity(new EquitySnapshot(account, 9_990, T0.plusSeconds(60)), "CHECK", T0.plusSeconds(60));
        db.store.rebaseRefPrices(account);
        AccountBook rebased = db.store.load(account);
        assertThat(rebased.refPrice(t.id())).isEqualTo(49_000.0);
        assertThat(rebased.markedEquity()).get().isEqualTo(9_990.0);
    }

    @Test
    void theSnapshotLoadedIsTheLatestByEventTimeWhateverTheOrderOfArrival() {
        db.store.insertEquity(new EquitySnapshot(account, 10_000, T0), "API", T0);
        db.store.insertEquity(new EquitySnapshot(account, 9_700, T0.plusSeconds(120)), "CHECK", T0.plusSeconds(120));
        // arrives last but was observed in between: kept in the history, not the equity
        db.store.insertEquity(new EquitySnapshot(account, 9_900, T0.plusSeconds(60)), "API", T0.plusSeconds(180));
        assertThat(db.store.load(account).equity()).contains(new EquitySnapshot(account, 9_700, T0.plusSeconds(120)));
        assertThat(db.count("equity_snapshot", account)).isEqualTo(3);
        assertThat(db.jdbc.queryForList("SELECT source FROM equity_snapshot WHERE account = ? ORDER BY id",
                String.class, account)).containsExactly("API", "CHECK", "API");

        // the same event time twice: the later report wins, as in the book (AccountBook.observe)
        db.store.insertEquity(new EquitySnapshot(account, 9_650, T0.plusSeconds(120)), "API", T0.plusSeconds(240));
        assertThat(db.store.load(account).equity()).contains(new EquitySnapshot(account, 9_650, T0.plusSeconds(120)));
    }

    // ---- governor state

    /**
     * A halted account in recovery: equity peaked at 10,000 and the day opened there; at 9,700 the daily loss of
     * 3% (seed 001's limit) tripped the breaker; the recovery mode (entered at 2% drawdown) halves the risk.
     */
    private static GovernorState halted(Instant at) {
        ActiveBreaker daily = new ActiveBreaker("DAILY_LOSS_LIMIT", "daily loss limit", TradingState.HALTED, 0.03,
                0.03, at, null, "lost 3% since the day opened", "rules");
        Multiplier recovery = new Multiplier("RECOVERY_MODE", "recovery mode", 0.5, null, "2% drawdown");
        return new GovernorState(TradingState.HALTED, -12.5, 10_000.0, T0, 10_000.0, T0, 10_000.0, 9_700.0, at,
                true, false, Set.of("DAILY_LOSS_LIMIT"), Set.of("t-1"), List.of(daily), List.of(recovery), 1.25);
    }

    @Test
    void theGovernorStateRoundTripsOneRowPerAccount() {
        assertThat(db.store.load(account).governor()).isEqualTo(GovernorState.initial());
        GovernorState first = halted(T0.plusSeconds(60));
        db.store.saveGovernor(account, first, T0.plusSeconds(60));
        assertThat(db.store.load(account).governor()).isEqualTo(first);

        GovernorState second = GovernorState.initial();
        db.store.saveGovernor(account, second, T0.plusSeconds(120));
        assertThat(db.store.load(account).governor()).isEqualTo(second);
        assertThat(db.count("governor_state", account)).isEqualTo(1);
    }

    @Test
    void anUnreadableGovernorStateIsRefusedWhenTheBookLoads() {
        db.jdbc.update("INSERT INTO governor_state (account, state_json, updated_at) VALUES (?, ?, ?)", account,
                "{\"state\": ", PortfolioStore.ts(T0));
        assertThatThrownBy(() -> db.store.load(account)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the governor state of account " + account + " is unreadable");
    }

    // ---- breaker exits

    @Test
    void aBreakerExitMarksLiveTradesWithoutAnExitOutstandingAndIsClearedAlone() {
        Trade free = db.storedTrade(account, btc, T0);
        Trade stopping = db.storedTrade(account, btc, T0.plusSeconds(1));
        db.store.updateExitState(stopping.withExitState(47_750, TradeState.OPEN, new ExitProgress(50_000, 47_700,
                T0.plusSeconds(60), false, false, false, TradeState.CLOSED_SL)));
        Trade closed = db.storedTrade(account, btc, T0.plusSeconds(2));
        db.store.closeTrade(closed.withClose(0.01, 49_000, T0.plusSeconds(3), 0, TradeState.CLOSED_MANUAL), 0.01,
                49_000, null, T0.plusSeconds(3), T0);
        List<String> all = List.of(free.id(), stopping.id(), closed.id());

        db.store.markBreakerExit(all);
        assertThat(db.pendingExit(free.id())).contains("CLOSED_BREAKER");
        assertThat(db.pendingExit(stopping.id())).contains("CLOSED_SL");
        assertThat(db.pendingExit(closed.id())).isEmpty();
        assertThat(db.store.trade(free.id()).orElseThrow().progress().pendingExit())
                .isEqualTo(TradeState.CLOSED_BREAKER);

        // acknowledged: the breaker's marks go, the stop-loss exit the engine issued stays
        db.store.clearBreakerExit(all);
        assertThat(db.pendingExit(free.id())).isEmpty();
        assertThat(db.pendingExit(stopping.id())).contains("CLOSED_SL");
        assertThat(db.pendingExit(closed.id())).isEmpty();
    }

    // ---- queries

    @Test
    void accountsTradingASymbolAreThoseWithALiveTradeOnItOnceEach() {
        String a = "a-" + account;
        String b = "b-" + account;
        String closedOnly = "c-" + account;
        String elsewhere = "d-" + account;
        db.storedTrade(b, btc, T0);
        db.storedTrade(b, btc, T0.plusSeconds(1));
        db.storedTrade(a, btc, T0);
        Trade closed = db.storedTrade(closedOnly, btc, T0);
        db.store.closeTrade(closed.withClose(0.01, 50_000, T0.plusSeconds(5), 0, TradeState.CLOSED_MANUAL), 0.01,
                50_000, null, T0.plusSeconds(5), T0);
        db.storedTrade(elsewhere, freshSymbol("ETH"), T0);
        assertThat(db.store.accountsTrading(btc)).containsExactly(a, b);
        assertThat(db.store.accountsTrading(freshSymbol("XRP"))).isEmpty();
    }

    @Test
    void liveTradesAreTheAccountsOnTheSymbolOldestFirst() {
        Trade later = db.storedTrade(account, btc, T0.plusSeconds(60));
        Trade earlier = db.storedTrade(account, btc, T0);
        Trade closed = db.storedTrade(account, btc, T0.plusSeconds(30));
        db.store.closeTrade(closed.withClose(0.01, 50_000, T0.plusSeconds(90), 0, TradeState.CLOSED_MANUAL), 0.01,
                50_000, null, T0.plusSeconds(90), T0);
        db.storedTrade(account, freshSymbol("ETH"), T0);
        db.storedTrade(freshAccount(), btc, T0);
        assertThat(db.store.liveTrades(account, btc)).extracting(Trade::id).containsExactly(earlier.id(), later.id());
    }

    @Test
    void closedTradesAreNewestFirstUpToTheLimit() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Trade t = db.storedTrade(account, btc, T0.plusSeconds(i));
            // closed in reverse order of opening: the first opened closes last
            Instant at = T0.plusSeconds(100 - 10L * i);
            db.store.closeTrade(t.withClose(0.01, 49_000, at, 0, TradeState.CLOSED_SL), 0.01, 49_000, null, at, at);
            ids.add(t.id());
        }
        assertThat(db.store.closedTrades(account, 10)).extracting(Trade::id)
                .containsExactly(ids.get(0), ids.get(1), ids.get(2));
        assertThat(db.store.closedTrades(account, 2)).extracting(Trade::id).containsExactly(ids.get(0), ids.get(1));
    }

    // ---- a book loaded back

    @Test
    void anAccountNeverSeenLoadsAnEmptyBook() {
        AccountBook b = db.store.load(account);
        assertThat(b.account()).isEqualTo(account);
        assertThat(b.equity()).isEmpty();
        assertThat(b.positions()).isEmpty();
        assertThat(b.reservations()).isEmpty();
        assertThat(b.recentResults()).isEmpty();
        assertThat(b.governor()).isEqualTo(GovernorState.initial());
        assertThat(b.advance(Instant.MIN)).isEqualTo(Instant.MIN);
    }

    @Test
    void aBookLoadsBackWhatTheStoreHolds() {
        db.store.insertEquity(new EquitySnapshot(account, 10_000, T0), "API", T0);
        // a live trade partly closed and marked; a win and then a loss closed for good
        Trade live = db.storedTrade(account, btc, T0.plusSeconds(10));
        Instant partialAt = T0.plusSeconds(20);
        Trade half = live.withClose(0.005, 54_500, partialAt, 0.005, TradeState.CLOSED_MANUAL);
        db.store.closeTrade(half, 0.005, 54_500, null, partialAt, partialAt);
        db.lastPrice(List.of(half), 54_000);
        Trade win = db.storedTrade(account, btc, T0.plusSeconds(11));
        db.store.closeTrade(win.withClose(0.01, 55_625, T0.plusSeconds(30), 0, TradeState.CLOSED_TP), 0.01, 55_625,
                null, T0.plusSeconds(30), T0);
        Trade loss = db.storedTrade(account, btc, T0.plusSeconds(12));
        db.store.closeTrade(loss.withClose(0.01, 47_750, T0.plusSeconds(40), 0, TradeState.CLOSED_SL), 0.01, 47_750,
                null, T0.plusSeconds(40), T0);
        // one reservation held, one filled
        Reservation held = db.storedReservation(account, btc, T0.plusSeconds(50), T0.plusSeconds(350));
        Reservation filled = db.storedReservation(account, btc, T0.plusSeconds(5), T0.plusSeconds(305));
        db.store.releaseReservation(filled.decisionId(), T0.plusSeconds(10), ReservationRelease.FILLED);
        GovernorState governor = halted(T0.plusSeconds(45));
        db.store.saveGovernor(account, governor, T0.plusSeconds(45));

        AccountBook b = db.store.load(account);
        assertThat(b.equity()).contains(new EquitySnapshot(account, 10_000, T0));
        assertThat(b.positions()).containsExactly(half.position());
        assertThat(b.positions().iterator().next().quantity()).isEqualTo(0.005);
        assertThat(b.lastPrice(live.id())).isEqualTo(54_000.0);
        assertThat(b.refPrice(live.id())).isEqualTo(50_000.0);
        assertThat(b.recentResults()).containsExactly(TradeResult.LOSS, TradeResult.WIN);
        assertThat(b.reservations()).containsExactly(held);
        assertThat(b.governor()).isEqualTo(governor);
        // 0.005 x 50,000 open + 500 reserved
        assertThat(b.exposure()).isCloseTo(750.0, EXACT);
        // the latest event stored: the held reservation's decision at T0 + 50 s
        assertThat(b.advance(Instant.MIN)).isEqualTo(T0.plusSeconds(50));
    }

    /** Each kind of stored event time, written at {@code at} on a fresh account. */
    static Stream<Arguments> eventTimes() {
        return Stream.of(
                Arguments.of("decision", (BiConsumer<String, Instant>) (a, at) -> db.decision(a, at)),
                Arguments.of("fill", (BiConsumer<String, Instant>) (a, at) -> {
                    Trade t = seed001Trade(db.decision(a, T0), a, "BTCUSDT", at);
                    db.store.insertTrade(t, 0);
                }),
                Arguments.of("close", (BiConsumer<String, Instant>) (a, at) -> {
                    Trade t = db.storedTrade(a, "BTCUSDT", T0);
                    db.store.closeTrade(t.withClose(0.01, 50_000, at, 0, TradeState.CLOSED_MANUAL), 0.01, 50_000,
                            null, at, T0);
                }),
                Arguments.of("mark", (BiConsumer<String, Instant>) (a, at) -> {
                    Trade t = db.storedTrade(a, "BTCUSDT", T0);
                    db.store.updateExitState(t.withExitState(47_750, TradeState.OPEN,
                            new ExitProgress(50_000, 50_000, at, false, false, false, null)));
                }),
                Arguments.of("equity", (BiConsumer<String, Instant>) (a, at) ->
                        db.store.insertEquity(new EquitySnapshot(a, 10_000, at), "API", T0)),
                Arguments.of("governor", (BiConsumer<String, Instant>) (a, at) ->
                        db.store.saveGovernor(a, halted(at), T0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTimes")
    void theEventClockResumesFromTheLatestStoredEventTime(String kind, BiConsumer<String, Instant> write) {
        // everything else stored at T0; the one kind an hour later sets the clock
        db.decision(account, T0);
        Instant latest = T0.plus(Duration.ofHours(1));
        write.accept(account, latest);
        assertThat(db.store.load(account).advance(Instant.MIN)).isEqualTo(latest);
    }
}
