package io.riskgate.bus;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XAddArgs;
import io.riskgate.database.Outbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The outbound bus (issue 17, docs/events.md): sends the outbox's events to Redis Streams, one stream per kind
 * ({@code riskgate:decisions}, {@code riskgate:exit-instructions}, {@code riskgate:emergency-instructions},
 * {@code riskgate:breakers}, {@code riskgate:alerts}), in the order they committed, from one thread that nothing on
 * the pre-trade path waits for. Each entry's stream id is the event's number ({@code 41-0}), so an event sent twice
 * (a crash after the send, before the outbox learnt of it) is refused by Redis as not newer than the stream's last
 * entry: a consumer group sees every event once. While Redis cannot be reached the events wait in the outbox, and the
 * publisher tries again after a pause that doubles up to {@link Settings#maxBackoff}.
 */
public final class RedisStreams extends OutboxPublisher {

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

    private final Settings settings;
    private final RedisLink redis;

    public RedisStreams(Outbox outbox, Settings settings) {
        super(outbox, "Redis", settings.batch(), settings.maxBackoff());
        this.settings = settings;
        // a command while disconnected fails at once (the events stay in the outbox), and none waits past 5 s
        this.redis = new RedisLink(settings.url(), settings.caCertificate(), Duration.ofSeconds(5));
    }

    @Override
    public RedisStreams start() {
        super.start();
        return this;
    }

    /** One round trip: every event XADDed with its number as the entry id; a duplicate is counted, not an error. */
    @Override
    protected int send(List<Outbox.Event> events) {
        var commands = redis.connection().async();
        List<RedisFuture<String>> replies = new ArrayList<>(events.size());
        for (Outbox.Event e : events) {
            replies.add(commands.xadd(settings.stream(e.kind()), new XAddArgs().id(e.id() + "-0")
                    .maxlen(settings.maxLength()).approximateTrimming(), fields(e)));
        }
        // each reply on its own: a refused id is an answer to look at, not a failure of the batch (LettuceFutures'
        // awaitAll throws the first refusal, and a batch partly stored before a crash was then never sent again)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int held = 0;
        for (int i = 0; i < replies.size(); i++) {
            try {
                replies.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RedisCommandExecutionException refused
                        && String.valueOf(refused.getMessage()).contains("equal or smaller")) {
                    // sent before a crash let the outbox know: the stream has it once, if it is this event
                    sameEventHeld(events.get(i));
                    held++;
                    continue;
                }
                throw new IllegalStateException(String.valueOf(e.getCause().getMessage()), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("Redis did not answer within 10 s", e);
            }
        }
        return held;
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

    public Settings settings() {
        return settings;
    }

    /**
     * The entry a refused id names must be the event sent before: another event there means the outbox and the
     * stream disagree (a database restored from a backup, a new database on an old stream), and sending on would
     * lose events silently, so the bus stops, saying why (health DOWN, logged). An entry trimmed away cannot be
     * compared: it was sent.
     */
    private void sameEventHeld(Outbox.Event e) {
        String stream = settings.stream(e.kind());
        String id = e.id() + "-0";
        var entries = redis.connection().sync().xrange(stream, io.lettuce.core.Range.create(id, id));
        if (!entries.isEmpty() && !e.eventId().equals(entries.get(0).getBody().get("id"))) {
            throw new IllegalStateException(stream + " holds event " + entries.get(0).getBody().get("id") + " at " + id
                    + ", where the outbox has " + e.eventId() + ": the database and the stream disagree (a restored "
                    + "backup, or a new database on an old stream); nothing more is sent until an operator resolves "
                    + "it (docs/events.md)");
        }
    }

    @Override
    public String destination() {
        return settings.prefix() + ":*";
    }

    @Override
    protected void failed() {
        redis.reset();
    }

    @Override
    protected void closeTransport() {
        redis.close();
    }
}
