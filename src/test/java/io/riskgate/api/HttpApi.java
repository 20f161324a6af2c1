package io.riskgate.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.riskgate.testing.Requests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real HTTP against a riskgate server started by a {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} test:
 * requests go through Tomcat, Jackson and the problem+json advice exactly as a client's would.
 */
final class HttpApi {

    /**
     * A response: status, content type, the body parsed as JSON (a missing node when the body is empty or not JSON)
     * every header, and Retry-After.
     */
    record Response(int status, String contentType, JsonNode body, String raw, HttpHeaders headers) {

        /** The {@code field} of every entry of a problem's {@code errors} list. */
        List<String> errorFields() {
            List<String> out = new ArrayList<>();
            body.path("errors").forEach(e -> out.add(e.path("field").asText()));
            return out;
        }

        /** The Retry-After header, or null. */
        String retryAfter() {
            return headers.firstValue("Retry-After").orElse(null);
        }
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String key;

    /** Requests carrying {@code key} ({@code Authorization: Bearer}); a null key sends none (anonymous). */
    HttpApi(int port, String key) {
        this("http://localhost:" + port, key);
    }

    private HttpApi(String base, String key) {
        this.base = base;
        this.key = key;
    }

    /** The credential this client sends, or null. */
    String key() {
        return key;
    }

    /** The same server with another credential (null: anonymous). */
    HttpApi as(String otherKey) {
        return new HttpApi(base, otherKey);
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Response delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
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

    /** Any method, with the given headers and body (empty: none): for requests the helpers above cannot send. */
    Response exchange(String method, String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).method(method, body.length == 0
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return send(b);
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
        try {
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> r;
            try {
                r = CLIENT.send(built, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (!String.valueOf(e.getMessage()).contains("header parser received no bytes")) {
                    throw e;
                }
                // the client reused a kept-alive connection the server had just closed (after refusing a hostile
                // request unread): nothing reached the server, so the request is sent once more on a new connection
                r = CLIENT.send(built, HttpResponse.BodyHandlers.ofString());
            }
            String raw = r.body();
            String type = r.headers().firstValue("Content-Type").orElse("");
            JsonNode body = raw == null || raw.isBlank() || !type.contains("json") ? MissingNode.getInstance()
                    : Requests.JSON.readTree(raw);
            return new Response(r.statusCode(), type, body, raw, r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
