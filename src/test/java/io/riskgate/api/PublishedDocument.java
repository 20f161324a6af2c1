package io.riskgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.security.ApiKeys;
import io.riskgate.testing.TestKeys;

/** The OpenAPI document a test server publishes, as integrators see it: without the test context's own controllers. */
final class PublishedDocument {

    /** The paths only the tests' context maps (RiskgateServerTest.Unruled): not the product's API. */
    static final String TEST_ONLY = "/api/v1/test-only/";

    private PublishedDocument() {
    }

    static ObjectNode fetch(int port, ApiKeys keys) {
        HttpApi.Response r = new HttpApi(port, TestKeys.superuser(keys)).get("/v3/api-docs");
        assertThat(r.status()).isEqualTo(200);
        ObjectNode doc = (ObjectNode) r.body();
        ObjectNode paths = (ObjectNode) doc.path("paths");
        java.util.List<String> testOnly = new java.util.ArrayList<>();
        paths.fieldNames().forEachRemaining(p -> {
            if (p.startsWith(TEST_ONLY)) {
                testOnly.add(p);
            }
        });
        paths.remove(testOnly);
        return doc;
    }
}
