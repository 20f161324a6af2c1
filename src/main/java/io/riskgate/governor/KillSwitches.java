package io.riskgate.governor;

import io.riskgate.database.RowIds;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The firm's kill switches: an officer halts new orders on every account (scope {@code ALL}) or of one strategy on
 * every account (scope {@code STRATEGY:<name>}) until an officer resets it. A check on a halted scope is refused
 * ({@code KILL_SWITCH}, rules/controls.drl). Switches in force are stored (table {@code kill_switch}) and read back
 * at start; every TRIP and RESET is logged with who, when and why ({@code kill_switch_event}) and durable before
 * the officer's answer. Exits, fills and closes are not switched off: the switch stops new risk only.
 */
public final class KillSwitches {

    /** A switch in force: its scope, when and by whom it was tripped, and why. */
    public record Switch(String scope, Instant trippedAt, String actor, String reason) {
    }

    /** One logged TRIP or RESET. */
    public record Event(long id, String scope, String action, String actor, String reason, Instant at) {
    }

    /** No switches and nowhere to store one: previews (scenario tests, what-if). */
    public static final KillSwitches NONE = new KillSwitches();

    private final JdbcTemplate jdbc;
    private final TransactionOperations tx;
    private final RowIds eventIds;
    private final Clock clock;
    private final Map<String, Switch> inForce = new ConcurrentHashMap<>();
    /** Whether other processes may trip switches on the database (PostgreSQL). */
    private final boolean shared;

    private KillSwitches() {
        this.jdbc = null;
        this.tx = null;
        this.eventIds = null;
        this.clock = null;
        this.shared = false;
    }

    /** The switches of the database behind {@code dataSource}, those in force read now; writes go through {@code tx}. */
    public KillSwitches(DataSource dataSource, TransactionOperations tx, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = tx;
        this.eventIds = RowIds.of(dataSource, "kill_switch_event", "id");
        this.clock = clock;
        this.shared = io.riskgate.database.Dialect.of(dataSource) == io.riskgate.database.Dialect.POSTGRESQL;
        inForce.putAll(stored());
    }

    private Map<String, Switch> stored() {
        Map<String, Switch> found = new java.util.HashMap<>();
        jdbc.query("SELECT scope, tripped_at, actor, reason FROM kill_switch", rs -> {
            Switch s = row(rs);
            found.put(s.scope(), s);
        });
        return found;
    }

    /**
     * Reads the switches in force again: those other riskgate processes on the database tripped or reset
     * (runtime.InstanceSync, about once a second).
     */
    public synchronized void refresh() {
        if (jdbc == null) {
            return;
        }
        Map<String, Switch> now = stored();
        inForce.keySet().retainAll(now.keySet());
        inForce.putAll(now);
    }

    /**
     * The switch that halts an order of {@code strategy} as the database holds it now, for an approval's write: on
     * a database several processes share, a switch another one tripped a moment ago counts before this process has
     * read it ({@link #refresh}); otherwise as {@link #halting}. Call in the approval's transaction.
     */
    public Optional<Switch> haltingAsStored(String strategy) {
        Optional<Switch> known = halting(strategy);
        if (known.isPresent() || !shared) {
            return known;
        }
        // read once per batch, under the lock the batch holds to its commit: a trip (written in a batch too)
        // committed before this batch took the lock is read here; one committed after it comes after these approvals
        io.riskgate.database.SharedLocks.Batch batch = io.riskgate.database.SharedLocks.current();
        Map<String, Switch> stored = batch == null ? stored() : batch.once("kill_switch", this::stored);
        Switch all = stored.get("ALL");
        return all != null ? Optional.of(all)
                : strategy == null ? Optional.empty() : Optional.ofNullable(stored.get(scope(strategy)));
    }

    /** The scope text for every account ({@code null}) or one strategy: {@code ALL}, {@code STRATEGY:<name>}. */
    public static String scope(String strategy) {
        return strategy == null ? "ALL" : "STRATEGY:" + strategy.toLowerCase(Locale.ROOT);
    }

