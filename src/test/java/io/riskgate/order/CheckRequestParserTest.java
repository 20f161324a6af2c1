package io.riskgate.order;

import static io.riskgate.testing.Requests.JSON;
import static io.riskgate.testing.Requests.seed001;
import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.policy.Consensus;
import io.riskgate.policy.Side;
import io.riskgate.testing.TestRuntime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CheckRequestParser}: seed 001's usage example parses, and a bad request is refused with every bad field
 * named by its JSON path. Requests start from {@link io.riskgate.testing.Requests#seed001()} (BTCUSDT LONG, STRONG,
 * confidence 0.75, price 50,000, ATR 1,500, EMA200 48,000, volume 5e9, spread 10 bps, equity 10,000) and change one
 * field at a time.
 */
class CheckRequestParserTest {

    @Test
    void parsesSeed001Request() {
        CheckRequest r = CheckRequestParser.parse(seed001());

        assertThat(r.account()).isEqualTo("default");
        assertThat(r.symbol()).isEqualTo("BTCUSDT");
        assertThat(r.side()).isEqualTo(Side.LONG);
        assertThat(r.strategy()).isEmpty();
        assertThat(r.signal().consensus()).isEqualTo(Consensus.STRONG);
        assertThat(r.signal().confidence()).isEqualTo(0.75);
        assertThat(r.signal().strength()).isEqualTo(OptionalDouble.of(0.82));
        assertThat(r.signal().modelVotes()).isEqualTo(Map.of(
                "XGBoost", "LONG", "LightGBM", "LONG", "N-HiTS", "LONG", "PatchTST", "HOLD"));
        assertThat(r.market()).isEqualTo(new Market(50_000, 1_500, 48_000, 5_000_000_000.0, 10,
                Optional.of(TestRuntime.T0)));
        assertThat(r.equity()).isEqualTo(OptionalDouble.of(10_000));
        assertThat(r.entry()).isEmpty();
        assertThat(r.stopLoss()).isEmpty();
        assertThat(r.takeProfit()).isEmpty();
        assertThat(r.entryPrice()).isEqualTo(50_000); // no entry given: the market price
    }

    @Test
    void listsEveryBadFieldByJsonPath() {
        ObjectNode json = seed001();
        set(json, "market.price", null);              // missing
        set(json, "market.atr", -1_500);              // negative
        set(json, "signal.confidence", 1.5);          // above 1
        set(json, "side", "SIDEWAYS");                // not LONG|SHORT
        set(json, "stoploss", 47_750);                // misspelt stopLoss: 50,000 - 1.5 x 1,500
        set(json, "market.volume24h", "five billion"); // not a number
        set(json, "market.timestamp", "21/11/2026 10:00"); // not ISO-8601

        InvalidRequestException e = refused(json);

        assertThat(e.problems()).extracting(FieldProblem::field).containsExactlyInAnyOrder(
                "market.price", "market.atr", "signal.confidence", "side", "stoploss", "market.volume24h",
                "market.timestamp");
        assertThat(message(e, "market.price")).isEqualTo("is required");
        assertThat(message(e, "market.atr")).isEqualTo("must be > 0, was -1500");
        assertThat(message(e, "signal.confidence")).isEqualTo("must be at most 1, was 1.5");
        assertThat(message(e, "side")).isEqualTo("must be one of LONG|SHORT, was 'SIDEWAYS'");
        assertThat(message(e, "stoploss")).startsWith("unknown field");
        assertThat(message(e, "market.volume24h")).isEqualTo("must be a number, was \"five billion\"");
        assertThat(message(e, "market.timestamp")).contains("ISO-8601", "'21/11/2026 10:00'");
        assertThat(e.getMessage()).contains("market.price: is required", "stoploss: unknown field");
    }

    @ParameterizedTest(name = "confidence {0} accepted: {1}")
    @MethodSource("confidences")
    void acceptsConfidenceFromZeroToOne(double confidence, boolean accepted) {
        ObjectNode json = set(seed001(), "signal.confidence", confidence);

        if (accepted) {
            assertThat(CheckRequestParser.parse(json).signal().confidence()).isEqualTo(confidence);
        } else {
            assertThat(refused(json).problems()).extracting(FieldProblem::field)
                    .containsExactly("signal.confidence");
        }
    }

    static Stream<Arguments> confidences() {
        return Stream.of(
                Arguments.of(0.0, true),       // lower bound, inclusive
                Arguments.of(-0.0001, false),  // 0 - 0.0001
                Arguments.of(1.0, true),       // upper bound, inclusive
                Arguments.of(1.0001, false),   // 1 + 0.0001
                Arguments.of(0.70, true));     // seed 001's minimum confidence
    }

