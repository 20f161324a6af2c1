package io.riskgate.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EstimateTest {

    @Test
    void readyHoldsItsValue() {
        Estimate<String> e = Estimate.ready("x");

        assertThat(e.isReady()).isTrue();
        assertThat(e.asOptional()).contains("x");
        assertThat(e.orElseThrow()).isEqualTo("x");
        assertThat(e.unavailableReason()).isEmpty();
        assertThat(e.map(String::length).orElseThrow()).isEqualTo(1);
    }

    @Test
    void insufficientDataSaysWhatWasNeededAndWhatThereWas() {
        Estimate<String> e = Estimate.insufficient("returns", 20, 12);

        assertThat(e.isReady()).isFalse();
        assertThat(e.asOptional()).isEmpty();
        assertThat(e).isEqualTo(new Estimate.InsufficientData<String>("returns", 20, 12));
        assertThat(e.unavailableReason()).contains("returns needs at least 20 points, had 12");
        assertThatThrownBy(e::orElseThrow).isInstanceOf(IllegalStateException.class)
                .hasMessage("returns needs at least 20 points, had 12");
    }

    @Test
    void insufficientDataKeepsItsCountsThroughMap() {
        Estimate<Integer> mapped = Estimate.<String>insufficient("bars", 14, 3).map(String::length);

        assertThat(mapped).isEqualTo(new Estimate.InsufficientData<Integer>("bars", 14, 3));
    }

    @Test
    void insufficientDataRejectsEnoughHistory() {
        assertThatThrownBy(() -> Estimate.insufficient("returns", 20, 20))
                .hasMessage("had must be < needed, was 20 of 20");
    }

    @Test
    void undefinedCarriesItsReasonThroughMap() {
        Estimate<Integer> e = Estimate.<String>undefined("returns of USDT never change").map(String::length);

        assertThat(e.isReady()).isFalse();
        assertThat(e.unavailableReason()).contains("returns of USDT never change");
        assertThatThrownBy(e::orElseThrow).hasMessage("returns of USDT never change");
    }

    @Test
    void bothKindsOfUnavailableGiveTheirReasonThroughOneType() {
        Estimate<String> few = Estimate.insufficient("returns", 30, 29);
        Estimate<String> flat = Estimate.undefined("returns of USDT never change");

        assertThat(few).isInstanceOfSatisfying(Estimate.Unavailable.class,
                u -> assertThat(u.reason()).isEqualTo("returns needs at least 30 points, had 29"));
        assertThat(flat).isInstanceOfSatisfying(Estimate.Unavailable.class,
                u -> assertThat(u.reason()).isEqualTo("returns of USDT never change"));
    }

    @Test
    void readyRejectsNull() {
        assertThatThrownBy(() -> Estimate.ready(null)).hasMessage("value must not be null");
    }
}
