package io.riskgate.api;

import static io.riskgate.testing.Requests.seed001;
import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.riskgate.testing.RedisServer;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestKeys;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service with its bus on ({@code riskgate.bus.redis.url}, a real Redis): an officer's trip over HTTP is on the
 * breaker stream within a second, a check's decision on the decision stream, and the bus has its health component.
 * A context of its own (the bus's property), closed after the class.
 */
@RiskgateServerTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class BusApiTest {

    static RedisServer redis;
    static java.nio.file.Path redisDir;

    @DynamicPropertySource
    static void bus(DynamicPropertyRegistry registry) throws Exception {
        redisDir = Files.createTempDirectory("riskgate-bus-");
        redis = RedisServer.start(redisDir);
        registry.add("riskgate.bus.redis.url", redis::url);
    }

    /** The test's own connection, opened once: a client made per poll took longer than the bus itself. */
    static RedisClient client;
    static StatefulRedisConnection<String, String> reader;

    @AfterAll
    static void stopRedis() throws Exception {
        if (reader != null) {
            reader.close();
            client.shutdown();
        }
        if (redis != null) {
            redis.close();
        }
        if (redisDir != null) {
            io.riskgate.testing.ServerConfig.delete(redisDir);
        }
    }

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.riskgate.security.ApiKeys keys;

    HttpApi officer;
    HttpApi trader;
    String account;

    @BeforeEach
    void connect() {
        stream("riskgate:warm-up");
        officer = new HttpApi(port, TestKeys.named(keys, "bus-officer"));
        trader = new HttpApi(port, TestKeys.superuser(keys));
        account = "bus-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static synchronized List<StreamMessage<String, String>> stream(String name) {
        if (reader == null) {
            client = RedisClient.create(redis.url());
            reader = client.connect();
        }
        return reader.sync().xrange(name, Range.create("-", "+"));
    }

    @Test
    void anOfficersTripOverHttpIsOnTheBreakerStreamWithinASecond() throws Exception {
        HttpApi.Response trip = officer.post("/api/v1/accounts/" + account + "/breaker",
                Map.of("action", "TRIP", "reason", "venue outage"));
        assertThat(trip.status()).as(trip.raw()).isEqualTo(200);
        long answered = System.nanoTime();
        while (stream("riskgate:breakers").stream().noneMatch(m -> account.equals(m.getBody().get("account")))) {
            assertThat(System.nanoTime() - answered).as("on the stream within 1 s").isLessThan(1_000_000_000L);
            Thread.sleep(10);
        }
        StreamMessage<String, String> e = stream("riskgate:breakers").stream()
                .filter(m -> account.equals(m.getBody().get("account"))).findFirst().orElseThrow();
        JsonNode change = Requests.JSON.readTree(e.getBody().get("data"));
        assertThat(change.path("action").asText()).isEqualTo("TRIP");
        assertThat(change.path("actor").asText()).isEqualTo("bus-officer");
        assertThat(change.path("reason").asText()).isEqualTo("venue outage");
    }

    @Test
    void aChecksDecisionIsOnTheDecisionStreamAndTheBusHasItsHealth() throws Exception {
        JsonNode d = trader.check(set(seed001(), "account", account));
        String id = d.path("decisionId").asText();
        long answered = System.nanoTime();
        while (stream("riskgate:decisions").stream().noneMatch(m -> id.equals(m.getBody().get("id")))) {
            assertThat(System.nanoTime() - answered).as("on the stream within 1 s").isLessThan(1_000_000_000L);
            Thread.sleep(10);
        }
        HttpApi.Response health = officer.get("/actuator/health");
        JsonNode bus = health.body().path("components").path("bus");
        assertThat(bus.path("status").asText()).as(health.raw()).isEqualTo("UP");
        assertThat(bus.path("details").path("streams").asText()).isEqualTo("riskgate:*");
    }
}