    @ParameterizedTest(name = "{0} = {1} accepted: {2}")
    @MethodSource("marketNumbers")
    void checksMarketNumbers(String field, double value, boolean accepted) {
        ObjectNode json = set(seed001(), field, value);

        if (accepted) {
            assertThat(CheckRequestParser.parse(json)).isNotNull();
        } else {
            assertThat(refused(json).problems()).extracting(FieldProblem::field).containsExactly(field);
        }
    }

    static Stream<Arguments> marketNumbers() {
        return Stream.of(
                // prices are strictly positive
                Arguments.of("market.price", 0.0, false),
                Arguments.of("market.price", 0.01, true),            // one cent
                Arguments.of("market.price", -50_000.0, false),
                Arguments.of("market.price", Double.POSITIVE_INFINITY, false),
                Arguments.of("market.atr", 0.0, false),
                Arguments.of("market.atr", 0.01, true),
                Arguments.of("market.ema200", 0.0, false),
                Arguments.of("market.ema200", 0.01, true),
                // volume and spread may be 0, not below
                Arguments.of("market.volume24h", 0.0, true),
                Arguments.of("market.volume24h", -1.0, false),
                Arguments.of("market.spreadBps", 0.0, true),
                Arguments.of("market.spreadBps", -0.1, false),
                // the caller's levels and equity are strictly positive
                Arguments.of("equity", 0.0, false),
                Arguments.of("equity", 0.01, true),
                Arguments.of("entry", 0.0, false),
                Arguments.of("entry", 50_000.0, true));
    }

    @ParameterizedTest(name = "{0} entry {1} stop {2} accepted: {3}")
    @MethodSource("stops")
    void refusesStopOnWrongSideOfEntry(String side, Double entry, double stop, boolean accepted) {
        ObjectNode json = set(set(set(seed001(), "side", side), "entry", entry), "stopLoss", stop);

        if (accepted) {
            assertThat(CheckRequestParser.parse(json).stopLoss()).isEqualTo(OptionalDouble.of(stop));
        } else {
            InvalidRequestException e = refused(json);
            assertThat(e.problems()).extracting(FieldProblem::field).containsExactly("stopLoss");
            assertThat(message(e, "stopLoss")).contains("a " + side + " stop must be "
                    + (side.equals("LONG") ? "below" : "above"));
        }
    }

    static Stream<Arguments> stops() {
        return Stream.of(
                // LONG from the market price 50,000: the stop must be below it
                Arguments.of("LONG", null, 47_750.0, true),      // seed 001's ATR stop: 50,000 - 2,250
                Arguments.of("LONG", null, 49_999.99, true),     // one cent below
                Arguments.of("LONG", null, 50_000.0, false),     // at the entry: zero risk distance
                Arguments.of("LONG", null, 50_000.01, false),    // one cent above
                // SHORT: the stop must be above it
                Arguments.of("SHORT", null, 52_250.0, true),     // 50,000 + 2,250
                Arguments.of("SHORT", null, 50_000.01, true),
                Arguments.of("SHORT", null, 50_000.0, false),
                Arguments.of("SHORT", null, 47_750.0, false),
                // the caller's entry, not the market price, is the reference
                Arguments.of("LONG", 48_000.0, 49_000.0, false), // below the 50,000 price, above the 48,000 entry
                Arguments.of("SHORT", 52_000.0, 51_000.0, false)); // above the price, below the 52,000 entry
    }

    @Test
    void reportsWrongSideStopTogetherWithMissingPriceWhenEntryGiven() {
        // entry 50,000 given: a LONG stop at 51,000 is 1,000 above it whatever the market price
        ObjectNode json = set(set(set(seed001(), "market.price", null), "entry", 50_000), "stopLoss", 51_000);

        assertThat(refused(json).problems()).extracting(FieldProblem::field)
                .containsExactlyInAnyOrder("market.price", "stopLoss");
    }

    @ParameterizedTest(name = "{0} take-profit {1} accepted: {2}")
    @MethodSource("takeProfits")
    void refusesTakeProfitOnWrongSideOfEntry(String side, double takeProfit, boolean accepted) {
        ObjectNode json = set(set(seed001(), "side", side), "takeProfit", takeProfit);

        if (accepted) {
            assertThat(CheckRequestParser.parse(json).takeProfit()).isEqualTo(OptionalDouble.of(takeProfit));
        } else {
            assertThat(refused(json).problems()).extracting(FieldProblem::field).containsExactly("takeProfit");
        }
    }

