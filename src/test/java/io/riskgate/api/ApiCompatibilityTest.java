package io.riskgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The API's published document is versioned with it (issue 16): {@code docs/openapi/v1.json} is /api/v1 as clients
 * generate from it. The live document must equal it, so any change to the API is made to that file too (the test
 * writes the live one to {@code target/openapi-v1.json} to copy); and a change a client built on the file could
 * break on — an operation or a field removed, a request field newly required, an allowed value removed — must also
 * be recorded in {@code docs/api-changes.md}, naming it as this test does.
 */
@RiskgateServerTest
class ApiCompatibilityTest {

    static final Path PUBLISHED = Path.of("docs/openapi/v1.json");
    static final Path CHANGES = Path.of("docs/api-changes.md");
    static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.riskgate.security.ApiKeys keys;

    @Test
    void theLiveDocumentIsThePublishedOneAndEveryIncompatibleChangeIsRecorded() throws IOException {
        ObjectNode live = PublishedDocument.fetch(port, keys);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/openapi-v1.json"), live.toPrettyString() + "\n");
        JsonNode published = JSON.readTree(PUBLISHED.toFile());

        List<String> incompatible = incompatibleChanges(published, live);
        String recorded = Files.readString(CHANGES);
        assertThat(incompatible.stream().filter(c -> !recorded.contains(c)).toList())
                .as("incompatible changes to /api/v1 not recorded in " + CHANGES).isEmpty();
        assertThat(live).as("the live document differs from " + PUBLISHED + ": copy target/openapi-v1.json there "
                + "(and record the change in " + CHANGES + ")").isEqualTo(published);
    }

    @Test
    void incompatibleChangesAreFound() throws IOException {
        JsonNode before = JSON.readTree("""
                {"paths": {"/api/v1/x": {"get": {}, "post": {}}},
                 "components": {"schemas": {"Fill": {"properties": {"a": {}, "b": {"enum": ["X", "Y"]}},
                                                     "required": ["a"]}}}}""");
        JsonNode after = JSON.readTree("""
                {"paths": {"/api/v1/x": {"get": {}}},
                 "components": {"schemas": {"Fill": {"properties": {"b": {"enum": ["X"]}, "c": {}},
                                                     "required": ["c"]}}}}""");
        assertThat(incompatibleChanges(before, after)).containsExactlyInAnyOrder(
                "operation removed: POST /api/v1/x", "field removed: Fill.a", "value removed: Fill.b Y",
                "field now required: Fill.c");
        assertThat(incompatibleChanges(before, before)).isEmpty();
    }

    /** What a client built on {@code before} could break on in {@code after}, each named as docs/api-changes.md does. */
    static List<String> incompatibleChanges(JsonNode before, JsonNode after) {
        List<String> changes = new ArrayList<>();
        for (String op : operations(before)) {
            if (!operations(after).contains(op)) {
                changes.add("operation removed: " + op);
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = before.path("components").path("schemas").fields();
             it.hasNext(); ) {
            Map.Entry<String, JsonNode> schema = it.next();
            JsonNode now = after.path("components").path("schemas").path(schema.getKey());
            if (now.isMissingNode()) {
                changes.add("schema removed: " + schema.getKey());
                continue;
            }
            schema.getValue().path("properties").fields().forEachRemaining(p -> {
                JsonNode field = now.path("properties").path(p.getKey());
                if (field.isMissingNode()) {
                    changes.add("field removed: " + schema.getKey() + "." + p.getKey());
                    return;
                }
                p.getValue().path("enum").forEach(v -> {
                    if (!field.path("enum").isMissingNode() && !contains(field.path("enum"), v)) {
                        changes.add("value removed: " + schema.getKey() + "." + p.getKey() + " " + v.asText());
                    }
                });
            });
            now.path("required").forEach(r -> {
                if (!contains(schema.getValue().path("required"), r)) {
                    changes.add("field now required: " + schema.getKey() + "." + r.asText());
                }
            });
        }
        return changes;
    }

    private static boolean contains(JsonNode array, JsonNode value) {
        for (JsonNode v : array) {
            if (v.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> operations(JsonNode doc) {
        Set<String> ops = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m ->
                ops.add(m.toUpperCase(java.util.Locale.ROOT) + " " + p.getKey())));
        return ops;
    }
}
