package io.riskgate.api;

import static io.riskgate.testing.Requests.seed001;
import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.testing.TestRuntime;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/** {@code POST /api/v1/checks} over real HTTP: approvals, rejections (200) and malformed requests (400). */
@RiskgateServerTest
class ChecksApiTest {

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.riskgate.security.ApiKeys keys;

    HttpApi api;

    @BeforeEach
    void connect() {
        api = new HttpApi(port, io.riskgate.testing.TestKeys.superuser(keys));
    }

    private static String newAccount() {
        return "checks-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void seed001ExampleIsApprovedWithQuantityStopAndTargetFromAtrAndTheMaxPositionCap() {
        String account = newAccount();

        JsonNode d = api.check(set(seed001(), "account", account));

        // Seed 001: risk 1% of 10,000 = 100; stop distance 1.5 x ATR 1,500 = 2,250; 100 / 2,250 = 0.0444 BTC
        // (2,222 USD), above max_position_usd 500, so 500 / 50,000 = 0.01 BTC.
        // Stop 50,000 - 2,250 = 47,750; target 50,000 + 3.75 x 1,500 = 55,625 (2.5 : 1).
        assertThat(d.path("approved").asBoolean()).isTrue();
        assertThat(d.path("outcome").asText()).isEqualTo("APPROVED");
        assertThat(d.path("account").asText()).isEqualTo(account);
        assertThat(d.path("quantity").asDouble()).isEqualTo(0.01);
        assertThat(d.path("notional").asDouble()).isEqualTo(500.0);
        assertThat(d.path("entryPrice").asDouble()).isEqualTo(50_000.0);
        assertThat(d.path("stopLoss").asDouble()).isEqualTo(47_750.0);
        assertThat(d.path("takeProfit").asDouble()).isEqualTo(55_625.0);
        assertThat(d.path("rewardRisk").asDouble()).isEqualTo(2.5);
        assertThat(d.path("rejections").isArray()).isTrue();
        assertThat(d.path("rejections")).isEmpty();
        assertThat(d.path("firedRules").isArray()).as("firedRules present").isTrue();
        assertThat(d.path("decisionId").asText()).matches("[0-9a-f-]{36}");
        // reservation_ttl 5m from the event time 10:00
        assertThat(d.path("reservationExpiresAt").asText()).isEqualTo("2026-11-21T10:05:00Z");

        JsonNode policy = d.path("policy");
        JsonNode active = api.get("/api/v1/policies/active").body();
        assertThat(policy.path("id").asText()).isEqualTo("default");
        assertThat(policy.path("version").asText()).isEqualTo("1");
        assertThat(policy.path("sha256").asText()).matches("[0-9a-f]{64}")
                .isEqualTo(active.path("sha256").asText());
    }

    @Test
    void approvedCheckReservesItsNotionalOnTheAccount() {
        String account = newAccount();

        JsonNode d = api.check(set(seed001(), "account", account));

        JsonNode view = api.get("/api/v1/accounts/" + account).body();
        assertThat(view.path("reservations")).hasSize(1);
        assertThat(view.path("reservations").get(0).path("decisionId").asText())
                .isEqualTo(d.path("decisionId").asText());
        // 0.01 BTC x 50,000 = 500 reserved, 5% of the 10,000 equity sent with the check
        assertThat(view.path("exposure").asDouble()).isEqualTo(500.0);
        assertThat(view.path("equity").asDouble()).isEqualTo(10_000.0);
    }

    @Test
    void lowConfidenceIsRejectedWith200ListingCodeRuleAndMessageAndReservesNothing() {
        String account = newAccount();

        JsonNode d = api.check(set(set(seed001(), "account", account), "signal.confidence", 0.5));

        assertThat(d.path("approved").asBoolean()).isFalse();
        assertThat(d.path("outcome").asText()).isEqualTo("REJECTED");
        assertThat(d.path("quantity").asDouble()).isZero();
        assertThat(d.path("rejections")).hasSize(1);
        JsonNode r = d.path("rejections").get(0);
        assertThat(r.path("code").asText()).isEqualTo("LOW_CONFIDENCE");
        assertThat(r.path("rule").asText()).isEqualTo("Confidence below minimum");
        assertThat(r.path("message").asText()).contains("0.5").contains("0.7");
        assertThat(d.path("firedRules")).extracting(JsonNode::asText).contains("Confidence below minimum");
        assertThat(api.get("/api/v1/accounts/" + account).body().path("reservations")).isEmpty();
    }