    static Stream<Arguments> takeProfits() {
        return Stream.of(
                Arguments.of("LONG", 55_625.0, true),    // seed 001's target: 50,000 + 3.75 x 1,500
                Arguments.of("LONG", 50_000.0, false),   // at the entry
                Arguments.of("SHORT", 44_375.0, true),   // 50,000 - 5,625
                Arguments.of("SHORT", 50_000.0, false));
    }

    /**
     * JSON's escapes can send half a surrogate pair, which is not Unicode text: UTF-8 cannot hold it, so the audit's
     * hash would cover a '?' in its place and an export could not write it. Such a text is refused in any field; a
     * whole pair (a character beyond the Basic Multilingual Plane) is text like any other (here the strategy's pattern
     * would refuse it anyway; officers' free-text reasons and notes take any text).
     */
    @Test
    void aTextHoldingHalfASurrogatePairIsRefusedAndAWholePairIsText() {
        // as Jackson reads {"strategy": "trend\\uD800x"}: the escape gives the lone high surrogate
        ObjectNode json = set(seed001(), "strategy", "trend\uD800x");
        assertThat(json.path("strategy").asText()).hasSize(7);
        assertThat(refused(json).problems()).containsExactly(new FieldProblem("strategy",
                "must be Unicode text, but holds an unpaired surrogate (U+D800) at character 6"));

        // a field name too: a model's name in the votes is kept with the request
        ObjectNode votes = set(seed001(), "signal.modelVotes", new com.fasterxml.jackson.databind.ObjectMapper()
                .createObjectNode().put("gpt\uDE80", "LONG"));
        assertThat(refused(votes).problems()).containsExactly(new FieldProblem("signal.modelVotes.gpt\\uDE80...",
                "is a field name that is not Unicode text (an unpaired surrogate, U+DE80)"));
        // an unknown field so named is refused once, for its name
        assertThat(refused(set(seed001(), "x\uD800", 1)).problems()).containsExactly(new FieldProblem(
                "x\\uD800...", "is a field name that is not Unicode text (an unpaired surrogate, U+D800)"));

        // a whole pair is text; either half alone, at the end or before the other order, is not
        assertThat(JsonFields.unpairedSurrogate("trend\uD83D\uDE80")).isEqualTo(-1);
        assertThat(JsonFields.unpairedSurrogate("trend\uD83D")).isEqualTo(5);
        assertThat(JsonFields.unpairedSurrogate("trend\uDE80\uD83D")).isEqualTo(5);
    }

    @Test
    void defaultsAccountToDefault() {
        CheckRequest r = CheckRequestParser.parse(set(seed001(), "account", null));

        assertThat(r.account()).isEqualTo("default");
    }

