package io.riskgate.order;

import static io.riskgate.testing.Requests.JSON;
import static io.riskgate.testing.Requests.seed001;
import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Bounds}: each bounded field of a check takes its maximum and refuses the next double above it, with the
 * field named and the bound in the message; 1e308 and non-finite numbers are refused; the ranges' own edges.
 */
class BoundsTest {

    /** Field, side of the order, the maximum it takes (a LONG's stop must be below its entry: SHORT there). */
    static Stream<Arguments> boundedCheckFields() {
        return Stream.of(
                arguments("market.price", "LONG", Bounds.MAX_PRICE),
                arguments("market.atr", "LONG", Bounds.MAX_PRICE),
                arguments("market.ema200", "LONG", Bounds.MAX_PRICE),
                arguments("entry", "LONG", Bounds.MAX_PRICE),
                arguments("takeProfit", "LONG", Bounds.MAX_PRICE),
                arguments("stopLoss", "SHORT", Bounds.MAX_PRICE),
                arguments("equity", "LONG", Bounds.MAX_EQUITY),
                arguments("market.volume24h", "LONG", Bounds.MAX_VOLUME),
                arguments("market.spreadBps", "LONG", Bounds.MAX_SPREAD_BPS),
                arguments("signal.confidence", "LONG", 1.0),
                arguments("signal.strength", "LONG", 1.0));
    }

    @ParameterizedTest(name = "{0} up to {2}")
    @MethodSource("boundedCheckFields")
    void aCheckFieldTakesItsMaximumAndRefusesTheNextNumberAbove(String field, String side, double max) {
        ObjectNode atMax = set(set(seed001(), "side", side), field, max);
        ObjectNode above = set(set(seed001(), "side", side), field, Math.nextUp(max));

        assertThatCode(() -> CheckRequestParser.parse(atMax)).doesNotThrowAnyException();
        InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
                () -> CheckRequestParser.parse(above));
        assertThat(e.problems()).singleElement().isEqualTo(new FieldProblem(field, "must be at most "
                + Bounds.Range.plain(max) + ", was " + JSON.valueToTree(Math.nextUp(max))));
    }

    @Test
    void aPriceOf1e308IsRefusedNamingTheFieldAndTheBound() {
        InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
                () -> CheckRequestParser.parse(set(seed001(), "market.price", 1e308)));

        assertThat(e.problems()).containsExactly(
                new FieldProblem("market.price", "must be at most 1000000000, was 1.0E308"));
    }

    @Test
    void anEquityOf1e308IsRefusedAndSoIsATakeProfitThatWouldBeInfinite() {
        InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
                () -> CheckRequestParser.parse(set(set(seed001(), "equity", 1e308), "takeProfit", 1e308)));

        assertThat(e.problems()).containsExactlyInAnyOrder(
                new FieldProblem("equity", "must be at most 10000000000000, was 1.0E308"),
                new FieldProblem("takeProfit", "must be at most 1000000000, was 1.0E308"));
    }

    @Test
    void aNumberTooLargeForADoubleIsRefusedAsNotFinite() throws IOException {
        // Jackson reads 1e400 as Infinity
        ObjectNode json = (ObjectNode) JSON.readTree(JSON.writeValueAsString(seed001())
                .replace("\"price\":50000.0", "\"price\":1e400"));

        InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
                () -> CheckRequestParser.parse(json));

        assertThat(e.problems()).containsExactly(new FieldProblem("market.price",
                "must be a finite number, was Infinity"));
    }

    /** Orders at the edges of the bounds: the dearest and the smallest ATR. */
    static Stream<Arguments> extremeAcceptedChecks() {
        ObjectNode dearest = set(set(set(set(seed001(), "market.price", Bounds.MAX_PRICE), "market.atr",
                Bounds.MAX_PRICE), "market.ema200", 1.0), "equity", Bounds.MAX_EQUITY);
        ObjectNode tiniestAtr = set(set(seed001(), "market.atr", Double.MIN_VALUE), "equity", Bounds.MAX_EQUITY);
        return Stream.of(arguments("price, ATR and equity at their maxima", dearest),
                arguments("the smallest positive ATR", tiniestAtr));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("extremeAcceptedChecks")
    void everyNumberOfADecisionOnAcceptedInputIsFinite(String description, ObjectNode request) {
        io.riskgate.runtime.RiskgateRuntime rt = io.riskgate.testing.TestRuntime.start(
                new io.riskgate.testing.MutableClock(io.riskgate.testing.TestRuntime.T0));

        io.riskgate.decision.Decision d = rt.engine().check(set(request, "account", "bounds-" + description.length()));

        assertThat(d.outcome()).as(d.toString()).isNotEqualTo(io.riskgate.decision.Outcome.FAILED);
        for (Double v : new Double[] {d.quantity(), d.notional(), d.entryPrice(), d.stopLoss(), d.takeProfit(),
                d.riskAmount(), d.riskPct(), d.equity(), d.rewardRisk()}) {
            assertThat(v == null || Double.isFinite(v)).as("%s in %s", v, d).isTrue();
        }
    }

    @Test
    void aRangeAboveItsMinimumExcludesTheMinimumAndIncludesTheMaximum() {
        Bounds.Range r = Bounds.Range.above(0, 10);

        assertThat(r.violation(0)).isEqualTo("must be > 0");
        assertThat(r.violation(Double.MIN_VALUE)).isNull();
        assertThat(r.violation(10)).isNull();
        assertThat(r.violation(Math.nextUp(10.0))).isEqualTo("must be at most 10");
        assertThat(r.violation(Double.NaN)).isEqualTo("must be a finite number");
        assertThat(r.violation(Double.POSITIVE_INFINITY)).isEqualTo("must be a finite number");
        assertThat(r.contains(10)).isTrue();
        assertThat(r.contains(0)).isFalse();
    }

    @Test
    void aRangeFromItsMinimumIncludesIt() {
        Bounds.Range r = Bounds.Range.from(0, 1);

        assertThat(r.violation(0)).isNull();
        assertThat(r.violation(-Double.MIN_VALUE)).isEqualTo("must be >= 0");
        assertThat(r.violation(1)).isNull();
        assertThat(r.violation(1.5)).isEqualTo("must be at most 1");
    }

    @Test
    void theBoundsAreTheDocumentedNumbers() {
        // docs/operations.md, "Limits", lists these
        assertThat(Bounds.MAX_PRICE).isEqualTo(1e9);
        assertThat(Bounds.MAX_QUANTITY).isEqualTo(1e12);
        assertThat(Bounds.MAX_EQUITY).isEqualTo(1e13);
        assertThat(Bounds.MAX_VOLUME).isEqualTo(1e15);
        assertThat(Bounds.MAX_SPREAD_BPS).isEqualTo(10_000);
        assertThat(Bounds.REPORTED_EQUITY.violation(0)).isNull();
        assertThat(Bounds.EQUITY.violation(0)).isEqualTo("must be > 0");
    }
}
