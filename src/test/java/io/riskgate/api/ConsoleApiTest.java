package io.riskgate.api;

import static io.riskgate.testing.Requests.JSON;
import static io.riskgate.testing.Requests.seed001;
import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.security.Role;
import io.riskgate.testing.TestKeys;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The reads and the validation the console's account and policies pages are built on (issue 18):
 * {@code GET /api/v1/accounts/{id}/equity} (the equity and drawdown charts), {@code GET /api/v1/accounts/{id}/trades}
 * (trades with R-multiples) and {@code POST /api/v1/policies/validate} (a candidate's problems at their lines, or its
 * scenario tests), each with what it refuses.
 */
@RiskgateServerTest
class ConsoleApiTest {

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.riskgate.security.ApiKeys keys;

    private static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonNode ok(HttpApi.Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    @Test
    void theEquityHistoryCarriesThePeakAndTheDrawdownAtEachSnapshot() {
        String account = fresh("chart");
        HttpApi feed = new HttpApi(port, TestKeys.key(keys, Set.of(Role.FEED), Set.of(account)));
        Instant t = TestRuntime.T0.minusSeconds(3 * 3600);
        // seed 001's 10,000, then +5% to 10,500, then down to 9,975: 525 below the 10,500 peak = 5.00% drawdown
        double[] equity = {10_000, 10_500, 9_975};
        for (int i = 0; i < equity.length; i++) {
            ok(feed.put("/api/v1/accounts/" + account + "/equity", JSON.createObjectNode().put("equity", equity[i])
                    .put("timestamp", t.plusSeconds(600L * i).toString())));
        }
        HttpApi officer = new HttpApi(port, TestKeys.named(keys, "console-api-officer"));

        JsonNode points = ok(officer.get("/api/v1/accounts/" + account + "/equity"));

        assertThat(points).hasSize(3);
        assertThat(points.get(0).path("at").asText()).isEqualTo(t.toString());
        assertThat(points.get(0).path("drawdown").asDouble()).isZero();
        assertThat(points.get(1).path("peak").asDouble()).isEqualTo(10_500);
        assertThat(points.get(2).path("equity").asDouble()).isEqualTo(9_975);
        assertThat(points.get(2).path("peak").asDouble()).isEqualTo(10_500);
        assertThat(points.get(2).path("drawdown").asDouble()).isCloseTo(0.05, within(1e-12));
        // the latest two only: the peak still counts the snapshot before them (10,500 is the second, kept; the
        // first, 10,000, is older and lower, so the window's first point starts from its own 10,500)
        JsonNode last = ok(officer.get("/api/v1/accounts/" + account + "/equity?limit=1"));
        assertThat(last).hasSize(1);
        assertThat(last.get(0).path("peak").asDouble()).as("the peak before the window").isEqualTo(10_500);
        assertThat(last.get(0).path("drawdown").asDouble()).isCloseTo(0.05, within(1e-12));
        // a limit out of range is refused, naming it
        HttpApi.Response refused = officer.get("/api/v1/accounts/" + account + "/equity?limit=0");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.raw()).contains("limit");
    }

    @Test
    void anAccountsTradesCarryTheirRMultiplesAndFilterByState() {
        String account = fresh("trades");
        HttpApi trader = new HttpApi(port, TestKeys.key(keys, Set.of(Role.TRADER), Set.of(account)));
        // seed 001: long 0.01 BTC at 50,000, stop 47,750 (2,250 below: 22.50 at risk), filled twice over two orders
        String first = trader.check(set(seed001(), "account", account)).path("decisionId").asText();
        String second = trader.check(set(seed001(), "account", account)).path("decisionId").asText();
        JsonNode closed = trader.post("/api/v1/trades", JSON.createObjectNode().put("decisionId", first)
                .put("fillPrice", 50_000).put("quantity", 0.01)).body();
        trader.post("/api/v1/trades", JSON.createObjectNode().put("decisionId", second).put("fillPrice", 50_000)
                .put("quantity", 0.01));
        // closed at 54,500: 0.01 x 4,500 = 45 made on 22.50 risked = +2R
        ok(trader.post("/api/v1/trades/" + closed.path("id").asText() + "/close",
                JSON.createObjectNode().put("price", 54_500)));

        JsonNode all = ok(trader.get("/api/v1/accounts/" + account + "/trades"));
        JsonNode done = ok(trader.get("/api/v1/accounts/" + account + "/trades?state=CLOSED"));
        JsonNode open = ok(trader.get("/api/v1/accounts/" + account + "/trades?state=open"));

        assertThat(all).hasSize(2);
        assertThat(done).hasSize(1);
        assertThat(done.get(0).path("id").asText()).isEqualTo(closed.path("id").asText());
        assertThat(done.get(0).path("rMultiple").asDouble()).isCloseTo(2.0, within(1e-9));
        assertThat(done.get(0).has("mfe")).isTrue();
        assertThat(done.get(0).has("history")).as("histories are the trade's own page").isFalse();
        assertThat(open).hasSize(1);
        assertThat(open.get(0).has("rMultiple")).as("no close yet").isFalse();
        // an unknown state is refused, naming the field; another account's trades are not this trader's
        assertThat(trader.get("/api/v1/accounts/" + account + "/trades?state=HALF").raw()).contains("state");
        assertThat(trader.get("/api/v1/accounts/" + fresh("other") + "/trades").status()).isEqualTo(403);
    }

