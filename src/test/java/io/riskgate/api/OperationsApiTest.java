package io.riskgate.api;

import static io.riskgate.testing.Requests.seed001;
import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What operators use: the policy in force, actuator health and the riskgate meters, and the OpenAPI description.
 * Meter assertions compare counts before and after this test's own checks, so other tests sharing the server
 * do not matter (test methods run one at a time).
 */
@RiskgateServerTest
class OperationsApiTest {

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.riskgate.security.ApiKeys keys;

    HttpApi api;

    @BeforeEach
    void connect() {
        api = new HttpApi(port, io.riskgate.testing.TestKeys.superuser(keys));
    }

    /** A meter's measurement (COUNT, TOTAL_TIME, ...) or 0 when the meter does not exist yet (404). */
    private double measurement(String meterAndTags, String statistic) {
        HttpApi.Response r = api.get("/actuator/metrics/" + meterAndTags);
        if (r.status() == 404) {
            return 0;
        }
        assertThat(r.status()).isEqualTo(200);
        for (JsonNode m : r.body().path("measurements")) {
            if (m.path("statistic").asText().equals(statistic)) {
                return m.path("value").asDouble();
            }
        }
        throw new AssertionError(meterAndTags + " has no " + statistic + ": " + r.raw());
    }

    @Test
    void activePolicyShowsIdShaAndTheRulesWithTheirCodes() {
        HttpApi.Response r = api.get("/api/v1/policies/active");

        assertThat(r.status()).isEqualTo(200);
        JsonNode p = r.body();
        assertThat(p.path("id").asText()).isEqualTo("default");
        assertThat(p.path("version").asText()).isEqualTo("1");
        assertThat(p.path("sha256").asText()).matches("[0-9a-f]{64}");
        assertThat(p.path("source").asText()).isEqualTo("default.yaml");
        assertThat(p.path("ruleFiles")).extracting(JsonNode::asText).containsExactly("gates.drl", "portfolio.drl",
                "confidence-bands.drl.xlsx", "strategy-limits.drl.xlsx", "exits.drl", "trailing-stops.drl.xlsx",
                "governor.drl", "analytics.drl", "drawdown-factors.drl.xlsx", "controls.drl");
        assertThat(p.path("rules")).extracting(j -> j.path("code").asText()).contains("LOW_CONFIDENCE",
                "CONSENSUS_NOT_ACCEPTED", "TREND_MISALIGNED", "SPREAD_TOO_WIDE", "MAX_CONCURRENT_TRADES",
                "MAX_EXPOSURE", "SIZE_HIGH_CONFIDENCE", "SIZE_LOW_CONFIDENCE", "STRATEGY_LIMITS");
        assertThat(p.path("rules")).allSatisfy(rule -> {
            assertThat(rule.path("name").asText()).isNotBlank();
            assertThat(rule.path("code").asText()).matches("[A-Z][A-Z0-9_]*");
        });
    }

