package io.riskgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link PortfolioLimits#assetOf}: which asset a symbol trades, for seed 000's per-asset concentration limit. */
class PortfolioLimitsTest {

    /** policies/default.yaml: quote_currencies: [USDT, USDC, BUSD, USD, EUR]. */
    private static final PortfolioLimits SHIPPED = limits(List.of("USDT", "USDC", "BUSD", "USD", "EUR"));

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("symbols")
    void findsAssetOfSymbol(String symbol, String asset) {
        assertThat(SHIPPED.assetOf(symbol)).isEqualTo(asset);
    }

    static Stream<Arguments> symbols() {
        return Stream.of(
                Arguments.of("BTCUSDT", "BTC"),        // seed 001's symbol, less the USDT suffix
                Arguments.of("BTC/USDT:USDT", "BTC"),  // ccxt perpetual notation: the part before '/'
                Arguments.of("BTC/USDT", "BTC"),
                Arguments.of("ETHUSDC", "ETH"),
                Arguments.of("ETHBUSD", "ETH"),        // BUSD is tried before USD, so not "ETHB"
                Arguments.of("BTCUSD", "BTC"),
                Arguments.of("ETHEUR", "ETH"),
                Arguments.of("btcusdt", "BTC"),        // upper-cased first
                Arguments.of("XRPJPY", "XRPJPY"),      // JPY is not a listed quote: the whole symbol
                Arguments.of("USDT", "USDT"),          // a symbol that is only a quote keeps its name
                Arguments.of("XUSDT", "X"));           // one letter longer than the quote is enough
    }

    @Test
    void allBtcSymbolsShareOneAsset() {
        // seed 000: "limiting the total value of all BTC positions to 25% of the portfolio" needs one key for them
        assertThat(Stream.of("BTCUSDT", "BTC/USDT:USDT", "BTCUSDC", "btc/eur").map(SHIPPED::assetOf))
                .containsOnly("BTC");
    }

    private static PortfolioLimits limits(List<String> quotes) {
        // seed 001: 4 concurrent trades, 80% exposure; seed 000: 25% per asset; 5m reservation
        return new PortfolioLimits(4, 0.80, 0.25, Duration.ofMinutes(5), 0.05, Duration.ofMinutes(5), quotes);
    }
}