    /** The switch that halts an order of {@code strategy} (null: none), the firm-wide one first. */
    public Optional<Switch> halting(String strategy) {
        if (inForce.isEmpty()) {
            return Optional.empty();
        }
        Switch all = inForce.get("ALL");
        return all != null ? Optional.of(all)
                : strategy == null ? Optional.empty() : Optional.ofNullable(inForce.get(scope(strategy)));
    }

    /** The switches in force, by scope. */
    public List<Switch> inForce() {
        return inForce.values().stream().sorted(Comparator.comparing(Switch::scope)).toList();
    }

    /** The latest TRIPs and RESETs, newest first. */
    public List<Event> events(int limit) {
        if (jdbc == null) {
            return List.of();
        }
        return jdbc.query("SELECT * FROM kill_switch_event ORDER BY id DESC LIMIT ?", (rs, i) -> new Event(
                rs.getLong("id"), rs.getString("scope"), rs.getString("action"), rs.getString("actor"),
                rs.getString("reason"), rs.getObject("occurred_at", OffsetDateTime.class).toInstant()), limit);
    }

    /**
     * Trips the switch of {@code scope} (a second TRIP keeps the first's time and reason, and is logged) and returns
     * the switches in force once it is durable. Whether the switch is new is decided by the store, in the trip's own
     * write: on a database several processes share, this process's switches may be up to a poll old (another one may
     * have reset or tripped it since), and a trip that trusted them could be answered without being stored.
     */
    public synchronized List<Switch> trip(String scope, String actor, String reason) {
        Instant at = clock.instant();
        Switch tripped = new Switch(scope, at, actor, reason);
        boolean known = inForce.containsKey(scope);
        // in force before the write is queued: every check unit the writer runs after it sees the switch, so no
        // approval is committed after the trip's record (PreTradeEngine re-checks in its unit)
        inForce.putIfAbsent(scope, tripped);
        Switch inStore;
        try {
            inStore = tx.execute(status -> {
                // on a shared database the batch holds the lock that orders every process's writes (SharedLocks)
                Optional<Switch> first = storedSwitch(scope);
                if (first.isEmpty()) {
                    jdbc.update("INSERT INTO kill_switch (scope, tripped_at, actor, reason) VALUES (?,?,?,?)", scope,
                            ts(at), actor, reason);
                }
                log(scope, "TRIP", actor, reason, at);
                return first.orElse(tripped);
            });
        } catch (RuntimeException | Error e) {
            if (!known) {
                inForce.remove(scope); // not tripped: the officer is told it failed
            }
            throw e;
        }
        inForce.put(scope, inStore);
        return inForce();
    }

    /**
     * Resets the switch of {@code scope}; false when none was in force (nothing is written). As for a trip, the store
     * decides, not this process's switches, which on a shared database may be up to a poll old.
     */
    public synchronized boolean reset(String scope, String actor, String reason) {
        if (!shared && !inForce.containsKey(scope)) {
            return false; // one process: what it holds is what is stored
        }
        Instant at = clock.instant();
        Boolean removed = tx.execute(status -> {
            if (jdbc.update("DELETE FROM kill_switch WHERE scope = ?", scope) == 0) {
                return false;
            }
            log(scope, "RESET", actor, reason, at);
            return true;
        });
        inForce.remove(scope);
        return Boolean.TRUE.equals(removed);
    }

    /** The switch of {@code scope} as stored, if one is. */
    private Optional<Switch> storedSwitch(String scope) {
        return jdbc.query("SELECT scope, tripped_at, actor, reason FROM kill_switch WHERE scope = ?",
                (rs, i) -> row(rs), scope).stream().findFirst();
    }

    private static Switch row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Switch(rs.getString("scope"), rs.getObject("tripped_at", OffsetDateTime.class).toInstant(),
                rs.getString("actor"), rs.getString("reason"));
    }

    private void log(String scope, String action, String actor, String reason, Instant at) {
        jdbc.update("INSERT INTO kill_switch_event (id, scope, action, actor, reason, occurred_at) VALUES (?,?,?,?,?,?)",
                eventIds.next(), scope, action, actor, reason, ts(at));
    }

    private static OffsetDateTime ts(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
