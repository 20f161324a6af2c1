package io.riskgate.api;

import static io.riskgate.testing.Requests.JSON;
import static io.riskgate.testing.Requests.seed001;
import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every error answer is RFC 9457 problem+json with the exact status, names the field where there is one, names no
 * Java class, method or stack frame, and quotes no client value past 200 characters: Spring MVC's own failures
 * (404, 405, 406, 415, a missing body, bad parameters, unreadable JSON), request bodies over their endpoint's limit
 * (413, with and without Content-Length), absurd magnitudes, and requests Tomcat refuses before any servlet (sent
 * byte by byte over a socket).
 */
@RiskgateServerTest
class ErrorResponsesTest {

    /** What no answer may contain: Java names, stack traces, HTML. */
    private static final List<String> LEAKS = List.of("java.", "io.riskgate.", "com.fasterxml", "org.springframework",
            "org.apache", "Exception", "\tat ", "[Source", "<html", "ChecksController", "JsonNode");

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.riskgate.security.ApiKeys keys;

    HttpApi api;
    RawHttp raw;

    @BeforeEach
    void connect() {
        String key = io.riskgate.testing.TestKeys.superuser(keys);
        api = new HttpApi(port, key);
        raw = new RawHttp(port, key);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> json() {
        return Map.of("Content-Type", "application/json");
    }

    /** The status, the media type, the problem's own status, no leak, a detail; returns the body. */
    private static JsonNode assertProblem(int status, String contentType, String raw, JsonNode body,
                                          int expectedStatus) {
        assertThat(status).as(raw).isEqualTo(expectedStatus);
        assertThat(contentType).startsWith("application/problem+json");
        assertThat(body.path("status").asInt()).isEqualTo(expectedStatus);
        assertThat(body.path("type").asText()).isEqualTo("https://riskgate.io/problems/" + expectedStatus);
        assertThat(body.path("title").asText()).isNotBlank();
        assertThat(body.path("detail").asText()).isNotBlank();
        assertThat(raw).doesNotContain(LEAKS);
        return body;
    }

    private static JsonNode assertProblem(HttpApi.Response r, int expectedStatus) {
        return assertProblem(r.status(), r.contentType(), r.raw(), r.body(), expectedStatus);
    }

    private static JsonNode assertProblem(RawHttp.Response r, int expectedStatus) {
        return assertProblem(r.status(), r.contentType(), r.raw(), r.body(), expectedStatus);
    }

    // ---- Spring MVC's own failures

    /** Method, path, headers, body; the status; the field the answer must name (null: none). */
    static Stream<Arguments> springFailures() {
        return Stream.of(
                arguments("unknown path under the API", "GET", "/api/v1/nope", Map.of(), "", 404, null),
                arguments("unknown path outside the API", "GET", "/nope.txt", Map.of(), "", 404, null),
                arguments("/error asked for directly", "GET", "/error", Map.of(), "", 404, null),
                arguments("a method the endpoint does not take", "DELETE", "/api/v1/checks", Map.of(), "", 405,
                        null),
                arguments("TRACE, which Tomcat refuses itself", "TRACE", "/api/v1/checks", Map.of(), "", 405,
                        null),
                arguments("an answer the client does not accept", "GET", "/api/v1/policies/active",
                        Map.of("Accept", "text/csv"), "", 406, null),
                arguments("a body that is not JSON", "POST", "/api/v1/checks", Map.of("Content-Type", "text/plain"),
                        "side=LONG", 415, null),
                arguments("a YAML body: the API reads JSON only", "POST", "/api/v1/checks",
                        Map.of("Content-Type", "application/yaml"), "symbol: BTCUSDT", 415, null),
                arguments("an answer asked for in YAML", "GET", "/api/v1/policies/active",
                        Map.of("Accept", "application/yaml"), "", 406, null),
                arguments("no body", "POST", "/api/v1/checks", json(), "", 400, "$"),
                arguments("a missing query parameter", "GET", "/api/v1/market/bars?symbol=BTCUSDT", Map.of(), "",
                        400, "interval"),
                arguments("a query parameter of the wrong type", "GET", "/api/v1/decisions?page=abc", Map.of(), "",
                        400, "page"),
                arguments("an enum query parameter out of its values", "GET", "/api/v1/decisions?outcome=MAYBE",
                        Map.of(), "", 400, "outcome"),
                arguments("a header of the wrong type", "GET", "/api/v1/events?account=x",
                        Map.of("Last-Event-ID", "abc"), "", 400, "Last-Event-ID"),
                arguments("truncated JSON", "POST", "/api/v1/checks", json(), "{\"market\": {\"price\": 5", 400,
                        "market.price"),
                arguments("an object never closed", "POST", "/api/v1/checks", json(), "{\"symbol\": {", 400,
                        "symbol"),
                arguments("a bad token", "POST", "/api/v1/marks", json(), "{\"price\": tru}", 400, "price"),
                arguments("a repeated key", "POST", "/api/v1/checks", json(), "{\"side\": \"LONG\", \"side\": "
                        + "\"SHORT\"}", 400, "side"),
                arguments("a number of 2,000 digits", "POST", "/api/v1/checks", json(), "{\"equity\": "
                        + "9".repeat(2_000) + "}", 400, "$"),
                arguments("a control character in a string", "POST", "/api/v1/checks", json(),
                        "{\"symbol\": \"BTC\u0001\"}", 400, "symbol"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("springFailures")
    void springsOwnFailuresAreProblemJsonWithTheExactStatus(String description, String method, String path,
                                                            Map<String, String> headers, String body, int status,
                                                            String field) {
        HttpApi.Response r = api.exchange(method, path, headers, utf8(body));

        JsonNode p = assertProblem(r, status);
        if (field == null) {
            assertThat(p.has("errors")).isFalse();
        } else {
            assertThat(r.errorFields()).containsExactly(field);
            assertThat(p.path("errors").get(0).path("message").asText()).isNotBlank();
        }
    }

    @Test
    void anUnknownPathIsNamedInTheAnswer() {
        JsonNode p = assertProblem(api.get("/api/v1/nope"), 404);

        assertThat(p.path("detail").asText()).contains("GET /api/v1/nope");
        assertThat(p.path("instance").asText()).isEqualTo("/api/v1/nope");
    }

    @Test
    void aWrongMethodIs405WithTheAllowHeader() {
        HttpApi.Response r = api.exchange("PUT", "/api/v1/checks", json(), utf8("{}"));

        JsonNode p = assertProblem(r, 405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
        assertThat(p.path("detail").asText()).isEqualTo("PUT is not allowed on /api/v1/checks (allowed: POST)");
    }

    @Test
    void anEmptyBodyIsNamedWithoutTheControllerMethod() {
        JsonNode p = assertProblem(api.exchange("POST", "/api/v1/checks", json(), new byte[0]), 400);

        assertThat(p.path("errors").get(0).path("message").asText())
                .isEqualTo("the request needs a JSON object as its body");
    }

    @Test
    void malformedJsonIsLocatedByLineAndColumnWithoutTheParsersInternals() {
        JsonNode p = assertProblem(api.exchange("POST", "/api/v1/checks", json(),
                utf8("{\n  \"market\": {\"price\": 5,}\n}")), 400);

        String message = p.path("errors").get(0).path("message").asText();
        assertThat(message).startsWith("is malformed JSON: Unexpected character ('}' (code 125))")
                .endsWith("(line 2, column 25)").doesNotContain("Source", "REDACTED", "`");
    }

    // ---- absurd magnitudes and long values

    @Test
    void aPriceOf1e308IsRefusedNamingTheFieldAndNothingIsAudited() {
        long before = api.decisionTotal();

        HttpApi.Response r = api.post("/api/v1/checks", set(set(seed001(), "account", "err-" + UUID.randomUUID()
                .toString().substring(0, 8)), "market.price", 1e308));

        JsonNode p = assertProblem(r, 400);
        assertThat(r.errorFields()).containsExactly("market.price");
        assertThat(p.path("errors").get(0).path("message").asText())
                .isEqualTo("must be at most 1000000000, was 1.0E308");
        assertThat(api.decisionTotal()).isEqualTo(before);
    }

    @Test
    void anEquityReportOf1e308AndAFillOfAnAbsurdQuantityAreRefused() {
        HttpApi.Response equity = api.put("/api/v1/accounts/err-equity/equity", "{\"equity\": 1e308}");
        HttpApi.Response fill = api.post("/api/v1/trades", "{\"decisionId\": \"" + UUID.randomUUID()
                + "\", \"fillPrice\": 50000, \"quantity\": 1e13}");

        assertProblem(equity, 400);
        assertThat(equity.errorFields()).containsExactly("equity");
        assertProblem(fill, 400);
        assertThat(fill.errorFields()).containsExactly("quantity");
        assertThat(fill.body().path("errors").get(0).path("message").asText())
                .isEqualTo("must be at most 1000000000000, was 1.0E13");
    }

    @Test
    void aThreeMegabyteBadValueIsAnsweredInUnder2KbQuotingOnly200Characters() {
        // bars take up to 4 MiB, so the value reaches the parser
        String symbol = "a".repeat(3_000_000);

        HttpApi.Response r = api.post("/api/v1/market/bars", "{\"symbol\": \"" + symbol + "\", \"interval\": \"1d\", "
                + "\"bars\": [{\"openTime\": \"2026-11-21T00:00:00Z\", \"open\": 1, \"high\": 1, \"low\": 1, "
                + "\"close\": 1, \"volume\": 1}]}");

        assertProblem(r, 400);
        assertThat(r.raw().getBytes(StandardCharsets.UTF_8).length).isLessThan(2_048);
        // the bar has no symbol of its own either: a second, short problem
        assertThat(r.errorFields()).containsExactly("symbol", "bars[0].symbol");
        assertThat(r.body().path("errors").get(0).path("message").asText())
                .endsWith("'" + "a".repeat(200) + "…(3000000 characters)'");
    }

    @Test
    void aLongUnknownIdInThePathIsCutInTheAnswer() {
        HttpApi.Response r = api.get("/api/v1/decisions/" + "d".repeat(5_000));

        JsonNode p = assertProblem(r, 404);
        assertThat(p.path("detail").asText()).isEqualTo("no decision " + "d".repeat(288) + "…(5012 characters)");
        assertThat(p.path("instance").asText()).hasSize(200);
        assertThat(r.raw().length()).isLessThan(1_024);
    }

    @Test
    void aLongUnknownKeyIsCutInTheAnswer() {
        HttpApi.Response r = api.post("/api/v1/marks", "{\"" + "k".repeat(5_000) + "\": 1}");

        assertProblem(r, 400);
        assertThat(r.raw().length()).isLessThan(2_048);
        assertThat(r.errorFields()).contains("k".repeat(200) + "…(5000 characters)");
    }

    // ---- request size limits

    @Test
    void aCheckOverItsLimitWithContentLengthIs413NamingTheLimit() {
        long before = api.decisionTotal();
        String padded = set(seed001(), "account", "err-413").toString().replaceFirst("\\{", "{" + " ".repeat(17_000));

        HttpApi.Response r = api.exchange("POST", "/api/v1/checks", json(), utf8(padded));

        JsonNode p = assertProblem(r, 413);
        assertThat(p.path("maxBytes").asLong()).isEqualTo(16_384);
        assertThat(p.path("detail").asText())
                .isEqualTo("The request body is larger than 16384 bytes (16 KiB), the limit of POST /api/v1/checks.");
        assertThat(api.decisionTotal()).isEqualTo(before);
    }

    @Test
    void aCheckUpToItsLimitIsRead() {
        String padded = set(seed001(), "account", "err-limit").toString();
        padded = padded.replaceFirst("\\{", "{" + " ".repeat(16_384 - utf8(padded).length));

        assertThat(utf8(padded)).hasSize(16_384);
        assertThat(api.exchange("POST", "/api/v1/checks", json(), utf8(padded)).status()).isEqualTo(200);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFiveMegabyteCheckIs413InUnder2KbWithContentLength() {
        byte[] body = utf8("{\"symbol\": \"" + "a".repeat(5_000_000) + "\"}");

        RawHttp.Response r = raw.send("POST /api/v1/checks HTTP/1.1", List.of("Content-Type: application/json",
                "Content-Length: " + body.length), body);

        assertProblem(r, 413);
        assertThat(r.raw().length()).isLessThan(2_048);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFiveMegabyteChunkedCheckWithoutContentLengthIs413() {
        long before = api.decisionTotal();
        List<byte[]> chunks = new ArrayList<>();
        chunks.add(RawHttp.chunk(utf8("{\"symbol\": \"")));
        byte[] a = new byte[64 * 1024];
        Arrays.fill(a, (byte) 'a');
        for (int i = 0; i < 80; i++) {
            chunks.add(RawHttp.chunk(a));
        }
        chunks.add(RawHttp.chunk(utf8("\"}")));
        chunks.add(RawHttp.lastChunk());

        RawHttp.Response r = raw.send("POST /api/v1/checks HTTP/1.1", List.of("Content-Type: application/json",
                "Transfer-Encoding: chunked"), chunks);

        JsonNode p = assertProblem(r, 413);
        assertThat(p.path("maxBytes").asLong()).isEqualTo(16_384);
        assertThat(r.raw().length()).isLessThan(2_048);
        assertThat(api.decisionTotal()).isEqualTo(before);
    }

    @Test
    void aMarkOverTheSmallLimitIs413AndABarBatchOfTheSameSizeIsRead() {
        String padding = " ".repeat(10_000);

        HttpApi.Response mark = api.post("/api/v1/marks", "{" + padding + "}");
        HttpApi.Response bars = api.post("/api/v1/market/bars", "{" + padding + "}");

        JsonNode p = assertProblem(mark, 413);
        assertThat(p.path("maxBytes").asLong()).isEqualTo(8_192);
        assertThat(p.path("detail").asText()).contains("the limit of this request");
        // read, and refused for what it holds (no bars), not for its size
        assertProblem(bars, 400);
        assertThat(bars.errorFields()).containsExactly("bars");
    }

    // ---- requests Tomcat refuses itself

    static Stream<Arguments> malformedRequestHeads() {
        return Stream.of(
                arguments("an invalid %-escape in the path", "GET /api/v1/checks/%ZZ HTTP/1.1", List.of()),
                arguments("a control character in a header", "GET /api/v1/policies/active HTTP/1.1",
                        List.of("X-Note: a\u0001b")),
                arguments("a space in the path", "GET /api/v1/a b HTTP/1.1", List.of()),
                arguments("a character not allowed in a URL", "GET /api/v1/{x} HTTP/1.1", List.of()),
                arguments("a header section over the limit", "GET /api/v1/policies/active HTTP/1.1",
                        List.of("X-Big: " + "a".repeat(20_000))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRequestHeads")
    void aRequestTomcatRefusesIs400ProblemJsonQuotingNothing(String description, String requestLine,
                                                             List<String> headers) {
        RawHttp.Response r = raw.send(requestLine, headers, new byte[0]);

        JsonNode p = assertProblem(r, 400);
        assertThat(p.path("detail").asText()).startsWith("The request could not be read");
        assertThat(r.raw()).doesNotContain("%ZZ", "X-Note", "aaaa");
        assertThat(r.raw().length()).isLessThan(1_024);
    }

    @Test
    void theProblemJsonOfTomcatAndOfTheApiHaveTheSameFields() throws Exception {
        JsonNode tomcat = raw.send("GET /api/v1/checks/%ZZ HTTP/1.1", List.of(), new byte[0]).body();
        JsonNode api404 = api.get("/api/v1/nope").body();

        List<String> fields = new ArrayList<>();
        tomcat.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("type", "title", "status", "detail");
        List<String> apiFields = new ArrayList<>();
        api404.fieldNames().forEachRemaining(apiFields::add);
        assertThat(apiFields).containsExactlyInAnyOrder("type", "title", "status", "detail", "instance");
        assertThat(JSON.writeValueAsString(tomcat)).isNotEmpty();
    }

    /**
     * A slow-body attack: a body of 10,000 bytes (under the 16 KiB limit) is declared and one byte sent. The 401 comes at once and the
     * server closes the connection instead of waiting for the rest (which kept a worker thread per connection:
     * 200 such anonymous connections stopped the service). Without the fix the read below times out.
     */
    @Test
    void anErrorClosesTheConnectionInsteadOfWaitingForTheRestOfTheBody() throws Exception {
        try (java.net.Socket s = new java.net.Socket("localhost", port)) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(utf8("POST /api/v1/checks HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 10000\r\n\r\n{"));
            s.getOutputStream().flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 401");
        }
    }
}
