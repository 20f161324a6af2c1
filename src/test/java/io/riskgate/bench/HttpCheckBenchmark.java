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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code POST /api/v1/checks} over loopback HTTP against the Spring Boot service (H2 file database), one client
 * thread with a kept-alive connection. Compare with {@link CheckBenchmark} to see what HTTP and the audit write
 * add. Event times advance 5 minutes per call so the account's reservation lapses between checks.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class HttpCheckBenchmark {

    private ConfigurableApplicationContext app;
    private HttpClient http;
    private URI uri;
    private ObjectNode json;
    private Instant now;
    private String key;

    @Setup(Level.Trial)
    public void start() throws IOException {
        Path db = Files.createTempDirectory("riskgate-http-bench");
        app = SpringApplication.run(RiskgateApplication.class, "--server.port=0",
                "--spring.datasource.url=jdbc:h2:file:" + db.resolve("db"),
                "--riskgate.policies-dir=" + TestRuntime.repoPolicies(),
                "--riskgate.rules-dir=" + TestRuntime.repoRules(), "--logging.level.root=WARN",
                "--riskgate.security.bootstrap-key-file=" + db.resolve("admin.key"),
                // the benchmark measures checks, not the rate limit
                "--riskgate.security.rate-limit.per-second=1000000", "--riskgate.security.rate-limit.burst=1000000");
        key = io.riskgate.testing.TestKeys.key(app.getBean(io.riskgate.security.ApiKeys.class),
                java.util.Set.of(io.riskgate.security.Role.TRADER), java.util.Set.of("default"));
        uri = URI.create("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port")
                + "/api/v1/checks");
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        json = Requests.seed001();
        // event times start ten years back and advance 5 minutes a call: never ahead of the clock
        // (portfolio.max_event_lead), and each call's reservation lapses before the next
        now = Instant.now().minus(Duration.ofDays(3650));
        Requests.set(json, "market.timestamp", now.toString());
    }

    @TearDown(Level.Trial)
    public void stop() {
        app.close();
    }

    @Benchmark
    public int checkOverHttp() throws Exception {
        now = now.plus(Duration.ofMinutes(5));
        Requests.set(json, "market.timestamp", now.toString());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(json.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
        return r.body().length();
    }
}
