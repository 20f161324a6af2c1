package io.riskgate.config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.riskgate.bus.RedisStreams;
import io.riskgate.runtime.RiskgateRuntime;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The bus (issue 17, docs/events.md), on only when {@code riskgate.bus.redis.url} (Redis Streams) or
 * {@code riskgate.bus.kafka.bootstrap-servers} (Kafka topics) is set, one of the two: the outbox starts taking events
 * before the service answers anything, the publisher sends them, {@code /actuator/health} has a {@code bus} component
 * (DOWN while the transport cannot be reached; the liveness and readiness probes leave it out, since checks go on
 * without it) and the metrics {@code riskgate.bus.backlog}, {@code riskgate.bus.connected}, {@code riskgate.bus.sent}.
 */
@Configuration
@org.springframework.boot.autoconfigure.condition.ConditionalOnExpression(
        "'${riskgate.bus.redis.url:}' != '' or '${riskgate.bus.kafka.bootstrap-servers:}' != ''")
class BusConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "riskgate.bus.redis.url")
    RedisStreams redisStreams(RiskgateRuntime rt, MeterRegistry meters,
                              @Value("${riskgate.bus.redis.url}") String url,
                              @Value("${riskgate.bus.redis.prefix:riskgate}") String prefix,
                              @Value("${riskgate.bus.redis.max-length:1000000}") long maxLength,
                              @Value("${riskgate.bus.redis.batch:500}") int batch,
                              @Value("${riskgate.bus.redis.max-backoff:5s}") Duration maxBackoff,
                              @Value("${riskgate.bus.redis.ca-certificate:}") String ca) {
        return measured(new RedisStreams(rt.outbox(), new RedisStreams.Settings(url, prefix, maxLength, batch,
                maxBackoff, caCertificate(ca))).start(), rt, meters);
    }

    /**
     * Kafka instead of Redis: {@code riskgate.bus.kafka.bootstrap-servers}, topics {@code <prefix>.decisions} and so
     * on, further producer settings (TLS, SASL) as {@code riskgate.bus.kafka.properties.*}.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "riskgate.bus.kafka.bootstrap-servers")
    io.riskgate.bus.KafkaTopics kafkaTopics(RiskgateRuntime rt, MeterRegistry meters,
                                            org.springframework.core.env.Environment env,
                                            @Value("${riskgate.bus.kafka.bootstrap-servers}") String servers,
                                            @Value("${riskgate.bus.kafka.prefix:riskgate}") String prefix,
                                            @Value("${riskgate.bus.kafka.batch:500}") int batch,
                                            @Value("${riskgate.bus.kafka.max-backoff:5s}") Duration maxBackoff,
                                            @Value("${riskgate.bus.redis.url:}") String redis) {
        if (!redis.isBlank()) {
            throw new IllegalStateException("the bus has one transport: set riskgate.bus.redis.url or "
                    + "riskgate.bus.kafka.bootstrap-servers, not both");
        }
        java.util.Map<String, String> producer = org.springframework.boot.context.properties.bind.Binder.get(env)
                .bind("riskgate.bus.kafka.properties", org.springframework.boot.context.properties.bind.Bindable
                        .mapOf(String.class, String.class)).orElse(java.util.Map.of());
        return measured(new io.riskgate.bus.KafkaTopics(rt.outbox(), new io.riskgate.bus.KafkaTopics.Settings(servers,
                prefix, batch, maxBackoff, producer)).start(), rt, meters);
    }

    private static <P extends io.riskgate.bus.OutboxPublisher> P measured(P bus, RiskgateRuntime rt,
                                                                           MeterRegistry meters) {
        Gauge.builder("riskgate.bus.backlog", rt.outbox(), o -> o.backlog())
                .description("events durable in the outbox, not yet sent to the bus").register(meters);
        Gauge.builder("riskgate.bus.connected", bus, b -> b.connected() ? 1 : 0)
                .description("1 while the bus's last attempt reached its transport").register(meters);
        FunctionCounter.builder("riskgate.bus.sent", bus, io.riskgate.bus.OutboxPublisher::sent)
                .description("events sent to the bus").register(meters);
        return bus;
    }

    /**
     * The inbound streams (marks and bars), when {@code riskgate.bus.inbound.key-id} names the API key they act as:
     * consumer group {@code riskgate.bus.inbound.group} (default riskgate), this instance's consumer name
     * {@code riskgate.bus.inbound.consumer} (default host and process id).
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "riskgate.bus.inbound.key-id")
    io.riskgate.feeds.InboundStreams inboundStreams(RiskgateRuntime rt, io.riskgate.security.ApiKeys keys,
                                                   MeterRegistry meters,
                                                   javax.sql.DataSource dataSource,
                                                   @Value("${riskgate.bus.redis.url:}") String url,
                                                   @Value("${riskgate.bus.redis.prefix:riskgate}") String prefix,
                                                   @Value("${riskgate.bus.inbound.group:riskgate}") String group,
                                                   @Value("${riskgate.bus.inbound.consumer:}") String consumer,
                                                   @Value("${riskgate.bus.inbound.key-id}") String keyId,
                                                   @Value("${riskgate.bus.redis.ca-certificate:}") String ca) {
        if (url.isBlank()) {
            throw new IllegalStateException("the inbound bus reads Redis Streams: riskgate.bus.inbound.key-id needs "
                    + "riskgate.bus.redis.url");
        }
        String me = consumer.isBlank() ? (hostName() + "-" + ProcessHandle.current().pid()) : consumer;
        io.riskgate.feeds.InboundStreams in = new io.riskgate.feeds.InboundStreams(rt.exits(), rt.market(),
                rt.trades(), rt.portfolio(), rt.audit(), rt.registry(), keys, rt.commits(), dataSource, rt.json(),
                rt.clock(), new io.riskgate.feeds.InboundStreams.Settings(url, prefix, group, me, keyId,
                caCertificate(ca))).start();
        FunctionCounter.builder("riskgate.bus.inbound.applied", in, io.riskgate.feeds.InboundStreams::applied)
                .description("inbound entries applied").register(meters);
        FunctionCounter.builder("riskgate.bus.inbound.parked", in, io.riskgate.feeds.InboundStreams::parked)
                .description("inbound entries parked on the dead-letter stream").register(meters);
        Gauge.builder("riskgate.bus.inbound.connected", in, i -> i.connected() ? 1 : 0)
                .description("1 while the inbound bus's last read reached Redis").register(meters);
        return in;
    }

    /** The PEM file of the CA a TLS Redis's certificate is verified against; none: the JVM's trust store. */
    private static java.util.Optional<java.nio.file.Path> caCertificate(String ca) {
        return ca.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(java.nio.file.Path.of(ca));
    }

    private static String hostName() {
        try {
            String host = java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_.-]", "_");
            return host.substring(0, Math.min(host.length(), 40));
        } catch (java.net.UnknownHostException e) {
            return "riskgate";
        }
    }

    @Bean("bus")
    HealthIndicator busHealth(io.riskgate.bus.OutboxPublisher bus, RiskgateRuntime rt,
                              org.springframework.beans.factory.ObjectProvider<io.riskgate.feeds.InboundStreams>
                                      inbound) {
        return () -> {
            io.riskgate.feeds.InboundStreams in = inbound.getIfAvailable();
            boolean up = bus.connected() && (in == null || in.connected());
            Health.Builder h = up ? Health.up() : Health.down();
            if (in != null) {
                h.withDetail("inbound", java.util.Map.of("connected", in.connected(), "applied", in.applied(),
                        "parked", in.parked()));
            }
            h.withDetail("streams", bus.destination()).withDetail("sent", bus.sent())
                    .withDetail("duplicates", bus.duplicates());
            try {
                h.withDetail("backlog", rt.outbox().backlog());
            } catch (RuntimeException e) {
                h.withDetail("backlog", "unknown: " + e.getMessage());
            }
            if (bus.lastError() != null) {
                h.withDetail("error", bus.lastError());
            }
            return h.build();
        };
    }
}
