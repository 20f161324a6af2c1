package io.riskgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.security.ApiKeys;
import io.riskgate.security.Role;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestKeys;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * Every endpoint × every kind of caller, with the exact status each must get (docs/security.md's role table).
 * Callers: anonymous, a TRADER of account A, a TRADER of account B, a FEED, an OFFICER, an AUDITOR, an ADMIN.
 * Requests are chosen so that an allowed caller gets a status that proves it got through (often a 400 for a
 * deliberately incomplete body, so nothing changes), and a refused one 401 or 403, always problem+json.
 * {@link #everyEndpointHasARowInTheMatrix} fails when an endpoint is added without its row.
 */
@RiskgateServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessMatrixTest {

    /** Column order of the expected statuses. */
    enum Who { ANONYMOUS, TRADER_A, TRADER_B, FEED, OFFICER, AUDITOR, ADMIN }

    /** One request and the status each caller gets, in {@link Who} order. */
    record Row(String method, String pattern, String path, Object body, String expected) {
        int expect(Who who) {
            return Integer.parseInt(expected.trim().split("\\s+")[who.ordinal()]);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys keys;

    @Autowired
    ApplicationContext context;

    private final Map<Who, HttpApi> callers = new LinkedHashMap<>();
    private final String a = "mx-a-" + UUID.randomUUID().toString().substring(0, 8);
    private final String b = "mx-b-" + UUID.randomUUID().toString().substring(0, 8);
    private String approved;
    private String rejected;
    private String tradeId;
    private String sha;

    @BeforeAll
    void fixtures() {
        callers.put(Who.ANONYMOUS, new HttpApi(port, null));
        callers.put(Who.TRADER_A, new HttpApi(port, TestKeys.key(keys, Set.of(Role.TRADER), Set.of(a))));
        callers.put(Who.TRADER_B, new HttpApi(port, TestKeys.key(keys, Set.of(Role.TRADER), Set.of(b))));
        callers.put(Who.FEED, new HttpApi(port, TestKeys.key(keys, Set.of(Role.FEED), Set.of("*"))));
        callers.put(Who.OFFICER, new HttpApi(port, TestKeys.key(keys, Set.of(Role.OFFICER), Set.of())));
        callers.put(Who.AUDITOR, new HttpApi(port, TestKeys.key(keys, Set.of(Role.AUDITOR), Set.of())));
        callers.put(Who.ADMIN, new HttpApi(port, TestKeys.key(keys, Set.of(Role.ADMIN), Set.of())));
        HttpApi traderA = callers.get(Who.TRADER_A);
        // seed 001's check on account A: approved for 0.01 BTC; the same at confidence 0.6: LOW_CONFIDENCE
        JsonNode ok = traderA.check(Requests.set(Requests.seed001(), "account", a));
        assertThat(ok.get("approved").asBoolean()).isTrue();
        approved = ok.get("decisionId").asText();
        JsonNode no = traderA.check(Requests.set(Requests.set(Requests.seed001(), "account", a),
                "signal.confidence", 0.6));
        assertThat(no.get("approved").asBoolean()).isFalse();
        rejected = no.get("decisionId").asText();
        var fill = traderA.post("/api/v1/trades", Requests.JSON.createObjectNode().put("decisionId", approved)
                .put("fillPrice", 50_000).put("quantity", 0.01));
        assertThat(fill.status()).as(fill.raw()).isEqualTo(201);
        tradeId = fill.body().get("id").asText();
        sha = ok.at("/policy/sha256").asText();
    }

    /**
     * The matrix. Columns: anonymous, TRADER A, TRADER B, FEED, OFFICER, AUDITOR, ADMIN. Bodies of {} are
     * incomplete on purpose: a caller who gets through is told what is missing (400) and nothing changes.
     */
    List<Row> rows() {
        String acct = "/api/v1/accounts/" + a;
        List<Row> r = new ArrayList<>();
        // trading: the TRADER of A only
        r.add(new Row("POST", "/api/v1/checks", "/api/v1/checks",
                Requests.set(Requests.set(Requests.seed001(), "account", a), "signal.confidence", 5),
                "401 400 403 403 403 403 403"));
        r.add(new Row("POST", "/api/v1/trades", "/api/v1/trades",
                Map.of("decisionId", approved, "fillPrice", -1, "quantity", 0.01), "401 400 403 403 403 403 403"));
        r.add(new Row("POST", "/api/v1/trades/{id}/close", "/api/v1/trades/" + tradeId + "/close", Map.of(),
                "401 400 403 403 403 403 403"));
        r.add(new Row("POST", "/api/v1/decisions/{id}/cancel", "/api/v1/decisions/" + rejected + "/cancel", null,
                "401 409 403 403 403 403 403"));
        r.add(new Row("POST", "/api/v1/accounts/{id}/instructions/{iid}/ack",
                acct + "/instructions/" + UUID.randomUUID() + "/ack", null, "401 404 403 403 403 403 403"));
        // reads: the TRADER of A, officers, auditors
        r.add(new Row("GET", "/api/v1/trades/{id}", "/api/v1/trades/" + tradeId, null,
                "401 200 403 403 200 200 403"));
        r.add(new Row("GET", "/api/v1/decisions/{id}", "/api/v1/decisions/" + approved, null,
                "401 200 403 403 200 200 403"));
        r.add(new Row("GET", "/api/v1/decisions", "/api/v1/decisions?account=" + a, null,
                "401 200 403 403 200 200 403"));
        r.add(new Row("GET", "/api/v1/decisions", "/api/v1/decisions", null, "401 403 403 403 200 200 403"));
        // the audit chain: auditors only (anonymous, trader A, trader B, feed, officer, auditor, admin)
        r.add(new Row("GET", "/api/v1/audit/head", "/api/v1/audit/head", null, "401 403 403 403 403 200 403"));
        r.add(new Row("GET", "/api/v1/audit/verify", "/api/v1/audit/verify", null, "401 403 403 403 403 200 403"));
        r.add(new Row("GET", "/api/v1/audit/verify/{decisionId}", "/api/v1/audit/verify/"
                + "00000000-0000-7000-8000-000000000000", null, "401 403 403 403 403 404 403"));
        // retention: administrators (an empty body: 400 for the one let through, nothing exported)
        r.add(new Row("POST", "/api/v1/audit/exports", "/api/v1/audit/exports", Map.of(),
                "401 403 403 403 403 403 400"));
        // the list: a trader sees its own accounts only (AccountsListApiTest), a feed has no reads
        r.add(new Row("GET", "/api/v1/accounts", "/api/v1/accounts", null, "401 200 200 403 200 200 403"));
        r.add(new Row("GET", "/api/v1/accounts/{id}", acct, null, "401 200 403 403 200 200 403"));
        r.add(new Row("GET", "/api/v1/accounts/{id}/state", acct + "/state", null, "401 200 403 403 200 200 403"));
        r.add(new Row("GET", "/api/v1/accounts/{id}/breakers", acct + "/breakers", null,
                "401 200 403 403 200 200 403"));
        r.add(new Row("GET", "/api/v1/accounts/{id}/instructions", acct + "/instructions", null,
                "401 200 403 403 200 200 403"));
        r.add(new Row("GET", "/api/v1/accounts/{id}/risk", acct + "/risk", null, "401 200 403 403 200 200 403"));
        r.add(new Row("GET", "/api/v1/accounts/{id}/policy", acct + "/policy", null, "401 200 403 403 200 200 403"));
        r.add(new Row("GET", "/api/v1/accounts/{id}/locks", acct + "/locks", null, "401 200 403 403 200 200 403"));
        // who the caller is: every credential, anonymous refused
        r.add(new Row("GET", "/api/v1/me", "/api/v1/me", null, "401 200 200 200 200 200 200"));
        // the console's account page: equity history and trades
        r.add(new Row("GET", "/api/v1/accounts/{id}/equity", acct + "/equity", null, "401 200 403 403 200 200 403"));
        r.add(new Row("GET", "/api/v1/accounts/{id}/trades", acct + "/trades", null, "401 200 403 403 200 200 403"));
        r.add(new Row("GET", "/api/v1/events", "/api/v1/events?account=" + a, null, "401 200 403 403 200 200 403"));
        r.add(new Row("GET", "/api/v1/events", "/api/v1/events", null, "401 403 403 403 200 200 403"));
        // market data
        r.add(new Row("POST", "/api/v1/marks", "/api/v1/marks", Map.of(), "401 403 403 400 403 403 403"));
        r.add(new Row("POST", "/api/v1/market/bars", "/api/v1/market/bars", Map.of(), "401 403 403 400 403 403 403"));
        r.add(new Row("PUT", "/api/v1/accounts/{id}/equity", acct + "/equity", Map.of(),
                "401 403 403 400 403 403 403"));
        r.add(new Row("GET", "/api/v1/market/bars", "/api/v1/market/bars?symbol=BTCUSDT&interval=1d", null,
                "401 200 200 200 200 200 403"));
        // officers
        r.add(new Row("POST", "/api/v1/accounts/{id}/breaker", acct + "/breaker", Map.of(),
                "401 403 403 403 400 403 403"));
        r.add(new Row("PUT", "/api/v1/accounts/{id}/policy", acct + "/policy", Map.of(),
                "401 403 403 403 400 403 403"));
        r.add(new Row("POST", "/api/v1/firm/kill-switch", "/api/v1/firm/kill-switch", Map.of(),
                "401 403 403 403 400 403 403"));
        r.add(new Row("POST", "/api/v1/accounts/{id}/locks/lift", acct + "/locks/lift", Map.of(),
                "401 403 403 403 400 403 403"));
        r.add(new Row("GET", "/api/v1/firm/kill-switch", "/api/v1/firm/kill-switch", null,
                "401 403 403 403 200 200 403"));
        r.add(new Row("GET", "/api/v1/firm/limits", "/api/v1/firm/limits", null, "401 403 403 403 200 200 403"));
        // replays: an empty body is a 400 for the officer; an unknown id a 404 for the readers
        r.add(new Row("POST", "/api/v1/replays", "/api/v1/replays", Map.of(), "401 403 403 403 400 403 403"));
        r.add(new Row("GET", "/api/v1/replays", "/api/v1/replays", null, "401 403 403 403 200 200 403"));
        r.add(new Row("GET", "/api/v1/replays/{id}", "/api/v1/replays/nope", null, "401 403 403 403 404 404 403"));
        r.add(new Row("GET", "/api/v1/replays/{id}/report", "/api/v1/replays/nope/report", null,
                "401 403 403 403 404 404 403"));
        r.add(new Row("GET", "/api/v1/replays/{id}/decisions", "/api/v1/replays/nope/decisions", null,
                "401 403 403 403 404 404 403"));
        r.add(new Row("GET", "/api/v1/replays/{id}/compare", "/api/v1/replays/nope/compare", null,
                "401 403 403 403 404 404 403"));
        r.add(new Row("POST", "/api/v1/policies/reload", "/api/v1/policies/reload", Map.of("reason", "matrix"),
                "401 403 403 403 200 403 403"));
        r.add(new Row("POST", "/api/v1/policies/what-if", "/api/v1/policies/what-if", Map.of(),
                "401 403 403 403 400 403 403"));
        r.add(new Row("POST", "/api/v1/policies/validate", "/api/v1/policies/validate", Map.of(),
                "401 403 403 403 400 403 403"));
        // policy reads: officers and auditors
        r.add(new Row("GET", "/api/v1/policies/active", "/api/v1/policies/active", null,
                "401 403 403 403 200 200 403"));
        r.add(new Row("GET", "/api/v1/policies/archive/{sha256}", "/api/v1/policies/archive/" + sha, null,
                "401 403 403 403 200 200 403"));
        r.add(new Row("GET", "/api/v1/policies/activations", "/api/v1/policies/activations", null,
                "401 403 403 403 200 200 403"));
        r.add(new Row("GET", "/api/v1/policies/{id}/versions", "/api/v1/policies/default/versions", null,
                "401 403 403 403 200 200 403"));
        r.add(new Row("GET", "/api/v1/policies/{id}/versions/{version}", "/api/v1/policies/default/versions/" + sha,
                null, "401 403 403 403 200 200 403"));
        r.add(new Row("GET", "/api/v1/policies/{id}/diff", "/api/v1/policies/default/diff?from=" + sha + "&to="
                + sha, null, "401 403 403 403 200 200 403"));
        // keys: ADMIN
        r.add(new Row("POST", "/api/v1/keys", "/api/v1/keys", Map.of(), "401 403 403 403 403 403 400"));
        r.add(new Row("GET", "/api/v1/keys", "/api/v1/keys", null, "401 403 403 403 403 403 200"));
        r.add(new Row("DELETE", "/api/v1/keys/{id}", "/api/v1/keys/zzzzzzzzzz", null,
                "401 403 403 403 403 403 404"));
        // operations: probes open, details and metrics and the API description for any credential
        r.add(new Row("GET", "/actuator/health", "/actuator/health", null, "200 200 200 200 200 200 200"));
        r.add(new Row("GET", "/actuator/health/**", "/actuator/health/liveness", null,
                "200 200 200 200 200 200 200"));
        r.add(new Row("GET", "/actuator/health/**", "/actuator/health/readiness", null,
                "200 200 200 200 200 200 200"));
        r.add(new Row("GET", "/actuator/health/**", "/actuator/health/db", null, "401 404 404 404 200 200 200"));
        r.add(new Row("GET", "/actuator", "/actuator", null, "401 200 200 200 200 200 200"));
        r.add(new Row("GET", "/actuator/info", "/actuator/info", null, "401 200 200 200 200 200 200"));
        r.add(new Row("GET", "/actuator/metrics", "/actuator/metrics", null, "401 200 200 200 200 200 200"));
        // Prometheus's scrape (issue 18): any credential, as the metrics; none is a 401
        r.add(new Row("GET", "/actuator/prometheus", "/actuator/prometheus", null, "401 200 200 200 200 200 200"));
        r.add(new Row("GET", "/actuator/metrics/{requiredMetricName}", "/actuator/metrics/jvm.memory.used", null,
                "401 200 200 200 200 200 200"));
        r.add(new Row("GET", "/v3/api-docs", "/v3/api-docs", null, "401 200 200 200 200 200 200"));
        r.add(new Row("GET", "/v3/api-docs.yaml", "/v3/api-docs.yaml", null, "401 200 200 200 200 200 200"));
        r.add(new Row("GET", "/v3/api-docs/swagger-config", "/v3/api-docs/swagger-config", null,
                "401 200 200 200 200 200 200"));
        r.add(new Row("GET", "/swagger-ui.html", "/swagger-ui.html", null, "401 302 302 302 302 302 302"));
        // an endpoint added without its roles in SecurityConfiguration: closed
        r.add(new Row("GET", "/api/v1/test-only/unruled", "/api/v1/test-only/unruled", null,
                "401 403 403 403 403 403 403"));
        // unknown paths and methods: 401 without a credential, then 404 and 405 like any other API
        r.add(new Row("GET", null, "/api/v1/nothing-here", null, "401 404 404 404 404 404 404"));
        r.add(new Row("DELETE", null, "/api/v1/checks", null, "401 405 405 405 405 405 405"));
        r.add(new Row("GET", null, "/nothing-here", null, "401 404 404 404 404 404 404"));
        return r;
    }

    /** Mappings that are not endpoints of their own: Spring's error page (every error is rendered through it). */
    private static final Set<String> NOT_ENDPOINTS = Set.of("GET /error", "POST /error", "PUT /error",
            "DELETE /error", "PATCH /error", "HEAD /error", "OPTIONS /error", "TRACE /error", "* /error");

    @Test
    void everyCallerGetsExactlyItsStatusOnEveryEndpoint() throws Exception {
        List<String> wrong = new ArrayList<>();
        int requests = 0;
        for (Row row : rows()) {
            for (Who who : Who.values()) {
                int status = send(who, row);
                requests++;
                if (status != row.expect(who)) {
                    wrong.add(row.method() + " " + row.path() + " as " + who + ": " + status + ", expected "
                            + row.expect(who));
                }
            }
        }
        assertThat(wrong).as("of " + requests + " requests").isEmpty();
    }

    /**
     * A fill names its decision by id; the id as sent with a tab before it (which parsing trims) must not slip past
     * the check of whose decision it is: trader B cannot fill account A's approval, which A still can.
     */
    @Test
    void aFillOfAnotherAccountsDecisionIsRefusedHoweverItsIdIsWritten() {
        HttpApi traderA = callers.get(Who.TRADER_A);
        // timed at account A's clock, which the matrix's other rows may have moved past seed 001's time
        String clock = traderA.check(Requests.set(Requests.seed001(), "account", a)).at("/accountState/accountClock")
                .asText();
        JsonNode ok = traderA.check(Requests.set(Requests.set(Requests.seed001(), "account", a), "market.timestamp",
                clock));
        assertThat(ok.get("approved").asBoolean()).as(ok.toString()).isTrue();
        String id = ok.get("decisionId").asText();
        for (String written : List.of("\t" + id, " " + id, id + " ")) {
            var stolen = callers.get(Who.TRADER_B).post("/api/v1/trades", Requests.JSON.createObjectNode()
                    .put("decisionId", written).put("fillPrice", 50_000).put("quantity", 0.01));
            assertThat(stolen.status()).as(stolen.raw()).isEqualTo(403);
        }
        var own = traderA.post("/api/v1/trades", Requests.JSON.createObjectNode().put("decisionId", id)
                .put("fillPrice", 50_000).put("quantity", 0.01));
        assertThat(own.status()).as(own.raw()).isEqualTo(201);
    }

    @Test
    void refusalsAreProblemJson() {
        for (Row row : rows()) {
            for (Who who : Who.values()) {
                int expected = row.expect(who);
                if ((expected == 401 || expected == 403) && !row.path().startsWith("/api/v1/events")) {
                    HttpApi.Response r = call(who, row);
                    assertThat(r.contentType()).as(row.path() + " as " + who).startsWith("application/problem+json");
                    assertThat(r.body().path("status").asInt()).as(row.path() + " as " + who).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void everyEndpointHasARowInTheMatrix() {
        Set<String> covered = new TreeSet<>();
        rows().forEach(r -> covered.add(r.method() + " " + r.pattern()));
        Set<String> endpoints = new TreeSet<>();
        context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values().forEach(m ->
                m.getHandlerMethods().keySet().forEach(info -> {
                    Set<String> methods = new TreeSet<>();
                    info.getMethodsCondition().getMethods().forEach(x -> methods.add(x.name()));
                    if (methods.isEmpty()) {
                        methods.add("*");
                    }
                    for (String pattern : info.getPatternValues()) {
                        for (String method : methods) {
                            endpoints.add(method + " " + pattern);
                        }
                    }
                }));
        endpoints.removeAll(NOT_ENDPOINTS);
        endpoints.removeIf(e -> e.startsWith("* /actuator/health") && covered.contains("GET /actuator/health"));
        assertThat(endpoints).as("endpoints without a row in the access matrix: give each its roles in "
                + "SecurityConfiguration, docs/security.md and a row here").isSubsetOf(covered);
    }

    private int send(Who who, Row row) throws Exception {
        if (row.path().startsWith("/api/v1/events")) {
            return openStream(who, row.path());
        }
        return call(who, row).status();
    }

    private HttpApi.Response call(Who who, Row row) {
        HttpApi api = callers.get(who);
        return switch (row.method()) {
            case "GET" -> api.get(row.path());
            case "DELETE" -> api.delete(row.path());
            case "PUT" -> api.put(row.path(), row.body() == null ? "" : Requests.JSON.valueToTree(row.body()));
            default -> api.post(row.path(), row.body() == null ? "" : Requests.JSON.valueToTree(row.body()));
        };
    }

    /** The event stream never ends by itself: the status comes with its headers, then the stream is dropped. */
    private int openStream(Who who, String path) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET();
        String key = callers.get(who).key();
        if (key != null) {
            req.header("Authorization", "Bearer " + key);
        }
        HttpResponse<InputStream> r = HttpClient.newHttpClient().sendAsync(req.build(),
                HttpResponse.BodyHandlers.ofInputStream()).get(10, TimeUnit.SECONDS);
        r.body().close();
        return r.statusCode();
    }

}
