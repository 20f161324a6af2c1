package io.riskgate.risk.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class BarTest {

    static Stream<Arguments> trueRanges() {
        return Stream.of(
                // high, low, previous close, true range
                Arguments.of(12, 9.5, 11, 2.5),    // inside the day's range: high - low
                Arguments.of(12, 9.5, 9, 3.0),     // gap up: high - previous close = 12 - 9
                Arguments.of(10, 8, 10.5, 2.5),    // gap down: previous close - low = 10.5 - 8
                Arguments.of(10, 10, 10, 0.0));    // nothing moved
    }

    @ParameterizedTest
    @MethodSource("trueRanges")
    void trueRangeStretchesTheDayOverAGap(double high, double low, double previousClose, double expected) {
        assertThat(new Bar(high, low, low).trueRange(previousClose)).isEqualTo(expected);
    }

    @Test
    void rejectsHighBelowLow() {
        assertThatThrownBy(() -> new Bar(9, 10, 9.5)).hasMessage("high must be >= low, was 9.0 < 10.0");
    }

    @Test
    void rejectsNonPositivePrices() {
        assertThatThrownBy(() -> new Bar(10, 0, 5)).hasMessage("low must be a finite number > 0, was 0.0");
        assertThatThrownBy(() -> new Bar(Double.NaN, 1, 1)).hasMessage("high must be a finite number > 0, was NaN");
    }
}
