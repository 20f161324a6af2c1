package io.riskgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.security.ApiKeys;
import io.riskgate.security.Role;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestKeys;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A fuzz test of every POST and PUT endpoint with hostile requests, authenticated and not: malformed and deeply
 * nested JSON, wrong types, absurd numbers, huge strings, injection strings, hostile path ids, wrong content types.
 * None may get a 5xx, every error must be problem+json, and the server must still decide seed 001 correctly after.
 * The random source is seeded, so a failure names the seed and the request and can be replayed.
 */
@RiskgateServerTest
class HostileRequestsFuzzTest {

    private static final long SEED = 20261203L;
    private static final int REQUESTS = 3_200;

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys keys;

    /** Strings an attacker tries in any text field or path segment. */
    private static final List<String> HOSTILE_TEXT = List.of("", " ", "../../etc/passwd", "/etc/passwd",
            "'; DROP TABLE decision; --", "\" OR 1=1 --", "${jndi:ldap://127.0.0.1/x}", "#{7*7}", "{{7*7}}",
            "java.lang.Runtime.getRuntime().exec(\"touch x\")", "\u0000", "a\r\nX-Injected: 1", "\u202e\u2066",
            "%00", "%2e%2e%2f", "<script>alert(1)</script>", "x".repeat(70), "y".repeat(5_000), "😀".repeat(40),
            "\\u0041", "null", "NaN", "Infinity", "-1", "1e308", "default", "*", "BTCUSDT");

    /** Values of any JSON type an attacker puts where a field belongs. */
    private static final List<String> HOSTILE_VALUES = List.of("null", "true", "0", "-0", "-1", "1e308", "-1e308",
            "1e-320", "123456789012345678901234567890", "0.1e999999", "[]", "{}", "[[[]]]", "\"\"", "\"x\"",
            "{\"$ref\": \"x\"}", "[1, \"a\", null]", "\"2026-13-45T99:99:99Z\"", "\"9999-12-31T23:59:59Z\"",
            "\"-999999999-01-01T00:00:00Z\"");

    /** Bodies that are not the JSON any endpoint reads. */
    private static final List<String> BROKEN_BODIES = List.of("", "{", "}", "[", "{\"a\":", "{\"a\" 1}",
            "{'a': 1}", "{\"a\": 1,}", "{\"a\": 01}", "{\"a\": NaN}", "{\"a\": .5}", "nul", "\"just a string\"",
            "123", "[1,2,3]", "{\"a\":1}{\"b\":2}", "{\"side\":\"LONG\",\"side\":\"SHORT\"}", "\uFEFF{}",
            "[".repeat(50_000), "{\"a\":".repeat(20_000), "{\"k\": \"" + "z".repeat(300_000) + "\"}",
            "<?xml version=\"1.0\"?><a/>", "a=1&b=2", "\u0000\u0001\u0002");

