package io.riskgate.api;

import static io.riskgate.testing.Requests.JSON;
import static io.riskgate.testing.Requests.seed001;
import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.testing.TestRuntime;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Accounts ({@code PUT .../equity}, {@code GET /api/v1/accounts/{id}}) and the trade lifecycle ({@code POST
 * /api/v1/trades}, {@code POST /api/v1/trades/{id}/close}, {@code GET /api/v1/trades/{id}}) over real HTTP.
 * The server clock is pinned at seed 001's 10:00, so checks at that event time hold live reservations.
 */
@RiskgateServerTest
class AccountsAndTradesApiTest {

    static final Instant T0 = TestRuntime.T0;

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.riskgate.security.ApiKeys keys;

    HttpApi api;
    String account;

    @BeforeEach
    void connect() {
        api = new HttpApi(port, io.riskgate.testing.TestKeys.superuser(keys));
        account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private ObjectNode seedFor(String account) {
        return set(seed001(), "account", account);
    }

    private JsonNode account() {
        HttpApi.Response r = api.get("/api/v1/accounts/" + account);
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    private static ObjectNode json(Object... keyValues) {
        ObjectNode o = JSON.createObjectNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            o.set((String) keyValues[i], JSON.valueToTree(keyValues[i + 1]));
        }
        return o;
    }

    private ObjectNode fill(String decisionId, double price, double quantity) {
        return json("decisionId", decisionId, "fillPrice", price, "quantity", quantity,
                "timestamp", T0.plusSeconds(30).toString());
    }

    private String approvedDecision() {
        JsonNode d = api.check(seedFor(account));
        assertThat(d.path("approved").asBoolean()).as("seed 001 is approved").isTrue();
        return d.path("decisionId").asText();
    }

    // ---- accounts

    @Test
    void accountNeverSeenHasNoEquityAndNothingOpen() {
        JsonNode view = account();

        assertThat(view.path("account").asText()).isEqualTo(account);
        assertThat(view.path("equity").isMissingNode() || view.path("equity").isNull()).isTrue();
        assertThat(view.path("exposure").asDouble()).isZero();
        assertThat(view.path("openPositions")).isEmpty();
        assertThat(view.path("reservations")).isEmpty();
    }

    @Test
    void putEquityIsShownByGetAccount() {
        HttpApi.Response put = api.put("/api/v1/accounts/" + account + "/equity",
                json("equity", 12_500, "timestamp", T0.toString()));

        assertThat(put.status()).isEqualTo(200);
        assertThat(put.body().path("equity").asDouble()).isEqualTo(12_500.0);
        JsonNode view = account();
        assertThat(view.path("equity").asDouble()).isEqualTo(12_500.0);
        assertThat(view.path("equityAt").asText()).isEqualTo(T0.toString());
        assertThat(view.path("exposure").asDouble()).isZero();
    }

    @Test
    void olderEquitySnapshotDoesNotReplaceANewerOne() {
        api.put("/api/v1/accounts/" + account + "/equity", json("equity", 12_000, "timestamp", T0.toString()));
        api.put("/api/v1/accounts/" + account + "/equity",
                json("equity", 9_000, "timestamp", T0.minusSeconds(3600).toString()));

        assertThat(account().path("equity").asDouble()).isEqualTo(12_000.0);
    }

    @Test
    void putEquityWithBadBodyIs400ListingEveryField() {
        HttpApi.Response r = api.put("/api/v1/accounts/" + account + "/equity",
                json("equity", -5, "timestamp", "noon", "currency", "USD"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.errorFields()).containsExactlyInAnyOrder("equity", "timestamp", "currency");
        assertThat(account().path("equity").isNull() || account().path("equity").isMissingNode()).isTrue();
    }

    @Test
    void checkWithoutEquityIsRejectedNoEquityUntilEquityIsPut() {
        ObjectNode check = set(seedFor(account), "equity", null);

        JsonNode before = api.check(check);

        assertThat(before.path("approved").asBoolean()).isFalse();
        assertThat(before.path("rejections")).extracting(r -> r.path("code").asText()).containsExactly("NO_EQUITY");
        assertThat(before.path("quantity").asDouble()).isZero();
        assertThat(account().path("reservations")).isEmpty();

        assertThat(api.put("/api/v1/accounts/" + account + "/equity",
                json("equity", 10_000, "timestamp", T0.toString())).status()).isEqualTo(200);
        JsonNode after = api.check(check);

        // the PUT equity of 10,000 sizes exactly like seed 001's own equity field: 0.01 BTC
        assertThat(after.path("approved").asBoolean()).isTrue();
        assertThat(after.path("quantity").asDouble()).isEqualTo(0.01);
    }

    @Test
    void accountShowsTheReservationOfAnApprovedCheck() {
        String decisionId = approvedDecision();

        JsonNode view = account();

        assertThat(view.path("equity").asDouble()).isEqualTo(10_000.0);
        assertThat(view.path("openPositions")).isEmpty();
        assertThat(view.path("reservations")).hasSize(1);
        JsonNode r = view.path("reservations").get(0);
        assertThat(r.path("decisionId").asText()).isEqualTo(decisionId);
        assertThat(r.path("notional").asDouble()).isEqualTo(500.0);
        assertThat(r.path("expiresAt").asText()).isEqualTo("2026-11-21T10:05:00Z");
        // 500 reserved of 10,000 equity = 5%
        assertThat(view.path("exposure").asDouble()).isEqualTo(500.0);
        assertThat(view.path("exposurePctOfEquity").asDouble()).isEqualTo(0.05);
    }

    @Test
    void reservationLapsesWhenALaterCheckOnTheAccountPassesItsExpiry() {
        approvedDecision();

        // 10:06 is past the 10:05 expiry of the first reservation; this check is rejected, so reserves nothing
        api.check(set(set(seedFor(account), "market.timestamp", T0.plusSeconds(360).toString()),
                "signal.confidence", 0.5));

        assertThat(account().path("reservations")).isEmpty();
        assertThat(account().path("exposure").asDouble()).isZero();
    }

    @Test
    void readingAnAccountDoesNotChangeTheNextDecision() {
        // four approved checks at 09:00 event time hold the four trade slots until 09:05; the server clock is 10:00
        Instant nine = T0.minusSeconds(3600);
        for (int i = 0; i < 4; i++) {
            assertThat(api.check(set(seedFor(account), "market.timestamp", nine.plusSeconds(i).toString()))
                    .path("approved").asBoolean()).isTrue();
        }

        account();
        JsonNode fifth = api.check(set(seedFor(account), "market.timestamp", nine.plusSeconds(60).toString()));

        assertThat(fifth.path("rejections")).extracting(r -> r.path("code").asText())
                .containsExactly("MAX_CONCURRENT_TRADES");
    }

    // ---- fills

    @Test
    void cancellingAnApprovalReleasesItsReservationAndItCannotBeFilledOrCancelledAgain() {
        String decisionId = approvedDecision();
        assertThat(account().path("reservations")).hasSize(1);

        HttpApi.Response cancel = api.post("/api/v1/decisions/" + decisionId + "/cancel", json());
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.body().path("cancelled").asBoolean()).isTrue();
        assertThat(account().path("reservations")).isEmpty();

        assertThat(api.post("/api/v1/decisions/" + decisionId + "/cancel", json()).status()).isEqualTo(409);
        assertThat(api.post("/api/v1/trades", fill(decisionId, 50_000, 0.01)).status()).isEqualTo(409);
        assertThat(api.post("/api/v1/decisions/" + java.util.UUID.randomUUID() + "/cancel", json()).status())
                .isEqualTo(404);
    }

    @Test
    void fillOpensATradeAndReplacesTheReservationWithAnOpenPosition() {
        String decisionId = approvedDecision();

        HttpApi.Response r = api.post("/api/v1/trades", fill(decisionId, 50_000, 0.01));

        assertThat(r.status()).isEqualTo(201);
        JsonNode trade = r.body(); // the trade, its id at the top level, plus lateFill
        assertThat(trade.path("id").asText()).matches("[0-9a-f-]{36}");
        assertThat(trade.path("decisionId").asText()).isEqualTo(decisionId);
        assertThat(trade.path("state").asText()).isEqualTo("OPEN");
        assertThat(trade.path("quantity").asDouble()).isEqualTo(0.01);
        assertThat(trade.path("entryPrice").asDouble()).isEqualTo(50_000.0);
        assertThat(trade.path("stopLoss").asDouble()).isEqualTo(47_750.0);
        assertThat(trade.path("takeProfit").asDouble()).isEqualTo(55_625.0);
        assertThat(r.body().path("lateFill").asBoolean()).isFalse();

        JsonNode view = account();
        assertThat(view.path("reservations")).isEmpty();
        assertThat(view.path("openPositions")).hasSize(1);
        JsonNode p = view.path("openPositions").get(0);
        assertThat(p.path("tradeId").asText()).isEqualTo(trade.path("id").asText());
        assertThat(p.path("quantity").asDouble()).isEqualTo(0.01);
        // 0.01 BTC filled at 50,000 = 500 of exposure, now held by the position instead of the reservation
        assertThat(view.path("exposure").asDouble()).isEqualTo(500.0);
    }

    @Test
    void partialFillHoldsOnlyTheFilledQuantity() {
        String decisionId = approvedDecision();

        assertThat(api.post("/api/v1/trades", fill(decisionId, 50_200, 0.004)).status()).isEqualTo(201);

        // 0.004 BTC x 50,200 = 200.8; the unfilled 0.006 of the reservation is released
        JsonNode view = account();
        assertThat(view.path("reservations")).isEmpty();
        assertThat(view.path("exposure").asDouble()).isCloseTo(200.8, within(1e-9));
    }

    @Test
    void fillAfterTheReservationLapsedIsRecordedAndFlaggedLate() {
        String decisionId = approvedDecision();
        // a rejected check at 10:06 expires the 10:05 reservation
        api.check(set(set(seedFor(account), "market.timestamp", T0.plusSeconds(360).toString()),
                "signal.confidence", 0.5));

        HttpApi.Response r = api.post("/api/v1/trades", json("decisionId", decisionId, "fillPrice", 50_000,
                "quantity", 0.01, "timestamp", T0.plusSeconds(420).toString()));

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.body().path("lateFill").asBoolean()).isTrue();
        assertThat(account().path("openPositions")).hasSize(1);
    }

