package io.riskgate.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.riskgate.testing.Requests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Real HTTP against a riskgate server started by a {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} test:
 * requests go through Tomcat, Jackson and the problem+json advice exactly as a client's would.
 */
final class HttpApi {

    /**
     * A response: status, content type, the body parsed as JSON (a missing node when the body is empty), and the
     * Retry-After header (null without one).
     */
    record Response(int status, String contentType, JsonNode body, String raw, String retryAfter) {

        /** The {@code field} of every entry of a problem's {@code errors} list. */
        List<String> errorFields() {
            List<String> out = new ArrayList<>();
            body.path("errors").forEach(e -> out.add(e.path("field").asText()));
            return out;
        }
    }

    private final HttpClient client;
    private final String base;
    /** The principal every request is made as ({@link io.riskgate.testing.TestPrincipal}), or null. */
    private final String principal;

    HttpApi(int port) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), "http://localhost:" + port, null);
    }

    private HttpApi(HttpClient client, String base, String principal) {
        this.client = client;
        this.base = base;
        this.principal = principal;
    }

    /** The same server, every request made as {@code principal} (a server importing TestPrincipal). */
    HttpApi as(String principal) {
        return new HttpApi(client, base, principal);
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** POSTs {@code body}: a JsonNode is serialised, a String is sent byte for byte (for malformed JSON). */
    Response post(String path, Object body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text(body))));
    }

    Response put(String path, Object body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(text(body))));
    }

    /** {@code POST /api/v1/checks}, expecting the 200 every well-formed request gets. */
    JsonNode check(JsonNode request) {
        Response r = post("/api/v1/checks", request);
        if (r.status() != 200) {
            throw new AssertionError("check answered " + r.status() + ": " + r.raw());
        }
        return r.body();
    }

    /** Total number of audited decisions, all accounts. */
    long decisionTotal() {
        return get("/api/v1/decisions?size=1").body().path("total").asLong(-1);
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private static String text(Object body) {
        if (body instanceof String s) {
            return s;
        }
        try {
            return Requests.JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Response send(HttpRequest.Builder request) {
        if (principal != null) {
            request.header(io.riskgate.testing.TestPrincipal.HEADER, principal);
        }
        try {
            HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String raw = r.body();
            JsonNode body = raw == null || raw.isBlank() ? MissingNode.getInstance() : Requests.JSON.readTree(raw);
            return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), body, raw,
                    r.headers().firstValue("Retry-After").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
