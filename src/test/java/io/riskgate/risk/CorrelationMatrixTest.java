package io.riskgate.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CorrelationMatrixTest {

    // BTC-ETH 0.8, BTC-SOL 0.5, ETH-SOL -0.2
    private final CorrelationMatrix m = new CorrelationMatrix(List.of("BTC", "ETH", "SOL"),
            new double[][] {{1, 0.8, 0.5}, {0.8, 1, -0.2}, {0.5, -0.2, 1}}, 30);

    @Test
    void looksUpBySymbolEitherWayRound() {
        assertThat(m.get("BTC", "SOL")).isEqualTo(0.5);
        assertThat(m.get("SOL", "BTC")).isEqualTo(0.5);
        assertThat(m.get("ETH", "ETH")).isEqualTo(1);
    }

    @Test
    void findsTheMostCorrelatedPair() {
        assertThat(m.highest()).contains(new CorrelationMatrix.Pair("BTC", "ETH", 0.8));
    }

    @Test
    void findsTheMostCorrelatedPartnerOfOneSymbol() {
        // seed 003: validate a new position's correlation with the book against max_correlation 0.7
        assertThat(m.highestWith("SOL")).contains(new CorrelationMatrix.Pair("SOL", "BTC", 0.5));
        assertThat(m.highestWith("ETH")).contains(new CorrelationMatrix.Pair("ETH", "BTC", 0.8));
    }

    @Test
    void rejectsAnUnknownSymbol() {
        assertThatThrownBy(() -> m.get("BTC", "DOGE")).hasMessage("no correlations for DOGE; have [BTC, ETH, SOL]");
    }

    @Test
    void handsOutCopies() {
        m.toArray()[0][1] = 0;

        assertThat(m.get("BTC", "ETH")).isEqualTo(0.8);
    }
}