    @Test
    void decisionsAreSearchedBySymbol() {
        String account = fresh("symbols");
        HttpApi trader = new HttpApi(port, TestKeys.key(keys, Set.of(Role.TRADER), Set.of(account)));
        String btc = trader.check(set(seed001(), "account", account)).path("decisionId").asText();
        String eth = trader.check(set(set(seed001(), "account", account), "symbol", "ETHUSDT")).path("decisionId")
                .asText();

        JsonNode found = ok(trader.get("/api/v1/decisions?account=" + account + "&symbol=ETHUSDT"));

        assertThat(found.path("total").asLong()).isEqualTo(1);
        assertThat(found.path("items").get(0).path("decisionId").asText()).isEqualTo(eth);
        assertThat(ok(trader.get("/api/v1/decisions?account=" + account + "&symbol=BTCUSDT")).path("items").get(0)
                .path("decisionId").asText()).isEqualTo(btc);
        assertThat(ok(trader.get("/api/v1/decisions?account=" + account)).path("total").asLong()).isEqualTo(2);
    }

    @Test
    void theConsolesFilesCarryAContentSecurityPolicyAndTheApiNamesTheCaller() {
        HttpApi anonymous = new HttpApi(port, null);
        for (String file : new String[] {"/console/index.html", "/console/console.js", "/console/console.css"}) {
            HttpApi.Response r = anonymous.get(file);
            assertThat(r.status()).as(file).isEqualTo(200);
            // scripts from the jar only, calls to this origin only, no form sent anywhere, not framed elsewhere
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(file).hasValueSatisfying(csp ->
                    assertThat(csp).contains("script-src 'self'", "connect-src 'self'", "form-action 'none'",
                            "frame-ancestors 'none'"));
        }
        // nothing is fetched from the internet: the only absolute URL in the files is SVG's namespace, a name
        for (String file : new String[] {"/console/index.html", "/console/console.js", "/console/console.css"}) {
            String text = anonymous.get(file).raw();
            assertThat(java.util.regex.Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}[^\\s'\")]*")
                    .matcher(text).results().map(java.util.regex.MatchResult::group).distinct().toList())
                    .as(file).allSatisfy(url -> assertThat(url).isEqualTo("http://www.w3.org/2000/svg"));
        }
        String trader = TestKeys.key(keys, Set.of(Role.TRADER), Set.of("me-account"));
        JsonNode me = ok(new HttpApi(port, trader).get("/api/v1/me"));
        assertThat(me.path("roles")).extracting(JsonNode::asText).containsExactly("TRADER");
        assertThat(me.path("accounts")).extracting(JsonNode::asText).containsExactly("me-account");
        assertThat(me.path("credential").asText()).startsWith("key:");
        // the key's secret is never part of the answer
        // (rg_<id>_<secret>: the secret is all after the second underscore, and may hold underscores itself)
        assertThat(me.toString()).doesNotContain(trader.split("_", 3)[2]);
        assertThat(anonymous.get("/api/v1/me").status()).isEqualTo(401);
    }

