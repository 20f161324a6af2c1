package io.riskgate.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.RiskgateApplication;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code POST /api/v1/checks} over loopback HTTP against the Spring Boot service (H2 file database, durable answers),
 * each client thread with its own kept-alive connection and account: {@code check} from one client, {@code check16}
 * from sixteen, and {@code liveness} ({@code GET /actuator/health/liveness}) as the floor Tomcat and Spring give any
 * answer on this machine (issue 12: one client's check p50 within 3x of it). Event times advance 5 minutes per call
 * so each account's reservation lapses between its checks.
 * {@code mvn -Pbench clean test-compile exec:exec -Dbench.args="HttpCheckBenchmark -f 1"}
 */
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class HttpCheckBenchmark {

    /** The service, started once per benchmark. */
    @State(Scope.Benchmark)
    public static class Server {
        ConfigurableApplicationContext app;
        String base;
        String key;
        Path db;

        @Setup(Level.Trial)
        public void start() throws IOException {
            db = Files.createTempDirectory("riskgate-http-bench");
            app = SpringApplication.run(RiskgateApplication.class, "--server.port=0",
                    "--spring.datasource.url=jdbc:h2:file:" + db.resolve("db"),
                    "--riskgate.policies-dir=" + TestRuntime.repoPolicies(),
                    "--riskgate.rules-dir=" + TestRuntime.repoRules(), "--logging.level.root=WARN",
                    "--riskgate.security.bootstrap-key-file=" + db.resolve("admin.key"),
                    // the benchmark measures checks, not the rate limit
                    "--riskgate.security.rate-limit.per-second=1000000",
                    "--riskgate.security.rate-limit.burst=1000000");
            key = io.riskgate.testing.TestKeys.key(app.getBean(io.riskgate.security.ApiKeys.class),
                    java.util.Set.of(io.riskgate.security.Role.TRADER), java.util.Set.of("*"));
            base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException {
            app.close();
            io.riskgate.testing.ServerConfig.delete(db); // the database and its journal: 100 to 200 MB a run
        }
    }

    /** One client: its connection, its account, its event time. */
    @State(Scope.Thread)
    public static class Client {
        private static final java.util.concurrent.atomic.AtomicInteger NEXT = new java.util.concurrent.atomic.AtomicInteger();
        /**
         * {@code socket}: a blocking socket the calling thread writes and reads itself ({@link Wire}); {@code jdk}:
         * {@code java.net.http.HttpClient}, as the figures before session 17 were measured.
         */
        @Param({"socket"})
        public String client;
        HttpClient http;
        Wire wire;
        ObjectNode json;
        Instant now;

        @Setup(Level.Trial)
        public void start(Server server) throws IOException {
            if (client.equals("jdk")) {
                http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            } else {
                wire = new Wire(URI.create(server.base));
            }
            json = Requests.set(Requests.seed001(), "account", "http-bench-" + NEXT.incrementAndGet());
            // event times start ten years back and advance 5 minutes a call: never ahead of the clock
            // (portfolio.max_event_lead), and each call's reservation lapses before the next
            now = Instant.now().minus(Duration.ofDays(3650));
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException {
            if (wire != null) {
                wire.close();
            }
        }
    }

    @Benchmark
    public int check(Server server, Client client) throws Exception {
        return send(server, client);
    }

    @Benchmark
    @Threads(16)
    public int check16(Server server, Client client) throws Exception {
        return send(server, client);
    }

    @Benchmark
    public int liveness(Server server, Client client) throws Exception {
        if (client.wire != null) {
            return answered(client.wire.get("/actuator/health/liveness", server.key));
        }
        HttpResponse<String> r = client.http.send(HttpRequest.newBuilder(URI.create(server.base
                + "/actuator/health/liveness")).header("Authorization", "Bearer " + server.key).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
        return r.body().length();
    }

    private static int send(Server server, Client client) throws Exception {
        client.now = client.now.plus(Duration.ofMinutes(5));
        Requests.set(client.json, "market.timestamp", client.now.toString());
        if (client.wire != null) {
            return answered(client.wire.post("/api/v1/checks", server.key, client.json.toString()));
        }
        HttpResponse<String> r = client.http.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/checks"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + server.key)
                .POST(HttpRequest.BodyPublishers.ofString(client.json.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
        return r.body().length();
    }

    private static int answered(Wire.Answer a) {
        if (a.status() != 200) {
            throw new IllegalStateException(a.status() + " " + a.body());
        }
        return a.body().length();
    }
}
