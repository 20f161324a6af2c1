package io.riskgate.api;

import static io.riskgate.testing.Requests.JSON;
import static io.riskgate.testing.Requests.seed001;
import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.testing.TestRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code POST /api/v1/marks}, {@code POST /api/v1/trades/{id}/close} with a quantity, and {@code GET
 * /api/v1/trades/{id}} over real HTTP. Numbers follow seed 001: a 0.01 BTC long from 50,000, stop 47,750 (1R =
 * 2,250, 22.50 on the whole trade), ATR 1,500, target 55,625. The server's clock is pinned at 2032-01-01, so marks
 * timed on seed 001's day are never ahead of it. A mark moves every trade on its symbol, across accounts, and the
 * server is shared with the other API tests: every test trades its own symbol.
 */
@RiskgateServerTest
class MarksApiTest {

    static final Instant T0 = TestRuntime.T0;
    static final Offset<Double> CENT = within(1e-6);

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.riskgate.security.ApiKeys keys;

    HttpApi api;
    String account;
    String symbol;

    @BeforeEach
    void connect() {
        api = new HttpApi(port, io.riskgate.testing.TestKeys.superuser(keys));
        account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
        symbol = "M" + UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT) + "USDT";
    }

    static String at(Duration d) {
        return T0.plus(d).toString();
    }

    /** A JSON object from alternating keys and values; a null value leaves the key out. */
    static ObjectNode body(Object... keyValues) {
        ObjectNode o = JSON.createObjectNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                o.set((String) keyValues[i], JSON.valueToTree(keyValues[i + 1]));
            }
        }
        return o;
    }

    /** Checks seed 001's long on this test's account and symbol and fills all 0.01 at 50,000 at T0. */
    private String openLong() {
        JsonNode d = api.check(set(set(seed001(), "account", account), "symbol", symbol));
        assertThat(d.path("approved").asBoolean()).as("seed 001 is approved").isTrue();
        HttpApi.Response fill = api.post("/api/v1/trades", body("decisionId", d.path("decisionId").asText(),
                "fillPrice", 50_000, "quantity", 0.01, "timestamp", T0.toString()));
        assertThat(fill.status()).isEqualTo(201);
        return fill.body().path("id").asText();
    }

    private JsonNode mark(double price, String timestamp) {
        return mark(body("symbol", symbol, "price", price, "timestamp", timestamp));
    }

    private JsonNode mark(ObjectNode mark) {
        HttpApi.Response r = api.post("/api/v1/marks", mark);
        assertThat(r.status()).as("mark answered %s", r.raw()).isEqualTo(200);
        return r.body();
    }

    private HttpApi.Response close(String tradeId, Object... fields) {
        return api.post("/api/v1/trades/" + tradeId + "/close", body(fields));
    }

    // ---- marks

    @Test
    void aMarkAtPlus2RAnswersWithThePartialTakeProfitAndTheTrail() {
        String tradeId = openLong();

        // 54,500 = 50,000 + 2 x 2,250: close 0.5 x 0.01 = 0.005 there, trail 54,500 - 1 x 1,500 = 53,000
        JsonNode out = mark(54_500, at(Duration.ofHours(1)));

        assertThat(out.isArray()).isTrue();
        assertThat(out).hasSize(2);
        JsonNode partial = out.get(0);
        assertThat(partial.path("tradeId").asText()).isEqualTo(tradeId);
        assertThat(partial.path("account").asText()).isEqualTo(account);
        assertThat(partial.path("symbol").asText()).isEqualTo(symbol);
        assertThat(partial.path("action").asText()).isEqualTo("CLOSE_PARTIAL");
        assertThat(partial.path("quantity").asDouble()).isEqualTo(0.005);
        assertThat(partial.path("price").asDouble()).isEqualTo(54_500.0);
        assertThat(partial.path("stopLoss").asDouble()).isEqualTo(53_000.0);
        assertThat(partial.path("reason").asText())
                .isEqualTo("best price 54500 reached +2R = 54500: close 50% of the open quantity");
        assertThat(partial.path("rule").asText()).isEqualTo("Partial take-profit");
        assertThat(partial.path("code").asText()).isEqualTo("PARTIAL_TAKE_PROFIT");
        assertThat(partial.path("state").asText()).isEqualTo("TRAILING");
        assertThat(partial.path("timestamp").asText()).isEqualTo("2026-11-21T11:00:00Z");
        assertThat(partial.path("instructionId").asText()).matches("[0-9a-f-]{36}");
        JsonNode policy = partial.path("policy");
        assertThat(policy.path("id").asText()).isEqualTo("default");
        assertThat(policy.path("version").asText()).isEqualTo("1");
        assertThat(policy.path("sha256").asText()).matches("[0-9a-f]{64}");
        // from OPEN straight to +2R: breakeven, the partial and the trail all fired
        assertThat(partial.path("firedRules")).extracting(r -> r.path("code").asText())
                .containsExactlyInAnyOrder("BREAKEVEN", "PARTIAL_TAKE_PROFIT", "ATR_TRAILING_STOP");

        JsonNode trail = out.get(1);
        assertThat(trail.path("tradeId").asText()).isEqualTo(tradeId);
        assertThat(trail.path("action").asText()).isEqualTo("MOVE_STOP");
        assertThat(trail.path("quantity").asDouble()).isEqualTo(0.005);
        assertThat(trail.path("stopLoss").asDouble()).isEqualTo(53_000.0);
        assertThat(trail.has("price")).as("a stop move has no trigger price").isFalse();
        assertThat(trail.path("reason").asText())
                .isEqualTo("trailing 1 ATR (1500) behind the best price 54500: stop 53000");
        assertThat(trail.path("rule").asText()).isEqualTo("ATR trailing stop");
        assertThat(trail.path("code").asText()).isEqualTo("ATR_TRAILING_STOP");
        assertThat(trail.path("policy")).isEqualTo(policy);
    }

    @Test
    void aLowerCaseSymbolMarksTheTradesOfItsUpperCaseForm() {
        String tradeId = openLong();

        // 52,250 = +1R: breakeven
        JsonNode out = mark(body("symbol", symbol.toLowerCase(Locale.ROOT), "price", 52_250,
                "timestamp", at(Duration.ofHours(1))));

        assertThat(out).extracting(i -> i.path("tradeId").asText(), i -> i.path("code").asText())
                .containsExactly(tuple(tradeId, "BREAKEVEN"));
    }

    @Test
    void aTimestampUpToFiveMinutesAheadOfTheClockIsAcceptedAndBeyondIs400() {
        // the server's clock is 2032-01-01T00:00:00Z and portfolio.max_event_lead 5 min; no trade on this symbol
        assertThat(mark(50_000, "2032-01-01T00:05:00Z")).isEmpty();

        HttpApi.Response ahead = api.post("/api/v1/marks",
                body("symbol", symbol, "price", 50_000, "timestamp", "2032-01-01T00:05:00.001Z"));

        assertThat(ahead.status()).isEqualTo(400);
        assertThat(ahead.contentType()).startsWith("application/problem+json");
        assertThat(ahead.errorFields()).containsExactly("timestamp");
        assertThat(ahead.body().path("detail").asText()).contains("max_event_lead");
    }

    static Stream<Arguments> badMarks() {
        // each row changes one field of {symbol, price 50,000, timestamp T0}: null removes it
        return Stream.of(
                Arguments.of("price", 0, List.of("price")),
                Arguments.of("price", -1, List.of("price")),
                Arguments.of("price", "50000", List.of("price")),
                Arguments.of("high", 49_999.99, List.of("high")),     // below the price
                Arguments.of("high", 50_000, List.of()),              // equal to the price: fine
                Arguments.of("low", 50_000.01, List.of("low")),       // above the price
                Arguments.of("low", 50_000, List.of()),
                Arguments.of("low", 0, List.of("low")),
                Arguments.of("timestamp", null, List.of("timestamp")),
                Arguments.of("timestamp", "noon", List.of("timestamp")),
                Arguments.of("symbol", "BTC USDT", List.of("symbol")),
                Arguments.of("symbol", null, List.of("symbol")),
                Arguments.of("venue", "binance", List.of("venue")));
    }

    @ParameterizedTest(name = "{0} = {1} -> {2}")
    @MethodSource("badMarks")
    void eachMarkFieldIsValidatedAtTheEdge(String field, Object value, List<String> errors) {
        ObjectNode mark = body("symbol", symbol, "price", 50_000, "timestamp", T0.toString(), field, value);
        if (value == null) {
            mark.remove(field);
        }

        HttpApi.Response r = api.post("/api/v1/marks", mark);

        if (errors.isEmpty()) {
            assertThat(r.status()).isEqualTo(200);
        } else {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.errorFields()).containsExactlyElementsOf(errors);
        }
    }

    @Test
    void aMarkWithSeveralBadFieldsListsThemAllAndChangesNoTrade() {
        String tradeId = openLong();

        HttpApi.Response r = api.post("/api/v1/marks", body("symbol", symbol, "price", -3, "timestamp", "noon",
                "venue", "binance"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorFields()).containsExactlyInAnyOrder("price", "timestamp", "venue");
        assertThat(r.body().path("detail").asText()).isEqualTo("3 fields are invalid; see errors");
        assertThat(api.get("/api/v1/trades/" + tradeId).body().path("history"))
                .extracting(e -> e.path("event").asText()).containsExactly("APPROVED", "OPEN");
    }

    @Test
    void everyBadFieldOfAMarkIsReportedAtOnce() {
        HttpApi.Response r = api.post("/api/v1/marks", body("symbol", "BTC USDT", "price", 50_000,
                "high", 49_000, "low", 51_000, "venue", "binance"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorFields()).containsExactlyInAnyOrder("symbol", "timestamp", "high", "low", "venue");
    }

    // ---- closes and the trade's detail

    @Test
    void aCloseWithAQuantityClosesPartAndOverClosingIs409WithTheReason() {
        String tradeId = openLong();

        // 0.004 of 0.01 at 51,000: 0.004 x 1,000 = 4 realized, 0.006 still open
        HttpApi.Response part = close(tradeId, "price", 51_000, "quantity", 0.004, "reason", "scale out",
                "timestamp", at(Duration.ofHours(1)));

        assertThat(part.status()).isEqualTo(200);
        assertThat(part.body().path("state").asText()).isEqualTo("OPEN");
        assertThat(part.body().path("openQuantity").asDouble()).isEqualTo(0.006);
        assertThat(part.body().path("realizedPnl").asDouble()).isCloseTo(4.0, CENT);
        assertThat(part.body().path("exitPrice").asDouble()).isEqualTo(51_000.0);
        // exposure 0.006 x 50,000 = 300
        assertThat(api.get("/api/v1/accounts/" + account).body().path("exposure").asDouble())
                .isCloseTo(300.0, CENT);

        HttpApi.Response over = close(tradeId, "price", 51_000, "quantity", 0.007,
                "timestamp", at(Duration.ofHours(2)));

        assertThat(over.status()).isEqualTo(409);
        assertThat(over.contentType()).startsWith("application/problem+json");
        assertThat(over.body().path("detail").asText()).isEqualTo("cannot close 0.007 of trade " + tradeId
                + ": only 0.006 of its 0.01 is open; nothing was recorded");
        JsonNode trade = api.get("/api/v1/trades/" + tradeId).body();
        assertThat(trade.path("openQuantity").asDouble()).isEqualTo(0.006);
        assertThat(trade.path("history")).extracting(e -> e.path("event").asText(),
                        e -> e.path("quantity").asDouble(), e -> e.path("reason").asText())
                .containsExactly(tuple("APPROVED", 0.01, ""), tuple("OPEN", 0.01, ""),
                        tuple("CLOSED", 0.004, "scale out"));
    }

    @Test
    void getTradeShowsStateStopRMultipleExcursionsHoldingTimeAndHistory() {
        String tradeId = openLong();
        mark(49_400, at(Duration.ofMinutes(30)));                 // 600 against: MAE
        mark(54_500, at(Duration.ofHours(1)));                    // +2R: half at 54,500, trail 53,000
        assertThat(close(tradeId, "price", 54_500, "quantity", 0.005, "timestamp", at(Duration.ofHours(1)))
                .status()).isEqualTo(200);
        // a bar down to 53,000 reaches the trail: close the other 0.005 there
        JsonNode exit = mark(body("symbol", symbol, "price", 53_200, "high", 53_400, "low", 53_000,
                "timestamp", at(Duration.ofHours(3))));
        assertThat(exit).extracting(i -> i.path("action").asText(), i -> i.path("price").asDouble())
                .containsExactly(tuple("CLOSE", 53_000.0));
        assertThat(close(tradeId, "price", 53_000, "timestamp", at(Duration.ofHours(3))).status()).isEqualTo(200);

        HttpApi.Response r = api.get("/api/v1/trades/" + tradeId);

        assertThat(r.status()).isEqualTo(200);
        JsonNode t = r.body();
        assertThat(t.path("id").asText()).isEqualTo(tradeId);
        assertThat(t.path("state").asText()).isEqualTo("CLOSED_SL");
        assertThat(t.path("stopLoss").asDouble()).isEqualTo(53_000.0);
        // 0.005 x 4,500 + 0.005 x 3,000 = 22.50 + 15 = 37.50 on 22.50 risked: +1.667R
        assertThat(t.path("realizedPnl").asDouble()).isCloseTo(37.5, CENT);
        assertThat(t.path("rMultiple").asDouble()).isCloseTo(37.5 / 22.5, CENT);
        // best 54,500 = 4,500 = 2R; worst 49,400 = 600 = 0.267R
        assertThat(t.path("mfe").path("price").asDouble()).isEqualTo(4_500.0);
        assertThat(t.path("mfe").path("r").asDouble()).isEqualTo(2.0);
        assertThat(t.path("mae").path("price").asDouble()).isEqualTo(600.0);
        assertThat(t.path("mae").path("r").asDouble()).isCloseTo(600.0 / 2_250, CENT);
        assertThat(t.path("holdingTime").asText()).isEqualTo("PT3H");
        assertThat(t.path("holdingHours").asDouble()).isEqualTo(3.0);
        assertThat(t.path("history")).extracting(e -> e.path("event").asText(), e -> e.path("state").asText(),
                        e -> e.path("at").asText())
                .containsExactly(
                        tuple("APPROVED", "APPROVED", "2026-11-21T10:00:00Z"),
                        tuple("OPEN", "OPEN", "2026-11-21T10:00:00Z"),
                        tuple("CLOSE_PARTIAL", "TRAILING", "2026-11-21T11:00:00Z"),
                        tuple("MOVE_STOP", "TRAILING", "2026-11-21T11:00:00Z"),
                        tuple("CLOSED", "TRAILING", "2026-11-21T11:00:00Z"),
                        tuple("CLOSE", "TRAILING", "2026-11-21T13:00:00Z"),
                        tuple("CLOSED", "CLOSED_SL", "2026-11-21T13:00:00Z"));
        // the instructions in the history carry the rule, the code and the policy that issued them
        JsonNode stopOut = t.path("history").get(5);
        assertThat(stopOut.path("code").asText()).isEqualTo("STOP_LOSS_HIT");
        assertThat(stopOut.path("rule").asText()).isEqualTo("Stop-loss hit");
        assertThat(stopOut.path("price").asDouble()).isEqualTo(53_000.0);
        assertThat(stopOut.path("policy").path("id").asText()).isEqualTo("default");
        assertThat(stopOut.path("instructionId").asText()).isEqualTo(exit.get(0).path("instructionId").asText());
    }
}
