package io.riskgate.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskgate.database.Dialect;
import io.riskgate.decision.Decision;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Stores every decision (approved, rejected or failed) with its request, its policy id/version/sha256, the rules
 * fired in order, the rejections and adjustments, and the final numbers; and finds them again by account,
 * outcome, rule code and time. Inserts join the caller's transaction.
 */
public final class AuditStore {

    private final JdbcTemplate jdbc;
    private final AuditChain chain;
    private final ObjectMapper json;
    private final io.riskgate.database.Outbox outbox;

    /** decision_json's place in {@link AuditChain#COLUMNS}. */
    private static final int DECISION_JSON = java.util.Arrays.asList(AuditChain.COLUMNS.split(", "))
            .indexOf("decision_json");

    public AuditStore(DataSource dataSource, ObjectMapper json) {
        this(dataSource, json, new io.riskgate.database.Outbox(dataSource));
    }

    /** With the bus's outbox, to which each decision adds its event when the bus is on (docs/events.md). */
    public AuditStore(DataSource dataSource, ObjectMapper json, io.riskgate.database.Outbox outbox) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.json = json;
        this.outbox = outbox;
        // several processes share a PostgreSQL database's chain (AuditChain's lock); one process has an H2 file
        this.chain = new AuditChain(jdbc, Dialect.of(dataSource) == Dialect.POSTGRESQL);
    }

    /** Retention over this store's decisions, its removals through {@code tx} (the service's group commit). */
    public AuditExport exporter(org.springframework.transaction.support.TransactionOperations tx, ObjectMapper json) {
        return new AuditExport(jdbc, tx, json);
    }

    /** The hash chain over the decisions ({@link AuditChain}): its head and a walk that names what was altered. */
    public AuditChain chain() {
        return chain;
    }

    /**
     * Records a decision and links it to the chain. Runs in the caller's transaction, which in the service is a
     * unit of the group commit's single writer; synchronized for callers outside it (tests, tools), so two links
     * never take the same place.
     */
    public void insert(Decision d, JsonNode request, Instant recordedAt) {
        insert(prepare(d, request, recordedAt));
    }

    /**
     * A decision's record as {@link #insert(Prepared)} writes it, made where the decision was taken: its columns, its
     * JSON and the JSON packed, and the canonical text its hash covers (UTF-8). Only the chain's link (the hash of
     * the predecessor's hash and that text) and the SQL are left to the one writer thread.
     */
    public record Prepared(Decision decision, Object[] values, String decisionJson, byte[] packed, byte[] canonical) {
    }

    public Prepared prepare(Decision d, JsonNode request, Instant recordedAt) {
        String decisionJson;
        try {
            decisionJson = json.writeValueAsString(d);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise decision " + d.decisionId(), e);
        }
        // the stored columns in AuditChain.COLUMNS order; times to the microsecond the column keeps, so that the
        // hash taken of these values is the hash of what the database returns
        Object[] values = {d.decisionId(), d.account(), d.symbol(), d.side() == null ? "" : d.side().name(),
                d.strategy(), d.outcome().name(), d.approved(), d.quantity(), d.notional(), d.entryPrice(),
                d.stopLoss(), d.takeProfit(), d.riskAmount(), d.policy() == null ? null : d.policy().id(),
                d.policy() == null ? null : d.policy().version(), d.policy() == null ? null : d.policy().sha256(),
                ts(d.timestamp()), ts(recordedAt), request.toString(), decisionJson,
                // a FAILED answer does not bind the caller's order id: a retry after the fault decides afresh
                d.outcome() == io.riskgate.decision.Outcome.FAILED ? null : d.clientOrderId()};
        return new Prepared(d, values, decisionJson, PackedJson.pack(decisionJson), AuditChain.canonicalBytes(values));
    }

    /** Writes a prepared record, linked to the chain's head, in the caller's unit (on the writer: commit order). */
    public synchronized void insert(Prepared p) {
        Decision d = p.decision();
        Object[] values = p.values();
        String decisionJson = p.decisionJson();
        // the hash covers the JSON's text; the row keeps it packed (V26: about half the bytes)
        AuditChain.Link link = chain.next(values, p.canonical());
        Object[] row = java.util.Arrays.copyOf(values, values.length + 4);
        row[DECISION_JSON] = null;
        row[values.length] = p.packed();
        row[values.length + 1] = link.seq();
        row[values.length + 2] = link.prevHash();
        row[values.length + 3] = link.recordHash();
        jdbc.update("INSERT INTO decision (" + AuditChain.COLUMNS + ", decision_json_z, chain_seq, prev_hash, "
                + "record_hash) VALUES (" + "?,".repeat(row.length - 1) + "?)", row);
        // each code once, in the order the decision first carries it
        java.util.Set<String> codes = new java.util.LinkedHashSet<>();
        d.firedRuleDetails().forEach(f -> codes.add(f.code()));
        d.rejections().forEach(r -> codes.add(r.code()));
        d.adjustments().forEach(a -> codes.add(a.code()));
        if (!codes.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO decision_code (decision_id, code) VALUES (?,?)",
                    codes.stream().map(c -> new Object[] {d.decisionId(), c}).toList());
        }
        outbox.add(io.riskgate.database.Outbox.Kind.DECISION, d.decisionId(), d.account(),
                d.policy() == null ? null : d.policy().id() + ":" + d.policy().version() + ":" + d.policy().sha256(),
                "decision/" + d.decisionId() + "#" + link.seq(), d.timestamp(), decisionJson);
        chain.linked(link);
    }

    public Optional<AuditRecord> find(String decisionId) {
        return jdbc.query("SELECT decision_json, decision_json_z, request_json, recorded_at FROM decision "
                + "WHERE id = ?",
                this::record, decisionId).stream().findFirst();
    }

    /** The decision an account already took for a caller's order id, if any. */
    public Optional<AuditRecord> findByClientOrderId(String account, String clientOrderId) {
        return jdbc.query("SELECT decision_json, decision_json_z, request_json, recorded_at FROM decision "
                + "WHERE account = ? "
                + "AND client_order_id = ?", this::record, account, clientOrderId).stream().findFirst();
    }

    public AuditPage search(AuditQuery q) {
        StringBuilder where = new StringBuilder(" WHERE 1=1");
        List<Object> args = new ArrayList<>();
        q.account().ifPresent(a -> {
            where.append(" AND d.account = ?");
            args.add(a);
        });
        q.symbol().ifPresent(x -> {
            where.append(" AND d.symbol = ?");
            args.add(x);
        });
        q.approved().ifPresent(a -> {
            where.append(" AND d.approved = ?");
            args.add(a);
        });
        q.outcome().ifPresent(o -> {
            where.append(" AND d.outcome = ?");
            args.add(o.name());
        });
        q.code().ifPresent(c -> {
            where.append(" AND EXISTS (SELECT 1 FROM decision_code r WHERE r.decision_id = d.id AND r.code = ?)");
            args.add(c);
        });
        q.from().ifPresent(f -> {
            where.append(" AND d.decided_at >= ?");
            args.add(ts(f));
        });
        q.to().ifPresent(t -> {
            where.append(" AND d.decided_at < ?");
            args.add(ts(t));
        });
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM decision d" + where, Long.class, args.toArray());
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(q.size());
        pageArgs.add((long) q.page() * q.size());
        List<AuditRecord> items = jdbc.query("SELECT d.decision_json, d.decision_json_z, d.request_json, "
                + "d.recorded_at FROM decision d" + where + " ORDER BY d.decided_at DESC, d.recorded_at DESC, d.id LIMIT ? OFFSET ?", this::record,
                pageArgs.toArray());
        return new AuditPage(items, q.page(), q.size(), total == null ? 0 : total);
    }

    private AuditRecord record(ResultSet rs, int row) throws SQLException {
        try {
            Decision d = json.readValue(AuditChain.decisionJson(rs), Decision.class);
            JsonNode request = json.readTree(rs.getString("request_json"));
            OffsetDateTime recorded = rs.getObject("recorded_at", OffsetDateTime.class);
            return new AuditRecord(d, request, recorded.toInstant());
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable audit record: " + e.getMessage(), e);
        }
    }

    /** As the TIMESTAMP WITH TIME ZONE columns keep it: UTC, to the microsecond. */
    private static OffsetDateTime ts(Instant i) {
        return i == null ? null : i.truncatedTo(java.time.temporal.ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }
}
