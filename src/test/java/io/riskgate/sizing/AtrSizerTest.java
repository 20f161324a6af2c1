package io.riskgate.sizing;

import static io.riskgate.sizing.CapName.ASSET_CONCENTRATION;
import static io.riskgate.sizing.CapName.MAX_EXPOSURE;
import static io.riskgate.sizing.CapName.MAX_LEVERAGE;
import static io.riskgate.sizing.CapName.MAX_POSITION_USD;
import static io.riskgate.sizing.CapName.STRATEGY_MAX_LEVERAGE;
import static io.riskgate.sizing.CapName.STRATEGY_MAX_POSITION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link AtrSizer} against seed 001's worked example ("ATR-Based Position Sizing": sl_distance = ATR x 1.5,
 * risk_amount = equity x risk_pct, position_size = risk_amount / sl_distance; SL entry -/+ 1.5 ATR, TP entry +/-
 * 3.75 ATR) with seed 001's usage figures: equity 10,000, price 50,000, ATR 1,500, risk 1% (0.5%-1.5%), max
 * position $500, max leverage 30. Every expected number is worked by hand in the comment beside it.
 */
class AtrSizerTest {

    private static final Offset<Double> CENT = within(1e-9);
    private final AtrSizer sizer = new AtrSizer();

    // ---------------------------------------------------------------- seed 001's example

    @Test
    void sizesSeed001LongExample() {
        SizingResult r = sizer.size(seed001().build());

        assertThat(r.entry()).isEqualTo(50_000);                     // no caller entry: the market price
        assertThat(r.stopSource()).isEqualTo(StopSource.ATR);
        assertThat(r.stopDistance()).isCloseTo(2_250, CENT);         // 1.5 x 1,500
        assertThat(r.stopLoss()).isCloseTo(47_750, CENT);            // 50,000 - 2,250
        assertThat(r.takeProfit()).isCloseTo(55_625, CENT);          // 50,000 + 3.75 x 1,500 = 50,000 + 5,625
        assertThat(r.rewardRisk()).isCloseTo(2.5, CENT);             // 5,625 / 2,250
        assertThat(r.riskPct()).isCloseTo(0.01, CENT);               // 1%, multiplier 1
        assertThat(r.riskAmount()).isCloseTo(100, CENT);             // 10,000 x 0.01
        assertThat(r.riskQuantity()).isCloseTo(0.044_444_444_4, within(1e-10)); // 100 / 2,250 = 0.0444... BTC
        // 0.0444 BTC x 50,000 = 2,222 notional; caps 500 / 300,000 / 8,000 / 2,500: the $500 max position binds
        assertThat(r.bindingCap()).isEqualTo(MAX_POSITION_USD.name());
        assertThat(r.quantity()).isEqualTo(0.01);                    // 500 / 50,000
        assertThat(r.notional()).isCloseTo(500, CENT);               // 0.01 x 50,000
        assertThat(r.riskAtStop()).isCloseTo(22.5, CENT);            // 0.01 x 2,250
        assertThat(r.caps()).containsExactlyElementsOf(seedCaps());
    }

    @Test
    void sizesSeed001ShortAsMirrorOfLong() {
        SizingResult r = sizer.size(seed001().side(-1).build());

        assertThat(r.stopDistance()).isCloseTo(2_250, CENT);         // 1.5 x 1,500, as for the long
        assertThat(r.stopLoss()).isCloseTo(52_250, CENT);            // 50,000 + 2,250
        assertThat(r.takeProfit()).isCloseTo(44_375, CENT);          // 50,000 - 5,625
        assertThat(r.rewardRisk()).isCloseTo(2.5, CENT);             // (50,000 - 44,375) / 2,250 = 5,625 / 2,250
        assertThat(r.riskAmount()).isCloseTo(100, CENT);             // 10,000 x 0.01
        assertThat(r.bindingCap()).isEqualTo(MAX_POSITION_USD.name());
        assertThat(r.quantity()).isEqualTo(0.01);                    // 500 / 50,000
    }

