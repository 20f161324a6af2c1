package io.riskgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The published OpenAPI document as an integrator reads it (issue 16): every operation of the API has a summary, a
 * tag by capability, the security schemes it accepts, and its error answers as problem+json. Each assertion lists
 * every operation that fails it, so one run names them all.
 */
@RiskgateServerTest
class OpenApiContractTest {

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.riskgate.security.ApiKeys keys;

    @org.springframework.beans.factory.annotation.Autowired
    @org.springframework.beans.factory.annotation.Qualifier("requestMappingHandlerMapping")
    org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping handlers;

    JsonNode doc;

    @BeforeEach
    void fetch() {
        doc = PublishedDocument.fetch(port, keys);
    }

    /** Every operation under /api/v1, as "METHOD path", with its node. */
    private List<Map.Entry<String, JsonNode>> operations() {
        List<Map.Entry<String, JsonNode>> ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (!path.getKey().startsWith("/api/v1/")) {
                continue;
            }
            path.getValue().fields().forEachRemaining(m -> ops.add(Map.entry(
                    m.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(), m.getValue())));
        }
        return ops;
    }

    private List<String> failing(java.util.function.Predicate<JsonNode> ok) {
        return operations().stream().filter(e -> !ok.test(e.getValue())).map(Map.Entry::getKey).toList();
    }

    @Test
    void theDocumentSaysWhatItDescribesAndWhere() {
        assertThat(doc.path("info").path("title").asText()).isEqualTo("riskgate API");
        assertThat(doc.path("info").path("version").asText()).isEqualTo("v1");
        // relative, never the test server's localhost address
        assertThat(doc.path("servers").findValuesAsText("url")).containsExactly("/");
    }

    @Test
    void theDocumentHasEveryOperationOfTheApi() {
        // 45 operations under /api/v1 (the controllers' mappings); a mapping added without its summary fails below
        assertThat(operations()).hasSizeGreaterThanOrEqualTo(45);
    }

    @Test
    void everyOperationHasASummaryAndACapabilityTag() {
        assertThat(failing(op -> !op.path("summary").asText("").isBlank())).as("operations without a summary")
                .isEmpty();
        List<String> capabilities = new ArrayList<>();
        OpenApiContract.TAGS.values().forEach(t -> capabilities.add(t[0]));
        assertThat(failing(op -> op.path("tags").size() == 1 && capabilities.contains(op.path("tags").get(0).asText())))
                .as("operations without one capability tag").isEmpty();
        // each tag used is described once at the top
        assertThat(doc.path("tags").findValuesAsText("name")).doesNotHaveDuplicates()
                .contains("Checks", "Decisions", "Trades", "Exits", "Accounts", "Policies");
    }

    @Test
    void everyRequestBodyIsANamedSchemaWithItsFields() {
        JsonNode schemas = doc.path("components").path("schemas");
        assertThat(failing(op -> {
            if (!op.has("requestBody")) {
                return true;
            }
            String ref = op.path("requestBody").path("content").path("application/json").path("schema").path("$ref")
                    .asText();
            return ref.startsWith("#/components/schemas/")
                    && schemas.path(ref.substring("#/components/schemas/".length())).path("properties").size() > 0;
        })).as("operations whose body is not a named schema with fields").isEmpty();
        // seed 001's fill, as the README sends it: its fields, their ranges from the parsers' bounds
        JsonNode fill = schemas.path("Fill");
        assertThat(fill.path("required").toString()).contains("decisionId", "fillPrice", "quantity");
        // OpenAPI 3.1: a price is above 0 (Bounds.PRICE), equity may be 0 (Bounds.REPORTED_EQUITY)
        assertThat(doc.path("openapi").asText()).startsWith("3.1");
        assertThat(fill.path("properties").path("fillPrice").path("exclusiveMinimum").isNumber()).as(fill.toString())
                .isTrue();
        assertThat(fill.path("properties").path("fillPrice").path("exclusiveMinimum").asDouble()).isZero();
        assertThat(schemas.path("EquityReport").path("properties").path("equity").path("minimum").isNumber())
                .isTrue();
        assertThat(schemas.path("Mark").path("required").toString()).contains("timestamp");
        // seed 001's examples: the README's fill and mark
        assertThat(fill.path("example").path("fillPrice").asDouble()).isEqualTo(50_000);
        assertThat(schemas.path("Mark").path("example").path("price").asDouble()).isEqualTo(52_250);
        // the patterns are the parsers' own constants: a policy id as the YAML's id and every request spell it
        String policyId = "^(?:" + io.riskgate.policy.PolicyLoader.POLICY_ID + ")$";
        assertThat(schemas.path("AssignPolicy").path("properties").path("policyId").path("pattern").asText())
                .isEqualTo(policyId);
        assertThat(schemas.path("ReplayStart").path("properties").path("policy").path("pattern").asText())
                .isEqualTo(policyId);
        assertThat(schemas.path("BreakerAction").path("properties").path("code").path("pattern").asText())
                .isEqualTo("^(?:" + io.riskgate.policy.PolicyLoader.RULE_CODE + ")$");
    }

    @Test
    void everyOperationAcceptsAnApiKeyOrAnOidcToken() {
        assertThat(doc.path("components").path("securitySchemes").path("apiKey").path("scheme").asText())
                .isEqualTo("bearer");
        assertThat(doc.path("components").path("securitySchemes").path("oidc").path("bearerFormat").asText())
                .isEqualTo("JWT");
        // either scheme on its own: two requirement objects, one each
        assertThat(failing(op -> op.path("security").size() == 2 && op.path("security").get(0).has("apiKey")
                && op.path("security").get(1).has("oidc"))).as("operations without both schemes").isEmpty();
    }

    @Test
    void everyOperationDocumentsItsErrorAnswersAsProblemJson() {
        for (String status : List.of("400", "401", "403", "429")) {
            assertThat(failing(op -> op.path("responses").path(status).path("content")
                    .path("application/problem+json").path("schema").path("$ref").asText()
                    .equals("#/components/schemas/Problem"))).as("operations without a problem+json " + status)
                    .isEmpty();
        }
        // a path with an id can answer 404; a body can be too large or of another type
        assertThat(doc.path("paths").path("/api/v1/decisions/{id}").path("get").path("responses").has("404")).isTrue();
        assertThat(doc.path("paths").path("/api/v1/checks").path("post").path("responses").has("413")).isTrue();
        assertThat(doc.path("paths").path("/api/v1/checks").path("post").path("responses").has("415")).isTrue();
        // the state can forbid a fill (a decision filled twice) and a policy can be refused (422, every problem)
        assertThat(doc.path("paths").path("/api/v1/trades").path("post").path("responses").has("409")).isTrue();
        assertThat(doc.path("paths").path("/api/v1/policies/reload").path("post").path("responses").has("422"))
                .isTrue();
        assertThat(doc.path("paths").path("/api/v1/decisions/{id}").path("get").path("responses").has("409"))
                .isFalse();
        // every operation named as answering 409 or 422 is one the document has
        for (String op : OpenApiContract.CONFLICTS) {
            String[] methodPath = op.split(" ", 2);
            assertThat(doc.path("paths").path(methodPath[1]).path(methodPath[0].toLowerCase(java.util.Locale.ROOT))
                    .path("responses").has("409")).as(op).isTrue();
        }
        JsonNode problem = doc.path("components").path("schemas").path("Problem");
        assertThat(problem.path("properties").path("errors").path("items").path("$ref").asText())
                .isEqualTo("#/components/schemas/FieldError");
        assertThat(problem.path("properties").path("problems").path("items").path("$ref").asText())
                .isEqualTo("#/components/schemas/PolicyProblem");
        assertThat(problem.path("required").toString()).contains("type", "title", "status");
    }

    /**
     * springdoc names a schema by its class's simple name, and two classes of one name shared one schema (the audit
     * verification was documented as the what-if's Report): every class an answer of the API carries, through its
     * fields, lists and optionals, has a schema name no other such class has (SchemaNames).
     */
    @Test
    void everyClassAnAnswerCarriesHasASchemaNameOfItsOwn() {
        Map<String, java.util.Set<Class<?>>> byName = new java.util.TreeMap<>();
        java.util.Set<java.lang.reflect.Type> seen = new java.util.HashSet<>();
        handlers.getHandlerMethods().values().forEach(h -> collect(h.getMethod().getGenericReturnType(), seen,
                byName));
        assertThat(byName).as("classes reached from the answers").hasSizeGreaterThan(30);
        assertThat(byName).as("schema names shared by several classes").allSatisfy((name, classes) ->
                assertThat(classes).as(name).hasSize(1));
        // nor is one the name of a request body's schema (RequestBodies), which would replace it in the document
        java.util.Set<String> bodies = new java.util.HashSet<>();
        RequestBodies.BY_OPERATION.values().forEach(b -> bodies.add(b.name()));
        assertThat(byName.keySet()).as("answer schemas named as request bodies").doesNotContainAnyElementsOf(bodies);
        // and every class an answer carries is in the document under that name
        assertThat(byName.keySet().stream().filter(n -> !doc.path("components").path("schemas").has(n)))
                .as("answer classes missing from the document's schemas").isEmpty();
        // the names the document had wrong: two answers were documented with another class's schema
        assertThat(doc.at("/paths/~1api~1v1~1audit~1verify/get/responses/200/content/application~1json/schema/$ref")
                .asText()).isEqualTo("#/components/schemas/AuditChainReport");
        assertThat(doc.at("/components/schemas/AuditChainReport/properties").has("intact")).isTrue();
        assertThat(doc.at("/components/schemas/PolicyDiffResult/properties").has("fromSha256")).isTrue();
    }

    private static void collect(java.lang.reflect.Type type, java.util.Set<java.lang.reflect.Type> seen,
                                Map<String, java.util.Set<Class<?>>> byName) {
        if (!seen.add(type)) {
            return;
        }
        if (type instanceof java.lang.reflect.ParameterizedType p) {
            for (java.lang.reflect.Type arg : p.getActualTypeArguments()) {
                collect(arg, seen, byName);
            }
            collect(p.getRawType(), seen, byName);
            return;
        }
        if (!(type instanceof Class<?> c) || c.isPrimitive() || c.isEnum()
                || !c.getName().startsWith("io.riskgate.")) {
            if (type instanceof Class<?> array && array.isArray()) {
                collect(array.getComponentType(), seen, byName);
            }
            return;
        }
        byName.computeIfAbsent(SchemaNames.name(c, c.getSimpleName()), n -> new java.util.HashSet<>()).add(c);
        if (c.isRecord()) {
            for (java.lang.reflect.RecordComponent rc : c.getRecordComponents()) {
                collect(rc.getGenericType(), seen, byName);
            }
        }
    }
}
