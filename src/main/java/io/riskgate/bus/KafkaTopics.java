package io.riskgate.bus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.database.Outbox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The bus's second transport (issue 17, docs/events.md), for a firm that runs Kafka rather than Redis: the same
 * outbox, sent to one topic per kind ({@code riskgate.decisions}, {@code riskgate.exit-instructions}, ...), each record
 * keyed by its account (one account's events stay in order on one partition) and carrying the event's number as
 * {@code seq}. The producer is idempotent and waits for every in-sync replica ({@code acks=all}); a batch that fails
 * part way is sent again whole, so a consumer may see an event twice, always with its {@code seq} and {@code id}:
 * keeping the highest {@code seq} seen per partition drops every repeat.
 */
public final class KafkaTopics extends OutboxPublisher {

    /**
     * Where and how: the brokers, the topics' prefix, at most {@code batch} events a round, the longest pause
     * while Kafka is away, and further producer settings ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}).
     */
    public record Settings(String bootstrapServers, String prefix, int batch, Duration maxBackoff,
                           Map<String, String> producer) {

        public Settings {
            if (bootstrapServers == null || !bootstrapServers.matches("[A-Za-z0-9_.:\\[\\],-]{1,1000}")) {
                throw new IllegalArgumentException(
                        "riskgate.bus.kafka.bootstrap-servers must be host:port[,host:port]");
            }
            if (prefix == null || !prefix.matches("[A-Za-z0-9_.-]{1,100}")) {
                throw new IllegalArgumentException("riskgate.bus.kafka.prefix must be 1-100 letters, digits, _ . -");
            }
            if (batch < 1 || batch > 10_000) {
                throw new IllegalArgumentException("riskgate.bus.kafka.batch must be 1-10000");
            }
            producer = Map.copyOf(producer);
        }

        /** The topic an event of {@code kind} goes to. */
        public String topic(Outbox.Kind kind) {
            return prefix + "." + kind.stream;
        }
    }

    private final Settings settings;
    private final KafkaProducer<String, String> producer;
    private final ObjectMapper json = new ObjectMapper();

    public KafkaTopics(Outbox outbox, Settings settings) {
        super(outbox, "Kafka", settings.batch(), settings.maxBackoff());
        this.settings = settings;
        Map<String, Object> config = new HashMap<>(settings.producer());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // nothing waits long on an absent cluster: the events stay in the outbox and the publisher tries again
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    @Override
    public KafkaTopics start() {
        super.start();
        return this;
    }

    @Override
    protected int send(List<Outbox.Event> events) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        for (Outbox.Event e : events) {
            ProducerRecord<String, String> record = new ProducerRecord<>(settings.topic(e.kind()), e.account(),
                    value(e));
            record.headers().add("id", e.eventId().getBytes(StandardCharsets.UTF_8));
            record.headers().add("kind", e.kind().name().getBytes(StandardCharsets.UTF_8));
            acks.add(producer.send(record));
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get(15, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException(String.valueOf(e.getCause().getMessage()), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka did not acknowledge within 15 s", e);
            }
        }
        return 0;
    }

    /** The record's value: the entry's fields of the Redis transport, {@code seq} added and {@code data} as JSON. */
    String value(Outbox.Event e) {
        ObjectNode v = json.createObjectNode();
        v.put("seq", e.id());
        RedisStreams.fields(e).forEach((k, x) -> {
            if (!k.equals("data")) {
                v.put(k, x);
            }
        });
        try {
            v.set("data", json.readTree(e.payload()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
            v.put("data", e.payload());
        }
        return v.toString();
    }

    @Override
    public String destination() {
        return settings.prefix() + ".*";
    }

    @Override
    protected void closeTransport() {
        producer.close(Duration.ofSeconds(2));
    }
}
