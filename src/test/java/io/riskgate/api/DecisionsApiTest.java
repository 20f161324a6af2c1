package io.riskgate.api;

import static io.riskgate.testing.Requests.seed001;
import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The audit trail over HTTP: {@code GET /api/v1/decisions/{id}} and the filtered search. Four decisions are made
 * once, at event times in March 2031 that no other API test uses, so a filter on time alone sees only them:
 *
 * <pre>
 *   d1  account A  10:00  approved   (seed 001)
 *   d2  account A  10:01  rejected   LOW_CONFIDENCE (confidence 0.5)
 *   d3  account B  10:02  rejected   SPREAD_TOO_WIDE (spread 60 bps > 50)
 *   d4  account B  10:03  rejected   LOW_CONFIDENCE and SPREAD_TOO_WIDE
 * </pre>
 */
@RiskgateServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DecisionsApiTest {

    static final Instant T1 = Instant.parse("2031-03-01T10:00:00Z");
    static final Instant T2 = T1.plusSeconds(60);
    static final Instant T3 = T1.plusSeconds(120);
    static final Instant T4 = T1.plusSeconds(180);

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.riskgate.security.ApiKeys keys;

    HttpApi api;
    final String accountA = "audit-a-" + UUID.randomUUID().toString().substring(0, 8);
    final String accountB = "audit-b-" + UUID.randomUUID().toString().substring(0, 8);
    ObjectNode request1;
    String d1;
    String d2;
    String d3;
    String d4;
    Set<String> mine;

    @BeforeAll
    void makeDecisions() {
        api = new HttpApi(port, io.riskgate.testing.TestKeys.superuser(keys));
        request1 = at(accountA, T1);
        d1 = api.check(request1).path("decisionId").asText();
        d2 = api.check(set(at(accountA, T2), "signal.confidence", 0.5)).path("decisionId").asText();
        d3 = api.check(set(at(accountB, T3), "market.spreadBps", 60)).path("decisionId").asText();
        d4 = api.check(set(set(at(accountB, T4), "market.spreadBps", 60), "signal.confidence", 0.5))
                .path("decisionId").asText();
        mine = Set.of(d1, d2, d3, d4);
    }

    private static ObjectNode at(String account, Instant t) {
        return set(set(seed001(), "account", account), "market.timestamp", t.toString());
    }

    /** Ids of the page's items that are this class's decisions, in page order (newest first). */
    private List<String> search(String query) {
        HttpApi.Response r = api.get("/api/v1/decisions?size=500&" + query);
        assertThat(r.status()).as(query).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        r.body().path("items").forEach(i -> {
            if (mine.contains(i.path("decisionId").asText())) {
                ids.add(i.path("decisionId").asText());
            }
        });
        return ids;
    }

    private long total(String query) {
        return api.get("/api/v1/decisions?" + query).body().path("total").asLong(-1);
    }

    @Test
    void theAuditChainOfTheServerIsIntactAndItsHeadIsAnAnchor() {
        HttpApi.Response head = api.get("/api/v1/audit/head");
        assertThat(head.status()).isEqualTo(200);
        String anchor = head.body().path("anchor").asText();
        assertThat(anchor).matches("[1-9][0-9]*:[0-9a-f]{64}");

        HttpApi.Response r = api.get("/api/v1/audit/verify?anchor=" + anchor);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("intact").asBoolean()).as(r.body().toString()).isTrue();
        assertThat(r.body().path("records").asLong()).isPositive();
        assertThat(r.body().path("problems")).isEmpty();

        // retention over REST: nothing was decided before 2000, so nothing moves; a bad instant is a 400
        HttpApi.Response none = api.post("/api/v1/audit/exports", java.util.Map.of("before", "2000-01-01T00:00:00Z"));
        assertThat(none.status()).as(none.raw()).isEqualTo(200);
        assertThat(none.body().path("records").asLong()).isZero();
        assertThat(api.post("/api/v1/audit/exports", java.util.Map.of("before", "last week")).status()).isEqualTo(400);

        HttpApi.Response bad = api.get("/api/v1/audit/verify?anchor=latest");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
    }

    @Test
    void decisionByIdReturnsTheAuditedRecordWithTheRequestAsSentAndThePolicySha() {
        HttpApi.Response r = api.get("/api/v1/decisions/" + d1);

        assertThat(r.status()).isEqualTo(200);
        JsonNode rec = r.body();
        assertThat(rec.path("decisionId").asText()).isEqualTo(d1);
        assertThat(rec.path("approved").asBoolean()).isTrue();
        assertThat(rec.path("quantity").asDouble()).isEqualTo(0.01);
        assertThat(rec.path("stopLoss").asDouble()).isEqualTo(47_750.0);
        assertThat(rec.path("takeProfit").asDouble()).isEqualTo(55_625.0);
        assertThat(rec.path("timestamp").asText()).isEqualTo(T1.toString());
        assertThat(rec.path("request")).isEqualTo(request1);
        assertThat(rec.path("recordedAt").isTextual()).isTrue();
        String activeSha = api.get("/api/v1/policies/active").body().path("sha256").asText();
        assertThat(rec.path("policy").path("sha256").asText()).matches("[0-9a-f]{64}").isEqualTo(activeSha);
        assertThat(rec.path("policy").path("id").asText()).isEqualTo("default");
    }

    @Test
    void rejectedDecisionByIdKeepsItsRejectionsAndFiredRuleCodes() {
        JsonNode rec = api.get("/api/v1/decisions/" + d4).body();

        assertThat(rec.path("approved").asBoolean()).isFalse();
        assertThat(rec.path("rejections")).extracting(j -> j.path("code").asText())
                .containsExactlyInAnyOrder("LOW_CONFIDENCE", "SPREAD_TOO_WIDE");
        assertThat(rec.path("firedRuleDetails")).extracting(j -> j.path("code").asText())
                .contains("LOW_CONFIDENCE", "SPREAD_TOO_WIDE");
        assertThat(rec.path("request").path("market").path("spreadBps").asDouble()).isEqualTo(60.0);
    }

    @Test
    void unknownDecisionIdIs404ProblemJson() {
        HttpApi.Response r = api.get("/api/v1/decisions/" + UUID.randomUUID());

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body().path("status").asInt()).isEqualTo(404);
    }

    @Test
    void accountFilterAloneReturnsExactlyThatAccountsDecisionsNewestFirst() {
        assertThat(total("account=" + accountA)).isEqualTo(2);
        assertThat(search("account=" + accountA)).containsExactly(d2, d1);
        assertThat(search("account=" + accountB)).containsExactly(d4, d3);
    }

    @Test
    void outcomeFilterSeparatesApprovedRejectedAndFailed() {
        assertThat(search("outcome=APPROVED")).containsExactly(d1);
        assertThat(search("outcome=REJECTED")).containsExactly(d4, d3, d2);
        // none of these four failed (the engine decided each one)
        assertThat(search("outcome=FAILED")).isEmpty();
        assertThat(api.get("/api/v1/decisions?outcome=MAYBE").status()).isEqualTo(400);
    }

    @Test
    void approvedFilterAloneSeparatesApprovedFromRejected() {
        assertThat(search("approved=true")).containsExactly(d1);
        assertThat(search("approved=false")).containsExactly(d4, d3, d2);
        assertThat(api.get("/api/v1/decisions?size=500&approved=true").body().path("items"))
                .allSatisfy(i -> assertThat(i.path("approved").asBoolean()).isTrue());
    }

    @Test
    void codeFilterAloneMatchesDecisionsWhereThatRuleFired() {
        assertThat(search("code=LOW_CONFIDENCE")).containsExactly(d4, d2);
        assertThat(search("code=SPREAD_TOO_WIDE")).containsExactly(d4, d3);
        assertThat(total("code=NO_SUCH_CODE")).isZero();
    }

    @Test
    void fromIsInclusiveAndToIsExclusive() {
        // from alone: 10:01 includes d2 (exactly 10:01) and later
        assertThat(search("from=" + T2)).containsExactly(d4, d3, d2);
        // to alone: 10:02 excludes d3 (exactly 10:02)
        assertThat(search("to=" + T3)).containsExactly(d2, d1);
        // [10:01, 10:03) is d2 and d3 only; nothing else in the database is in that minute range
        assertThat(total("from=" + T2 + "&to=" + T4)).isEqualTo(2);
        assertThat(search("from=" + T2 + "&to=" + T4)).containsExactly(d3, d2);
    }

    @Test
    void combinedFiltersAreAnded() {
        assertThat(search("account=" + accountA + "&approved=false")).containsExactly(d2);
        assertThat(search("account=" + accountB + "&code=LOW_CONFIDENCE")).containsExactly(d4);
        assertThat(search("account=" + accountA + "&code=SPREAD_TOO_WIDE")).isEmpty();
        assertThat(search("account=" + accountB + "&approved=false&code=SPREAD_TOO_WIDE&from=" + T3 + "&to=" + T4))
                .containsExactly(d3);
        assertThat(total("account=" + accountA + "&approved=true&from=" + T2)).isZero();
    }

    @Test
    void pagesSplitTheResultKeepingTheTotal() {
        JsonNode p0 = api.get("/api/v1/decisions?account=" + accountB + "&size=1&page=0").body();
        JsonNode p1 = api.get("/api/v1/decisions?account=" + accountB + "&size=1&page=1").body();
        JsonNode p2 = api.get("/api/v1/decisions?account=" + accountB + "&size=1&page=2").body();

        assertThat(p0.path("total").asLong()).isEqualTo(2);
        assertThat(p0.path("items")).extracting(i -> i.path("decisionId").asText()).containsExactly(d4);
        assertThat(p1.path("items")).extracting(i -> i.path("decisionId").asText()).containsExactly(d3);
        assertThat(p2.path("items")).isEmpty();
        assertThat(p2.path("total").asLong()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"size=0", "size=501", "page=-1", "approved=maybe", "from=yesterday"})
    void invalidSearchParameterIs400ProblemJson(String query) {
        HttpApi.Response r = api.get("/api/v1/decisions?" + query);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body().path("errors")).isNotEmpty();
    }
}
