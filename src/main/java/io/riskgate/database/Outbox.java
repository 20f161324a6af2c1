package io.riskgate.database;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The bus's transactional outbox (issue 17, docs/events.md): when a bus is configured, every record riskgate
 * publishes (a decision, an exit instruction, an emergency instruction, a breaker change, an alert) adds an event
 * here in the transaction that writes the record, so an event exists exactly when its record is durable, and a
 * publisher sends what is unpublished, after a crash too. Off (the embedded default), nothing is written and the
 * records cost what they did.
 *
 * <p>Events are numbered on the database writer ({@link RowIds}) as their units run, so the numbers rise in the
 * order the batches commit (on PostgreSQL every batch first takes the chain lock, so across instances too): a
 * publisher that has sent every event up to a number never later finds a smaller one committed. An event added off
 * the writer (a record written outside a group commit's unit) is added in a unit of its own, so it is numbered there
 * too. On H2 a batch is visible from its commit but durable only once the journal is synced: the publisher reads
 * only up to the last number of a durable batch ({@link GroupCommit#afterDurable}), so nothing a crash could take
 * back is ever sent.
 */
public final class Outbox {

    /** What the bus carries. */
    public enum Kind {
        DECISION("decisions"), EXIT_INSTRUCTION("exit-instructions"), EMERGENCY_INSTRUCTION("emergency-instructions"),
        BREAKER("breakers"), ALERT("alerts");

        /** The stream's name after the configured prefix: {@code riskgate:decisions}. */
        public final String stream;

        Kind(String stream) {
            this.stream = stream;
        }
    }

    /** One event as stored: its number, what it is, whose, under which policy, the record it stands for. */
    public record Event(long id, Kind kind, String eventId, String account, String policy, String auditId,
                        Instant occurredAt, String payload) {
    }

    private final JdbcTemplate jdbc;
    private final RowIds ids;
    private final GroupCommit commits;
    /** The last number given on the writer; the largest number of a durable batch (H2); both only grow. */
    private final java.util.concurrent.atomic.AtomicLong given = new java.util.concurrent.atomic.AtomicLong();
    private volatile long durable = Long.MAX_VALUE;
    private volatile boolean on;

    /** An outbox without a group commit (tools and tests): every committed event counts as durable. */
    public Outbox(DataSource dataSource) {
        this(dataSource, null);
    }

    /**
     * The outbox of the records {@code commits} writes. On H2 the publisher is held to the batches {@code commits}
     * has made durable; on PostgreSQL a commit is durable.
     */
    public Outbox(DataSource dataSource, GroupCommit commits) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.ids = RowIds.of(dataSource, "outbox", "id");
        this.commits = commits;
        if (commits != null && !commits.inline() && Dialect.of(dataSource) == Dialect.H2) {
            // what the table holds at the start came back from the file and the journal: durable
            Long max = jdbc.queryForObject("SELECT COALESCE(MAX(id), 0) FROM outbox", Long.class);
            durable = max == null ? 0 : max;
            commits.afterDurable(() -> {
                long g = given.get();
                if (g > durable) {
                    durable = g;
                }
            });
        }
    }

    /** From now on every published record adds its event (the bus is configured). */
    public void enable() {
        on = true;
    }

    /** Whether events are added (the bus is on); off, {@link #add} does nothing. */
    public boolean enabled() {
        return on;
    }

    /**
     * Adds an event in the transaction in hand (a unit of the group commit), when the bus is on: {@code payload} is
     * the record as the REST API answers it, {@code auditId} where the record is kept (e.g. {@code decision/ID}).
     */
    public void add(Kind kind, String eventId, String account, String policy, String auditId, Instant occurredAt,
                    String payload) {
        if (!on) {
            return;
        }
        if (commits != null && !commits.inUnit()) {
            // numbered and written on the writer, in commit order, like every other event
            commits.execute(status -> {
                add(kind, eventId, account, policy, auditId, occurredAt, payload);
                return null;
            });
            return;
        }
        long id = ids.next();
        jdbc.update("INSERT INTO outbox (id, kind, event_id, account, policy, audit_id, occurred_at, payload) "
                + "VALUES (?,?,?,?,?,?,?,?)", id, kind.name(), eventId, account, policy, auditId,
                Timestamp.from(occurredAt), payload);
        given.accumulateAndGet(id, Math::max);
    }

    /** The oldest unpublished events, at most {@code limit}, in the order they committed. */
    public List<Event> unpublished(int limit) {
        return jdbc.query("SELECT * FROM outbox WHERE published = FALSE AND id <= ? ORDER BY id LIMIT ?",
                (rs, i) -> new Event(
                rs.getLong("id"), Kind.valueOf(rs.getString("kind")), rs.getString("event_id"),
                rs.getString("account"), rs.getString("policy"), rs.getString("audit_id"),
                rs.getTimestamp("occurred_at").toInstant(), rs.getString("payload")), durable, limit);
    }

    /**
     * These events were sent: they are marked so (those only, by number), and the sent ones before the last are
     * removed (the last stays, so that the numbers given after a restart pass it).
     */
    public void published(List<Event> sent) {
        if (sent.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("UPDATE outbox SET published = TRUE WHERE id = ?",
                sent.stream().map(e -> new Object[] {e.id()}).toList());
        jdbc.update("DELETE FROM outbox WHERE id < ? AND published = TRUE", sent.get(sent.size() - 1).id());
    }

    /** How many events wait to be sent. */
    public long backlog() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM outbox WHERE published = FALSE", Long.class);
        return n == null ? 0 : n;
    }
}
