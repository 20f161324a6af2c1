package io.riskgate.api;

import static io.riskgate.testing.Requests.seed001;
import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code POST /api/v1/policies/reload} against a server whose policies and rules directories are a temporary copy
 * of the repository's, which the tests edit. Each test starts from the shipped files, reloaded.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PolicyReloadApiTest {

    static final Path CONFIG = io.riskgate.testing.ServerConfig.copyOfRepoConfig("riskgate-reload-");

    static final Path POLICY = CONFIG.resolve("policies/default.yaml");
    static final Path GATES = CONFIG.resolve("rules/gates.drl");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        io.riskgate.testing.ServerConfig.register(registry, CONFIG, "riskgate-reload");
    }

    @AfterAll
    static void deleteCopy() throws IOException {
        io.riskgate.testing.ServerConfig.delete(CONFIG);
    }

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.riskgate.security.ApiKeys keys;

    HttpApi api;

    @BeforeEach
    void restoreShippedFiles() throws IOException {
        api = new HttpApi(port, io.riskgate.testing.TestKeys.superuser(keys));
        Files.copy(TestRuntime.repoPolicies().resolve("default.yaml"), POLICY, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(TestRuntime.repoRules().resolve("gates.drl"), GATES, StandardCopyOption.REPLACE_EXISTING);
        assertThat(reload().status()).isEqualTo(200);
    }

    /** An officer's reload: the reason is required (the actor is the principal, here none: "anonymous"). */
    private HttpApi.Response reload() {
        return api.post("/api/v1/policies/reload", "{\"reason\": \"PolicyReloadApiTest\"}");
    }

    private String activeSha() {
        return api.get("/api/v1/policies/active").body().path("sha256").asText();
    }

    /** Replaces the one line equal to {@code from} (ignoring surrounding spaces) and returns its 1-based number. */
    private static int replaceLine(Path file, String from, String to) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals(from)) {
                lines.set(i, to);
                Files.write(file, lines);
                return i + 1;
            }
        }
        throw new AssertionError(file + " has no line '" + from + "'");
    }

    /** Breaks the "Confidence below minimum" rule: its pattern loses the closing parenthesis. */
    private static int breakGatesDrl() throws IOException {
        return replaceLine(GATES, "$o : OrderFacts( confidence < minConfidence )",
                "    $o : OrderFacts( confidence < minConfidence");
    }

    /** Adds a key the policy schema does not know under {@code filters}. */
    private static int addUnknownFilterKey() throws IOException {
        return replaceLine(POLICY, "max_spread_bps: 50", "  max_spread_bps: 50\n  max_drawdown_pct: 0.03") + 1;
    }

    private JsonNode checkSeed001() {
        return api.check(set(seed001(), "account", "reload-" + UUID.randomUUID().toString().substring(0, 8)));
    }

    @Test
    void reloadOfUnchangedFilesReportsUnchangedAndKeepsTheSha() {
        String before = activeSha();

        HttpApi.Response r = reload();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("unchanged")).extracting(JsonNode::asText).containsExactly("default");
        assertThat(r.body().path("compiled")).isEmpty();
        assertThat(r.body().path("active").path("sha256").asText()).isEqualTo(before);
        assertThat(activeSha()).isEqualTo(before);
    }

    static Stream<Arguments> reloadsWithoutAReasonOrWithAnActor() {
        return Stream.of(
                Arguments.of("no body", "", List.of("reason")),
                Arguments.of("an empty object", "{}", List.of("reason")),
                Arguments.of("a blank reason", "{\"reason\": \"\"}", List.of("reason")),
                Arguments.of("an actor", "{\"actor\": \"officer-anna\", \"reason\": \"r\"}", List.of("actor")),
                Arguments.of("not an object", "[]", List.of("$")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reloadsWithoutAReasonOrWithAnActor")
    void aReloadWithoutAReasonOrNamingAnActorIs400AndActivatesNothing(String name, String body, List<String> fields)
            throws IOException {
        String before = activeSha();
        replaceLine(POLICY, "min_confidence: 0.70", "  min_confidence: 0.80");

        HttpApi.Response r = api.post("/api/v1/policies/reload", body);

        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.errorFields()).containsExactlyInAnyOrderElementsOf(fields);
        assertThat(activeSha()).isEqualTo(before);
    }

    @Test
    void editedMinConfidenceIsCompiledWithANewShaAndDecidesTheNextCheck() throws IOException {
        String before = activeSha();
        assertThat(checkSeed001().path("approved").asBoolean()).as("0.75 passes min_confidence 0.70").isTrue();
        replaceLine(POLICY, "min_confidence: 0.70", "  min_confidence: 0.80");

        HttpApi.Response r = reload();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("compiled")).extracting(JsonNode::asText).containsExactly("default");
        String after = r.body().path("active").path("sha256").asText();
        assertThat(after).matches("[0-9a-f]{64}").isNotEqualTo(before);
        assertThat(r.body().path("active").path("settings").path("filters").path("minConfidence").asDouble())
                .isEqualTo(0.80);
        assertThat(activeSha()).isEqualTo(after);
        // seed 001's confidence 0.75 is now below the minimum 0.80
        JsonNode d = checkSeed001();
        assertThat(d.path("policy").path("sha256").asText()).isEqualTo(after);
        assertThat(d.path("approved").asBoolean()).isFalse();
        assertThat(d.path("rejections")).extracting(j -> j.path("code").asText()).containsExactly("LOW_CONFIDENCE");
        assertThat(d.path("rejections").get(0).path("message").asText()).contains("0.8");
    }

    @Test
    void brokenDrlIsRefusedWith422NamingFileAndLineAndThePreviousPolicyStaysActive() throws IOException {
        String before = activeSha();
        int line = breakGatesDrl();

        HttpApi.Response r = reload();

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body().path("problems")).isNotEmpty();
        // the missing ')' on the edited line is noticed at the next token, 'then' on the following line
        assertThat(r.body().path("problems")).anySatisfy(p -> {
            assertThat(p.path("file").asText()).isEqualTo("gates.drl");
            assertThat(p.path("line").asInt()).isBetween(line, line + 1);
            assertThat(p.path("message").asText()).contains("Confidence below minimum");
        });
        assertThat(activeSha()).isEqualTo(before);
        assertThat(checkSeed001().path("policy").path("sha256").asText()).isEqualTo(before);
    }

    @Test
    void unknownPolicyKeyIsRefusedWith422NamingFileKeyAndLineAndThePreviousPolicyStaysActive() throws IOException {
        String before = activeSha();
        int line = addUnknownFilterKey();

        HttpApi.Response r = reload();

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body().path("problems")).hasSize(1);
        JsonNode p = r.body().path("problems").get(0);
        assertThat(p.path("file").asText()).isEqualTo("default.yaml");
        assertThat(p.path("path").asText()).isEqualTo("filters.max_drawdown_pct");
        assertThat(p.path("line").asInt()).isEqualTo(line);
        assertThat(p.path("message").asText()).contains("unknown key");
        assertThat(activeSha()).isEqualTo(before);
        assertThat(checkSeed001().path("policy").path("sha256").asText()).isEqualTo(before);
    }

    @Test
    void brokenDrlAndUnknownPolicyKeyAreListedTogetherAndThePreviousPolicyStaysActive() throws IOException {
        String before = activeSha();
        int drlLine = breakGatesDrl();
        int yamlLine = addUnknownFilterKey();

        HttpApi.Response r = reload();

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body().path("problems")).anySatisfy(p -> {
            assertThat(p.path("file").asText()).isEqualTo("default.yaml");
            assertThat(p.path("line").asInt()).isEqualTo(yamlLine);
        });
        assertThat(r.body().path("problems")).anySatisfy(p -> {
            assertThat(p.path("file").asText()).isEqualTo("gates.drl");
            assertThat(p.path("line").asInt()).isBetween(drlLine, drlLine + 1);
        });
        assertThat(activeSha()).isEqualTo(before);
        assertThat(checkSeed001().path("policy").path("sha256").asText()).isEqualTo(before);
    }
}