    @Test
    void theActivePolicysShaLeadsToItsArchivedFilesAndActivation() {
        String sha = api.get("/api/v1/policies/active").body().path("sha256").asText();
        HttpApi.Response archived = api.get("/api/v1/policies/archive/" + sha);
        assertThat(archived.status()).isEqualTo(200);
        assertThat(archived.body().path("policyYaml").asText()).contains("min_confidence: 0.70");
        assertThat(archived.body().path("ruleFiles")).hasSize(10);
        assertThat(api.get("/api/v1/policies/archive/" + "0".repeat(64)).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/policies/activations").body())
                .anySatisfy(a -> assertThat(a.path("sha256").asText()).isEqualTo(sha));
    }

    @Test
    void healthIsUp() {
        HttpApi.Response r = api.get("/actuator/health");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("UP");
        // the policy component names the policy deciding checks, as GET /api/v1/policies/active does
        assertThat(r.body().at("/components/policy/status").asText()).isEqualTo("UP");
        assertThat(r.body().at("/components/policy/details/sha256").asText())
                .isEqualTo(api.get("/api/v1/policies/active").body().path("sha256").asText());
    }

    @Test
    void everyAnsweredCheckIsCountedAsAGroupCommitWrite() {
        double writes = measurement("riskgate.commits.writes", "COUNT");
        double batches = measurement("riskgate.commits.batches", "COUNT");
        api.check(set(seed001(), "account", "ops-commits-" + UUID.randomUUID().toString().substring(0, 8)));
        // at least the check's own write and its batch (other tests' writes may share or add batches meanwhile)
        assertThat(measurement("riskgate.commits.writes", "COUNT")).isGreaterThanOrEqualTo(writes + 1);
        assertThat(measurement("riskgate.commits.batches", "COUNT")).isGreaterThanOrEqualTo(batches + 1);
    }

    @Test
    void checksCountByOutcomeAndRejectionsCountByCode() {
        double approvedBefore = measurement("riskgate.checks?tag=outcome:APPROVED", "COUNT");
        double rejectedBefore = measurement("riskgate.checks?tag=outcome:REJECTED", "COUNT");
        double lowConfidenceBefore = measurement("riskgate.rejections?tag=code:LOW_CONFIDENCE", "COUNT");
        double spreadBefore = measurement("riskgate.rejections?tag=code:SPREAD_TOO_WIDE", "COUNT");
        String account = "ops-" + UUID.randomUUID().toString().substring(0, 8);

        api.check(set(seed001(), "account", account));
        api.check(set(set(seed001(), "account", account), "signal.confidence", 0.5));
        api.check(set(set(set(seed001(), "account", account), "signal.confidence", 0.5), "market.spreadBps", 60));

        // 1 approved; 2 rejected, one with LOW_CONFIDENCE only, one with LOW_CONFIDENCE and SPREAD_TOO_WIDE
        assertThat(measurement("riskgate.checks?tag=outcome:APPROVED", "COUNT")).isEqualTo(approvedBefore + 1);
        assertThat(measurement("riskgate.checks?tag=outcome:REJECTED", "COUNT")).isEqualTo(rejectedBefore + 2);
        assertThat(measurement("riskgate.rejections?tag=code:LOW_CONFIDENCE", "COUNT"))
                .isEqualTo(lowConfidenceBefore + 2);
        assertThat(measurement("riskgate.rejections?tag=code:SPREAD_TOO_WIDE", "COUNT")).isEqualTo(spreadBefore + 1);
        JsonNode rejections = api.get("/actuator/metrics/riskgate.rejections").body();
        assertThat(rejections.path("availableTags")).anySatisfy(t -> {
            assertThat(t.path("tag").asText()).isEqualTo("code");
            assertThat(t.path("values")).extracting(JsonNode::asText).contains("LOW_CONFIDENCE", "SPREAD_TOO_WIDE");
        });
    }

    @Test
    void checkLatencyTimerRecordsEveryCheck() {
        double countBefore = measurement("riskgate.check.latency", "COUNT");
        double timeBefore = measurement("riskgate.check.latency", "TOTAL_TIME");

        api.check(set(seed001(), "account", "ops-" + UUID.randomUUID().toString().substring(0, 8)));
        api.check(set(seed001(), "account", "ops-" + UUID.randomUUID().toString().substring(0, 8)));

        assertThat(measurement("riskgate.check.latency", "COUNT")).isEqualTo(countBefore + 2);
        assertThat(measurement("riskgate.check.latency", "TOTAL_TIME")).isGreaterThan(timeBefore);
    }

    @Test
    void aNewAccountsBookIsReadOnceAndCountedAmongTheResidentBooks() {
        double loadsBefore = measurement("riskgate.accounts.loads", "COUNT");
        String account = "ops-" + UUID.randomUUID().toString().substring(0, 8);

        api.check(set(seed001(), "account", account));
        api.check(set(seed001(), "account", account));

        // read from the database on its first use only: the second check finds it in memory
        assertThat(measurement("riskgate.accounts.loads", "COUNT")).isEqualTo(loadsBefore + 1);
        assertThat(measurement("riskgate.accounts.resident", "VALUE")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void malformedCheckIsNotCountedAsACheck() {
        double before = measurement("riskgate.check.latency", "COUNT");

        assertThat(api.post("/api/v1/checks", set(seed001(), "side", "UP")).status()).isEqualTo(400);

        assertThat(measurement("riskgate.check.latency", "COUNT")).isEqualTo(before);
    }

    @Test
    void openApiDescriptionDocumentsTheCheckEndpointAndItsRequest() {
        HttpApi.Response r = api.get("/v3/api-docs");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("paths").has("/api/v1/checks")).isTrue();
        assertThat(r.body().path("paths").path("/api/v1/checks").has("post")).isTrue();
        assertThat(r.body().path("paths").fieldNames()).toIterable().contains("/api/v1/decisions",
                "/api/v1/decisions/{id}", "/api/v1/trades", "/api/v1/trades/{id}/close", "/api/v1/accounts/{id}",
                "/api/v1/accounts/{id}/equity", "/api/v1/policies/active", "/api/v1/policies/reload");
        assertThat(r.body().path("components").path("schemas").path("CheckRequest").path("properties").has("market"))
                .isTrue();
    }
}
