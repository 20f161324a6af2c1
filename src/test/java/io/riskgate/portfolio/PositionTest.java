package io.riskgate.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.riskgate.policy.Side;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PositionTest {

    static Position position(Side side, double quantity, double entry, double stop) {
        return new Position("t", "d", "acc", "BTCUSDT", "BTC", null, side, quantity, entry, stop,
                entry * (1 + side.sign() * 0.1), Instant.EPOCH);
    }

    @Test
    void riskToStopIsTheLossIfTheStopIsHit() {
        // seed 001: 0.01 BTC long from 50,000 with its 47,750 stop: 2,250 x 0.01 = 22.50
        assertThat(position(Side.LONG, 0.01, 50_000, 47_750).riskToStop()).isCloseTo(22.5, within(1e-9));
        // seed 003's signal: 0.1 BTC from 50,000, stop 49,000: 1,000 x 0.1 = 100; heat (22.5 + 100) / 10,000 = 1.225%
        assertThat(position(Side.LONG, 0.1, 50_000, 49_000).riskToStop()).isCloseTo(100, within(1e-9));
        // a short loses when the price rises: 0.01 from 50,000 to a 52,250 stop = 22.50
        assertThat(position(Side.SHORT, 0.01, 50_000, 52_250).riskToStop()).isCloseTo(22.5, within(1e-9));
    }

    @Test
    void aStopAtOrPastTheEntryRisksNothing() {
        // trailed to breakeven (50,000) and past it (50,500): the stop locks in a result, it cannot lose
        assertThat(position(Side.LONG, 0.01, 50_000, 50_000).riskToStop()).isZero();
        assertThat(position(Side.LONG, 0.01, 50_000, 50_500).riskToStop()).isZero();
        assertThat(position(Side.SHORT, 0.01, 50_000, 49_500).riskToStop()).isZero();
        // one cent short of the entry still risks 0.01 x 0.01
        assertThat(position(Side.LONG, 0.01, 50_000, 49_999.99).riskToStop()).isCloseTo(0.0001, within(1e-9));
    }
}
