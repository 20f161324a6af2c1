package io.riskgate.order;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link Echo} and the cut it gives {@link FieldProblem}: a client's value is quoted at most 200 characters. */
class EchoTest {

    @Test
    void aValueOfAtMost200CharactersIsQuotedWhole() {
        String v = "x".repeat(200);

        assertThat(Echo.of(v)).isEqualTo(v);
    }

    @Test
    void aLongerValueIsCutAt200CharactersAndSaysHowLongItWas() {
        String v = "x".repeat(5_000_000);

        assertThat(Echo.of(v)).isEqualTo("x".repeat(200) + "…(5000000 characters)");
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        // 199 letters, then an emoji (two chars) that straddles the 200th character
        String v = "x".repeat(199) + "😀" + "y".repeat(10);

        assertThat(Echo.of(v)).isEqualTo("x".repeat(199) + "…(211 characters)");
    }

    @Test
    void aFieldProblemCutsItsFieldAndItsMessage() {
        FieldProblem p = new FieldProblem("k".repeat(1_000), "must match X, was '" + "v".repeat(1_000) + "'");

        assertThat(p.field()).isEqualTo("k".repeat(200) + "…(1000 characters)");
        assertThat(p.message()).hasSize(FieldProblem.MAX_MESSAGE + "…(1020 characters)".length())
                .endsWith("…(1020 characters)");
    }
}
