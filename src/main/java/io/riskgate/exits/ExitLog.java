package io.riskgate.exits;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskgate.database.RowIds;
import io.riskgate.decision.PolicyRef;
import io.riskgate.facts.FiredRule;
import io.riskgate.market.Mark;
import io.riskgate.portfolio.TradeState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The audit of exit instructions: each one with the mark that caused it, every rule that fired for its trade on
 * that mark, the trade's state before and after, and the policy id, version and sha256. Inserts join the caller's
 * transaction.
 */
public final class ExitLog {

    private static final TypeReference<List<FiredRule>> FIRED = new TypeReference<>() { };

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final RowIds places;

    private final io.riskgate.database.Outbox outbox;

    public ExitLog(DataSource dataSource, ObjectMapper json) {
        this(dataSource, json, new io.riskgate.database.Outbox(dataSource));
    }

    /** With the bus's outbox, to which each instruction adds its event when the bus is on (docs/events.md). */
    public ExitLog(DataSource dataSource, ObjectMapper json, io.riskgate.database.Outbox outbox) {
        this.outbox = outbox;
        this.jdbc = new JdbcTemplate(dataSource);
        this.json = json;
        this.places = RowIds.of(dataSource, "exit_instruction", "seq");
    }

    /** An instruction's row with its JSON written, ready for {@link #insert(Row)}. */
    record Row(ExitInstruction instruction, TradeState before, Instant recordedAt, String markJson, String firedJson,
               String event) {
    }

    /**
     * The row of an instruction, its JSON written here (on the caller's thread, so that the group commit's writer is
     * left only the insert); the bus's event only when the bus is on.
     */
    Row row(ExitInstruction i, TradeState before, Mark mark, Instant recordedAt) {
        return new Row(i, before, recordedAt, write(mark), write(i.firedRules()), outbox.enabled() ? write(i) : null);
    }

