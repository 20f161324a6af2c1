package io.riskgate.exits;

import static io.riskgate.exits.ExitFixtures.at;
import static io.riskgate.exits.ExitFixtures.bar;
import static io.riskgate.exits.ExitFixtures.seed001;
import static io.riskgate.exits.ExitFixtures.strategyTrade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.riskgate.facts.FiredRule;
import io.riskgate.market.Mark;
import io.riskgate.policy.Side;
import io.riskgate.portfolio.Trade;
import io.riskgate.portfolio.TradeState;
import io.riskgate.rules.CompiledPolicy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * rules/exits.drl and rules/trailing-stops.drl.xlsx through the real compiled default policy, rule by rule, on
 * both sides of each threshold. Seed 001's trade: 0.01 BTC from 50,000, ATR 1,500, stop 1.5 ATR = 2,250 away
 * (1R = 2,250), target 3.75 ATR = 5,625 away. Long: stop 47,750, breakeven at 52,250, partial at 54,500, target
 * 55,625. Short: stop 52,250, breakeven at 47,750, partial at 45,500, target 44,375.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExitEvaluatorTest {

    private CompiledPolicy policy;

    @BeforeAll
    void compile() {
        policy = ExitFixtures.defaultPolicy();
    }

    private ExitEvaluator.Outcome mark(Trade t, Mark m) {
        return ExitEvaluator.evaluate(policy, t, m, 1.0);
    }

    private static List<String> codes(ExitEvaluator.Outcome o) {
        return o.fired().stream().map(FiredRule::code).toList();
    }

    // ------------------------------------------------------------------ hard stop and target

    @Test
    void stopLossHitClosesWhenTheBarsLowReachesTheStopNotACentAbove() {
        Trade t = seed001(Side.LONG);
        assertThat(mark(t, bar(48_000, 48_000, 47_750.01, 1)).instructions()).isEmpty();

        ExitEvaluator.Outcome hit = mark(t, bar(48_000, 48_000, 47_750, 1));

        assertThat(hit.instructions()).singleElement().satisfies(i -> {
            assertThat(i.action()).isEqualTo(ExitAction.CLOSE);
            assertThat(i.code()).isEqualTo("STOP_LOSS_HIT");
            assertThat(i.quantity()).isEqualTo(0.01);
            assertThat(i.price()).isEqualTo(47_750.0);
            assertThat(i.reason()).contains("low 47750").contains("stop-loss 47750");
        });
        assertThat(hit.trade().progress().pendingExit()).isEqualTo(TradeState.CLOSED_SL);
        assertThat(hit.trade().progress().worstPrice()).isEqualTo(47_750.0);
    }

    @Test
    void aShortsStopIsHitByTheBarsHigh() {
        Trade t = seed001(Side.SHORT); // stop 52,250
        assertThat(mark(t, bar(52_000, 52_249.99, 52_000, 1)).instructions()).isEmpty();

        ExitEvaluator.Outcome hit = mark(t, bar(52_000, 52_250, 52_000, 1));

        assertThat(hit.instructions()).extracting(ExitInstruction::action, ExitInstruction::code,
                ExitInstruction::price).containsExactly(tuple(ExitAction.CLOSE, "STOP_LOSS_HIT", 52_250.0));
    }

    /** A target 1.5R away (reward:risk 1.5, the policy minimum) is reached before any trail starts at +2R. */
    private static Trade withTarget(Side side, double takeProfit) {
        Trade t = seed001(side);
        return new Trade(t.id(), t.decisionId(), t.account(), t.symbol(), t.asset(), t.strategy(), t.side(),
                t.quantity(), t.openQuantity(), t.entryPrice(), t.initialStop(), t.stopLoss(), takeProfit, t.atr(),
                t.openedAt(), t.state(), t.progress(), null, null, null, null);
    }

    @Test
    void takeProfitHitClosesAtTheTargetBeforeAnyTrail() {
        // long target 50,000 + 1.5 x 2,250 = 53,375; 53,374.99 only passes breakeven (+1R = 52,250)
        Trade t = withTarget(Side.LONG, 53_375);
        assertThat(mark(t, at(53_374.99, 1)).instructions()).extracting(ExitInstruction::code)
                .containsExactly("BREAKEVEN");

        ExitEvaluator.Outcome hit = mark(t, at(53_375, 1));

        assertThat(hit.instructions()).extracting(ExitInstruction::action, ExitInstruction::code,
                ExitInstruction::price).containsExactly(tuple(ExitAction.CLOSE, "TAKE_PROFIT_HIT", 53_375.0));
        assertThat(hit.trade().progress().pendingExit()).isEqualTo(TradeState.CLOSED_TP);
        // breakeven fired too, but a full close wins over a stop move
        assertThat(codes(hit)).contains("BREAKEVEN", "TAKE_PROFIT_HIT");
    }

    @Test
    void aShortsTargetIsReachedByTheBarsLow() {
        // short target 50,000 - 1.5 x 2,250 = 46,625
        Trade t = withTarget(Side.SHORT, 46_625);
        assertThat(mark(t, bar(47_000, 47_000, 46_625.01, 1)).instructions()).extracting(ExitInstruction::code)
                .containsExactly("BREAKEVEN");
        assertThat(mark(t, bar(47_000, 47_000, 46_625, 1)).instructions()).extracting(ExitInstruction::code)
                .containsExactly("TAKE_PROFIT_HIT");
    }

    @Test
    void whenOneBarTouchesBothTheStopAndTheTargetTheStopWins() {
        Trade t = withTarget(Side.LONG, 53_375);

        ExitEvaluator.Outcome o = mark(t, bar(50_000, 53_375, 47_750, 1));

        assertThat(codes(o)).contains("STOP_LOSS_HIT", "TAKE_PROFIT_HIT");
        assertThat(o.instructions()).extracting(ExitInstruction::code, ExitInstruction::price)
                .containsExactly(tuple("STOP_LOSS_HIT", 47_750.0));
    }

    // ------------------------------------------------------------------ breakeven, partial, ATR trail

    @Test
    void breakevenMovesTheStopToEntryPlusTheOffsetAtExactlyOneR() {
        Trade t = seed001(Side.LONG);
        // 52,249.99 is 2,249.99 / 2,250 = 0.999996R
        assertThat(mark(t, at(52_249.99, 1)).instructions()).isEmpty();

        ExitEvaluator.Outcome o = mark(t, at(52_250, 1));

        // stop = 50,000 x (1 + 0.001) = 50,050
        assertThat(o.instructions()).singleElement().satisfies(i -> {
            assertThat(i.action()).isEqualTo(ExitAction.MOVE_STOP);
            assertThat(i.code()).isEqualTo("BREAKEVEN");
            assertThat(i.stopLoss()).isCloseTo(50_050, within(1e-9));
            assertThat(i.quantity()).isEqualTo(0.01);
            assertThat(i.state()).isEqualTo(TradeState.BREAKEVEN);
        });
        assertThat(o.trade().state()).isEqualTo(TradeState.BREAKEVEN);
        // passed once: the next mark at +1R moves nothing
        assertThat(mark(o.trade(), at(52_300, 2)).instructions()).isEmpty();
    }

    @Test
    void aShortsBreakevenStopSitsBelowTheEntry() {
        Trade t = seed001(Side.SHORT);
        assertThat(mark(t, at(47_750.01, 1)).instructions()).isEmpty();

        // stop = 50,000 x (1 - 0.001) = 49,950
        assertThat(mark(t, at(47_750, 1)).instructions()).extracting(ExitInstruction::code,
                ExitInstruction::stopLoss).containsExactly(tuple("BREAKEVEN", 49_950.0));
    }

    @Test
    void atTwoRHalfIsClosedAndTheAtrTrailStartsOneAtrBelowTheBestPrice() {
        Trade t = seed001(Side.LONG);
        // 54,499.99 = +1.999996R: breakeven only
        assertThat(mark(t, at(54_499.99, 1)).instructions()).extracting(ExitInstruction::code)
                .containsExactly("BREAKEVEN");

        ExitEvaluator.Outcome o = mark(t, at(54_500, 1));

        // partial: 0.5 x 0.01 = 0.005 at 50,000 + 2 x 2,250 = 54,500; trail: 54,500 - 1 x 1,500 = 53,000, tighter
        // than breakeven's 50,050, protecting the 0.005 left
        assertThat(o.instructions()).extracting(ExitInstruction::action, ExitInstruction::code,
                ExitInstruction::quantity, ExitInstruction::price, ExitInstruction::stopLoss).containsExactly(
                tuple(ExitAction.CLOSE_PARTIAL, "PARTIAL_TAKE_PROFIT", 0.005, 54_500.0, 53_000.0),
                tuple(ExitAction.MOVE_STOP, "ATR_TRAILING_STOP", 0.005, null, 53_000.0));
        assertThat(o.trade().state()).isEqualTo(TradeState.TRAILING);
        assertThat(o.trade().progress()).satisfies(p -> {
            assertThat(p.breakeven()).isTrue();
            assertThat(p.partial()).isTrue();
            assertThat(p.trailing()).isTrue();
        });
    }

    @Test
    void aShortsTrailSitsOneAtrAboveItsLowestPrice() {
        // partial at 50,000 - 4,500 = 45,500; trail 45,500 + 1,500 = 47,000
        ExitEvaluator.Outcome o = mark(seed001(Side.SHORT), at(45_500, 1));

        assertThat(o.instructions()).extracting(ExitInstruction::code, ExitInstruction::quantity,
                ExitInstruction::stopLoss).containsExactly(tuple("PARTIAL_TAKE_PROFIT", 0.005, 47_000.0),
                tuple("ATR_TRAILING_STOP", 0.005, 47_000.0));
        // best 44,000 -> stop 45,500; a bounce to 45,000 does not loosen it
        ExitEvaluator.Outcome lower = mark(o.trade(), at(44_000, 2));
        assertThat(lower.trade().stopLoss()).isEqualTo(45_500.0);
        ExitEvaluator.Outcome bounce = mark(lower.trade(), at(45_000, 3));
        assertThat(bounce.instructions()).isEmpty();
        assertThat(bounce.trade().stopLoss()).isEqualTo(45_500.0);
    }

    @Test
    void theTrailFollowsTheBestPriceOnlyUpwardsAndTheTargetNoLongerClosesByDefault() {
        Trade trailing = mark(seed001(Side.LONG), at(54_500, 1)).trade();

        // 56,000 is past the 55,625 target, but the trail has begun: the remainder runs, stop 56,000 - 1,500
        ExitEvaluator.Outcome up = mark(trailing, at(56_000, 2));
        assertThat(codes(up)).contains("TAKE_PROFIT_HIT");
        assertThat(up.instructions()).extracting(ExitInstruction::action, ExitInstruction::stopLoss)
                .containsExactly(tuple(ExitAction.MOVE_STOP, 54_500.0));

        // back to 55,000: the best stays 56,000 and the stop stays 54,500
        ExitEvaluator.Outcome down = mark(up.trade(), at(55_000, 3));
        assertThat(down.instructions()).isEmpty();
        assertThat(down.trade().stopLoss()).isEqualTo(54_500.0);
        assertThat(down.trade().progress().bestPrice()).isEqualTo(56_000.0);

        // a bar whose low reaches 54,500 stops the rest out at the trailing stop
        ExitEvaluator.Outcome out = mark(down.trade(), bar(54_600, 55_000, 54_500, 4));
        assertThat(out.instructions()).extracting(ExitInstruction::action, ExitInstruction::code,
                ExitInstruction::quantity, ExitInstruction::price)
                .containsExactly(tuple(ExitAction.CLOSE, "STOP_LOSS_HIT", 0.01, 54_500.0));
        assertThat(out.instructions().get(0).reason()).contains("trailing stop 54500");
    }

    @Test
    void withTakeProfitAfterTrailingTheTargetClosesTheRemainder(@TempDir Path dir) {
        CompiledPolicy switched = ExitFixtures.editedPolicy(dir,
                y -> y.replace("take_profit_after_trailing: false", "take_profit_after_trailing: true"));
        Trade trailing = ExitEvaluator.evaluate(switched, seed001(Side.LONG), at(54_500, 1), 1.0).trade();

        ExitEvaluator.Outcome o = ExitEvaluator.evaluate(switched, trailing, at(55_625, 2), 1.0);

        assertThat(o.instructions()).extracting(ExitInstruction::code, ExitInstruction::price)
                .containsExactly(tuple("TAKE_PROFIT_HIT", 55_625.0));
        // and by default the same mark only moves the trail: 55,625 - 1,500 = 54,125
        assertThat(mark(trailing, at(55_625, 2)).instructions()).extracting(ExitInstruction::code,
                ExitInstruction::stopLoss).containsExactly(tuple("ATR_TRAILING_STOP", 54_125.0));
    }

    @Test
    void aBarGappingPastTheTargetStartsTheTrailFirstBecausePricePassesTwoRBeforeIt() {
        // 50,000 -> 56,000 in one bar: +2R (54,500) comes before the target (55,625) on the way up
        ExitEvaluator.Outcome o = mark(seed001(Side.LONG), at(56_000, 1));

        assertThat(o.instructions()).extracting(ExitInstruction::action, ExitInstruction::stopLoss)
                .containsExactly(tuple(ExitAction.CLOSE_PARTIAL, 54_500.0), tuple(ExitAction.MOVE_STOP, 54_500.0));
    }

    @Test
    void theGovernorsTighteningFactorDividesTheTrailDistance() {
        // seed 004: 1.2x tightening in a 5% drawdown: 1,500 / 1.2 = 1,250 behind the best 56,000 = 54,750
        ExitEvaluator.Outcome o = ExitEvaluator.evaluate(policy, seed001(Side.LONG), at(56_000, 1), 1.2);
        assertThat(o.trade().stopLoss()).isCloseTo(54_750, within(1e-9));
        assertThat(o.instructions().get(1).reason()).contains("tightened 1.2x");

        // a factor below 1 never loosens: treated as 1
        assertThat(ExitEvaluator.evaluate(policy, seed001(Side.LONG), at(56_000, 1), 0.5).trade().stopLoss())
                .isEqualTo(54_500.0);
    }

    @Test
    void aNewStopAtOrThroughThePriceClosesAtMarket() {
        Trade be = mark(seed001(Side.LONG), at(52_250, 1)).trade(); // stop 50,050
        // the bar ran to 56,000 (trail 54,500) and closed at 54,400, below the new trail
        ExitEvaluator.Outcome o = mark(be, bar(54_400, 56_000, 54_000, 2));

        assertThat(o.instructions()).singleElement().satisfies(i -> {
            assertThat(i.action()).isEqualTo(ExitAction.CLOSE);
            assertThat(i.code()).isEqualTo("ATR_TRAILING_STOP");
            assertThat(i.price()).isEqualTo(54_400.0);
            assertThat(i.stopLoss()).isEqualTo(54_500.0);
            assertThat(i.reason()).contains("close at market");
        });
        assertThat(o.trade().progress().pendingExit()).isEqualTo(TradeState.CLOSED_SL);

        // while that close is outstanding, marks only track the excursion
        ExitEvaluator.Outcome later = mark(o.trade(), at(57_000, 3));
        assertThat(later.instructions()).isEmpty();
        assertThat(later.fired()).isEmpty();
        assertThat(later.trade().progress().bestPrice()).isEqualTo(57_000.0);
        assertThat(later.trade().stopLoss()).isEqualTo(54_500.0);
    }

    @Test
    void breakevenWaitsWhileItsStopWouldSitPastTheBestPrice() {
        // a caller's tight stop: 1R = 10, so +1.5R = 50,015 but breakeven's 50,050 would be above the best price
        Trade tight = Trade.opened("t", "d", "acc", "BTCUSDT", "BTC", null, Side.LONG, 0.01, 50_000, 49_990, 50_100,
                null, ExitFixtures.T0);
        ExitEvaluator.Outcome o = mark(tight, at(50_015, 1));
        assertThat(codes(o)).contains("BREAKEVEN");
        assertThat(o.instructions()).isEmpty();
        assertThat(o.trade().progress().breakeven()).isFalse();
        assertThat(o.trade().stopLoss()).isEqualTo(49_990.0);
        // no ATR known: the ATR trail never fires
        assertThat(codes(mark(tight, at(50_060, 1)))).doesNotContain("ATR_TRAILING_STOP");
    }

    // ------------------------------------------------------------------ time exit

    @Test
    void noProgressForTwentyFourHoursClosesAtTheMarket() {
        Trade t = seed001(Side.LONG);
        // +0.5R = 50,000 + 1,125 = 51,125. 51,124.99 is 0.499996R: no progress
        assertThat(mark(t, at(51_124.99, 24 * 60 - 1)).instructions()).isEmpty();

        ExitEvaluator.Outcome o = mark(t, at(51_124.99, 24 * 60));

        assertThat(o.instructions()).extracting(ExitInstruction::action, ExitInstruction::code,
                ExitInstruction::price).containsExactly(tuple(ExitAction.CLOSE, "TIME_EXIT", 51_124.99));
        assertThat(o.trade().progress().pendingExit()).isEqualTo(TradeState.CLOSED_TIME);
        // exactly +0.5R is progress
        assertThat(mark(t, at(51_125, 24 * 60)).instructions()).isEmpty();
    }

    @Test
    void progressIsTheBestExcursionSinceEntryNotTheCurrentPrice() {
        Trade progressed = mark(seed001(Side.SHORT), at(48_875, 60)).trade(); // short +0.5R: 50,000 - 1,125

        assertThat(mark(progressed, at(50_000, 48 * 60)).instructions()).isEmpty();
    }

    // ------------------------------------------------------------------ seed 002 percentage trail

    @Test
    void trendFollowingTrailsHalfAPercentBehindFromOnePercentProfitInStepsOfPointTwoPercent() {
        // trend_following: 1% stop -> 49,500, 1R = 500; activation +1% = 50,500
        Trade t = strategyTrade("trend_following", Side.LONG, 0.01);
        assertThat(mark(t, at(50_499.99, 1)).instructions()).isEmpty();

        ExitEvaluator.Outcome on = mark(t, at(50_500, 1));
        // 50,500 x (1 - 0.005) = 50,247.5, a gain of 747.5 over 49,500 (step 0.2% x 50,000 = 100); tighter than
        // breakeven's 50,050 at +1R
        assertThat(on.instructions()).extracting(ExitInstruction::code, ExitInstruction::rule,
                ExitInstruction::stopLoss).containsExactly(
                tuple("PERCENT_TRAILING_STOP", "Trailing stop: trend_following", 50_247.5));
        assertThat(on.trade().state()).isEqualTo(TradeState.TRAILING);

        // best 50,600 -> 50,347: only 99.5 above the stop, below the 100 step
        ExitEvaluator.Outcome small = mark(on.trade(), at(50_600, 2));
        assertThat(small.instructions()).isEmpty();
        assertThat(small.trade().stopLoss()).isEqualTo(50_247.5);
        // best 50,601 -> 50,347.995: 100.495 above, the step is reached
        assertThat(mark(small.trade(), at(50_601, 3)).trade().stopLoss()).isCloseTo(50_347.995, within(1e-6));
    }

    @Test
    void aTrendFollowingShortTrailsAboveItsLowestPrice() {
        // short: stop 50,500, activation 49,500; 49,500 x 1.005 = 49,747.5
        Trade t = strategyTrade("trend_following", Side.SHORT, 0.01);
        assertThat(mark(t, at(49_500.01, 1)).instructions()).isEmpty();
        assertThat(mark(t, at(49_500, 1)).instructions()).extracting(ExitInstruction::code,
                ExitInstruction::stopLoss).containsExactly(tuple("PERCENT_TRAILING_STOP", 49_747.5));
    }

    @Test
    void htfTrailsOnePercentBehindFromOneAndAHalfPercentInHalfPercentSteps() {
        // htf: 2% stop -> 49,000 (1R = 1,000); activation +1.5% = 50,750
        Trade t = strategyTrade("htf", Side.LONG, 0.02);
        assertThat(mark(t, at(50_749.99, 1)).instructions()).isEmpty();

        ExitEvaluator.Outcome on = mark(t, at(50_750, 1));
        // 50,750 x 0.99 = 50,242.5
        assertThat(on.instructions()).extracting(ExitInstruction::code, ExitInstruction::stopLoss)
                .containsExactly(tuple("PERCENT_TRAILING_STOP", 50_242.5));
        // best 51,000 -> 50,490: 247.5 above, under the 0.5% x 50,000 = 250 step (breakeven's 50,050 is looser)
        ExitEvaluator.Outcome small = mark(on.trade(), at(51_000, 2));
        assertThat(small.instructions()).isEmpty();
        // best 51,003 -> 50,492.97: 250.47 above
        assertThat(mark(small.trade(), at(51_003, 3)).trade().stopLoss()).isCloseTo(50_492.97, within(1e-6));
    }

    @Test
    void strategiesWithoutARowHaveNoPercentageTrail() {
        // arbitrage (seed 002: "No trailing stop"), 1% of profit on seed 001's ATR stop is far from +2R
        Trade arb = new Trade("t", "d", "acc", "BTCUSDT", "BTC", "arbitrage", Side.LONG, 0.01, 0.01, 50_000, 47_750,
                47_750, 55_625, 1_500.0, ExitFixtures.T0, TradeState.OPEN,
                io.riskgate.portfolio.ExitProgress.atEntry(50_000), null, null, null, null);
        assertThat(codes(mark(arb, at(51_000, 1)))).isEmpty();
    }

    // ------------------------------------------------------------------ switches

    @Test
    void withEveryStageSwitchedOffOnlyTheHardStopAndTargetRemain(@TempDir Path dir) {
        CompiledPolicy off = ExitFixtures.editedPolicy(dir, y -> y
                .replace("breakeven: {enabled: true", "breakeven: {enabled: false")
                .replace("partial_take_profit: {enabled: true", "partial_take_profit: {enabled: false")
                .replace("trailing: {enabled: true", "trailing: {enabled: false")
                .replace("time_exit: {enabled: true", "time_exit: {enabled: false"));

        assertThat(ExitEvaluator.evaluate(off, seed001(Side.LONG), at(55_624.99, 48 * 60), 1.0).fired()).isEmpty();
        assertThat(ExitEvaluator.evaluate(off, seed001(Side.LONG), at(56_000, 1), 1.0).instructions())
                .extracting(ExitInstruction::code, ExitInstruction::price)
                .containsExactly(tuple("TAKE_PROFIT_HIT", 55_625.0));
    }

    @Test
    void everyInstructionCarriesThePolicyVersionAndTheRulesThatFired() {
        ExitEvaluator.Outcome o = mark(seed001(Side.LONG), at(54_500, 1));

        assertThat(o.instructions()).allSatisfy(i -> {
            assertThat(i.policy().id()).isEqualTo("default");
            assertThat(i.policy().sha256()).isEqualTo(policy.sha256());
            assertThat(i.firedRules()).extracting(FiredRule::code)
                    .containsExactlyInAnyOrder("BREAKEVEN", "PARTIAL_TAKE_PROFIT", "ATR_TRAILING_STOP");
            assertThat(i.timestamp()).isEqualTo(ExitFixtures.T0.plusSeconds(60));
        });
    }
}