    @Test
    void secondFillOfTheSameDecisionIs409() {
        String decisionId = approvedDecision();
        assertThat(api.post("/api/v1/trades", fill(decisionId, 50_000, 0.01)).status()).isEqualTo(201);

        HttpApi.Response second = api.post("/api/v1/trades", fill(decisionId, 50_000, 0.01));

        assertThat(second.status()).isEqualTo(409);
        assertThat(second.contentType()).startsWith("application/problem+json");
        assertThat(account().path("openPositions")).hasSize(1);
    }

    @Test
    void fillOfARejectedDecisionIs409() {
        String rejected = api.check(set(seedFor(account), "signal.confidence", 0.5)).path("decisionId").asText();

        HttpApi.Response r = api.post("/api/v1/trades", fill(rejected, 50_000, 0.01));

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.body().path("detail").asText()).contains("LOW_CONFIDENCE");
        assertThat(account().path("openPositions")).isEmpty();
    }

    @Test
    void fillAboveTheApprovedQuantityIs409AndLeavesTheReservation() {
        String decisionId = approvedDecision();

        // approved 0.01 BTC; 0.011 is above it
        HttpApi.Response r = api.post("/api/v1/trades", fill(decisionId, 50_000, 0.011));

        assertThat(r.status()).isEqualTo(409);
        assertThat(account().path("openPositions")).isEmpty();
        assertThat(account().path("reservations")).hasSize(1);
    }

    @Test
    void fillOfAnUnknownDecisionIs404() {
        HttpApi.Response r = api.post("/api/v1/trades", fill(UUID.randomUUID().toString(), 50_000, 0.01));

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
    }

    @Test
    void fillWithBadBodyIs400ListingEveryField() {
        HttpApi.Response r = api.post("/api/v1/trades",
                json("decisionId", "not-a-uuid", "fillPrice", -50_000, "venue", "binance"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.errorFields()).containsExactlyInAnyOrder("decisionId", "fillPrice", "quantity", "venue");
    }

    @Test
    void fillWithMalformedJsonIs400() {
        HttpApi.Response r = api.post("/api/v1/trades", "{\"decisionId\": ");

        assertThat(r.status()).isEqualTo(400);
        // where the JSON broke off
        assertThat(r.errorFields()).containsExactly("decisionId");
    }

    // ---- closes

    private String openTrade(ObjectNode check, double fillPrice) {
        JsonNode d = api.check(check);
        assertThat(d.path("approved").asBoolean()).isTrue();
        HttpApi.Response r = api.post("/api/v1/trades", fill(d.path("decisionId").asText(), fillPrice,
                d.path("quantity").asDouble()));
        assertThat(r.status()).isEqualTo(201);
        return r.body().path("id").asText();
    }

    @Test
    void closingALongAboveItsEntryRealizesAWin() {
        String tradeId = openTrade(seedFor(account), 50_000);

        HttpApi.Response r = api.post("/api/v1/trades/" + tradeId + "/close",
                json("price", 51_000, "timestamp", T0.plusSeconds(3600).toString()));

        // LONG 0.01 BTC from 50,000 closed at 51,000: +1 x (51,000 - 50,000) x 0.01 = +10
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("state").asText()).isEqualTo("CLOSED_MANUAL");
        assertThat(r.body().path("exitPrice").asDouble()).isEqualTo(51_000.0);
        assertThat(r.body().path("realizedPnl").asDouble()).isCloseTo(10.0, within(1e-9));
        assertThat(r.body().path("result").asText()).isEqualTo("WIN");
        assertThat(r.body().path("closedAt").asText()).isEqualTo("2026-11-21T11:00:00Z");

        JsonNode view = account();
        assertThat(view.path("openPositions")).isEmpty();
        assertThat(view.path("exposure").asDouble()).isZero();
    }

    @Test
    void closingAShortAboveItsEntryRealizesALoss() {
        // SHORT needs the price below EMA200: 50,000 < 52,000. Stop 50,000 + 2,250 = 52,250; quantity 0.01 again
        ObjectNode shortCheck = set(set(seedFor(account), "side", "SHORT"), "market.ema200", 52_000);
        String tradeId = openTrade(shortCheck, 50_000);

        HttpApi.Response r = api.post("/api/v1/trades/" + tradeId + "/close",
                json("price", 50_500, "timestamp", T0.plusSeconds(600).toString()));

        // SHORT 0.01 BTC from 50,000 closed at 50,500: -1 x (50,500 - 50,000) x 0.01 = -5
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("realizedPnl").asDouble()).isCloseTo(-5.0, within(1e-9));
        assertThat(r.body().path("result").asText()).isEqualTo("LOSS");
        assertThat(r.body().path("stopLoss").asDouble()).isEqualTo(52_250.0);
    }

    @Test
    void closingAgainIs409AndKeepsTheFirstClose() {
        String tradeId = openTrade(seedFor(account), 50_000);
        api.post("/api/v1/trades/" + tradeId + "/close",
                json("price", 51_000, "timestamp", T0.plusSeconds(3600).toString()));

        HttpApi.Response again = api.post("/api/v1/trades/" + tradeId + "/close",
                json("price", 40_000, "timestamp", T0.plusSeconds(7200).toString()));

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        JsonNode trade = api.get("/api/v1/trades/" + tradeId).body();
        assertThat(trade.path("exitPrice").asDouble()).isEqualTo(51_000.0);
        assertThat(trade.path("realizedPnl").asDouble()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void closeBeforeTheTradeOpenedIs409() {
        String tradeId = openTrade(seedFor(account), 50_000);

        // the fill was at 10:00:30
        HttpApi.Response r = api.post("/api/v1/trades/" + tradeId + "/close",
                json("price", 51_000, "timestamp", T0.toString()));

        assertThat(r.status()).isEqualTo(409);
        assertThat(api.get("/api/v1/trades/" + tradeId).body().path("state").asText()).isEqualTo("OPEN");
    }

    @Test
    void closeWithBadBodyIs400ListingEveryField() {
        String tradeId = openTrade(seedFor(account), 50_000);

        HttpApi.Response r = api.post("/api/v1/trades/" + tradeId + "/close",
                json("price", 0, "when", "now"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorFields()).containsExactlyInAnyOrder("price", "when");
        assertThat(api.get("/api/v1/trades/" + tradeId).body().path("state").asText()).isEqualTo("OPEN");
    }

    @Test
    void closeOfAnUnknownTradeIs404() {
        HttpApi.Response r = api.post("/api/v1/trades/" + UUID.randomUUID() + "/close",
                json("price", 51_000, "timestamp", T0.toString()));

        assertThat(r.status()).isEqualTo(404);
    }

    @Test
    void getTradeReturnsTheOpenTradeAnd404ForAnUnknownId() {
        String tradeId = openTrade(seedFor(account), 50_000);

        HttpApi.Response r = api.get("/api/v1/trades/" + tradeId);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("id").asText()).isEqualTo(tradeId);
        assertThat(r.body().path("account").asText()).isEqualTo(account);
        assertThat(r.body().path("state").asText()).isEqualTo("OPEN");
        assertThat(r.body().path("openedAt").asText()).isEqualTo("2026-11-21T10:00:30Z");
        assertThat(r.body().path("realizedPnl").isNull() || r.body().path("realizedPnl").isMissingNode()).isTrue();
        assertThat(api.get("/api/v1/trades/" + UUID.randomUUID()).status()).isEqualTo(404);
    }
}
