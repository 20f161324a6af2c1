package io.riskgate.bus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.database.Outbox;
import io.riskgate.decision.Decision;
import io.riskgate.policy.Governor;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The bus's Kafka transport (issue 17) against spring-kafka-test's in-process broker (KRaft): seed 001's decision and
 * an officer's trip are records of their topics, keyed by the account, with the event's id, kind, policy, audit place
 * and number ({@code seq}), and the record itself as JSON.
 */
class KafkaTopicsTest {

    static EmbeddedKafkaKraftBroker kafka;

    @BeforeAll
    static void startKafka() {
        kafka = new EmbeddedKafkaKraftBroker(1, 1, "riskgate.decisions", "riskgate.breakers",
                "riskgate.emergency-instructions", "riskgate.alerts", "riskgate.exit-instructions");
        kafka.afterPropertiesSet();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.destroy();
        }
    }

    private static List<ConsumerRecord<String, String>> read(String topic, int atLeast) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "exec-" + topic, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (out.size() < atLeast && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    @Test
    void seed001sDecisionAndAnOfficersTripAreRecordsOfTheirTopicsKeyedByAccount() throws Exception {
        MutableClock clock = new MutableClock(TestRuntime.T0);
        try (RiskgateRuntime rt = TestRuntime.start(clock);
             KafkaTopics bus = new KafkaTopics(rt.outbox(), new KafkaTopics.Settings(kafka.getBrokersAsString(),
                     "riskgate", 500, Duration.ofMillis(400), Map.of())).start()) {
            Decision d = rt.engine().check(Requests.set(Requests.seed001(), "account", "kafka-1"));
            rt.governor().officer("kafka-1", "officer-anna", "TRIP", "venue outage", Optional.empty(),
                    Optional.of(Governor.Emergency.NONE), Optional.empty());

            ConsumerRecord<String, String> decision = read("riskgate.decisions", 1).get(0);
            assertThat(decision.key()).isEqualTo("kafka-1");
            assertThat(new String(decision.headers().lastHeader("id").value(), StandardCharsets.UTF_8))
                    .isEqualTo(d.decisionId());
            JsonNode v = Requests.JSON.readTree(decision.value());
            assertThat(v.path("kind").asText()).isEqualTo("DECISION");
            assertThat(v.path("policy").asText()).isEqualTo("default:" + d.policy().version() + ":"
                    + d.policy().sha256());
            assertThat(v.path("audit").asText()).startsWith("decision/" + d.decisionId() + "#");
            assertThat(v.path("seq").asLong()).isPositive();
            // risk 100 over a 2,250 stop, capped at $500: 0.01 BTC, stop 47,750
            assertThat(v.path("data").path("quantity").asDouble()).isEqualTo(0.01);
            assertThat(v.path("data").path("stopLoss").asDouble()).isEqualTo(47_750.0);

            ConsumerRecord<String, String> trip = read("riskgate.breakers", 1).get(0);
            assertThat(trip.key()).isEqualTo("kafka-1");
            JsonNode t = Requests.JSON.readTree(trip.value());
            assertThat(t.path("data").path("action").asText()).isEqualTo("TRIP");
            assertThat(t.path("seq").asLong()).isGreaterThan(v.path("seq").asLong());
            assertThat(bus.duplicates()).isZero();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (rt.outbox().backlog() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(rt.outbox().backlog()).isZero();
        }
    }

    @Test
    void aKafkaThatCannotBeReachedLeavesTheEventsInTheOutbox() {
        MutableClock clock = new MutableClock(TestRuntime.T0);
        try (RiskgateRuntime rt = TestRuntime.start(clock);
             KafkaTopics bus = new KafkaTopics(rt.outbox(), new KafkaTopics.Settings("127.0.0.1:1", "riskgate",
                     500, Duration.ofMillis(400), Map.of()))) {
            rt.outbox().enable();
            Decision d = rt.engine().check(Requests.set(Requests.seed001(), "account", "kafka-2"));
            // the check was decided without Kafka; its event waits
            assertThat(d.approved()).isTrue();
            org.assertj.core.api.Assertions.assertThatThrownBy(bus::publishOnce)
                    .isInstanceOf(IllegalStateException.class);
            assertThat(rt.outbox().backlog()).isEqualTo(1);
            assertThat(Outbox.Kind.DECISION.stream).isEqualTo("decisions");
        }
    }
}
