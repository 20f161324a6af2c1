package io.riskgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskgate.security.ApiKeys;
import io.riskgate.security.Role;
import io.riskgate.testing.HostileConditions;
import io.riskgate.testing.Requests;
import io.riskgate.testing.ServerConfig;
import io.riskgate.testing.TestKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The hostile gate conditions over the two REST paths that compile a policy: an officer's reload of the live
 * files, and what-if with an inline candidate. Each condition would create a marker file if it ran; each is
 * refused (422, the gate named at its YAML line), the marker does not exist, and the policy in force is unchanged.
 * (The same corpus through the loader, {@code policy validate} and {@code policy test}: PolicyGatesCliTest.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostileGatesApiTest {

    static final Path CONFIG = io.riskgate.testing.ServerConfig.copyOfRepoConfig("riskgate-hostile-");

    static final Path POLICY = CONFIG.resolve("policies/default.yaml");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ServerConfig.register(registry, CONFIG, "hostile");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        ServerConfig.delete(CONFIG);
    }

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys keys;

    @TempDir
    Path tmp;

    HttpApi officer;
    String shipped;
    String activeSha;

    @BeforeEach
    void connect() throws IOException {
        officer = new HttpApi(port, TestKeys.key(keys, Set.of(Role.OFFICER), Set.of()));
        shipped = Files.readString(POLICY);
        activeSha = officer.get("/api/v1/policies/active").body().path("sha256").asText();
    }

    @AfterEach
    void restore() throws IOException {
        Files.writeString(POLICY, shipped);
    }

    /** The shipped policy with one gate whose condition is {@code when}; the line of that condition. */
    private String withGate(String when) {
        return shipped + "\ngates:\n  - code: HOSTILE\n    when: '" + when.replace("'", "''")
                + "'\n    message: never compiled\n";
    }

    private int lineOf(String yaml) {
        return yaml.lines().toList().indexOf(yaml.lines().filter(l -> l.startsWith("    when: ")).findFirst()
                .orElseThrow()) + 1;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.riskgate.testing.HostileConditions#markers")
    void aReloadOfAHostileGateRunsNothingAndKeepsThePolicyInForce(String template) throws IOException {
        Path marker = tmp.resolve("marker");
        String yaml = withGate(template.replace("MARKER", marker.toAbsolutePath().toString()));
        Files.writeString(POLICY, yaml);

        HttpApi.Response r = officer.post("/api/v1/policies/reload",
                Requests.JSON.createObjectNode().put("reason", "attack test"));

        assertThat(marker).doesNotExist();
        assertThat(r.status()).as(r.raw()).isEqualTo(422);
        assertThat(r.body().path("problems").get(0).path("line").asInt()).isEqualTo(lineOf(yaml));
        assertThat(r.body().path("problems").get(0).path("path").asText()).isEqualTo("gates[0].when");
        assertThat(officer.get("/api/v1/policies/active").body().path("sha256").asText()).isEqualTo(activeSha);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.riskgate.testing.HostileConditions#markers")
    void aWhatIfOfAHostileGateRunsNothing(String template) {
        Path marker = tmp.resolve("marker");
        String yaml = withGate(template.replace("MARKER", marker.toAbsolutePath().toString()));

        HttpApi.Response r = officer.post("/api/v1/policies/what-if",
                Requests.JSON.createObjectNode().put("yaml", yaml).put("last", 10));

        assertThat(marker).doesNotExist();
        assertThat(r.status()).as(r.raw()).isEqualTo(422);
        assertThat(r.body().path("problems").get(0).path("path").asText()).isEqualTo("gates[0].when");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.riskgate.testing.HostileConditions#markers")
    void aValidationOfAHostileGateRunsNothing(String template) {
        Path marker = tmp.resolve("marker");
        String yaml = withGate(template.replace("MARKER", marker.toAbsolutePath().toString()));

        HttpApi.Response r = officer.post("/api/v1/policies/validate", Requests.JSON.createObjectNode().put("yaml", yaml));

        assertThat(marker).doesNotExist();
        assertThat(r.status()).as(r.raw()).isEqualTo(422);
        assertThat(r.body().path("problems").get(0).path("path").asText()).isEqualTo("gates[0].when");
    }

}
