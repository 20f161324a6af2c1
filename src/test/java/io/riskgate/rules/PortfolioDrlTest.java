package io.riskgate.rules;

import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.decision.Decision;
import io.riskgate.testing.Engine;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * rules/portfolio.drl, rule by rule, with the default policy. A limit's headroom is set with realistic positions
 * (seed 001's 0.01 BTC-sized order filled at 50,000 = 500) and the equity the next check reports: the limits are
 * fractions of equity, so choosing the equity puts the headroom exactly on the minimum position, or just below.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortfolioDrlTest {

    private Engine engine;

    @BeforeAll
    void start(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        // headroom is shaped by reporting a small equity after opening positions: breakers off (see Engine)
        engine = Engine.withoutBreakers(dir);
    }

    private ObjectNode order(String account) {
        return set(engine.seed001(), "account", account);
    }

    @Test
    void maxConcurrentTradesAllowsTheFourthAndRefusesTheFifth() {
        String account = Engine.freshAccount();
        // max_concurrent_trades 4: approvals 1-4 each hold a slot (reservation), so the 5th finds 4 of 4 taken.
        // Exposure stays small: 4 x 500 = 2,000 <= 8,000, and BTC 2,000 <= 2,500.
        for (int i = 1; i <= 4; i++) {
            Decision d = engine.check(order(account));
            assertThat(d.approved()).as("order %d: %s", i, d.rejections()).isTrue();
        }
        Decision fifth = engine.check(order(account));
        assertThat(fifth.codes()).containsExactly("MAX_CONCURRENT_TRADES");
    }

    @Test
    void openPositionsAndReservationsBothHoldSlots() {
        String account = Engine.freshAccount();
        // two filled positions (ETH, SOL) + two reservations (BTC) = 4 slots
        engine.openPosition(account, "ETHUSDT", null, 0.01, 50_000);
        engine.openPosition(account, "SOLUSDT", null, 0.01, 50_000);
        assertThat(engine.check(order(account)).approved()).isTrue();
        assertThat(engine.check(order(account)).approved()).isTrue();
        assertThat(engine.check(order(account)).codes()).containsExactly("MAX_CONCURRENT_TRADES");
    }

    /** Seed 001's order on {@code account} reporting {@code equity}: headroom is set by the equity. */
    private ObjectNode order(String account, double equity) {
        return set(order(account), "equity", equity);
    }

    @Test
    void exposureHeadroomOfExactlyTheMinimumPositionIsApproved() {
        String account = Engine.freshAccount();
        // an ETH position of 0.01 at 50,000 = 500; at equity 631.25 max exposure is 0.8 x 631.25 = 505,
        // leaving 5 = min position. (Risk 1% = 6.31 over 2,250 = 140 notional; BTC limit 0.25 x 631.25 = 157.8.)
        engine.openPosition(account, "ETHUSDT", null, 0.01, 50_000);
        Decision d = engine.check(order(account, 631.25));
        assertThat(d.approved()).as("%s", d.rejections()).isTrue();
        assertThat(d.sizing().bindingCap()).isEqualTo("MAX_EXPOSURE");
        // 5 of headroom at 50,000 per BTC = 0.0001 BTC
        assertThat(d.quantity()).isCloseTo(0.0001, within(1e-12));
    }

    @Test
    void exposureHeadroomBelowTheMinimumPositionIsRefused() {
        String account = Engine.freshAccount();
        // equity 630.625: 0.8 x 630.625 = 504.5, minus the 500 position leaves 4.5 < 5
        engine.openPosition(account, "ETHUSDT", null, 0.01, 50_000);
        assertThat(engine.check(order(account, 630.625)).codes()).containsExactly("MAX_EXPOSURE");
    }

    @Test
    void assetConcentrationHeadroomOfExactlyTheMinimumIsApproved() {
        String account = Engine.freshAccount();
        // a BTC position of 500; at equity 2,020 the BTC limit is 0.25 x 2,020 = 505, leaving 5.
        // (Exposure headroom 0.8 x 2,020 - 500 = 1,116; risk 20.2 / 2,250 x 50,000 = 449.)
        engine.openPosition(account, "BTCUSDT", null, 0.01, 50_000);
        Decision d = engine.check(order(account, 2_020));
        assertThat(d.approved()).as("%s", d.rejections()).isTrue();
        assertThat(d.sizing().bindingCap()).isEqualTo("ASSET_CONCENTRATION");
    }

    @Test
    void assetConcentrationCountsEveryQuoteOfTheSameAsset() {
        String account = Engine.freshAccount();
        // BTCUSDC and BTCUSDT are both BTC: at equity 2,018 the limit is 504.5, minus 500 leaves 4.5 < 5
        engine.openPosition(account, "BTCUSDC", null, 0.01, 50_000);
        assertThat(engine.check(order(account, 2_018)).codes()).containsExactly("ASSET_CONCENTRATION");
        // ETH is another asset: still approved
        assertThat(engine.check(set(order(account, 2_018), "symbol", "ETHUSDT")).approved()).isTrue();
    }

    @Test
    void strategyHeadroomOfExactlyTheMinimumIsApproved() {
        String account = Engine.freshAccount();
        // an htf position of 500 (on ETH); at equity 2,525 htf's max position is 0.20 x 2,525 = 505, leaving 5.
        // (htf stop 2% = 1,000: risk 25.25 / 1,000 x 50,000 = 1,262; exposure headroom 1,520; BTC 631.)
        engine.openPosition(account, "ETHUSDT", "htf", 0.01, 50_000);
        Decision d = engine.check(set(order(account, 2_525), "strategy", "htf"));
        assertThat(d.approved()).as("%s", d.rejections()).isTrue();
        assertThat(d.sizing().bindingCap()).isEqualTo("STRATEGY_MAX_POSITION");
    }

    @Test
    void strategyHeadroomBelowTheMinimumIsRefusedButOtherStrategiesAreNot() {
        String account = Engine.freshAccount();
        // equity 2,522.5: 0.20 x 2,522.5 = 504.5, minus 500 leaves 4.5 < 5
        engine.openPosition(account, "ETHUSDT", "htf", 0.01, 50_000);
        assertThat(engine.check(set(order(account, 2_522.5), "strategy", "htf")).codes())
                .containsExactly("STRATEGY_MAX_POSITION");
        // trend_following has its own 0.15 x 2,522.5 = 378 of headroom
        assertThat(engine.check(set(order(account, 2_522.5), "strategy", "trend_following")).approved()).isTrue();
    }

    @Test
    void positionOfExactlyTheMinimumIsApproved() {
        // equity 22.5: risk 1% = 0.225 over a 2,250 stop = 0.0001 BTC = 5.00 at 50,000 = min position.
        // Headrooms are larger: exposure 0.8 x 22.5 = 18, BTC 0.25 x 22.5 = 5.625.
        Decision d = engine.check(set(engine.seed001(), "equity", 22.5));
        assertThat(d.approved()).as("%s", d.rejections()).isTrue();
        assertThat(d.notional()).isCloseTo(5.0, within(1e-9));
    }

    @Test
    void positionBelowTheMinimumIsRefused() {
        // equity 22.49: 0.2249 / 2,250 = 0.00009995 BTC = 4.9978 < 5; headrooms 17.99 and 5.6225 are fine.
        Decision d = engine.check(set(engine.seed001(), "equity", 22.49));
        assertThat(d.codes()).containsExactly("BELOW_MIN_POSITION");
    }

    @Test
    void rewardRiskAtTheMinimumIsApproved() {
        // caller stop 49,000 (risk 1,000) and target 51,500 (reward 1,500): 1.5 = min_reward_risk
        ObjectNode r = set(engine.seed001(), "stopLoss", 49_000.0);
        set(r, "takeProfit", 51_500.0);
        Decision d = engine.check(r);
        assertThat(d.approved()).as("%s", d.rejections()).isTrue();
        assertThat(d.stopLoss()).isEqualTo(49_000.0);
        // risk 100 / 1,000 = 0.1 BTC = 5,000, capped at 500 -> 0.01 BTC
        assertThat(d.quantity()).isEqualTo(0.01);
    }

    @Test
    void rewardRiskBelowTheMinimumIsRefused() {
        // target 51,499.99: reward 1,499.99 / risk 1,000 = 1.49999 < 1.5
        ObjectNode r = set(engine.seed001(), "stopLoss", 49_000.0);
        set(r, "takeProfit", 51_499.99);
        assertThat(engine.check(r).codes()).containsExactly("MIN_REWARD_RISK");
    }

    @Test
    void aTakeProfitAtOrBelowZeroIsRefused(@TempDir Path dir) throws IOException {
        // arbitrage with take_profit_pct: a SHORT target is entry x (1 - pct): at 0.99 it is 500 (valid), at 1.0
        // it is 0 (not a price). The ATR stop 50,000 + 2,250 = 52,250 keeps reward:risk far above 1.5.
        ObjectNode shortOrder = set(set(engine.seed001(), "side", "SHORT"), "market.ema200", 52_000.0);
        set(shortOrder, "strategy", "arbitrage");

        Engine valid = withArbitrageTakeProfit(dir.resolve("a"), "0.99");
        Decision d = valid.check(shortOrder.deepCopy());
        assertThat(d.approved()).as("%s", d.rejections()).isTrue();
        assertThat(d.takeProfit()).isCloseTo(500.0, within(1e-6));

        Engine zero = withArbitrageTakeProfit(dir.resolve("b"), "1.0");
        assertThat(zero.check(shortOrder.deepCopy()).codes()).containsExactly("INVALID_LEVELS");
    }

    private static Engine withArbitrageTakeProfit(Path dir, String pct) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        Path policy = dir.resolve("policies/default.yaml");
        Files.writeString(policy, Files.readString(policy)
                .replace("  arbitrage: {}", "  arbitrage: {take_profit_pct: " + pct + "}"));
        return new Engine(dir.resolve("policies"), dir.resolve("rules"));
    }

    @Test
    void aStopAtOrBelowZeroIsRefused(@TempDir Path dir) throws IOException {
        // with the volatility gate off, a LONG's ATR stop is 50,000 - 1.5 x ATR: ATR 33,333 puts it at 0.5 (a
        // price), ATR 33,334 at -1 (not a price). Target 50,000 + 3.75 x ATR keeps reward:risk at 2.5.
        TestRuntime.copyRepoConfig(dir);
        Path policy = dir.resolve("policies/default.yaml");
        Files.writeString(policy, Files.readString(policy).replace("volatility_gate: true", "volatility_gate: false"));
        Engine noGate = new Engine(dir.resolve("policies"), dir.resolve("rules"));
        Decision valid = noGate.check(set(noGate.seed001(), "market.atr", 33_333.0));
        assertThat(valid.approved()).as("%s", valid.rejections()).isTrue();
        assertThat(valid.stopLoss()).isCloseTo(0.5, within(1e-9));
        assertThat(noGate.check(set(noGate.seed001(), "market.atr", 33_334.0)).codes())
                .containsExactly("INVALID_LEVELS");
    }
}
