package io.riskgate.governor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskgate.database.RowIds;
import io.riskgate.portfolio.TradingState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The governor's log: every breaker trip and clear (who, why, measured against which limit), every emergency
 * instruction and its acknowledgement, every alert event. Writes join the caller's transaction.
 */
public final class GovernorStore {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    private final RowIds breakerEventIds;
    private final RowIds eventIds;

    private final io.riskgate.database.Outbox outbox;

    public GovernorStore(DataSource dataSource, ObjectMapper json) {
        this(dataSource, json, new io.riskgate.database.Outbox(dataSource));
    }

    /** With the bus's outbox, to which each breaker change, instruction and alert adds its event (docs/events.md). */
    public GovernorStore(DataSource dataSource, ObjectMapper json, io.riskgate.database.Outbox outbox) {
        this.outbox = outbox;
        this.jdbc = new JdbcTemplate(dataSource);
        this.json = json;
        this.breakerEventIds = RowIds.of(dataSource, "breaker_event", "id");
        this.eventIds = RowIds.of(dataSource, "governor_event", "id");
    }

    void insertChange(BreakerChange c, String policySha, Instant recordedAt) {
        long id = breakerEventIds.next();
        jdbc.update("INSERT INTO breaker_event (id, account, action, code, rule_name, trading_state, measured, "
                        + "limit_value, occurred_at, until_at, reason, actor, policy_sha256, recorded_at) "
                        + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", id, c.account(), c.action(), c.code(), c.rule(),
                c.state().name(), c.measured(), c.limit(), ts(c.at()), ts(c.until()), truncate(c.reason(), 2000),
                c.actor(), policySha, ts(recordedAt));
        outbox.add(io.riskgate.database.Outbox.Kind.BREAKER, "breaker-" + id, c.account(), policySha,
                "breaker_event/" + id, c.at(), write(c));
    }

    /** An account's breaker log, newest first. */
    public List<BreakerChange> changes(String account, int limit) {
        return jdbc.query("SELECT * FROM breaker_event WHERE account = ? ORDER BY occurred_at DESC, id DESC LIMIT ?",
                (rs, i) -> new BreakerChange(rs.getString("account"), rs.getString("action"), rs.getString("code"),
                        rs.getString("rule_name"), TradingState.valueOf(rs.getString("trading_state")),
                        nullable(rs, "measured"), nullable(rs, "limit_value"), instant(rs, "occurred_at"),
                        instant(rs, "until_at"), rs.getString("reason"), rs.getString("actor")), account, limit);
    }

    void insertInstruction(EmergencyInstruction i, String policySha, Instant recordedAt) {
        jdbc.update("INSERT INTO emergency_instruction (id, account, kind, trade_ids, fraction, code, rule_name, reason, "
                        + "issued_at, policy_sha256, recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", i.instructionId(),
                i.account(), i.kind().name(), write(i.tradeIds()), i.fraction(), i.code(), i.rule(),
                truncate(i.reason(), 2000), ts(i.issuedAt()), policySha, ts(recordedAt));
        outbox.add(io.riskgate.database.Outbox.Kind.EMERGENCY_INSTRUCTION, i.instructionId(), i.account(), policySha,
                "emergency_instruction/" + i.instructionId(), i.issuedAt(), write(i));
    }

    /** An account's emergency instructions, newest first; only those not yet acknowledged when {@code open}. */
    public List<EmergencyInstruction> instructions(String account, boolean open) {
        return jdbc.query("SELECT * FROM emergency_instruction WHERE account = ?"
                + (open ? " AND acked_at IS NULL" : "") + " ORDER BY issued_at DESC, recorded_at DESC",
                this::instruction, account);
    }

    public Optional<EmergencyInstruction> instruction(String account, String id) {
        return jdbc.query("SELECT * FROM emergency_instruction WHERE account = ? AND id = ?", this::instruction,
                account, id).stream().findFirst();
    }

    void acknowledge(String id, Instant at, String note) {
        jdbc.update("UPDATE emergency_instruction SET acked_at = ?, ack_note = ? WHERE id = ? AND acked_at IS NULL",
                ts(at), note, id);
    }

    /** Stores an event and returns it with its id. */
    GovernorEvent insertEvent(GovernorEvent e, Instant recordedAt) {
        long id = eventIds.next();
        jdbc.update("INSERT INTO governor_event (id, account, occurred_at, level, type, message, data_json, "
                        + "recorded_at) VALUES (?,?,?,?,?,?,?,?)", id, e.account(), ts(e.at()), e.level(), e.type(),
                truncate(e.message(), 2000), write(e.data()), ts(recordedAt));
        GovernorEvent stored = new GovernorEvent(id, e.account(), e.at(), e.level(), e.type(), e.message(),
                e.data());
        outbox.add(io.riskgate.database.Outbox.Kind.ALERT, "alert-" + id, e.account(), null, "governor_event/" + id,
                e.at(), write(stored));
        return stored;
    }

    /** Events after {@code afterId}, oldest first, optionally of one account. */
    public List<GovernorEvent> events(long afterId, Optional<String> account, int limit) {
        String sql = "SELECT * FROM governor_event WHERE id > ?" + (account.isPresent() ? " AND account = ?" : "")
                + " ORDER BY id LIMIT ?";
        Object[] args = account.isPresent() ? new Object[] {afterId, account.get(), limit}
                : new Object[] {afterId, limit};
        return jdbc.query(sql, (rs, i) -> new GovernorEvent(rs.getLong("id"), rs.getString("account"),
                instant(rs, "occurred_at"), rs.getString("level"), rs.getString("type"), rs.getString("message"),
                read(rs.getString("data_json"), new TypeReference<Map<String, Object>>() { })), args);
    }

    private EmergencyInstruction instruction(ResultSet rs, int row) throws SQLException {
        return new EmergencyInstruction(rs.getString("id"), rs.getString("account"),
                EmergencyInstruction.Kind.valueOf(rs.getString("kind")),
                read(rs.getString("trade_ids"), new TypeReference<List<String>>() { }), nullable(rs, "fraction"),
                rs.getString("code"), rs.getString("rule_name"), rs.getString("reason"), instant(rs, "issued_at"),
                instant(rs, "acked_at"), rs.getString("ack_note"));
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + o, e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored JSON: " + text, e);
        }
    }

    private static Double nullable(ResultSet rs, String col) throws SQLException {
        double v = rs.getDouble(col);
        return rs.wasNull() ? null : v;
    }

    private static Instant instant(ResultSet rs, String col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime ts(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
