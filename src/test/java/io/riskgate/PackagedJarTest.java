package io.riskgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.testing.DocBlocks;
import io.riskgate.testing.DocShell;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The real artefact: {@code target/riskgate.jar}, started and used as README.md says. The README's shell blocks run
 * in order in one bash session against it (Drools compiles the rules inside the Spring Boot fat jar; the CLI runs
 * from the same jar), in a directory laid out as a clone of the repository, and the answers the README quotes are
 * checked ({@code <!-- test -->} comments above its blocks: {@link DocBlocks}). So the README cannot drift from the
 * software: a changed field, code, count or exit status fails here. The jar is packaged before the tests (pom.xml),
 * and this class comes first in one test JVM's queue, so its processes run while the other JVM works through the
 * rest of the suite.
 *
 * <p>The tests run at the same time ({@code @Execution(CONCURRENT)}): the CLI key runs, over a database of its own,
 * overlap the server's start-up. Each database has a directory of its own: the password a process generates is kept
 * in {@code db.secret} beside its database, one per directory, and two processes creating theirs in one directory at
 * once could each write it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
class PackagedJarTest {

    private static final Path JAR = Path.of(System.getProperty("riskgate.jar", "target/riskgate.jar"));
    private static final Path README = Path.of("README.md");
    /**
     * The test starts the jar several times (the server and the CLI runs), each for seconds: the serial collector
     * starts them about a fifth faster than G1 on two cores (a CLI check 10.3 s against 8.3 s), and C1 alone
     * (no C2 compiler threads competing for the two cores) faster again (a quiet CLI check 8.2 s against 6.8 s,
     * 12.9 against 7.2 CPU-seconds). What is tested (the jar's class path, runtime rule compilation, HTTP, exit
     * codes) does not depend on the collector or the JIT tier. The README's own {@code java -jar} commands get them
     * through {@code JAVA_TOOL_OPTIONS}.
     */
    private static final List<String> QUICK_START = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    @TempDir
    static Path work;

    /** A clone's layout as the README uses it: policies, rules, docs/examples and target/riskgate.jar. */
    private Path clone;
    private Process server;
    private int port;
    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * Starts the server as the README's "Run it" says and returns without waiting: the CLI key test, which needs no
     * server, overlaps its start-up; the HTTP tests wait for it ({@link #awaitServer}).
     */
    @BeforeAll
    void startJar() throws Exception {
        assertThat(JAR).exists();
        clone = work.resolve("clone");
        for (String dir : List.of("policies", "rules", "docs/examples")) {
            DocShell.copyTree(Path.of(dir), clone.resolve(dir));
        }
        Files.createDirectories(clone.resolve("target"));
        Files.createSymbolicLink(clone.resolve("target/riskgate.jar"), JAR.toAbsolutePath());
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<DocBlocks.Block> starts = DocBlocks.of(README).stream().filter(b -> b.server().isPresent()).toList();
        assertThat(starts).as("README.md's block that starts the server").hasSize(1);
        String text = starts.get(0).text();
        String command = text.substring(text.lastIndexOf("&&") + 2).replaceAll("#.*", "").trim();
        assertThat(command).startsWith("java -jar target/riskgate.jar");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "exec " + command + " --server.port=" + port)
                .directory(clone.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("server.log").toFile());
        pb.environment().putAll(shellEnvironment());
        server = pb.start();
    }

    /** The test JVM's java first on the path, and the quick start for every JVM the README starts. */
    private static Map<String, String> shellEnvironment() {
        return Map.of("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"),
                "JAVA_TOOL_OPTIONS", String.join(" ", QUICK_START));
    }


    /** Waits (once) until the server is ready. */
    private synchronized void awaitServer() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            if (!server.isAlive()) {
                throw new AssertionError("jar exited: " + Files.readString(work.resolve("server.log")));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("jar did not become healthy: " + Files.readString(work.resolve("server.log")));
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

    /**
     * Every bash block of the README but the build and the start, in order, in one session, against the server on
     * its own port (the README's localhost:8080 replaced): each must exit as its {@code <!-- test -->} comment says
     * (0 when silent), print what it says, and answer no problem (a 4xx/5xx problem+json) unless it says one is
     * expected. Every block that fails is named, with what it printed.
     */
    @Test
    void theReadmeRunsAsWritten() throws Exception {
        awaitServer();
        // the first start wrote the ADMIN key the README reads, readable by its owner only
        assertThat(Files.getPosixFilePermissions(clone.resolve("data/admin.key")))
                .containsExactlyInAnyOrderElementsOf(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        List<DocBlocks.Block> all = DocBlocks.of(README);
        // every block is a shell block this test runs, or says why not: no command is left out unnoticed
        assertThat(all).allSatisfy(b -> assertThat(b.language()).as(b.where()).isEqualTo("bash"));
        assertThat(all.stream().filter(b -> b.skip().isPresent())).allSatisfy(b -> assertThat(b.skip().get())
                .as(b.where() + ": why it is skipped").isNotBlank()).hasSize(1);
        List<DocBlocks.Block> blocks = all.stream().filter(b -> b.skip().isEmpty() && b.server().isEmpty()).toList();
        assertThat(blocks).hasSize(all.size() - 2);
        List<DocShell.Ran> ran = DocShell.run(blocks, clone, Map.of("localhost:8080", "localhost:" + port),
                shellEnvironment(), Duration.ofMinutes(5));
        List<String> failures = new ArrayList<>();
        for (DocShell.Ran r : ran) {
            List<String> wrong = new ArrayList<>();
            if (r.exit() != r.block().exit()) {
                wrong.add("exited " + r.exit() + ", the README expects " + r.block().exit());
            }
            r.block().prints().stream().filter(p -> !r.output().contains(p))
                    .forEach(p -> wrong.add("did not print " + p));
            if (!r.block().problemOk() && PROBLEM.matcher(r.output()).find()) {
                wrong.add("answered a problem");
            }
            if (!wrong.isEmpty()) {
                failures.add("README.md:" + r.block().line() + " " + wrong + "\n" + r.block().text()
                        + "--- printed:\n" + r.output());
            }
        }
        assertThat(failures).as("README blocks that do not do what the README says").isEmpty();
    }

    /** A problem+json answer: its status member, 4xx or 5xx. */
    private static final java.util.regex.Pattern PROBLEM = java.util.regex.Pattern.compile("\"status\":\\s*[45]\\d\\d");

    @Test
    void theJarServesItsOpenApiDescription() throws Exception {
        awaitServer();
        String admin = Files.readString(clone.resolve("data/admin.key")).trim();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/v3/api-docs"))
                        .header("Authorization", "Bearer " + admin).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("/api/v1/checks");
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