    @Test
    void keepsGivenAccount() {
        CheckRequest r = CheckRequestParser.parse(set(seed001(), "account", "desk-7"));

        assertThat(r.account()).isEqualTo("desk-7");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"long", "Long", "LONG", " long "})
    void readsSideWhateverItsCase(String side) {
        assertThat(CheckRequestParser.parse(set(seed001(), "side", side)).side()).isEqualTo(Side.LONG);
    }

    @Test
    void readsShortSide() {
        assertThat(CheckRequestParser.parse(set(seed001(), "side", "short")).side()).isEqualTo(Side.SHORT);
    }

    @Test
    void lowerCasesStrategy() {
        // seed 002's strategy names are lower_snake_case: trend_following
        CheckRequest r = CheckRequestParser.parse(set(seed001(), "strategy", "Trend_Following"));

        assertThat(r.strategy()).contains("trend_following");
    }

    @Test
    void refusesStrategyOutsideSnakeCaseAlphabet() {
        assertThat(refused(set(seed001(), "strategy", "trend-following")).problems())
                .extracting(FieldProblem::field).containsExactly("strategy");
    }

    @Test
    void marketRegimeIsOptional() {
        assertThat(CheckRequestParser.parse(seed001()).market().regime()).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("regimes")
    void readsTheMarketRegimeInLowerCase(String sent, String read) {
        // seed 003: market_regime {'trend': 'bullish', ...}; the policy's regime names are lower case
        assertThat(CheckRequestParser.parse(set(seed001(), "market.regime", sent)).market().regime()).contains(read);
    }

    static Stream<Arguments> regimes() {
        return Stream.of(
                Arguments.of("bullish", "bullish"),
                Arguments.of("Bullish", "bullish"),
                Arguments.of(" BEARISH ", "bearish"),         // trimmed, like every text field
                Arguments.of("high_vol_2", "high_vol_2"),
                Arguments.of("a", "a"),                       // one letter: the shortest
                Arguments.of("r" + "x".repeat(31), "r" + "x".repeat(31))); // 32 characters: the longest
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRegimes")
    void refusesAMarketRegimeThatIsNotAnIdentifier(String description, Object regime) {
        InvalidRequestException e = refused(set(seed001(), "market.regime", regime));

        assertThat(e.problems()).extracting(FieldProblem::field).containsExactly("market.regime");
    }

    static Stream<Arguments> badRegimes() {
        return Stream.of(
                Arguments.of("33 characters", "r" + "x".repeat(32)),
                Arguments.of("a space", "bull market"),
                Arguments.of("a hyphen", "bull-run"),
                Arguments.of("a leading digit", "1bull"),
                Arguments.of("a leading underscore", "_bull"),
                Arguments.of("a letter outside ASCII", "bullísh"),
                Arguments.of("code", "bullish\" + java.lang.Runtime.getRuntime().exec(\"id\") + \""),
                Arguments.of("empty", ""),
                Arguments.of("a number", 1.2),
                Arguments.of("an object (seed 003's own shape)", Map.of("trend", "bullish", "risk_multiplier", 1.2)));
    }

    @Test
    void reportsABadMarketRegimeTogetherWithEveryOtherBadField() {
        ObjectNode json = set(set(seed001(), "market.regime", "bull market"), "market.price", null);
        set(json, "signal.confidence", 1.5);

        InvalidRequestException e = refused(json);

        assertThat(e.problems()).extracting(FieldProblem::field)
                .containsExactlyInAnyOrder("market.regime", "market.price", "signal.confidence");
        assertThat(message(e, "market.regime")).isEqualTo("must match [A-Za-z][A-Za-z0-9_]{0,31}, was 'bull market'");
    }

    @Test
    void anInProcessMarketTakesOnlyALowerCaseRegime() {
        Optional<java.time.Instant> now = Optional.of(TestRuntime.T0);
        assertThat(new Market(50_000, 1_500, 48_000, 5e9, 10, now, Optional.of("bullish")).regime())
                .contains("bullish");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new Market(50_000, 1_500, 48_000, 5e9, 10,
                now, Optional.of("Bullish")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("market.regime must match [a-z][a-z0-9_]{0,31}, was 'Bullish'");
    }

    @Test
    void upperCasesSymbol() {
        assertThat(CheckRequestParser.parse(set(seed001(), "symbol", "btcusdt")).symbol()).isEqualTo("BTCUSDT");
    }

    @Test
    void readsTimestampWithOffset() {
        // 11:00 at +01:00 is seed 001's 10:00Z
        CheckRequest r = CheckRequestParser.parse(set(seed001(), "market.timestamp", "2026-11-21T11:00:00+01:00"));

        assertThat(r.market().timestamp()).contains(TestRuntime.T0);
    }

    @Test
    void refusesUnknownNestedFieldAndBadVote() {
        ObjectNode json = set(set(seed001(), "market.ema50", 49_000), "signal.modelVotes.PatchTST", "MAYBE");

        assertThat(refused(json).problems()).extracting(FieldProblem::field)
                .containsExactlyInAnyOrder("market.ema50", "signal.modelVotes.PatchTST");
    }

    @Test
    void reportsMissingSignalAndMarket() {
        ObjectNode json = set(set(seed001(), "signal", null), "market", null);

        assertThat(refused(json).problems()).extracting(FieldProblem::field)
                .containsExactlyInAnyOrder("signal", "market");
    }

    @Test
    void refusesBodyThatIsNotAnObject() throws Exception {
        JsonNode array = JSON.readTree("[]");

        assertThat(refused(array).problems()).extracting(FieldProblem::field).containsExactly("$");
    }

    // ---------------------------------------------------------------- helpers

    private static InvalidRequestException refused(JsonNode json) {
        InvalidRequestException e = catchThrowableOfType(() -> CheckRequestParser.parse(json),
                InvalidRequestException.class);
        assertThat(e).as("request should have been refused: " + json).isNotNull();
        return e;
    }

    private static String message(InvalidRequestException e, String field) {
        List<String> m = e.problems().stream().filter(p -> p.field().equals(field)).map(FieldProblem::message)
                .toList();
        assertThat(m).as("problems at " + field).hasSize(1);
        return m.get(0);
    }
}