    @Test
    void noHostileRequestGetsA5xxAndEveryErrorIsProblemJson() throws Exception {
        Random random = new Random(SEED);
        Map<String, HttpApi> callers = new LinkedHashMap<>();
        callers.put("anonymous", new HttpApi(port, null));
        callers.put("garbage-bearer", new HttpApi(port, "rg_" + "x".repeat(10) + "_" + "y".repeat(43)));
        for (int i = 0; i < 4; i++) {
            callers.put("everything-" + i, new HttpApi(port, TestKeys.key(keys, EnumSet.allOf(Role.class),
                    Set.of("*"))));
        }
        callers.put("trader", new HttpApi(port, TestKeys.key(keys, Set.of(Role.TRADER), Set.of("fuzz-a"))));
        callers.put("feed", new HttpApi(port, TestKeys.key(keys, Set.of(Role.FEED), Set.of("*"))));
        List<String> names = new ArrayList<>(callers.keySet());

        // real ids for the paths that name a decision or a trade, so some requests reach deep into the services
        HttpApi all = callers.get("everything-0");
        JsonNode approved = all.check(Requests.set(Requests.seed001(), "account", "fuzz-a"));
        String decisionId = approved.get("decisionId").asText();
        String tradeId = all.post("/api/v1/trades", Requests.JSON.createObjectNode().put("decisionId", decisionId)
                .put("fillPrice", 50_000).put("quantity", 0.01)).body().path("id").asText();

        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int n = 0; n < REQUESTS; n++) {
            String who = names.get(random.nextInt(names.size()));
            Target t = target(random, decisionId, tradeId);
            String body = body(random, t);
            Map<String, String> headers = new LinkedHashMap<>();
            int ct = random.nextInt(10);
            if (ct < 7) {
                headers.put("Content-Type", "application/json");
            } else if (ct == 7) {
                headers.put("Content-Type", "text/plain");
            } else if (ct == 8) {
                headers.put("Content-Type", "application/xml");
            } // else: no content type at all
            HttpApi.Response r = callers.get(who).exchange(t.method(), t.path(), headers,
                    body.getBytes(StandardCharsets.UTF_8));
            statuses.merge(r.status(), 1, Integer::sum);
            String what = "#" + n + " " + who + " " + t.method() + " " + cut(t.path()) + " body " + cut(body);
            if (r.status() >= 500) {
                failures.add(what + " -> " + r.status() + " " + cut(r.raw()));
            } else if (r.status() >= 400 && !r.contentType().startsWith("application/problem+json")) {
                failures.add(what + " -> " + r.status() + " as " + r.contentType());
            } else if (r.raw() != null && r.raw().length() > 20_000 && r.status() >= 400) {
                failures.add(what + " -> an error of " + r.raw().length() + " characters");
            }
        }