    /** One bad thing per request, and the field the 400 must name for it. */
    static Stream<Arguments> malformedRequests() {
        return Stream.of(
                // the answer names the key whose value never came
                arguments("truncated JSON body", "{\"symbol\": \"BTCUSDT\", \"side\": ", List.of("side")),
                arguments("empty body", "", List.of("$")),
                arguments("JSON array instead of an object", "[1, 2]", List.of("$")),
                arguments("missing price", set(seed001(), "market.price", null), List.of("market.price")),
                arguments("negative price", set(seed001(), "market.price", -3), List.of("market.price")),
                arguments("zero price", set(seed001(), "market.price", 0), List.of("market.price")),
                arguments("confidence 1.5", set(seed001(), "signal.confidence", 1.5),
                        List.of("signal.confidence")),
                arguments("side UP", set(seed001(), "side", "UP"), List.of("side")),
                arguments("unknown field", set(seed001(), "stoploss", 47_000), List.of("stoploss")),
                arguments("unknown nested field", set(seed001(), "market.vwap", 49_000),
                        List.of("market.vwap")),
                arguments("price as text", set(seed001(), "market.price", "50000"), List.of("market.price")),
                arguments("LONG stop above the entry", set(seed001(), "stopLoss", 51_000),
                        List.of("stopLoss")),
                arguments("bad timestamp", set(seed001(), "market.timestamp", "yesterday"),
                        List.of("market.timestamp")),
                arguments("regime with a space", set(seed001(), "market.regime", "bull market"),
                        List.of("market.regime")),
                arguments("regime as seed 003's object", set(seed001(), "market.regime",
                        java.util.Map.of("trend", "bullish", "risk_multiplier", 1.2)), List.of("market.regime")),
                arguments("bad regime and missing price", set(set(seed001(), "market.regime", "1bull"),
                        "market.price", null), List.of("market.regime", "market.price")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRequests")
    void malformedRequestIs400ProblemJsonNamingTheFieldAndStoresNothing(String description, Object body,
                                                                         List<String> fields) {
        String account = newAccount();
        api.check(set(seed001(), "account", account));
        if (body instanceof ObjectNode o) {
            set(o, "account", account);
            set(o, "equity", 20_000); // would be recorded as a snapshot if anything were stored
        }
        long decisionsBefore = api.decisionTotal();

        HttpApi.Response r = api.post("/api/v1/checks", body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body().path("status").asInt()).isEqualTo(400);
        assertThat(r.errorFields()).containsExactlyInAnyOrderElementsOf(fields);
        assertThat(r.body().path("errors")).allSatisfy(e -> assertThat(e.path("message").asText()).isNotBlank());
        assertNothingStored(account, decisionsBefore);
    }

    @Test
    void requestWithSeveralBadFieldsListsEveryOneOfThemAndStoresNothing() {
        String account = newAccount();
        api.check(set(seed001(), "account", account));
        ObjectNode bad = set(seed001(), "account", account);
        set(bad, "equity", 20_000);
        set(bad, "market.price", null);
        set(bad, "market.atr", -1_500);
        set(bad, "signal.confidence", 1.5);
        set(bad, "side", "UP");
        set(bad, "stoploss", 47_000);
        set(bad, "signal.consensus", "MAYBE");
        long decisionsBefore = api.decisionTotal();

        HttpApi.Response r = api.post("/api/v1/checks", bad);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.errorFields()).containsExactlyInAnyOrder("market.price", "market.atr", "signal.confidence",
                "side", "stoploss", "signal.consensus");
        assertThat(r.body().path("detail").asText()).contains("6 fields are invalid");
        assertNothingStored(account, decisionsBefore);
    }

    @Test
    void aRegimeSizedStrategyIsSizedByTheOrdersMarketRegimeAndAnUnmappedRegimeIsRejected() {
        ObjectNode bullish = set(set(seed001(), "account", newAccount()), "strategy", "oversold_bounce");
        set(bullish, "market.regime", "bullish");

        JsonNode d = api.check(bullish);

        // seed 003's regime_based sizing, as policies/default.yaml gives it to oversold_bounce: 2% x bullish 1.2
        // = 2.4% of 10,000 = 240 USD = 0.0048 BTC at 50,000 (under the $500 maximum and every other cap)
        assertThat(d.path("approved").asBoolean()).isTrue();
        assertThat(d.path("quantity").asDouble()).isEqualTo(0.0048);
        // the decision's notional is quantity x entry in binary floating point: 239.99999999999997
        assertThat(d.path("notional").asDouble()).isCloseTo(240.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(d.path("sizing").path("bindingCap").asText()).isEqualTo("SIZER");

        JsonNode refused = api.check(set(set(bullish, "account", newAccount()), "market.regime", "sideways"));

        assertThat(refused.path("outcome").asText()).isEqualTo("REJECTED");
        assertThat(refused.path("rejections")).extracting(r -> r.path("code").asText())
                .containsExactly("UNKNOWN_REGIME");
    }

    /** The audit has no new decision, and the account still holds the one reservation and 10,000 equity. */
    private void assertNothingStored(String account, long decisionsBefore) {
        assertThat(api.decisionTotal()).isEqualTo(decisionsBefore);
        JsonNode view = api.get("/api/v1/accounts/" + account).body();
        assertThat(view.path("reservations")).hasSize(1);
        assertThat(view.path("equity").asDouble()).isEqualTo(10_000.0);
        assertThat(api.get("/api/v1/decisions?account=" + account).body().path("total").asLong()).isEqualTo(1);
    }

    @Test
    void checkWithoutTimestampIsDecidedAtTheServerClock() {
        JsonNode d = api.check(set(set(seed001(), "account", newAccount()), "market.timestamp", null));

        // RiskgateServerTest pins the service's clock here
        assertThat(d.path("timestamp").asText()).isEqualTo("2032-01-01T00:00:00Z");
    }
}
