package io.riskgate.market;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskgate.testing.Bars;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.TestRuntime;
import org.junit.jupiter.api.Test;

/** The series cache holds symbols that have bars: symbols a caller invents are answered, not kept. */
class MarketDataTest {

    private final MutableClock clock = new MutableClock(TestRuntime.T0);
    private final MarketData market = TestRuntime.start(clock).market();

    @Test
    void symbolsWithoutBarsAreNotKept() {
        for (int i = 0; i < 1_000; i++) {
            MarketData.Series s = market.series("INVENTED" + i + "USDT", "1d");
            assertThat(s.bars()).isEmpty();
            assertThat(s.version()).isZero();
        }
        assertThat(market.cachedSeries()).isZero();
    }

    @Test
    void aSymbolIsKeptOnceItHasBarsAndANewVersionTellsTheChange() {
        assertThat(market.series("BTCUSDT", "1d").version()).isZero();
        market.ingest(Bars.daily("BTCUSDT", 50_000, new double[] {0.01, -0.02}, TestRuntime.T0.minusSeconds(86_400)));
        MarketData.Series s = market.series("BTCUSDT", "1d");
        assertThat(s.bars()).hasSize(3);
        assertThat(s.version()).isPositive();
        assertThat(market.series("BTCUSDT", "1d")).isSameAs(s);
        assertThat(market.cachedSeries()).isEqualTo(1);
    }
}
