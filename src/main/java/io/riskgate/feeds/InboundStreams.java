package io.riskgate.feeds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.riskgate.database.GroupCommit;
import io.riskgate.exits.ExitService;
import io.riskgate.market.BarsParser;
import io.riskgate.market.MarkParser;
import io.riskgate.market.MarketData;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.security.ApiKey;
import io.riskgate.security.ApiKeys;
import io.riskgate.security.Role;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The inbound bus (issue 17, docs/events.md): marks, bars, equity reports, fills and closes consumed from Redis
 * Streams ({@code riskgate:in:marks}, {@code :in:bars}, {@code :in:equity}, {@code :in:fills},
 * {@code :in:closes}) with a
 * consumer group, each applied exactly as its REST call is (the same parser, the same service, the same audit), as
 * the API key the streams are bound to, which must be active and hold the role and the account the REST call asks
 * for (FEED for marks, bars and equity; TRADER for fills and closes) when each entry is applied. An entry whose
 * body is refused, or that arrives while the key is not allowed, is parked on {@code riskgate:in:dead} with the reason
 * and acknowledged; one that fails for another reason (the database away) stays pending and is tried again.
 * Entries applied are recorded ({@code bus_inbound}) before they are acknowledged, so a redelivered entry is
 * acknowledged without being applied twice. Between an entry's apply and its record a crash can come: a mark, a bar,
 * an equity report is then applied again (the same price or report at the same time, which changes nothing more),
 * a fill is refused as already filled; a close, which would close twice, is recorded as being applied before it is,
 * and one found so after a crash is parked with the reason, never applied twice.
 */
