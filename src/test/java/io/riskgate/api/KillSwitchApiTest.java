package io.riskgate.api;

import static io.riskgate.testing.Requests.seed001;
import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.testing.TestKeys;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code POST/GET /api/v1/firm/kill-switch} over HTTP. The server is shared with the other API tests, so these
 * trip only the strategy of the default policy no other test orders by ({@code arbitrage}), and reset it; the
 * firm-wide switch is tested in-process (KillSwitchTest). Who may call it is in AccessMatrixTest.
 */
@RiskgateServerTest
class KillSwitchApiTest {

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.riskgate.security.ApiKeys keys;

    HttpApi officer;
    HttpApi trader;
    String strategy;

    @BeforeEach
    void connect() {
        officer = new HttpApi(port, TestKeys.named(keys, "kill-switch-officer"));
        trader = new HttpApi(port, TestKeys.superuser(keys));
        strategy = "arbitrage";
    }

    @Test
    void anOfficerTripsAStrategysSwitchItsOrdersAreRefusedAndAResetLiftsIt() {
        HttpApi.Response trip = officer.post("/api/v1/firm/kill-switch",
                Map.of("action", "TRIP", "scope", "strategy:" + strategy, "reason", "runaway algo"));
        assertThat(trip.status()).isEqualTo(200);
        JsonNode in = trip.body().path("inForce");
        assertThat(in.findValuesAsText("scope")).contains("STRATEGY:" + strategy);

        String account = "ks-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode d = trader.check(set(set(seed001(), "account", account), "strategy", strategy));
        assertThat(d.path("approved").asBoolean()).isFalse();
        assertThat(d.path("rejections").findValuesAsText("code")).contains("KILL_SWITCH");
        assertThat(d.path("rejections").findValuesAsText("message")).anySatisfy(m -> assertThat(m)
                .contains("kill switch STRATEGY:" + strategy).contains("runaway algo"));

        HttpApi.Response log = officer.get("/api/v1/firm/kill-switch");
        assertThat(log.body().path("log").findValuesAsText("scope")).contains("STRATEGY:" + strategy);

        HttpApi.Response reset = officer.post("/api/v1/firm/kill-switch",
                Map.of("action", "RESET", "scope", "STRATEGY:" + strategy, "reason", "fixed"));
        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.body().path("inForce").findValuesAsText("scope")).doesNotContain("STRATEGY:" + strategy);
        JsonNode after = trader.check(set(set(seed001(), "account", account), "strategy", strategy));
        assertThat(after.path("rejections").findValuesAsText("code")).doesNotContain("KILL_SWITCH");
    }

    @Test
    void everyProblemOfARequestIsListedAndAResetOfNoSwitchIsAConflict() {
        HttpApi.Response bad = officer.post("/api/v1/firm/kill-switch",
                Map.of("action", "PAUSE", "scope", "desk 7", "actor", "someone"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("actor", "action", "scope", "reason");

        HttpApi.Response none = officer.post("/api/v1/firm/kill-switch",
                Map.of("action", "RESET", "scope", "STRATEGY:news_driven", "reason", "nothing to lift"));
        assertThat(none.status()).isEqualTo(409);

        // a strategy no loaded policy declares: a switch on it would halt nothing
        HttpApi.Response typo = officer.post("/api/v1/firm/kill-switch",
                Map.of("action", "TRIP", "scope", "STRATEGY:trend_folowing", "reason", "typo"));
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.raw()).contains("no loaded policy declares strategy 'trend_folowing'");
    }
}
