package io.riskgate.bus;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.riskgate.database.Outbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound bus (issue 17, docs/events.md): sends the outbox's events to Redis Streams, one stream per kind
 * ({@code riskgate:decisions}, {@code riskgate:exit-instructions}, {@code riskgate:emergency-instructions},
 * {@code riskgate:breakers}, {@code riskgate:alerts}), in the order they committed, from one thread that nothing on
 * the pre-trade path waits for. Each entry's stream id is the event's number ({@code 41-0}), so an event sent twice
 * (a crash after the send, before the outbox learnt of it) is refused by Redis as not newer than the stream's last
 * entry: a consumer group sees every event once. While Redis cannot be reached the events wait in the outbox, and the
 * publisher tries again after a pause that doubles up to {@link Settings#maxBackoff}.
 */
public final class RedisStreams implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreams.class);

    /**
     * Where and how: {@code url} a Redis URI ({@code redis://} or {@code rediss://} for TLS, with the user and
     * password in it), the streams' {@code prefix}, each stream trimmed to about {@code maxLength} entries, at most
     * {@code batch} events a round trip, and the longest pause between attempts while Redis is away.
     */
    public record Settings(String url, String prefix, long maxLength, int batch, Duration maxBackoff,
                           java.util.Optional<java.nio.file.Path> caCertificate) {

        public Settings(String url, String prefix, long maxLength, int batch, Duration maxBackoff) {
            this(url, prefix, maxLength, batch, maxBackoff, java.util.Optional.empty());
        }

        public Settings {
            if (url == null || !url.matches("rediss?://.+")) {
                throw new IllegalArgumentException("riskgate.bus.redis.url must be a redis:// or rediss:// URI");
            }
            if (prefix == null || !prefix.matches("[A-Za-z0-9_.:-]{1,64}")) {
                throw new IllegalArgumentException("riskgate.bus.redis.prefix must be 1-64 letters, digits, _ . : -");
            }
            if (maxLength < 1_000 || batch < 1 || batch > 10_000) {
                throw new IllegalArgumentException("riskgate.bus.redis: max-length at least 1000, batch 1-10000");
            }
        }

        /** The stream an event of {@code kind} goes to. */
        public String stream(Outbox.Kind kind) {
            return prefix + ":" + kind.stream;
        }
    }

    private final Outbox outbox;
    private final Settings settings;
    private final RedisClient client;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile String lastError;

    public RedisStreams(Outbox outbox, Settings settings) {
        this.outbox = outbox;
        this.settings = settings;
        // a command while disconnected fails at once (the events stay in the outbox), and none waits past 5 s
        this.client = client(settings.url(), settings.caCertificate(), Duration.ofSeconds(5));
        this.thread = new Thread(this::run, "riskgate-bus");
        thread.setDaemon(true);
    }

    /** Starts sending; the outbox must be on before any record it should carry is written. */
    public RedisStreams start() {
        outbox.enable();
        thread.start();
        return this;
    }

    private void run() {
        long pause = 50;
        while (!closed) {
            try {
                if (publishOnce() == 0) {
                    sleep(50);
                }
                if (!connected) {
                    LOG.info("bus: connected to Redis; events flow again");
                }
                connected = true;
                lastError = null;
                pause = 50;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                if (connected || lastError == null) {
                    LOG.error("bus: cannot send to Redis ({}); events wait in the outbox (backlog {}) and the bus "
                            + "tries again", e.getMessage(), backlogOrUnknown());
                }
                connected = false;
                lastError = String.valueOf(e.getMessage());
                sleep(pause);
                pause = Math.min(pause * 2, settings.maxBackoff().toMillis());
            }
        }
    }

    /**
     * Sends the oldest unpublished events, one round trip, and marks them published in the outbox; returns how many.
     * Public for tests that drive the publisher step by step.
     */
    public int publishOnce() {
        List<Outbox.Event> events = outbox.unpublished(settings.batch());
        if (events.isEmpty()) {
            return 0;
        }
        var commands = connection().async();
        List<RedisFuture<String>> replies = new ArrayList<>(events.size());
        for (Outbox.Event e : events) {
            replies.add(commands.xadd(settings.stream(e.kind()), new XAddArgs().id(e.id() + "-0")
                    .maxlen(settings.maxLength()).approximateTrimming(), fields(e)));
        }
        if (!LettuceFutures.awaitAll(Duration.ofSeconds(10), replies.toArray(new RedisFuture[0]))) {
            throw new IllegalStateException("Redis did not answer within 10 s");
        }
        for (RedisFuture<String> r : replies) {
            try {
                r.get(0, TimeUnit.MILLISECONDS);
                sent.incrementAndGet();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RedisCommandExecutionException refused
                        && String.valueOf(refused.getMessage()).contains("equal or smaller")) {
                    // sent before a crash let the outbox know: the stream has it once
                    duplicates.incrementAndGet();
                    continue;
                }
                throw new IllegalStateException(String.valueOf(e.getCause().getMessage()), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("Redis did not answer", e);
            }
        }
        outbox.published(events.get(events.size() - 1).id());
        return events.size();
    }

    /**
     * A Redis client for {@code url} ({@code rediss://} for TLS, the user and password in it) that reconnects by
     * itself, refuses commands while disconnected and gives each at most {@code timeout}; a TLS server's certificate
     * is verified against {@code caCertificate} (PEM) when given, else the JVM's trust store.
     */
    public static RedisClient client(String url, java.util.Optional<java.nio.file.Path> caCertificate,
                                     Duration timeout) {
        RedisClient client = RedisClient.create(RedisURI.create(url));
        ClientOptions.Builder options = ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout));
        caCertificate.ifPresent(ca -> options.sslOptions(io.lettuce.core.SslOptions.builder()
                .trustManager(ca.toFile()).build()));
        client.setOptions(options.build());
        return client;
    }

    /** An entry's fields: the event's id, kind, account, policy, audit record, time and the record as JSON. */
    static Map<String, String> fields(Outbox.Event e) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", e.eventId());
        f.put("kind", e.kind().name());
        if (e.account() != null) {
            f.put("account", e.account());
        }
        if (e.policy() != null) {
            f.put("policy", e.policy());
        }
        f.put("audit", e.auditId());
        f.put("at", e.occurredAt().toString());
        f.put("data", e.payload());
        return f;
    }

    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null || !c.isOpen()) {
            c = client.connect();
            connection = c;
        }
        return c;
    }

    private String backlogOrUnknown() {
        try {
            return String.valueOf(outbox.backlog());
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the last attempt reached Redis. */
    public boolean connected() {
        return connected;
    }

    /** Why the last attempt failed, or null. */
    public String lastError() {
        return lastError;
    }

    /** Events sent since the start, and those Redis already had. */
    public long sent() {
        return sent.get();
    }

    public long duplicates() {
        return duplicates.get();
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
