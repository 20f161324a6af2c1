package io.riskgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.testing.Requests;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The real artefact: {@code target/riskgate.jar} started as a process (Drools compiles the rules inside the
 * Spring Boot fat jar), a seed 001 check over HTTP, and the CLI from the same jar. The jar is packaged before the
 * tests (pom.xml), and this class comes first in one test JVM's queue, so its processes run while the other JVM
 * works through the rest of the suite.
 *
 * <p>The tests run at the same time ({@code @Execution(CONCURRENT)}): the CLI check and the CLI key runs, each over a
 * database of its own, overlap each other and the server's start-up; the HTTP tests wait for the
 * server. Each database has a directory of its own: the password a
 * process generates is kept in {@code db.secret} beside its database, one per directory, and two processes
 * creating theirs in one directory at once could each write it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
class PackagedJarTest {

    private static final Path JAR = Path.of(System.getProperty("riskgate.jar", "target/riskgate.jar"));
    /**
     * The test starts the jar four times (the server and three CLI runs), each for seconds: the serial collector
     * starts them about a fifth faster than G1 on two cores (a CLI check 10.3 s against 8.3 s), and C1 alone
     * (no C2 compiler threads competing for the two cores) faster again (a quiet CLI check 8.2 s against 6.8 s,
     * 12.9 against 7.2 CPU-seconds). What is tested (the jar's class path, runtime rule compilation, HTTP, exit
     * codes) does not depend on the collector or the JIT tier.
     */
    private static final List<String> QUICK_START = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    @TempDir
    static Path work;

    private Process server;
    private int port;
    private String traderKey;
    private String auditorKey;
    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * Starts the server and returns without waiting: the CLI tests, which run first and need no server, overlap
     * its start-up; the HTTP tests wait for it ({@link #awaitServer}).
     */
    @BeforeAll
    void startJar() throws Exception {
        assertThat(JAR).exists();
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new java.util.ArrayList<>(List.of(java()));
        cmd.addAll(QUICK_START);
        cmd.addAll(List.of("-jar", JAR.toAbsolutePath().toString(),
                "--server.port=" + port,
                "--riskgate.policies-dir=" + Path.of("policies").toAbsolutePath(),
                "--riskgate.rules-dir=" + Path.of("rules").toAbsolutePath(),
                "--spring.datasource.url=jdbc:h2:file:" + work.resolve("server/db").toAbsolutePath(),
                "--riskgate.security.bootstrap-key-file=" + work.resolve("admin.key").toAbsolutePath()));
        server = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("server.log").toFile()).start();
    }

    /** Waits (once) until the server is ready, then makes the keys the HTTP tests use. */
    private synchronized void awaitServer() throws Exception {
        if (traderKey != null) {
            return;
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            if (!server.isAlive()) {
                throw new AssertionError("jar exited: " + Files.readString(work.resolve("server.log")));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    createKeys();
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("jar did not become healthy: " + Files.readString(work.resolve("server.log")));
    }

    /** The first start wrote an ADMIN key readable by its owner only; with it, a TRADER and an AUDITOR key. */
    private void createKeys() throws Exception {
        Path file = work.resolve("admin.key");
        assertThat(java.nio.file.Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrderElementsOf(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        String admin = Files.readString(file).trim();
        traderKey = createKey(admin, "{\"name\":\"exec-1\",\"roles\":[\"TRADER\"],\"accounts\":[\"default\"]}");
        auditorKey = createKey(admin, "{\"name\":\"auditor-1\",\"roles\":[\"AUDITOR\"]}");
    }

    private String createKey(String admin, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/v1/keys"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + admin)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Requests.JSON.readTree(r.body()).get("key").asText();
    }

    @AfterAll
    void stopJar() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void theJarRefusesAnAnonymousCheck() throws Exception {
        awaitServer();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/v1/checks"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Requests.seed001().toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }

    @Test
    void theJarApprovesSeed001OverHttp() throws Exception {
        awaitServer();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/v1/checks"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + traderKey)
                .POST(HttpRequest.BodyPublishers.ofString(Requests.seed001().toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode d = Requests.JSON.readTree(r.body());
        // risk 100 over a 2,250 stop = 0.0444 BTC; the 500 max position binds: 0.01 BTC
        assertThat(d.get("approved").asBoolean()).isTrue();
        assertThat(d.get("quantity").asDouble()).isEqualTo(0.01);
        assertThat(d.get("stopLoss").asDouble()).isEqualTo(47_750.0);
        assertThat(d.get("takeProfit").asDouble()).isEqualTo(55_625.0);

        HttpResponse<String> audit = http.send(HttpRequest.newBuilder(
                uri("/api/v1/decisions/" + d.get("decisionId").asText())).header("Authorization", "Bearer " + auditorKey)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(audit.statusCode()).isEqualTo(200);
        assertThat(Requests.JSON.readTree(audit.body()).at("/policy/sha256").asText())
                .isEqualTo(d.at("/policy/sha256").asText());
    }

    @Test
    void theJarServesItsOpenApiDescription() throws Exception {
        awaitServer();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/v3/api-docs"))
                        .header("Authorization", "Bearer " + auditorKey).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("/api/v1/checks");
    }

    @Test
    void theJarRunsTheCliCheck() throws Exception {
        Path request = work.resolve("check.json");
        Files.writeString(request, Requests.seed001().toString());
        CliRun approved = cli(List.of("check", request.toString(), "--db",
                "jdbc:h2:file:" + work.resolve("cli/cli-db").toAbsolutePath()));
        assertThat(approved.exit()).as(approved.err()).isZero();
        assertThat(Requests.JSON.readTree(approved.out()).get("quantity").asDouble()).isEqualTo(0.01);
        // exit 1 (a rejection) and 2 (a request refused) are RiskgateCliTest's, in-process: each run of the jar is
        // a JVM start of a couple of CPU-seconds, and a check's also compiles the rules
    }

    @Test
    void theJarManagesKeysFromTheCli() throws Exception {
        String db = "jdbc:h2:file:" + work.resolve("keys/keys-db").toAbsolutePath();
        CliRun created = cli(List.of("keys", "--db", db, "create", "--name", "exec-2", "--role", "TRADER",
                "--accounts", "acct-a,acct-b"));
        assertThat(created.exit()).isZero();
        JsonNode c = Requests.JSON.readTree(created.out());
        assertThat(c.get("key").asText()).matches("rg_[a-z0-9]{10}_[A-Za-z0-9_-]{43}");
        // a second run reads the database the first one made (its password in db.secret) and revokes the key
        CliRun revoked = cli(List.of("keys", "--db", db, "revoke", c.at("/apiKey/id").asText()));
        assertThat(revoked.exit()).as(revoked.err()).isZero();
        // listing and the refusals (exit 2: a key revoked twice, a TRADER key without accounts) are
        // RiskgateCliTest's, in-process
    }

    /** Exit code, standard output and standard error of one CLI run of the jar. */
    private record CliRun(int exit, String out, String err) {
    }

    private CliRun cli(List<String> args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(java()));
        cmd.addAll(QUICK_START);
        cmd.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        cmd.addAll(args);
        // one file per run: CLI runs of the two CLI tests overlap
        Path err = Files.createTempFile(work, "cli-", ".err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new CliRun(p.exitValue(), out, Files.readString(err));
    }
}