        assertThat(failures).as("seed " + SEED + ", statuses " + statuses).isEmpty();
        assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(REQUESTS);
        // the attack reached past authentication (400s), was refused by it (401, 403), and did not only fail
        assertThat(statuses).containsKeys(400, 401, 403);
        // healthy after: the probes answer, and seed 001 is still approved for 0.01 BTC at stop 47,750
        assertThat(all.get("/actuator/health/readiness").status()).isEqualTo(200);
        JsonNode d = all.check(Requests.set(Requests.seed001(), "account", "fuzz-after"));
        assertThat(d.get("approved").asBoolean()).isTrue();
        assertThat(d.get("quantity").asDouble()).isEqualTo(0.01);
        assertThat(d.get("stopLoss").asDouble()).isEqualTo(47_750.0);
    }

    /** A POST/PUT endpoint, with its path ids real, hostile or random. */
    private record Target(String method, String path, String kind) {
    }

    private static Target target(Random random, String decisionId, String tradeId) {
        String account = random.nextInt(3) == 0 ? segment(random) : "fuzz-a";
        String decision = random.nextInt(3) == 0 ? segment(random) : decisionId;
        String trade = random.nextInt(3) == 0 ? segment(random) : tradeId;
        String iid = random.nextBoolean() ? segment(random) : "00000000-0000-0000-0000-000000000000";
        List<Target> all = List.of(
                new Target("POST", "/api/v1/checks", "check"),
                new Target("POST", "/api/v1/trades", "fill"),
                new Target("POST", "/api/v1/trades/" + trade + "/close", "close"),
                new Target("POST", "/api/v1/decisions/" + decision + "/cancel", "none"),
                new Target("POST", "/api/v1/accounts/" + account + "/instructions/" + iid + "/ack", "ack"),
                new Target("POST", "/api/v1/marks", "mark"),
                new Target("POST", "/api/v1/market/bars", "bars"),
                new Target("PUT", "/api/v1/accounts/" + account + "/equity", "equity"),
                new Target("POST", "/api/v1/accounts/" + account + "/breaker", "breaker"),
                new Target("PUT", "/api/v1/accounts/" + account + "/policy", "assign"),
                new Target("POST", "/api/v1/policies/reload", "reload"),
                new Target("POST", "/api/v1/policies/what-if", "whatif"),
                new Target("POST", "/api/v1/policies/validate", "validate"),
                new Target("POST", "/api/v1/keys", "key"));
        return all.get(random.nextInt(all.size()));
    }

    private static String segment(Random random) {
        return URLEncoder.encode(HOSTILE_TEXT.get(random.nextInt(HOSTILE_TEXT.size())), StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    /** A broken body, or a valid-looking one for the endpoint with one field made hostile. */
    private static String body(Random random, Target t) {
        if (random.nextInt(4) == 0) {
            return BROKEN_BODIES.get(random.nextInt(BROKEN_BODIES.size()));
        }
        ObjectNode base = valid(t.kind());
        List<String> fields = new ArrayList<>();
        collect(base, "", fields);
        String json = base.toString();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && !fields.isEmpty(); e++) {
            String field = fields.get(random.nextInt(fields.size()));
            String value = random.nextBoolean() ? HOSTILE_VALUES.get(random.nextInt(HOSTILE_VALUES.size()))
                    : Requests.JSON.getNodeFactory().textNode(HOSTILE_TEXT.get(random.nextInt(HOSTILE_TEXT.size())))
                    .toString();
            json = replaceField(json, field, value);
        }
        if (random.nextInt(8) == 0) {
            // an unknown field, a deep one
            json = json.substring(0, json.length() - 1) + ",\"extra\":" + "[".repeat(200) + "]".repeat(200) + "}";
        }
        return json;
    }

    private static ObjectNode valid(String kind) {
        ObjectNode o = Requests.JSON.createObjectNode();
        switch (kind) {
            case "check" -> {
                return Requests.set(Requests.seed001(), "account", "fuzz-a");
            }
            case "fill" -> o.put("decisionId", "00000000-0000-0000-0000-000000000000").put("fillPrice", 50_000)
                    .put("quantity", 0.01);
            case "close" -> o.put("price", 51_000).put("quantity", 0.005).put("reason", "fuzz");
            case "ack" -> o.put("note", "fuzz");
            case "mark" -> o.put("symbol", "BTCUSDT").put("price", 50_100).put("timestamp", "2026-11-21T10:01:00Z");
            case "bars" -> {
                o.put("symbol", "FUZZUSDT").put("interval", "1d");
                o.putArray("bars").addObject().put("openTime", "2026-11-20T00:00:00Z").put("open", 1).put("high", 2)
                        .put("low", 0.5).put("close", 1.5).put("volume", 10);
            }
            case "equity" -> o.put("equity", 10_000).put("timestamp", "2026-11-21T10:00:00Z");
            case "breaker" -> o.put("action", "TRIP").put("reason", "fuzz");
            case "assign" -> o.put("policyId", "default").put("reason", "fuzz");
            case "reload" -> o.put("reason", "fuzz");
            case "whatif" -> o.put("yaml", "id: default\nversion: fuzz\n").put("last", 5);
            case "validate" -> o.put("yaml", "id: default\nversion: fuzz\n");
            case "key" -> {
                o.put("name", "fuzz-key");
                o.putArray("roles").add("AUDITOR");
                o.put("expiresInDays", 1);
            }
            default -> {
            }
        }
        return o;
    }

    private static void collect(JsonNode node, String at, List<String> out) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            out.add(name);
            JsonNode child = node.get(name);
            if (child.isObject()) {
                collect(child, at + name + ".", out);
            }
        }
    }

    /** The JSON with the first {@code "field":value} given {@code value} instead (textual surgery, any depth). */
    private static String replaceField(String json, String field, String value) {
        String key = "\"" + field + "\":";
        int at = json.indexOf(key);
        if (at < 0) {
            return json;
        }
        int start = at + key.length();
        int depth = 0;
        boolean inString = false;
        int end = start;
        for (; end < json.length(); end++) {
            char c = json.charAt(end);
            if (inString) {
                if (c == '\\') {
                    end++;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                break;
            }
        }
        return json.substring(0, start) + value + json.substring(end);
    }

    private static String cut(String s) {
        return s == null ? "null" : s.length() <= 160 ? s : s.substring(0, 160) + "…(" + s.length() + ")";
    }
}