    /**
     * Inserts the rows, in the caller's unit, as one batch, each with its place in the table taken here, in commit
     * order, and the place of its trade's instruction before it ({@code prev_seq}): the row before it in {@code rows},
     * or else the trade's latest place as the caller read it under the account's lock ({@code stored}, from the trade
     * row's {@code last_instruction_seq}; no entry for a trade without one). Puts each trade's new latest place into
     * {@code latest}, which the caller writes to the trade row in the same unit (the trade is written anyway: its
     * instruction changed it).
     */
    void insertAll(List<Row> rows, Map<String, Long> stored, Map<String, Long> latest) {
        if (rows.isEmpty()) {
            return;
        }
        List<Object[]> args = new java.util.ArrayList<>(rows.size());
        for (Row r : rows) {
            ExitInstruction i = r.instruction();
            PolicyRef p = i.policy();
            long seq = places.next();
            Long prev = latest.containsKey(i.tradeId()) ? latest.get(i.tradeId()) : stored.get(i.tradeId());
            args.add(new Object[] {i.instructionId(), seq, i.tradeId(), i.account(), i.symbol(), i.action().name(),
                    i.quantity(), i.stopLoss(), i.price(), truncate(i.reason()), i.rule(), i.code(), r.before().name(),
                    i.state().name(), ts(i.timestamp()), ts(r.recordedAt()), p == null ? null : p.id(),
                    p == null ? null : p.version(), p == null ? null : p.sha256(), r.markJson(), r.firedJson(), prev});
            latest.put(i.tradeId(), seq);
        }
        jdbc.batchUpdate("INSERT INTO exit_instruction (id, seq, trade_id, account, symbol, action, quantity, "
                + "stop_loss, price, reason, rule_name, code, state_before, state_after, issued_at, recorded_at, "
                + "policy_id, policy_version, policy_sha256, mark_json, fired_json, prev_seq) "
                + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", args);
        for (Row r : rows) {
            if (r.event() != null) {
                ExitInstruction i = r.instruction();
                PolicyRef p = i.policy();
                outbox.add(io.riskgate.database.Outbox.Kind.EXIT_INSTRUCTION, i.instructionId(), i.account(),
                        p == null ? null : p.id() + ":" + p.version() + ":" + p.sha256(),
                        "exit_instruction/" + i.instructionId(), i.timestamp(), r.event());
            }
        }
    }

    /**
     * A trade's instructions in the order they were issued: walked back from the trade row's latest by each one's
     * predecessor on the trade (no index by trade: V28), the whole chain read in one recursive query.
     */
    public List<ExitInstruction> forTrade(String tradeId) {
        Map<Long, Link> chain = new java.util.HashMap<>();
        Long[] head = {null};
        // each step follows a link only to an earlier place of the same trade; walk() names any other link
        jdbc.query("WITH RECURSIVE chain(seq, depth) AS ("
                + "SELECT t.last_instruction_seq, 0 FROM trade t WHERE t.id = ? AND t.last_instruction_seq IS NOT NULL "
                + "UNION ALL SELECT e.prev_seq, c.depth + 1 FROM chain c JOIN exit_instruction e ON e.seq = c.seq "
                + "WHERE e.trade_id = ? AND e.prev_seq < e.seq) "
                + "SELECT c.seq AS chain_seq, c.depth AS chain_depth, e.* FROM chain c "
                + "LEFT JOIN exit_instruction e ON e.seq = c.seq", rs -> {
                    long seq = rs.getLong("chain_seq");
                    if (rs.getInt("chain_depth") == 0) {
                        head[0] = seq;
                    }
                    if (rs.getString("id") != null) {
                        chain.put(seq, link(rs));
                    }
                }, tradeId, tradeId);
        List<ExitInstruction> out = new java.util.ArrayList<>();
        walk(tradeId, head[0], chain::get, i -> {
            out.add(i);
            return true;
        });
        java.util.Collections.reverse(out);
        return out;
    }

    /** The latest full CLOSE issued for a trade: the one still outstanding while its close is pending. */
    public java.util.Optional<ExitInstruction> latestClose(String tradeId) {
        Long head = jdbc.query("SELECT last_instruction_seq FROM trade WHERE id = ?", (rs, n) -> {
            long v = rs.getLong(1);
            return rs.wasNull() ? null : v;
        }, tradeId).stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
        ExitInstruction[] found = {null};
        // most often the latest instruction itself: one look-up by place at a time
        walk(tradeId, head, seq -> jdbc.query("SELECT * FROM exit_instruction WHERE seq = ?", (rs, n) -> link(rs),
                seq).stream().findFirst().orElse(null), i -> {
                    if (i.action() == ExitAction.CLOSE) {
                        found[0] = i;
                        return false;
                    }
                    return true;
                });
        return java.util.Optional.ofNullable(found[0]);
    }

    /** An instruction and the place of its trade's instruction before it (null for the first). */
    private record Link(ExitInstruction instruction, Long prev) {
    }

    private Link link(ResultSet rs) throws SQLException {
        long prev = rs.getLong("prev_seq");
        Long before = rs.wasNull() ? null : prev;
        return new Link(instruction(rs, 0), before);
    }

    /**
     * The trade's instructions from place {@code head} back, latest first, each found by {@code fetch} (null: not
     * stored), while {@code each} asks for more.
     */
    private void walk(String tradeId, Long head, java.util.function.Function<Long, Link> fetch,
                      java.util.function.Predicate<ExitInstruction> each) {
        Long seq = head;
        while (seq != null) {
            Link link = fetch.apply(seq);
            // instructions are never removed, and each names one of its own trade: anything else was not written by
            // riskgate, and a history cut short at it would hide the rest
            if (link == null || !link.instruction().tradeId().equals(tradeId)) {
                throw new IllegalStateException("the instructions of trade " + tradeId + " lead to instruction " + seq
                        + ", which " + (link == null ? "is not stored" : "is trade " + link.instruction().tradeId()
                        + "'s") + ": the chain was changed (see exit_instruction.prev_seq, trade.last_instruction_seq)");
            }
            if (!each.test(link.instruction())) {
                return;
            }
            Long before = link.prev();
            if (before != null && before >= seq) {
                // an instruction always names an earlier one: a link forward was not written by riskgate
                throw new IllegalStateException("exit instruction " + seq + " of trade " + tradeId
                        + " names itself or a later instruction (" + before + ") as its predecessor: the chain was "
                        + "changed (see exit_instruction.prev_seq)");
            }
            seq = before;
        }
    }

    /** The mark an instruction was issued on, as received. */
    public Map<String, Object> markOf(String instructionId) {
        return jdbc.query("SELECT mark_json FROM exit_instruction WHERE id = ?", (rs, i) -> {
            try {
                return json.readValue(rs.getString(1), new TypeReference<Map<String, Object>>() { });
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }, instructionId).stream().findFirst().orElse(Map.of());
    }

    private ExitInstruction instruction(ResultSet rs, int row) throws SQLException {
        double price = rs.getDouble("price");
        Double boxed = rs.wasNull() ? null : price;
        String policyId = rs.getString("policy_id");
        List<FiredRule> fired;
        try {
            fired = json.readValue(rs.getString("fired_json"), FIRED);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored instruction " + rs.getString("id") + " is unreadable", e);
        }
        return new ExitInstruction(rs.getString("id"), rs.getString("trade_id"), rs.getString("account"),
                rs.getString("symbol"), ExitAction.valueOf(rs.getString("action")), rs.getDouble("quantity"),
                rs.getDouble("stop_loss"), boxed, rs.getString("reason"), rs.getString("rule_name"),
                rs.getString("code"), TradeState.valueOf(rs.getString("state_after")),
                rs.getObject("issued_at", OffsetDateTime.class).toInstant(),
                policyId == null ? null : new PolicyRef(policyId, rs.getString("policy_version"),
                        rs.getString("policy_sha256")), fired);
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + o, e);
        }
    }

    private static String truncate(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 1997) + "...";
    }

    private static OffsetDateTime ts(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