    @Test
    void riskBudgetBindsWhenEveryCapHasRoom() {
        // an officer raises max_position_usd to 10,000: smallest cap is now concentration 2,500 > 2,222
        SizingResult r = sizer.size(seed001().caps(roomyCaps()).build());

        assertThat(r.bindingCap()).isEqualTo("RISK");
        assertThat(r.quantity()).isEqualTo(0.04444444);              // 100 / 2,250 = 0.044444444..., 8 decimals
        assertThat(r.notional()).isCloseTo(2_222.222, CENT);         // 0.04444444 x 50,000
        assertThat(r.riskAtStop()).isCloseTo(99.99999, CENT);        // 0.04444444 x 2,250
    }

    // ---------------------------------------------------------------- where the stop and target come from

    @Test
    void strategyStopPercentReplacesAtrStop() {
        // seed 002, trend_following: "Stop Loss: 1% initial"
        SizingResult r = sizer.size(seed001().strategyStop(0.01).build());

        assertThat(r.stopSource()).isEqualTo(StopSource.STRATEGY_PCT);
        assertThat(r.stopDistance()).isCloseTo(500, CENT);           // 1% of 50,000 (not 1.5 x 1,500 = 2,250)
        assertThat(r.stopLoss()).isCloseTo(49_500, CENT);            // 50,000 - 500
        assertThat(r.takeProfit()).isCloseTo(51_250, CENT);          // no TP %: 50,000 + 2.5 x 500 (target R:R)
        assertThat(r.rewardRisk()).isCloseTo(2.5, CENT);             // 1,250 / 500
        assertThat(r.riskQuantity()).isCloseTo(0.2, CENT);           // 100 / 500
        assertThat(r.quantity()).isEqualTo(0.01);                    // 0.2 x 50,000 = 10,000 > 500: 500 / 50,000
        assertThat(r.riskAtStop()).isCloseTo(5, CENT);               // 0.01 x 500
    }

    @Test
    void strategyStopPercentMirrorsForShort() {
        SizingResult r = sizer.size(seed001().side(-1).strategyStop(0.01).build());

        assertThat(r.stopLoss()).isCloseTo(50_500, CENT);            // 50,000 + 1% x 50,000
        assertThat(r.takeProfit()).isCloseTo(48_750, CENT);          // 50,000 - 2.5 x 500
        assertThat(r.rewardRisk()).isCloseTo(2.5, CENT);             // 1,250 / 500
    }

    @Test
    void strategyTakeProfitPercentReplacesTarget() {
        // seed 004: "'stop_loss_pct': 0.02, 'take_profit_pct': 0.04"
        SizingResult r = sizer.size(seed001().strategyStop(0.02).strategyTakeProfit(0.04).build());

        assertThat(r.stopDistance()).isCloseTo(1_000, CENT);         // 2% of 50,000
        assertThat(r.stopLoss()).isCloseTo(49_000, CENT);            // 50,000 - 1,000
        assertThat(r.takeProfit()).isCloseTo(52_000, CENT);          // 50,000 + 4% x 50,000
        assertThat(r.rewardRisk()).isCloseTo(2.0, CENT);             // 2,000 / 1,000
    }

    @Test
    void strategyTakeProfitPercentAppliesOverAtrStop() {
        // a strategy with only take_profit_pct 4%: the stop stays 1.5 x ATR
        SizingResult r = sizer.size(seed001().strategyTakeProfit(0.04).build());

        assertThat(r.stopSource()).isEqualTo(StopSource.ATR);
        assertThat(r.takeProfit()).isCloseTo(52_000, CENT);          // 50,000 + 2,000, not 55,625
        assertThat(r.rewardRisk()).isCloseTo(2_000.0 / 2_250, CENT); // 0.888...: below 1.5, the rules reject it
    }

