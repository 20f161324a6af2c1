package io.riskgate.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class VarSpecTest {

    static Stream<Arguments> good() {
        return Stream.of(Arguments.of(0.5, 1), Arguments.of(0.95, 1), Arguments.of(0.99, 10),
                Arguments.of(0.999_999, 250));
    }

    static Stream<Arguments> bad() {
        return Stream.of(
                Arguments.of(0.05, 1, "confidence must be in [0.5, 1), was 0.05 (pass 0.95 for a 5% tail)"),
                Arguments.of(0.499, 1, "confidence must be in [0.5, 1), was 0.499 (pass 0.95 for a 5% tail)"),
                Arguments.of(1.0, 1, "confidence must be in [0.5, 1), was 1.0 (pass 0.95 for a 5% tail)"),
                Arguments.of(Double.NaN, 1, "confidence must be in [0.5, 1), was NaN (pass 0.95 for a 5% tail)"),
                Arguments.of(0.99, 0, "horizon must be >= 1, was 0"));
    }

    @ParameterizedTest
    @MethodSource("good")
    void acceptsConfidenceFromHalfToBelowOneAndPositiveHorizons(double confidence, int horizon) {
        assertThat(new VarSpec(confidence, horizon).confidence()).isEqualTo(confidence);
    }

    @ParameterizedTest
    @MethodSource("bad")
    void rejectsTailProbabilitiesAndEmptyHorizons(double confidence, int horizon, String message) {
        assertThatThrownBy(() -> new VarSpec(confidence, horizon)).hasMessage(message);
    }

    @Test
    void tailAndHorizonScale() {
        VarSpec s = new VarSpec(0.99, 10);

        assertThat(s.tail()).isCloseTo(0.01, within(1e-15));
        assertThat(s.horizonScale()).isCloseTo(3.1622776601683795, within(1e-15));   // sqrt(10)
        assertThat(VarSpec.onePeriod(0.95)).isEqualTo(new VarSpec(0.95, 1));
    }
}