public final class InboundStreams implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InboundStreams.class);
    /** The most bars one entry may carry: as the REST batch. */
    public static final int MAX_BARS = 10_000;
    /** The largest {@code data} an entry may carry: the REST limits (4 MB for bars, 8 KB for the rest). */
    static final int MAX_BARS_BYTES = 4 * 1024 * 1024;
    static final int MAX_OTHER_BYTES = 8 * 1024;
    /** How often an entry may fail for a reason that is not its own before it is parked, so that it blocks no more. */
    static final int MAX_ATTEMPTS = 5;
    /** A consumer's pending entries idle this long are taken over (a consumer that died, or another instance's). */
    static final Duration CLAIM_IDLE = Duration.ofSeconds(60);
    /** The dead-letter stream is trimmed to about this many entries. */
    static final long DEAD_MAX_LENGTH = 100_000;

    /** Where: the Redis URI, the streams' prefix, the consumer group and this consumer, the API key bound to. */
    public record Settings(String url, String prefix, String group, String consumer, String keyId,
                           Optional<java.nio.file.Path> caCertificate) {

        public Settings(String url, String prefix, String group, String consumer, String keyId) {
            this(url, prefix, group, consumer, keyId, Optional.empty());
        }

        public Settings {
            if (url == null || !url.matches("rediss?://.+")) {
                throw new IllegalArgumentException("riskgate.bus.redis.url must be a redis:// or rediss:// URI");
            }
            for (String name : List.of(prefix, group, consumer)) {
                if (name == null || !name.matches("[A-Za-z0-9_.:@-]{1,64}")) {
                    throw new IllegalArgumentException("riskgate.bus.inbound: prefix, group and consumer are 1-64 "
                            + "letters, digits, _ . : @ -, was '" + name + "'");
                }
            }
            if (keyId == null || !keyId.matches("[a-z0-9]{10}")) {
                throw new IllegalArgumentException("riskgate.bus.inbound.key-id must name an API key (the 10 "
                        + "characters after rg_)");
            }
        }

        public String marks() {
            return prefix + ":in:marks";
        }

        public String bars() {
            return prefix + ":in:bars";
        }

        public String equity() {
            return prefix + ":in:equity";
        }

        public String fills() {
            return prefix + ":in:fills";
        }

        public String closes() {
            return prefix + ":in:closes";
        }

        /** Every inbound stream. */
        public List<String> streams() {
            return List.of(marks(), bars(), equity(), fills(), closes());
        }

        public String dead() {
            return prefix + ":in:dead";
        }
    }

    private final ExitService exits;
    private final MarketData market;
    private final io.riskgate.lifecycle.TradeService trades;
    private final io.riskgate.portfolio.Portfolio portfolio;
    private final io.riskgate.audit.AuditStore audit;
    private final io.riskgate.rules.RuleSetRegistry registry;
    private final ApiKeys keys;
    private final GroupCommit commits;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final Settings settings;
    private final io.riskgate.bus.RedisLink redis;
    private final Thread thread;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong parked = new AtomicLong();
    private volatile boolean closed;
    private volatile boolean connected = true;
    private final Map<String, Integer> attempts = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long prunedAt;

    public InboundStreams(ExitService exits, MarketData market, io.riskgate.lifecycle.TradeService trades,
                          io.riskgate.portfolio.Portfolio portfolio, io.riskgate.audit.AuditStore audit,
                          io.riskgate.rules.RuleSetRegistry registry, ApiKeys keys, GroupCommit commits,
                          DataSource dataSource, ObjectMapper json, Clock clock, Settings settings) {
        this.exits = exits;
        this.market = market;
        this.trades = trades;
        this.portfolio = portfolio;
        this.audit = audit;
        this.registry = registry;
        this.keys = keys;
        this.commits = commits;
        this.jdbc = new JdbcTemplate(dataSource);
        this.json = json;
        this.clock = clock;
        this.settings = settings;
        // a read blocks up to its own wait: the timeout leaves it room
        this.redis = new io.riskgate.bus.RedisLink(settings.url(), settings.caCertificate(), Duration.ofSeconds(10));
        this.thread = new Thread(this::run, "riskgate-bus-in");
        thread.setDaemon(true);
    }

    public InboundStreams start() {
        thread.start();
        return this;
    }

    private void run() {
        io.riskgate.bus.Backoff.loop(() -> closed, 5_000, () -> consumeOnce(Duration.ofMillis(500)),
                () -> connected = true, e -> {
                    if (connected) {
                        LOG.error("bus inbound: {}; entries stay pending and are tried again", e.toString());
                    }
                    connected = false;
                    redis.reset();
                });
    }

    /**
     * Reads this consumer's pending entries (redelivered after a failure or a crash), else new ones (waiting up to
     * {@code block}), and handles each; returns how many. Public for tests that drive the consumer step by step.
     */
    public int consumeOnce(Duration block) {
        RedisCommands<String, String> redis = this.redis.connection().sync();
        groups(redis);
        Consumer<String> me = Consumer.from(settings.group(), settings.consumer());
        // entries a consumer that died (or another instance) left pending take over after a minute idle
        for (String stream : settings.streams()) {
            redis.xautoclaim(stream, io.lettuce.core.XAutoClaimArgs.Builder.xautoclaim(me, CLAIM_IDLE, "0-0")
                    .count(100));
        }
        prune();
        List<StreamMessage<String, String>> entries = redis.xreadgroup(me, XReadArgs.Builder.count(100),
                offsets(s -> XReadArgs.StreamOffset.from(s, "0")));
        if (entries.isEmpty()) {
            entries = redis.xreadgroup(me, XReadArgs.Builder.count(100).block(block),
                    offsets(XReadArgs.StreamOffset::lastConsumed));
        }
        for (StreamMessage<String, String> e : entries) {
            try {
                handle(redis, e);
                attempts.remove(e.getId());
            } catch (RuntimeException failed) {
                // not the entry's own fault (the database away): tried again, but an entry that keeps failing is
                // parked, so that it does not hold up every entry behind it
                int n = attempts.merge(e.getId(), 1, Integer::sum);
                if (n < MAX_ATTEMPTS) {
                    throw failed;
                }
                attempts.remove(e.getId());
                park(redis, e, "failed " + n + " times: " + failed);
                record(e, "PARKED", outcomeOf(e).isPresent());
                redis.xack(e.getStream(), settings.group(), e.getId());
            }
        }
        return entries.size();
    }

    /** Records of entries handled more than a day ago go: a redelivery comes within minutes (CLAIM_IDLE). */
    private void prune() {
        long now = clock.millis();
        if (now - prunedAt < 600_000) {
            return;
        }
        prunedAt = now;
        commits.execute(status -> jdbc.update("DELETE FROM bus_inbound WHERE processed_at < ? AND outcome <> ?",
                Timestamp.from(clock.instant().minus(Duration.ofDays(1))), APPLYING));
    }

    /** Onto the dead-letter stream: where the entry was, why, and its fields (a long one cut, with its length). */
    private void park(RedisCommands<String, String> redis, StreamMessage<String, String> e, String reason) {
        Map<String, String> dead = new LinkedHashMap<>();
        dead.put("stream", e.getStream());
        dead.put("entry", e.getId());
        dead.put("reason", reason.length() > 4_000 ? reason.substring(0, 4_000) + "..." : reason);
        e.getBody().forEach((k, v) -> dead.put("body." + k, v.length() > 8_192
                ? v.substring(0, 1_000) + "... (" + v.length() + " characters)" : v));
        redis.xadd(settings.dead(), io.lettuce.core.XAddArgs.Builder.maxlen(DEAD_MAX_LENGTH).approximateTrimming(),
                dead);
        parked.incrementAndGet();
    }

    @SuppressWarnings("unchecked")
    private XReadArgs.StreamOffset<String>[] offsets(
            java.util.function.Function<String, XReadArgs.StreamOffset<String>> offset) {
        return settings.streams().stream().map(offset).toArray(XReadArgs.StreamOffset[]::new);
    }

    private void groups(RedisCommands<String, String> redis) {
        for (String stream : settings.streams()) {
            try {
                redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), settings.group(),
                        XGroupCreateArgs.Builder.mkstream());
            } catch (RedisBusyException exists) {
                // BUSYGROUP: made by an earlier start or another instance
            }
        }
    }

    private void handle(RedisCommands<String, String> redis, StreamMessage<String, String> e) {
        Optional<String> before = outcomeOf(e);
        if (before.isPresent() && !before.get().equals(APPLYING)) {
            // applied (or parked) before a crash that came before its acknowledgement
            redis.xack(e.getStream(), settings.group(), e.getId());
            return;
        }
        // a close applied twice would close twice: it is marked as being applied, durably, before it is
        boolean once = e.getStream().equals(settings.closes());
        String refused = null;
        if (before.isPresent()) {
            refused = "read before a crash and perhaps applied: riskgate does not apply a close twice; see the trade's "
                    + "closes (GET /api/v1/trades/{id}) and send it again if it is not among them";
        } else {
            if (once) {
                record(e, APPLYING, false);
            }
            refused = applyOrRefusal(e);
        }
        if (refused != null) {
            park(redis, e, refused);
        } else {
            applied.incrementAndGet();
        }
        record(e, refused == null ? "APPLIED" : "PARKED", once || before.isPresent());
        redis.xack(e.getStream(), settings.group(), e.getId());
    }

    private static final String APPLYING = "APPLYING";

    /** Applies the entry; null when applied, else why it was refused (and nothing applied). */
    private String applyOrRefusal(StreamMessage<String, String> e) {
        try {
            String data = e.getBody().get("data");
            if (data == null) {
                throw new InvalidRequestException(List.of(new io.riskgate.order.FieldProblem("data",
                        "is required: the body of the REST call, as JSON")));
            }
            int limit = e.getStream().equals(settings.bars()) ? MAX_BARS_BYTES : MAX_OTHER_BYTES;
            if (data.length() > limit) {
                throw new InvalidRequestException(List.of(new io.riskgate.order.FieldProblem("data",
                        "is " + data.length() + " characters; at most " + limit + ", as the REST call takes")));
            }
            JsonNode body = json.readTree(data);
            apply(e, body);
            return null;
        } catch (InvalidRequestException bad) {
            return bad.getMessage();
        } catch (IllegalArgumentException bad) {
            // what the REST call answers 400 for past its parser, e.g. a mark timed too far ahead of the clock
            return bad.getMessage();
        } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
            return "data is not JSON: " + notJson.getOriginalMessage();
        } catch (NotAllowed no) {
            return no.getMessage();
        } catch (io.riskgate.errors.ConflictException | io.riskgate.errors.NotFoundException conflict) {
            // what the REST call answers 409 or 404 for: a fill of a decision already filled, a close of a closed trade
            return conflict.getMessage();
        }
    }

    /** The entry's outcome, durable (a group commit's unit): a new row, or the one {@code APPLYING} left. */
    private void record(StreamMessage<String, String> e, String outcome, boolean update) {
        commits.execute(status -> update
                ? jdbc.update("UPDATE bus_inbound SET outcome = ?, processed_at = ? WHERE stream = ? AND entry_id = ?",
                        outcome, Timestamp.from(clock.instant()), e.getStream(), e.getId())
                : jdbc.update("INSERT INTO bus_inbound (stream, entry_id, processed_at, outcome) VALUES (?,?,?,?)",
                        e.getStream(), e.getId(), Timestamp.from(clock.instant()), outcome));
    }

    private Optional<String> outcomeOf(StreamMessage<String, String> e) {
        return jdbc.queryForList("SELECT outcome FROM bus_inbound WHERE stream = ? AND entry_id = ?", String.class,
                e.getStream(), e.getId()).stream().findFirst();
    }

    /** One entry applied as its REST call, as the bound key, which must be allowed what that call asks for. */
    private void apply(StreamMessage<String, String> e, JsonNode body) {
        String stream = e.getStream();
        if (stream.equals(settings.marks())) {
            allowed(Role.FEED, null);
            exits.mark(MarkParser.parse(body));
        } else if (stream.equals(settings.bars())) {
            allowed(Role.FEED, null);
            market.ingest(BarsParser.json(body, MAX_BARS));
        } else if (stream.equals(settings.equity())) {
            String account = field(e, "account");
            allowed(Role.FEED, account);
            portfolio.reportEquity(io.riskgate.portfolio.EquitySnapshot.parse(account, body,
                    registry.active().policy().portfolio(), clock.instant()));
        } else if (stream.equals(settings.fills())) {
            // the decision as parsed, the one the fill is applied to; none found: nothing to fill, and the key must
            // still be a trader's
            io.riskgate.lifecycle.FillRequest fill = io.riskgate.lifecycle.FillRequest.parse(body);
            String account = audit.find(fill.decisionId()).map(r -> r.decision().account()).orElse(null);
            allowed(Role.TRADER, account);
            trades.fill(fill);
        } else {
            String trade = field(e, "trade");
            allowed(Role.TRADER, trades.detail(trade).trade().account());
            trades.close(trade, io.riskgate.lifecycle.CloseRequest.parse(body));
        }
    }

    private static String field(StreamMessage<String, String> e, String name) {
        String v = e.getBody().get(name);
        if (v == null || v.isBlank()) {
            throw new InvalidRequestException(List.of(new io.riskgate.order.FieldProblem(name,
                    "is required: the entry's " + name + ", as the REST call's path names it")));
        }
        return v;
    }

    /**
     * The bound key, checked at every entry: active, unexpired, with {@code role} and, when the call is for an
     * account, naming it (null: a call for no one account, as a mark or a bar).
     */
    private void allowed(Role role, String account) {
        Optional<ApiKey> key = keys.find(settings.keyId());
        String why = key.isEmpty() ? "no API key " + settings.keyId()
                : key.get().revokedAt().isPresent() ? "API key " + settings.keyId() + " was revoked"
                : !key.get().expiresAt().isAfter(clock.instant()) ? "API key " + settings.keyId() + " has expired"
                : !key.get().roles().contains(role) ? "API key " + settings.keyId() + " lacks the " + role + " role"
                : account != null && !key.get().accounts().contains(io.riskgate.security.Caller.ALL_ACCOUNTS)
                        && !key.get().accounts().contains(account)
                        ? "API key " + settings.keyId() + " does not name account " + account
                : null;
        if (why != null) {
            throw new NotAllowed("the inbound streams' principal is not allowed: " + why);
        }
    }

    private static final class NotAllowed extends RuntimeException {
        NotAllowed(String message) {
            super(message);
        }
    }

    public long applied() {
        return applied.get();
    }

    public long parked() {
        return parked.get();
    }

    public boolean connected() {
        return connected;
    }

    @Override
    public void close() {
        closed = true;
        io.riskgate.bus.Backoff.stop(thread);
        redis.close();
    }
}