    @Test
    void callerStopReplacesAtrAndStrategyStop() {
        SizingResult r = sizer.size(seed001().stop(49_000).strategyStop(0.01).build());

        assertThat(r.stopSource()).isEqualTo(StopSource.CALLER);
        assertThat(r.stopDistance()).isCloseTo(1_000, CENT);         // 50,000 - 49,000
        assertThat(r.stopLoss()).isCloseTo(49_000, CENT);            // the caller's
        assertThat(r.takeProfit()).isCloseTo(52_500, CENT);          // no caller TP: 50,000 + 2.5 x 1,000
        assertThat(r.rewardRisk()).isCloseTo(2.5, CENT);             // 2,500 / 1,000
        assertThat(r.riskQuantity()).isCloseTo(0.1, CENT);           // 100 / 1,000
    }

    @Test
    void callerStopAndTakeProfitAreUsedAndRewardRiskComputed() {
        // stop at seed 001's EMA200 (48,000), target 56,000
        SizingResult r = sizer.size(seed001().stop(48_000).takeProfit(56_000).build());

        assertThat(r.stopLoss()).isCloseTo(48_000, CENT);
        assertThat(r.takeProfit()).isCloseTo(56_000, CENT);
        assertThat(r.stopDistance()).isCloseTo(2_000, CENT);         // 50,000 - 48,000
        assertThat(r.rewardRisk()).isCloseTo(3.0, CENT);             // (56,000 - 50,000) / 2,000
        assertThat(r.riskQuantity()).isCloseTo(0.05, CENT);          // 100 / 2,000
    }

    @Test
    void callerStopAndTakeProfitForShort() {
        SizingResult r = sizer.size(seed001().side(-1).stop(52_000).takeProfit(44_000).build());

        assertThat(r.stopLoss()).isCloseTo(52_000, CENT);
        assertThat(r.takeProfit()).isCloseTo(44_000, CENT);
        assertThat(r.stopDistance()).isCloseTo(2_000, CENT);         // 52,000 - 50,000
        assertThat(r.rewardRisk()).isCloseTo(3.0, CENT);             // (50,000 - 44,000) / 2,000
    }

    @Test
    void callerTakeProfitWithAtrStop() {
        SizingResult r = sizer.size(seed001().takeProfit(54_500).build());

        assertThat(r.stopSource()).isEqualTo(StopSource.ATR);
        assertThat(r.stopLoss()).isCloseTo(47_750, CENT);            // 50,000 - 1.5 x 1,500
        assertThat(r.rewardRisk()).isCloseTo(2.0, CENT);             // (54,500 - 50,000) / 2,250 = 4,500 / 2,250
    }

    @Test
    void callerEntryReplacesMarketPrice() {
        SizingResult r = sizer.size(seed001().entry(49_000).build());

        assertThat(r.entry()).isEqualTo(49_000);
        assertThat(r.stopLoss()).isCloseTo(46_750, CENT);            // 49,000 - 2,250
        assertThat(r.takeProfit()).isCloseTo(54_625, CENT);          // 49,000 + 5,625
        assertThat(r.quantity()).isEqualTo(0.01020408);              // 500 / 49,000 = 0.010204081..., floored
        assertThat(r.notional()).isCloseTo(499.99992, CENT);         // 0.01020408 x 49,000
    }

