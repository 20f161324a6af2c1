package io.riskgate.api;

import static io.riskgate.testing.Requests.JSON;
import static io.riskgate.testing.Requests.seed001;
import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.testing.DecisionTableWorkbook;
import io.riskgate.testing.TestKeys;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The risk officer's workflow over real HTTP: reload with why (who is the request's principal), the version archive
 * (list, content, diff), what-if previews (inline, or from the workspace and nowhere else) and per-account policy
 * assignment. The server reads a temporary copy of the repository's policies and rules, which the tests edit (as
 * {@link PolicyReloadApiTest} does), and a workspace beside them; the file watcher is off so every reload is the
 * test's own. Each test starts from the shipped files, reloaded. The archive and the audit live as long as the
 * class, so every edited policy carries a version string no other test uses. Requests are made with the API key of
 * a person named as the test needs ({@link TestKeys#named}), so the actor recorded is that name.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "riskgate.policies.watch=false")
class OfficerApiTest {

    static final Path CONFIG = io.riskgate.testing.ServerConfig.copyOfRepoConfig("riskgate-officer-");

    static final Path POLICY = CONFIG.resolve("policies/default.yaml");
    static final Path STRICT = CONFIG.resolve("policies/strict.yaml");
    static final Path BANDS = CONFIG.resolve("rules/confidence-bands.drl.xlsx");
    /** The officers' workspace (riskgate.policies.workspace): what-if by directory reads only here. */
    static final Path WORKSPACE = CONFIG.resolve("workspace");
    /** Beside the workspace, never to be read by a what-if: a policy file and a rules directory with secrets. */
    static final Path OUTSIDE = CONFIG.resolve("outside");
    /** Text of the files outside the workspace: none of it may appear in an answer. */
    static final List<String> SECRETS = List.of("s3cr3t", "leaked_top_level_key", "SECRET_RULE");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        io.riskgate.testing.ServerConfig.register(registry, CONFIG, "riskgate-officer");
    }

    @AfterAll
    static void deleteCopy() throws IOException {
        io.riskgate.testing.ServerConfig.delete(CONFIG);
    }

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.riskgate.security.ApiKeys keys;

    @org.springframework.beans.factory.annotation.Autowired
    PoliciesController policies;

    HttpApi api;

    /** The sha256 of the shipped default policy, as the server computed it in {@link #restoreShippedFiles()}. */
    String shippedSha;

    @BeforeAll
    static void workspaceAndOutside() throws IOException {
        Files.createDirectories(WORKSPACE);
        Files.createDirectories(OUTSIDE.resolve("rules"));
        Files.writeString(OUTSIDE.resolve("secret.yaml"), """
                id: s3cr3t-policy
                version: "s3cr3t-version"
                leaked_top_level_key: s3cr3t-value
                """);
        Files.writeString(OUTSIDE.resolve("default.yaml"), "id: default\nversion: \"s3cr3t\"\nleaked_top_level_key: 1\n");
        Files.writeString(OUTSIDE.resolve("rules/gates.drl"), "rule \"SECRET_RULE s3cr3t\" when then end\n");
    }

    @BeforeEach
    void restoreShippedFiles() throws IOException {
        api = new HttpApi(port, TestKeys.named(keys, "officer-test"));
        Files.copy(TestRuntime.repoPolicies().resolve("default.yaml"), POLICY, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(TestRuntime.repoRules().resolve("confidence-bands.drl.xlsx"), BANDS,
                StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(STRICT);
        HttpApi.Response r = reload("officer-test", "each test starts from the shipped files");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        shippedSha = r.body().path("active").path("sha256").asText();
    }

    // ---- helpers

    private static String shippedYaml() {
        try {
            return Files.readString(TestRuntime.repoPolicies().resolve("default.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The shipped default.yaml with {@code version: "1"} replaced by {@code version} and each (from, to) pair of
     * {@code edits} applied; every edited text must be there.
     */
    private static String editedYaml(String version, String... edits) {
        String yaml = replace(shippedYaml(), "version: \"1\"", "version: \"" + version + "\"");
        for (int i = 0; i < edits.length; i += 2) {
            yaml = replace(yaml, edits[i], edits[i + 1]);
        }
        return yaml;
    }

    private static String replace(String text, String from, String to) {
        assertThat(text).contains(from);
        return text.replace(from, to);
    }

    private static void writePolicy(String version, String... edits) throws IOException {
        Files.writeString(POLICY, editedYaml(version, edits));
    }

    /** An officer's reload, made as the principal {@code officer} with {@code reason}. */
    private HttpApi.Response reload(String officer, String reason) {
        return api.as(TestKeys.named(keys, officer)).post("/api/v1/policies/reload", JSON.createObjectNode().put("reason", reason));
    }

    /** Reloads as an officer, expecting the edited default policy to be compiled; returns its sha256. */
    private String activate(String officer, String reason) {
        HttpApi.Response r = reload(officer, reason);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().path("compiled")).extracting(JsonNode::asText).contains("default");
        return r.body().path("active").path("sha256").asText();
    }

    private String activeSha() {
        return api.get("/api/v1/policies/active").body().path("sha256").asText();
    }

    private List<String> versionStrings(String policyId) {
        List<String> out = new ArrayList<>();
        api.get("/api/v1/policies/" + policyId + "/versions").body().forEach(v -> out.add(v.path("version").asText()));
        return out;
    }

    private static String freshAccount(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    // ---- reload with who and why

    @Test
    void reloadWithActorAndReasonIsShownInActivationsAndVersions() throws IOException {
        writePolicy("2-anna", "min_confidence: 0.70", "min_confidence: 0.75");

        String sha = activate("officer-anna", "raise min confidence to 0.75 after the Q3 review");

        assertThat(sha).matches("[0-9a-f]{64}").isNotEqualTo(shippedSha);
        JsonNode latest = api.get("/api/v1/policies/activations?limit=1").body().get(0);
        assertThat(latest.path("outcome").asText()).isEqualTo("ACTIVATED");
        assertThat(latest.path("policyId").asText()).isEqualTo("default");
        assertThat(latest.path("sha256").asText()).isEqualTo(sha);
        assertThat(latest.path("actor").asText()).isEqualTo("officer-anna");
        assertThat(latest.path("reason").asText()).isEqualTo("raise min confidence to 0.75 after the Q3 review");

        JsonNode newest = api.get("/api/v1/policies/default/versions").body().get(0);
        assertThat(newest.path("version").asText()).isEqualTo("2-anna");
        assertThat(newest.path("sha256").asText()).isEqualTo(sha);
        assertThat(newest.path("activations")).extracting(a -> a.path("outcome").asText(),
                a -> a.path("actor").asText(), a -> a.path("reason").asText())
                .containsExactly(tuple("ACTIVATED", "officer-anna", "raise min confidence to 0.75 after the Q3 review"));
    }

    @Test
    void aReloadNamingAnActorOrWithoutAReasonIsRefusedWith400AndNothingIsActivated() throws IOException {
        writePolicy("2-refused", "min_confidence: 0.70", "min_confidence: 0.76");
        ObjectNode body = JSON.createObjectNode().put("actor", "officer-ben").put("reason", "").put("ticket", 42);

        HttpApi.Response r = api.as(TestKeys.named(keys, "officer-anna")).post("/api/v1/policies/reload", body);

        // who acted is the principal, never the body; an empty reason is no reason; "ticket" is not a field
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorFields()).containsExactlyInAnyOrder("actor", "reason", "ticket");
        assertThat(r.body().path("errors")).anySatisfy(e -> {
            assertThat(e.path("field").asText()).isEqualTo("actor");
            assertThat(e.path("message").asText()).isEqualTo("actor is the authenticated principal; do not send it");
        });
        assertThat(activeSha()).isEqualTo(shippedSha);
        assertThat(versionStrings("default")).doesNotContain("2-refused");
    }

    @Test
    void aReloadWithoutCredentialsIsRefusedAndNothingIsRecorded() throws IOException {
        writePolicy("2-anonymous", "min_confidence: 0.70", "min_confidence: 0.705");
        long before = api.get("/api/v1/policies/activations?limit=500").body().size();

        HttpApi.Response r = api.as(null).post("/api/v1/policies/reload",
                JSON.createObjectNode().put("reason", "who am I"));

        assertThat(r.status()).as(r.raw()).isEqualTo(401);
        assertThat(api.get("/api/v1/policies/activations?limit=500").body().size()).isEqualTo(before);
        assertThat(versionStrings("default")).doesNotContain("2-anonymous");
    }

    // ---- versions

    @Test
    void versionsAreListedNewestActivationFirst() throws IOException {
        writePolicy("2-order", "min_confidence: 0.70", "min_confidence: 0.71");
        String v2 = activate("officer-anna", "first step");
        writePolicy("3-order", "min_confidence: 0.70", "min_confidence: 0.72");
        String v3 = activate("officer-anna", "second step");

        List<String> afterTwo = versionStrings("default");

        assertThat(afterTwo).startsWith("3-order", "2-order", "1");
        JsonNode list = api.get("/api/v1/policies/default/versions").body();
        assertThat(list.get(0).path("sha256").asText()).isEqualTo(v3);
        assertThat(list.get(1).path("sha256").asText()).isEqualTo(v2);
        // rolling back to the shipped file puts version 1 in force again: it is now the newest activation
        restoreShippedFiles();
        assertThat(versionStrings("default")).startsWith("1", "3-order", "2-order");
    }

    @Test
    void aVersionIsServedByItsVersionStringAndByItsSha256() throws IOException {
        writePolicy("2-content", "min_confidence: 0.70", "min_confidence: 0.77");
        String sha = activate("officer-anna", "content check");

        HttpApi.Response byVersion = api.get("/api/v1/policies/default/versions/2-content");
        HttpApi.Response bySha = api.get("/api/v1/policies/default/versions/" + sha);

        assertThat(byVersion.status()).isEqualTo(200);
        assertThat(bySha.status()).isEqualTo(200);
        assertThat(bySha.body()).isEqualTo(byVersion.body());
        JsonNode v = byVersion.body();
        assertThat(v.path("sha256").asText()).isEqualTo(sha);
        assertThat(v.path("id").asText()).isEqualTo("default");
        assertThat(v.path("version").asText()).isEqualTo("2-content");
        assertThat(v.path("sourceFile").asText()).isEqualTo("default.yaml");
        assertThat(v.path("policyYaml").asText()).isEqualTo(Files.readString(POLICY));
        // the 10 rule files of the shipped policy, DRL as text and spreadsheets as base64 of their exact bytes
        assertThat(v.path("ruleFiles")).extracting(f -> f.path("name").asText()).containsExactlyInAnyOrder(
                "gates.drl", "portfolio.drl", "confidence-bands.drl.xlsx", "strategy-limits.drl.xlsx", "exits.drl",
                "trailing-stops.drl.xlsx", "governor.drl", "analytics.drl", "drawdown-factors.drl.xlsx",
                "controls.drl");
        JsonNode gates = file(v, "gates.drl");
        assertThat(gates.path("encoding").asText()).isEqualTo("utf-8");
        assertThat(gates.path("content").asText()).isEqualTo(Files.readString(CONFIG.resolve("rules/gates.drl")));
        JsonNode bands = file(v, "confidence-bands.drl.xlsx");
        assertThat(bands.path("encoding").asText()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(bands.path("content").asText())).isEqualTo(Files.readAllBytes(BANDS));
        // the shipped version is still served as it was
        assertThat(api.get("/api/v1/policies/default/versions/" + shippedSha).body().path("policyYaml").asText())
                .isEqualTo(shippedYaml()).contains("min_confidence: 0.70");
    }

    private static JsonNode file(JsonNode version, String name) {
        for (JsonNode f : version.path("ruleFiles")) {
            if (f.path("name").asText().equals(name)) {
                return f;
            }
        }
        throw new AssertionError("no rule file " + name + " in " + version);
    }

    // ---- diff

    @Test
    void diffNamesEveryChangedYamlKeyAndNoRuleFile() throws IOException {
        writePolicy("2-keys", "min_confidence: 0.70", "min_confidence: 0.72", "max_spread_bps: 50",
                "max_spread_bps: 40");
        String sha = activate("officer-anna", "tighter filters");

        HttpApi.Response r = api.get("/api/v1/policies/default/diff?from=" + shippedSha + "&to=2-keys");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().path("fromSha256").asText()).isEqualTo(shippedSha);
        assertThat(r.body().path("toSha256").asText()).isEqualTo(sha);
        // YAML numbers are compared as numbers: 0.70 reads as 0.7
        assertThat(r.body().path("yaml")).extracting(k -> k.path("key").asText(), k -> k.path("from").asText(),
                k -> k.path("to").asText()).containsExactlyInAnyOrder(
                tuple("version", "1", "2-keys"),
                tuple("filters.min_confidence", "0.7", "0.72"),
                tuple("filters.max_spread_bps", "50", "40"));
        assertThat(r.body().path("rules")).isEmpty();
    }

    /**
     * rules/confidence-bands.drl.xlsx as CSV (same layout, so the generated DRL's "rule values at A10" comments
     * match), with the high band starting at {@code highFrom} instead of 0.85.
     */
    private static String confidenceBandsCsv(String highFrom) {
        return """
                RuleSet,io.riskgate.rules.tables.confidence
                Import,io.riskgate.facts.OrderFacts
                Notes,Confidence bands to risk multipliers
                ,
                RuleTable Confidence bands
                NAME,CONDITION,CONDITION,CONDITION,ACTION,METADATA,METADATA
                ,$o : OrderFacts...,...,...,,,
                ,signalQualityAdjustment == $param,confidence >= $param,confidence < $param,"$o.adjust(kcontext, $param);",code($param),category($param)
                Band (rule name),Applies when,Confidence at least,Confidence below,Risk multiplier,Code,Category
                High confidence: risk x1.5,true,%s,,1.5,SIZE_HIGH_CONFIDENCE,sizing
                Low confidence: risk x0.5,true,,0.60,0.5,SIZE_LOW_CONFIDENCE,sizing
                """.formatted(highFrom);
    }

    @Test
    void diffShowsAnEditedDecisionTableAsRowsAndAsTheDrlItGenerates() throws IOException {
        Files.write(BANDS, DecisionTableWorkbook.fromCsv(confidenceBandsCsv("0.90")));
        writePolicy("2-table");
        String sha = activate("officer-anna", "high band from 0.90");

        HttpApi.Response r = api.get("/api/v1/policies/default/diff?from=1&to=" + sha);

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().path("yaml")).extracting(k -> k.path("key").asText()).containsExactly("version");
        JsonNode rules = r.body().path("rules");
        assertThat(rules).hasSize(1);
        assertThat(rules.get(0).path("file").asText()).isEqualTo("confidence-bands.drl.xlsx");
        assertThat(rules.get(0).path("change").asText()).isEqualTo("changed");
        List<String> diff = new ArrayList<>();
        rules.get(0).path("diff").forEach(l -> diff.add(l.asText()));
        assertThat(diff).startsWith("--- confidence-bands.drl.xlsx (1)", "+++ confidence-bands.drl.xlsx (2-table)");
        List<String> changed = diff.stream().filter(l -> (l.startsWith("-") && !l.startsWith("---"))
                || (l.startsWith("+") && !l.startsWith("+++"))).toList();
        // the table as rows: the high band's row 10 from 0.85 to 0.90 (the rebuilt table's shorter column label
        // "Applies when" changes rows 10 and 11 too, as the officer would see it)
        assertThat(changed.stream().filter(l -> l.contains("row ")).toList()).hasSize(4)
                .anySatisfy(l -> assertThat(l).startsWith("-  row 10:").contains("Confidence at least = 0.85"))
                .anySatisfy(l -> assertThat(l).startsWith("+  row 10:").contains("Confidence at least = 0.90"));
        // then the DRL the rows generate: only the high band's threshold differs
        assertThat(changed.stream().filter(l -> !l.contains("row ")).toList()).containsExactly(
                "-\t\t$o : OrderFacts(signalQualityAdjustment == true, confidence >= 0.85)",
                "+\t\t$o : OrderFacts(signalQualityAdjustment == true, confidence >= 0.90)");
    }

    // ---- unknown ids and versions

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "/api/v1/policies/nope/versions",
            "/api/v1/policies/nope/versions/1",
            "/api/v1/policies/default/versions/9.9.9",
            "/api/v1/policies/default/versions/0000000000000000000000000000000000000000000000000000000000000000",
            "/api/v1/policies/default/diff?from=1&to=9.9.9",
            "/api/v1/policies/default/diff?from=9.9.9&to=1",
            "/api/v1/policies/nope/diff?from=1&to=1"})
    void anUnknownPolicyOrVersionIs404(String path) {
        HttpApi.Response r = api.get(path);

        assertThat(r.status()).as(r.raw()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body().path("detail").asText()).containsAnyOf("nope", "9.9.9", "0000000000");
    }

    @Test
    void aDiffWithoutBothSidesIs400() {
        HttpApi.Response r = api.get("/api/v1/policies/default/diff?from=1");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorFields()).containsExactly("to");
        assertThat(r.body().path("errors").get(0).path("message").asText()).isEqualTo("is required");
    }

    // ---- what-if

    /** A check on {@code account} at {@code at} with seed 001's order at {@code confidence}; returns its decision. */
    private JsonNode checkAt(String account, Instant at, double confidence) {
        return api.check(set(set(set(seed001(), "account", account), "market.timestamp", at.toString()),
                "signal.confidence", confidence));
    }

    @Test
    void whatIfWithARaisedMinConfidenceReportsTheDecisionsItFlipsAndTouchesNoLiveState() throws IOException {
        // four decisions at event times on 2026-11-20 09:00-09:03, which no other test of this class uses:
        // confidence 0.70, 0.7499, 0.75, 0.80 all pass min_confidence 0.70 (approved at 0.01 BTC, the $500 cap)
        Instant t = Instant.parse("2026-11-20T09:00:00Z");
        double[] confidence = {0.70, 0.7499, 0.75, 0.80};
        List<String> accounts = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < confidence.length; i++) {
            accounts.add(freshAccount("whatif"));
            JsonNode d = checkAt(accounts.get(i), t.plusSeconds(60L * i), confidence[i]);
            assertThat(d.path("approved").asBoolean()).as("confidence %s", confidence[i]).isTrue();
            assertThat(d.path("quantity").asDouble()).isEqualTo(0.01);
            ids.add(d.path("decisionId").asText());
        }
        long decisions = api.decisionTotal();
        List<JsonNode> accountViews = accounts.stream().map(a -> api.get("/api/v1/accounts/" + a).body()).toList();
        JsonNode activations = api.get("/api/v1/policies/activations?limit=5").body();
        ObjectNode body = JSON.createObjectNode()
                .put("yaml", editedYaml("whatif", "min_confidence: 0.70", "min_confidence: 0.75"))
                .put("from", "2026-11-20T09:00:00Z").put("to", "2026-11-20T10:00:00Z");

        HttpApi.Response r = api.post("/api/v1/policies/what-if", body);

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JsonNode report = r.body();
        assertThat(report.path("candidate").path("version").asText()).isEqualTo("whatif");
        assertThat(report.path("evaluated").asInt()).isEqualTo(4);
        // under min_confidence 0.75, 0.70 and 0.7499 are rejected; 0.75 (not below) and 0.80 still pass
        assertThat(report.path("changed").asInt()).isEqualTo(2);
        assertThat(report.path("skipped")).isEmpty();
        assertThat(report.path("changes")).extracting(c -> c.path("decisionId").asText())
                .containsExactlyInAnyOrder(ids.get(0), ids.get(1));
        assertThat(report.path("changes")).allSatisfy(c -> {
            assertThat(c.path("before").asText()).isEqualTo("APPROVED");
            assertThat(c.path("beforeCodes")).isEmpty();
            assertThat(c.path("beforeQuantity").asDouble()).isEqualTo(0.01);
            assertThat(c.path("after").asText()).isEqualTo("REJECTED");
            assertThat(c.path("afterCodes")).extracting(JsonNode::asText).containsExactly("LOW_CONFIDENCE");
            assertThat(c.path("afterQuantity").asDouble()).isZero();
            assertThat(c.path("causedBy")).extracting(JsonNode::asText).contains("LOW_CONFIDENCE");
        });
        // nothing live moved: no decision audited, no account changed, no policy activated or archived
        assertThat(api.decisionTotal()).isEqualTo(decisions);
        assertThat(accounts.stream().map(a -> api.get("/api/v1/accounts/" + a).body()).toList())
                .isEqualTo(accountViews);
        assertThat(activeSha()).isEqualTo(shippedSha);
        assertThat(api.get("/api/v1/policies/activations?limit=5").body()).isEqualTo(activations);
        assertThat(versionStrings("default")).doesNotContain("whatif");
    }

    /** A copy of policies/ and rules/ at {@code name} in the workspace; returns its policies directory. */
    private static Path workspaceCopy(String name) throws IOException {
        return TestRuntime.copyRepoConfig(WORKSPACE.resolve(name)).resolve("policies");
    }

    @Test
    void whatIfOfAWorkspaceDirectoryUsesTheRulesBesideIt() throws IOException {
        // one decision at 2026-11-20 11:00, confidence 0.78: approved under 0.70
        String account = freshAccount("whatif-dir");
        String id = checkAt(account, Instant.parse("2026-11-20T11:00:00Z"), 0.78).path("decisionId").asText();
        Path candidate = workspaceCopy("q3-dir");
        Files.writeString(candidate.resolve("default.yaml"), editedYaml("whatif-dir",
                "min_confidence: 0.70", "min_confidence: 0.80"));
        // the workspace's rules, not the live ones: the candidate's gates.drl carries a comment the live one lacks
        Path gates = candidate.resolveSibling("rules/gates.drl");
        Files.writeString(gates, Files.readString(gates) + "\n// q3 review\n");
        ObjectNode body = JSON.createObjectNode().put("directory", "q3-dir/policies").put("account", account);

        HttpApi.Response r = api.post("/api/v1/policies/what-if", body);

        // 0.78 < 0.80: the one decision of that account flips
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().path("candidate").path("version").asText()).isEqualTo("whatif-dir");
        assertThat(r.body().path("evaluated").asInt()).isEqualTo(1);
        assertThat(r.body().path("changes")).singleElement().satisfies(c -> {
            assertThat(c.path("decisionId").asText()).isEqualTo(id);
            assertThat(c.path("afterCodes")).extracting(JsonNode::asText).containsExactly("LOW_CONFIDENCE");
        });
        Map<String, byte[]> files = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.list(candidate.resolveSibling("rules"))) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                files.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        assertThat(r.body().path("candidate").path("sha256").asText()).isEqualTo(sha256(
                Files.readAllBytes(candidate.resolve("default.yaml")), files));
    }

    /**
     * The sha256 riskgate gives a policy: its YAML bytes, then each rule file it lists (the shipped policy lists
     * every file of rules/) as 0, name, 0, bytes, in name order.
     */
    private static String sha256(byte[] yaml, Map<String, byte[]> ruleFiles) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(yaml);
            for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(ruleFiles).entrySet()) {
                md.update((byte) 0);
                md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(e.getValue());
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void whatIfOfInlineYamlIsCompiledInMemoryWithTheLiveRulesAndAnswered() throws IOException {
        // two decisions at 2026-11-20 12:00 and 12:01 with confidence 0.72 and 0.76: both approved under 0.70;
        // the candidate raises min_confidence to 0.75, so 0.72 flips to LOW_CONFIDENCE and 0.76 does not
        Instant t = Instant.parse("2026-11-20T12:00:00Z");
        String low = checkAt(freshAccount("whatif-inline"), t, 0.72).path("decisionId").asText();
        checkAt(freshAccount("whatif-inline"), t.plusSeconds(60), 0.76);
        String yaml = replace(editedYaml("whatif-inline"), "min_confidence: 0.70", "min_confidence: 0.75");
        ObjectNode body = JSON.createObjectNode().put("policyId", "default").put("yaml", yaml)
                .put("from", t.toString()).put("to", t.plusSeconds(120).toString());
        Map<Path, byte[]> live = liveFiles();

        HttpApi.Response r = api.post("/api/v1/policies/what-if", body);

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().path("candidate").path("version").asText()).isEqualTo("whatif-inline");
        assertThat(r.body().path("evaluated").asInt()).isEqualTo(2);
        assertThat(r.body().path("changes")).singleElement().satisfies(c -> {
            assertThat(c.path("decisionId").asText()).isEqualTo(low);
            assertThat(c.path("afterCodes")).extracting(JsonNode::asText).containsExactly("LOW_CONFIDENCE");
        });
        // the sha covers the YAML sent and the live rule files
        Map<String, byte[]> files = new java.util.TreeMap<>();
        for (Map.Entry<Path, byte[]> f : live.entrySet()) {
            if (f.getKey().startsWith(CONFIG.resolve("rules"))) {
                files.put(f.getKey().getFileName().toString(), f.getValue());
            }
        }
        assertThat(r.body().path("candidate").path("sha256").asText()).isEqualTo(sha256(
                yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8), files));
        // compiled in memory: nothing written or changed under the live policies and rules
        assertThat(liveFiles()).usingRecursiveComparison().isEqualTo(live);
        assertThat(activeSha()).isEqualTo(shippedSha);
    }

    @Test
    void ruleFilesInARequestAreRefusedBeforeAnythingCompiles(@org.junit.jupiter.api.io.TempDir Path tmp) {
        // a DRL consequence is Java: compiled, this rule would create the marker file on the server
        Path marker = tmp.resolve("marker");
        String drl = "package x;\nrule \"r\" when then new java.io.File(\"" + marker + "\").createNewFile(); end\n";
        ObjectNode body = JSON.createObjectNode().put("yaml", editedYaml("whatif-code"));
        body.putObject("rules").put("gates.drl", drl);

        HttpApi.Response r = api.post("/api/v1/policies/what-if", body);

        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.errorFields()).containsExactly("rules");
        assertThat(marker).doesNotExist();
    }

    /** Every file under the live policies and rules directories, with its bytes. */
    private static Map<Path, byte[]> liveFiles() throws IOException {
        Map<Path, byte[]> out = new java.util.TreeMap<>();
        for (Path dir : List.of(CONFIG.resolve("policies"), CONFIG.resolve("rules"))) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path f : s.filter(Files::isRegularFile).toList()) {
                    out.put(f, Files.readAllBytes(f));
                }
            }
        }
        return out;
    }

    @Test
    void anInlineCandidateWithAnotherIdThanPolicyIdIs422() {
        HttpApi.Response r = api.post("/api/v1/policies/what-if", JSON.createObjectNode()
                .put("yaml", editedYaml("whatif-id", "id: default", "id: strict")));

        assertThat(r.status()).as(r.raw()).isEqualTo(422);
        assertThat(r.body().path("problems")).extracting(p -> p.path("path").asText()).containsExactly("id");
    }

    @Test
    void everyProblemMessageOfAnInlineCandidateIsAtMost300Characters() {
        // a version of 2,000 characters is quoted back in "must be 1-64 letters ..., was '...'"
        String yaml = editedYaml("whatif-long").replace("version: \"whatif-long\"", "version: \"" + "v".repeat(2_000)
                + "\"");

        HttpApi.Response r = api.post("/api/v1/policies/what-if", JSON.createObjectNode().put("yaml", yaml));

        assertThat(r.status()).as(r.raw()).isEqualTo(422);
        assertThat(r.body().path("problems")).isNotEmpty().allSatisfy(p ->
                assertThat(p.path("message").asText().length()).isLessThanOrEqualTo(300));
        assertThat(r.body().path("problems")).anySatisfy(p -> assertThat(p.path("path").asText()).isEqualTo("version"));
    }

    /** Links and files in and beside the workspace that the refused directories below lead to. */
    private static void linksOutOfTheWorkspace() throws IOException {
        Path out = WORKSPACE.resolve("link-out");
        if (!Files.exists(out, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(out, OUTSIDE);
        }
        // a real candidate directory holding a link to a YAML file outside
        Path linkedFile = WORKSPACE.resolve("linked-file/policies");
        if (!Files.exists(linkedFile)) {
            Files.createDirectories(linkedFile);
            Files.writeString(linkedFile.resolve("default.yaml"), shippedYaml());
            Files.createSymbolicLink(linkedFile.resolve("secret.yaml"), OUTSIDE.resolve("secret.yaml"));
        }
        // a real candidate whose rules beside it are a link to a rules directory outside
        Path linkedRules = WORKSPACE.resolve("linked-rules");
        if (!Files.exists(linkedRules)) {
            Files.createDirectories(linkedRules.resolve("policies"));
            Files.writeString(linkedRules.resolve("policies/default.yaml"), shippedYaml());
            Files.createSymbolicLink(linkedRules.resolve("rules"), OUTSIDE.resolve("rules"));
        }
    }

    static Stream<Arguments> directoriesOutsideTheWorkspace() {
        return Stream.of(
                Arguments.of("an absolute path", "/etc"),
                Arguments.of("the absolute path of a directory with a policy", OUTSIDE.toString()),
                Arguments.of("'..' out of the workspace", "../outside"),
                Arguments.of("'..' after a name", "q3/../../outside"),
                Arguments.of("'.'", "."),
                Arguments.of("a hidden name", ".hidden"),
                Arguments.of("a backslash", "..\\outside"),
                Arguments.of("a link to a directory outside", "link-out"),
                Arguments.of("a name under a link", "link-out/rules"),
                Arguments.of("a candidate holding a link to a file outside", "linked-file/policies"),
                Arguments.of("a candidate whose rules beside it link outside", "linked-rules/policies"),
                Arguments.of("a directory the workspace does not have", "no-such-candidate"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("directoriesOutsideTheWorkspace")
    void aDirectoryOutsideTheWorkspaceIs400AndSaysNothingOfWhatIsThere(String name, String directory)
            throws IOException {
        linksOutOfTheWorkspace();

        HttpApi.Response r = api.post("/api/v1/policies/what-if", JSON.createObjectNode().put("directory", directory));

        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.errorFields()).containsExactly("directory");
        assertThat(r.raw()).doesNotContainIgnoringCase("s3cr3t").doesNotContain("leaked_top_level_key")
                .doesNotContain("SECRET_RULE").doesNotContain(CONFIG.toString());
    }

    @Test
    void etcIsRefusedWithoutAWordAboutItsFiles() {
        HttpApi.Response r = api.post("/api/v1/policies/what-if", JSON.createObjectNode().put("directory", "/etc"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().path("errors")).singleElement().satisfies(e -> assertThat(e.path("message").asText())
                .isEqualTo("must be a path relative to the workspace (such as q3/policies): absolute paths are "
                        + "refused"));
    }

    @Test
    void aSecondWhatIfOfTheSamePrincipalWhileTheFirstRunsIs429WithRetryAfter() throws Exception {
        // a what-if of officer-busy running (its slot held here, as a running one holds it: a real one answers in
        // milliseconds when its rule files are compiled already, too fast to be caught running from outside)
        ObjectNode body = JSON.createObjectNode().put("yaml", editedYaml("whatif-busy")).put("last", 1);
        HttpApi busyOfficer = api.as(TestKeys.named(keys, "officer-busy"));
        try (InFlight.Slot running = policies.whatIfs().enter("officer-busy").orElseThrow()) {
            HttpApi.Response busy = busyOfficer.post("/api/v1/policies/what-if", body);
            assertThat(busy.status()).as(busy.raw()).isEqualTo(429);
            assertThat(busy.contentType()).startsWith("application/problem+json");
            assertThat(busy.retryAfter()).isEqualTo("5");
            assertThat(busy.body().path("status").asInt()).isEqualTo(429);
            assertThat(busy.body().path("detail").asText()).contains("officer-busy").contains("one at a time");
            // a validation shares the slot: it compiles a whole rule base too
            assertThat(busyOfficer.post("/api/v1/policies/validate", JSON.createObjectNode().put("yaml",
                    editedYaml("validate-busy"))).status()).isEqualTo(429);
            // another principal is not held up
            assertThat(api.as(TestKeys.named(keys, "officer-idle")).post("/api/v1/policies/what-if", body).status())
                    .isEqualTo(200);
        }
        // the slot is free again once the first has answered
        assertThat(busyOfficer.post("/api/v1/policies/what-if", body).status()).isEqualTo(200);
        // and a what-if that answers frees it: two in a row both run
        assertThat(busyOfficer.post("/api/v1/policies/what-if", body).status()).isEqualTo(200);
    }

    static Stream<Arguments> badWhatIfBodies() {
        String yaml = "id: default";
        return Stream.of(
                Arguments.of("neither directory nor yaml", "{}", List.of("directory")),
                Arguments.of("both directory and yaml", "{\"directory\": \"/tmp\", \"yaml\": \"" + yaml + "\"}",
                        List.of("directory")),
                Arguments.of("last 0", "{\"yaml\": \"" + yaml + "\", \"last\": 0}", List.of("last")),
                Arguments.of("last 501, above the audit page of 500", "{\"yaml\": \"" + yaml + "\", \"last\": 501}",
                        List.of("last")),
                Arguments.of("every problem at once", "{\"directory\": \"/tmp\", \"yaml\": \"" + yaml + "\", "
                        + "\"last\": -1, \"from\": \"yesterday\", \"to\": 5, \"policyId\": \"no such id\", "
                        + "\"account\": \"a b\", \"colour\": \"red\"}",
                        List.of("directory", "last", "from", "to", "policyId", "account", "colour")),
                Arguments.of("not an object", "[]", List.of("$", "directory")),
                Arguments.of("rule files with a directory", "{\"directory\": \"q3/policies\", \"rules\": "
                        + "{\"gates.drl\": \"x\"}}", List.of("rules")),
                Arguments.of("rule file names outside the allow-list", "{\"yaml\": \"" + yaml + "\", \"rules\": "
                        + "{\"../gates.drl\": \"x\", \"gates.txt\": \"x\", \"a/b.drl\": \"x\", \".drl\": \"x\"}}",
                        List.of("rules")),
                Arguments.of("a rule file that is not a string", "{\"yaml\": \"" + yaml + "\", \"rules\": "
                        + "{\"gates.drl\": 5}}", List.of("rules")),
                Arguments.of("a spreadsheet that is not base64", "{\"yaml\": \"" + yaml + "\", \"rules\": "
                        + "{\"bands.drl.xlsx\": \"not base64!\"}}", List.of("rules")),
                Arguments.of("rules that are not an object", "{\"yaml\": \"" + yaml + "\", \"rules\": []}",
                        List.of("rules")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badWhatIfBodies")
    void aBadWhatIfBodyIs400ListingEveryProblem(String name, String body, List<String> fields) {
        HttpApi.Response r = api.post("/api/v1/policies/what-if", body);

        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.errorFields()).containsExactlyInAnyOrderElementsOf(fields);
    }

    @Test
    void anInvalidCandidateIs422WithEveryProblem() {
        String yaml = editedYaml("whatif-bad", "max_spread_bps: 50", "max_spread_bps: 50\n  max_drawdown_pct: 0.03",
                "max_risk_pct: 0.015", "max_risk_pct: 0.06");

        HttpApi.Response r = api.post("/api/v1/policies/what-if", JSON.createObjectNode().put("yaml", yaml));

        // an unknown key, and a max risk per trade of 6%: both listed, as a reload would list them
        assertThat(r.status()).as(r.raw()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body().path("problems")).extracting(p -> p.path("path").asText())
                .contains("filters.max_drawdown_pct", "sizing.max_risk_pct");
        assertThat(activeSha()).isEqualTo(shippedSha);
    }

    // ---- per-account policy

    /** Adds policies/strict.yaml (id strict, min_confidence 0.80) and reloads; returns its sha256. */
    private String loadStrictPolicy() throws IOException {
        Files.writeString(STRICT, editedYaml("s1", "id: default", "id: strict", "min_confidence: 0.70",
                "min_confidence: 0.80"));
        HttpApi.Response r = reload("officer-ben", "a stricter policy for new desks");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().path("compiled")).extracting(JsonNode::asText).containsExactly("strict");
        return api.get("/api/v1/policies/strict/versions").body().get(0).path("sha256").asText();
    }

    /** An officer's assignment, made as the principal {@code officer}; null fields are left out of the body. */
    private HttpApi.Response assign(String account, String policyId, String officer, String reason) {
        ObjectNode body = JSON.createObjectNode();
        if (policyId != null) {
            body.put("policyId", policyId);
        }
        if (reason != null) {
            body.put("reason", reason);
        }
        return api.as(TestKeys.named(keys, officer)).put("/api/v1/accounts/" + account + "/policy", body);
    }

    @Test
    void anAssignedPolicyDecidesTheAccountsNextCheck() throws IOException {
        String strictSha = loadStrictPolicy();
        String account = freshAccount("assigned");
        String other = freshAccount("unassigned");
        JsonNode unassigned = api.get("/api/v1/accounts/" + account + "/policy").body();
        assertThat(unassigned.path("policyId").asText()).isEqualTo("default");
        assertThat(unassigned.path("assigned").asBoolean()).isFalse();

        HttpApi.Response r = assign(account, "strict", "officer-ben", "new desk, stricter signals");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().path("account").asText()).isEqualTo(account);
        assertThat(r.body().path("policyId").asText()).isEqualTo("strict");
        JsonNode now = api.get("/api/v1/accounts/" + account + "/policy").body();
        assertThat(now.path("policyId").asText()).isEqualTo("strict");
        assertThat(now.path("version").asText()).isEqualTo("s1");
        assertThat(now.path("sha256").asText()).isEqualTo(strictSha);
        assertThat(now.path("assigned").asBoolean()).isTrue();
        assertThat(now.path("assignment").path("actor").asText()).isEqualTo("officer-ben");
        // seed 001's confidence 0.75 is below strict's 0.80, not below default's 0.70
        JsonNode d = api.check(set(seed001(), "account", account));
        assertThat(d.path("policy").path("id").asText()).isEqualTo("strict");
        assertThat(d.path("policy").path("sha256").asText()).isEqualTo(strictSha);
        assertThat(d.path("rejections")).extracting(j -> j.path("code").asText()).containsExactly("LOW_CONFIDENCE");
        JsonNode o = api.check(set(seed001(), "account", other));
        assertThat(o.path("policy").path("id").asText()).isEqualTo("default");
        assertThat(o.path("approved").asBoolean()).isTrue();
        // the assignment is audited in the activation log
        JsonNode logged = api.get("/api/v1/policies/activations?limit=1").body().get(0);
        assertThat(logged.path("outcome").asText()).isEqualTo("ASSIGNED");
        assertThat(logged.path("policyId").asText()).isEqualTo("strict");
        assertThat(logged.path("sha256").asText()).isEqualTo(strictSha);
        assertThat(logged.path("detail").asText()).isEqualTo("account " + account);
        assertThat(logged.path("actor").asText()).isEqualTo("officer-ben");
        assertThat(logged.path("reason").asText()).isEqualTo("new desk, stricter signals");
    }

    @Test
    void assigningAPolicyThatIsNotLoadedIs404AndAssignsNothing() {
        String account = freshAccount("assign-unknown");
        JsonNode activations = api.get("/api/v1/policies/activations?limit=5").body();

        HttpApi.Response r = assign(account, "nonexistent", "officer-ben", "typo");

        assertThat(r.status()).as(r.raw()).isEqualTo(404);
        assertThat(r.body().path("detail").asText()).contains("nonexistent");
        assertThat(api.get("/api/v1/accounts/" + account + "/policy").body().path("assigned").asBoolean()).isFalse();
        assertThat(api.get("/api/v1/policies/activations?limit=5").body()).isEqualTo(activations);
    }

    static Stream<Arguments> assignmentsWithoutWhyOrNamingWho() {
        return Stream.of(
                Arguments.of("no reason", "{\"policyId\": \"default\"}", List.of("reason")),
                Arguments.of("a blank reason", "{\"policyId\": \"default\", \"reason\": \" \"}", List.of("reason")),
                Arguments.of("an actor: who acted is the principal", "{\"policyId\": \"default\", \"actor\": "
                        + "\"officer-ben\", \"reason\": \"new desk\"}", List.of("actor")),
                Arguments.of("an actor and no reason", "{\"policyId\": \"default\", \"actor\": \"officer-ben\"}",
                        List.of("actor", "reason")),
                Arguments.of("an empty object", "{}", List.of("policyId", "reason")),
                Arguments.of("no body", "", List.of("policyId", "reason")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("assignmentsWithoutWhyOrNamingWho")
    void anAssignmentWithoutAReasonOrNamingAnActorIs400AndAssignsNothing(String name, String body,
                                                                          List<String> fields) {
        String account = freshAccount("assign-bad");

        HttpApi.Response r = api.as(TestKeys.named(keys, "officer-ben")).put("/api/v1/accounts/" + account + "/policy", body);

        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.errorFields()).containsExactlyInAnyOrderElementsOf(fields);
        assertThat(api.get("/api/v1/accounts/" + account + "/policy").body().path("assigned").asBoolean()).isFalse();
    }

    @Test
    void theAccountPolicyOfAnAccountWhosePolicyWasRemovedSaysSoInsteadOfFailing() throws IOException {
        loadStrictPolicy();
        String account = freshAccount("assign-removed");
        assertThat(assign(account, "strict", "officer-ben", "new desk").status()).isEqualTo(200);
        Files.delete(STRICT);
        HttpApi.Response reloaded = reload("officer-ben", "strict retired");
        assertThat(reloaded.status()).as(reloaded.raw()).isEqualTo(200);
        assertThat(reloaded.body().path("removed")).extracting(JsonNode::asText).containsExactly("strict");
        // the account's orders fail closed (ENGINE_ERROR, as OfficerWorkflowTest shows in process)
        assertThat(api.check(set(seed001(), "account", account)).path("rejections"))
                .extracting(j -> j.path("code").asText()).containsExactly("ENGINE_ERROR");

        HttpApi.Response r = api.get("/api/v1/accounts/" + account + "/policy");

        assertThat(r.status()).as(r.raw()).isLessThan(500);
        assertThat(r.raw()).contains("strict");
    }
}