    /**
     * A trader holding another account's decision or trade id is refused (403) without learning whose it is: the
     * refusal does not name the account.
     */
    @Test
    void aRefusalOfAnotherAccountsRecordDoesNotNameTheAccount() {
        String theirs = fresh("secret-desk");
        HttpApi owner = new HttpApi(port, TestKeys.key(keys, Set.of(Role.TRADER), Set.of(theirs)));
        String decision = owner.check(set(seed001(), "account", theirs)).path("decisionId").asText();
        String trade = owner.post("/api/v1/trades", JSON.createObjectNode().put("decisionId", decision)
                .put("fillPrice", 50_000).put("quantity", 0.01)).body().path("id").asText();
        HttpApi stranger = new HttpApi(port, TestKeys.key(keys, Set.of(Role.TRADER), Set.of(fresh("mine"))));

        for (HttpApi.Response r : java.util.List.of(stranger.get("/api/v1/decisions/" + decision),
                stranger.get("/api/v1/trades/" + trade),
                stranger.post("/api/v1/trades/" + trade + "/close", JSON.createObjectNode().put("price", 50_100)),
                stranger.post("/api/v1/decisions/" + decision + "/cancel", JSON.createObjectNode()),
                stranger.post("/api/v1/trades", JSON.createObjectNode().put("decisionId", decision)
                        .put("fillPrice", 50_000).put("quantity", 0.01)))) {
            assertThat(r.status()).as(r.raw()).isEqualTo(403);
            assertThat(r.raw()).contains("may not").doesNotContain(theirs);
        }
    }

    private static String shippedYaml() throws IOException {
        return Files.readString(Path.of("policies/default.yaml"));
    }

    @Test
    void aCandidateIsValidatedAndTestedWithoutBeingPutInForce() throws IOException {
        HttpApi officer = new HttpApi(port, TestKeys.named(keys, "console-api-officer"));
        String active = ok(officer.get("/api/v1/policies/active")).path("sha256").asText();

        // the shipped policy as a candidate: every shipped scenario passes
        JsonNode same = ok(officer.post("/api/v1/policies/validate", JSON.createObjectNode()
                .put("yaml", shippedYaml().replace("version: \"1\"", "version: \"same\""))));
        assertThat(same.path("candidate").path("version").asText()).isEqualTo("same");
        assertThat(same.path("rules").asInt()).isPositive();
        assertThat(same.path("scenarios").path("tests").asText()).isEqualTo("the live scenario tests");
        assertThat(same.path("scenarios").path("failed").asInt()).as(same.toString()).isZero();
        int passed = same.path("scenarios").path("passed").asInt();
        assertThat(passed).isGreaterThan(100);

        // min_confidence 0.75: gates.yaml's "A confidence of exactly 0.70 meets the minimum" is now refused
        JsonNode raised = ok(officer.post("/api/v1/policies/validate", JSON.createObjectNode().put("yaml",
                shippedYaml().replace("min_confidence: 0.70", "min_confidence: 0.75"))));
        JsonNode failures = raised.path("scenarios").path("failures");
        assertThat(failures.findValuesAsText("scenario")).contains("A confidence of exactly 0.70 meets the minimum");
        assertThat(raised.path("scenarios").path("passed").asInt() + raised.path("scenarios").path("failed").asInt())
                .isEqualTo(passed);

        // a typo'd key: refused (422) with the key path and its line, nothing compiled into force
        String typo = shippedYaml().replace("  min_confidence: 0.70", "  min_confidense: 0.70");
        HttpApi.Response refused = officer.post("/api/v1/policies/validate", JSON.createObjectNode().put("yaml", typo));
        assertThat(refused.status()).as(refused.raw()).isEqualTo(422);
        // two problems: the unknown key at its line, and the required min_confidence now missing
        JsonNode problem = refused.body().path("problems").findParents("path").stream()
                .filter(p -> p.path("path").asText().contains("min_confidense")).findFirst().orElseThrow();
        assertThat(problem.path("line").asInt()).isEqualTo(lineOf(typo, "min_confidense"));
        assertThat(ok(officer.get("/api/v1/policies/active")).path("sha256").asText()).isEqualTo(active);

        // rule files are never taken from a request, and a body must say what it is
        HttpApi.Response withRules = officer.post("/api/v1/policies/validate", JSON.createObjectNode()
                .put("yaml", shippedYaml()).put("rules", "rule \"x\" when then end"));
        assertThat(withRules.status()).isEqualTo(400);
        assertThat(withRules.raw()).contains("rule files are code");
        assertThat(officer.post("/api/v1/policies/validate", JSON.createObjectNode()).raw()).contains("directory");
    }

    private static int lineOf(String text, String needle) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError(needle + " not in the text");
    }
}
