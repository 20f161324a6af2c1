package io.riskgate.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlignedReturnsTest {

    @Test
    void keepsSymbolsInTheOrderGiven() {
        Map<String, double[]> prices = new LinkedHashMap<>();
        prices.put("BTC", new double[] {100, 110, 99});
        prices.put("ETH", new double[] {10, 10.5, 10.5});

        AlignedReturns a = AlignedReturns.fromPrices(prices);

        assertThat(a.symbols()).containsExactly("BTC", "ETH");
        assertThat(a.observations()).isEqualTo(2);
        assertThat(a.returns("BTC").get(1)).isCloseTo(-0.1, within(1e-15));   // 99 / 110 - 1
        assertThat(a.returns("ETH").get(0)).isCloseTo(0.05, within(1e-15));   // 10.5 / 10 - 1
    }

    @Test
    void rejectsSeriesOfDifferentLengthsNamingBoth() {
        Map<String, Returns> m = new LinkedHashMap<>();
        m.put("BTC", Returns.of(0.01, 0.02, 0.03));
        m.put("ETH", Returns.of(0.01, 0.02));

        assertThatThrownBy(() -> AlignedReturns.of(m))
                .hasMessage("returns must be aligned: BTC has 3, ETH has 2");
    }

    @Test
    void rejectsNoSymbols() {
        assertThatThrownBy(() -> AlignedReturns.of(Map.of())).hasMessage("returns must hold at least one symbol");
    }

    @Test
    void namesEveryMissingSymbol() {
        AlignedReturns a = AlignedReturns.of(Map.of("BTC", Returns.of(0.01)));

        assertThatThrownBy(() -> a.returns("SOL")).hasMessage("no returns for SOL; have [BTC]");
        assertThatThrownBy(() -> a.requireSymbols(List.of("BTC", "SOL", "ADA")))
                .hasMessage("no returns for [SOL, ADA]; have [BTC]");
    }
}