    @Test
    void refusesZeroStopDistance() {
        // a caller stop at the entry, or a 0% strategy stop, cannot size anything: risk / 0
        assertThatThrownBy(() -> sizer.size(seed001().stop(50_000).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stop distance must be > 0");
        assertThatThrownBy(() -> sizer.size(seed001().strategyStop(0).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stop distance must be > 0");
    }

    // ---------------------------------------------------------------- risk % clamp

    @ParameterizedTest(name = "multiplier {0} -> risk {1}")
    @MethodSource("riskMultipliers")
    void clampsRiskMultiplierToMinAndMaxRisk(double multiplier, double riskPct, double riskAmount) {
        SizingResult r = sizer.size(seed001().multiplier(multiplier).caps(roomyCaps()).build());

        assertThat(r.riskPct()).isCloseTo(riskPct, CENT);
        assertThat(r.riskAmount()).isCloseTo(riskAmount, CENT);
        assertThat(r.riskQuantity()).isCloseTo(riskAmount / 2_250, CENT); // over the 1.5 x 1,500 stop
    }

    static Stream<Arguments> riskMultipliers() {
        // base 1% (RM_RISK_PER_TRADE_PCT), clamped to [0.5%, 1.5%] (RM_MIN_RISK_PCT, RM_MAX_RISK_PCT)
        return Stream.of(
                Arguments.of(1.0, 0.010, 100.0),   // no band fired: 1% of 10,000
                Arguments.of(1.4, 0.014, 140.0),   // 1% x 1.4, inside
                Arguments.of(1.5, 0.015, 150.0),   // seed 001 high confidence x1.5: 1.5% = max, on the boundary
                Arguments.of(1.6, 0.015, 150.0),   // 1.6% clamped down to 1.5%
                Arguments.of(2.25, 0.015, 150.0),  // x1.5 twice = 2.25%, clamped to 1.5%
                Arguments.of(0.6, 0.006, 60.0),    // 1% x 0.6, inside
                Arguments.of(0.5, 0.005, 50.0),    // seed 001 low confidence x0.5: 0.5% = min, on the boundary
                Arguments.of(0.4, 0.005, 50.0),    // 0.4% clamped up to 0.5%
                Arguments.of(0.25, 0.005, 50.0));  // low confidence x0.5 and losing streak x0.5 = 0.25%, clamped
    }

    @Test
    void clampsToMaxRiskGivenByCaller() {
        // the engine passes min(policy max, hard cap 5%); a x6 multiplier on 1% asks for 6%
        SizingResult r = sizer.size(seed001().maxRisk(0.05).multiplier(6).caps(roomyCaps()).build());

        assertThat(r.riskPct()).isCloseTo(0.05, CENT);               // 6% clamped to 5%
        assertThat(r.riskAmount()).isCloseTo(500, CENT);             // 10,000 x 0.05
    }

    // ---------------------------------------------------------------- caps

    @ParameterizedTest(name = "{0} binds at {1}")
    @MethodSource("bindingCaps")
    void reportsBindingCapByName(CapName name, double headroom, double quantity) {
        // risk 1% x 0.5 (low confidence) = 0.5%: 50 / 2,250 = 0.0222 BTC = 1,111.11 notional before caps
        List<Cap> caps = new ArrayList<>();
        for (Cap c : trendFollowingCaps()) {
            caps.add(c.name() == name ? new Cap(name, headroom) : c);
        }
        SizingResult r = sizer.size(seed001().multiplier(0.5).caps(caps).build());

        assertThat(r.bindingCap()).isEqualTo(name.name());
        assertThat(r.quantity()).isEqualTo(quantity);
        assertThat(r.notional()).isCloseTo(headroom, CENT);          // quantity x 50,000 = the headroom
    }

    static Stream<Arguments> bindingCaps() {
        return Stream.of(
                Arguments.of(MAX_POSITION_USD, 500.0, 0.01),         // seed 001 $500; 500 / 50,000
                Arguments.of(MAX_LEVERAGE, 1_000.0, 0.02),           // max_leverage 0.1 x 10,000; 1,000 / 50,000
                Arguments.of(STRATEGY_MAX_LEVERAGE, 800.0, 0.016),   // 0.08 x 10,000; 800 / 50,000
                Arguments.of(MAX_EXPOSURE, 300.0, 0.006),            // 0.80 x 10,000 - 7,700 open; 300 / 50,000
                Arguments.of(ASSET_CONCENTRATION, 200.0, 0.004),     // 0.25 x 10,000 - 2,300 BTC; 200 / 50,000
                Arguments.of(STRATEGY_MAX_POSITION, 100.0, 0.002));  // 0.15 x 10,000 - 1,400 open; 100 / 50,000
        // (the others stay at trendFollowingCaps(): 10,000 / 300,000 / 8,000 / 2,500 / 1,500 / 12,000)
    }

    @Test
    void riskBindsWhenEveryCapIsAboveRiskNotional() {
        // 50 / 2,250 x 50,000 = 1,111.11, below the smallest cap (strategy 1,500)
        SizingResult r = sizer.size(seed001().multiplier(0.5).caps(trendFollowingCaps()).build());

        assertThat(r.bindingCap()).isEqualTo("RISK");
        assertThat(r.quantity()).isEqualTo(0.02222222);              // 50 / 2,250 = 0.0222222..., 8 decimals
    }

    @ParameterizedTest(name = "exposure headroom {0}")
    @ValueSource(doubles = {-500, 0})
    void negativeOrZeroHeadroomGivesZeroQuantity(double headroom) {
        // 0.80 x 10,000 = 8,000 allowed; 8,500 open leaves -500, 8,000 open leaves 0
        List<Cap> caps = new ArrayList<>(seedCaps());
        caps.set(2, new Cap(MAX_EXPOSURE, headroom));

        SizingResult r = sizer.size(seed001().caps(caps).build());

        assertThat(r.bindingCap()).isEqualTo(MAX_EXPOSURE.name());
        assertThat(r.quantity()).isZero();
        assertThat(r.notional()).isZero();
        assertThat(r.riskAtStop()).isZero();
        assertThat(r.caps()).contains(new Cap(MAX_EXPOSURE, headroom)); // kept as is for the audit
    }

    // ---------------------------------------------------------------- rounding

    @Test
    void floorsRiskQuantityToEightDecimals() {
        // x1.5 high confidence: 1.5% of 10,000 = 150; 150 / 2,250 = 0.0666666...; rounding would give 0.06666667.
        // 0.0667 x 50,000 = 3,333 notional: the officer has raised concentration to 40% (4,000) to leave it room
        List<Cap> caps = List.of(new Cap(MAX_POSITION_USD, 10_000), new Cap(MAX_LEVERAGE, 300_000),
                new Cap(MAX_EXPOSURE, 8_000), new Cap(ASSET_CONCENTRATION, 4_000));
        SizingResult r = sizer.size(seed001().multiplier(1.5).caps(caps).build());

        assertThat(r.bindingCap()).isEqualTo("RISK");
        assertThat(r.quantity()).isEqualTo(0.06666666);
        assertThat(r.riskAtStop()).isCloseTo(149.999985, CENT)      // 0.06666666 x 2,250
                .isLessThanOrEqualTo(r.riskAmount());               // never more than the 150 budget
    }

    @ParameterizedTest(name = "entry {0}")
    @ValueSource(doubles = {50_000, 49_000, 48_000, 47_750, 52_250, 55_625, 44_375})
    void quantityNeverExceedsBindingCap(double entry) {
        // seed 001's prices (entry, EMA200, stop, target, short stop and target) under the $500 cap
        SizingResult r = sizer.size(seed001().entry(entry).build());

        assertThat(r.bindingCap()).isEqualTo(MAX_POSITION_USD.name());
        assertThat(r.quantity() * entry).isLessThanOrEqualTo(500);
        assertThat(r.quantity() * entry).isGreaterThan(500 - 1e-8 * entry); // at most one 1e-8 step below
        assertThat(BigDecimal.valueOf(r.quantity()).stripTrailingZeros().scale()).isLessThanOrEqualTo(8);
    }
    @Test
    void quantityNeverExceedsCapEvenJustBelowAStep() {
        // 500 / 0.01 = 50,000 exactly; an entry 0.000000025 higher makes the exact quantity
        // 500 / 50,000.000000025 = 0.009999999999995 BTC, i.e. 999,999.9999995 steps of 1e-8: floor is 999,999
        double entry = 50_000.000_000_025;

        SizingResult r = sizer.size(seed001().entry(entry).build());

        assertThat(r.quantity()).isEqualTo(0.00999999);              // 999,999 x 1e-8
        assertThat(r.quantity() * entry).isLessThanOrEqualTo(500);
    }

    @Test
    void floorsCapQuantityAtEntry48000() {
        SizingResult r = sizer.size(seed001().entry(48_000).build());

        assertThat(r.quantity()).isEqualTo(0.01041666);              // 500 / 48,000 = 0.0104166...; not ...67
        assertThat(r.notional()).isCloseTo(499.99968, CENT);         // 0.01041666 x 48,000
    }

    // ---------------------------------------------------------------- fixtures

    /** The caps PreTradeEngine builds for seed 001 on an empty book. */
    private static List<Cap> seedCaps() {
        return List.of(
                new Cap(MAX_POSITION_USD, 500),          // RM_MAX_POSITION_USD=500
                new Cap(MAX_LEVERAGE, 300_000),          // RM_MAX_LEVERAGE=30 x equity 10,000
                new Cap(MAX_EXPOSURE, 8_000),            // RM_MAX_EXPOSURE_PCT=0.80 x 10,000 - 0 open
                new Cap(ASSET_CONCENTRATION, 2_500));    // seed 000's 25% x 10,000 - 0 BTC open
    }

    /** Every cap with room for seed 001's risk notional (2,222.22), as when max_position_usd is raised. */
    private static List<Cap> roomyCaps() {
        return List.of(
                new Cap(MAX_POSITION_USD, 10_000),       // officer raises max_position_usd to 10,000
                new Cap(MAX_LEVERAGE, 300_000),          // 30 x 10,000
                new Cap(MAX_EXPOSURE, 8_000),            // 0.80 x 10,000
                new Cap(ASSET_CONCENTRATION, 2_500));    // 0.25 x 10,000
    }

    /** {@link #roomyCaps()} plus seed 002's trend_following row: all above a 0.5% risk notional (1,111.11). */
    private static List<Cap> trendFollowingCaps() {
        List<Cap> caps = new ArrayList<>(roomyCaps());
        caps.add(new Cap(STRATEGY_MAX_POSITION, 1_500));  // "Max Position Size: 15%" x 10,000
        caps.add(new Cap(STRATEGY_MAX_LEVERAGE, 12_000)); // "Max Leverage: 1.2x" x 10,000
        return caps;
    }

    private static Input seed001() {
        return new Input();
    }

    /** Seed 001's usage example with policies/default.yaml's sizing; tests change one thing at a time. */
    private static final class Input {
        private int direction = 1;                        // "LONG"
        private OptionalDouble entry = OptionalDouble.empty();
        private OptionalDouble stop = OptionalDouble.empty();
        private OptionalDouble takeProfit = OptionalDouble.empty();
        private double multiplier = 1.0;                  // confidence 0.75: no band fires
        private double maxRisk = 0.015;                   // RM_MAX_RISK_PCT
        private OptionalDouble strategyStop = OptionalDouble.empty();
        private OptionalDouble strategyTakeProfit = OptionalDouble.empty();
        private List<Cap> caps = seedCaps();

        Input side(int d) {
            direction = d;
            return this;
        }

        Input entry(double v) {
            entry = OptionalDouble.of(v);
            return this;
        }

        Input stop(double v) {
            stop = OptionalDouble.of(v);
            return this;
        }

        Input takeProfit(double v) {
            takeProfit = OptionalDouble.of(v);
            return this;
        }

        Input multiplier(double v) {
            multiplier = v;
            return this;
        }

        Input maxRisk(double v) {
            maxRisk = v;
            return this;
        }

        Input strategyStop(double v) {
            strategyStop = OptionalDouble.of(v);
            return this;
        }

        Input strategyTakeProfit(double v) {
            strategyTakeProfit = OptionalDouble.of(v);
            return this;
        }

        Input caps(List<Cap> v) {
            caps = v;
            return this;
        }

        SizingInput build() {
            return new SizingInput(
                    new SizingInput.Order(direction,
                            50_000,       // price=50000.0
                            1_500,        // atr=1500.0
                            entry, stop, takeProfit),
                    new SizingInput.Risk(
                            10_000,       // current_equity=10000.0
                            0.01,         // RM_RISK_PER_TRADE_PCT=0.01
                            multiplier,
                            0.005,        // RM_MIN_RISK_PCT=0.005
                            maxRisk,
                            1.0),         // no protective factors
                    new SizingInput.Levels(
                            1.5,          // RM_ATR_MULT_SL=1.5
                            3.75,         // RM_TP_MULTIPLIER=3.75
                            2.5,          // RM_TARGET_RR=2.5
                            strategyStop, strategyTakeProfit),
                    caps, Double.NaN);
        }
    }
}
