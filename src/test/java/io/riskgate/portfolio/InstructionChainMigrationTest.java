package io.riskgate.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskgate.exits.ExitInstruction;
import io.riskgate.exits.ExitLog;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.TestRuntime;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * V28 replaces the index of exit instructions by trade with a chain: each instruction names its trade's instruction
 * before it (prev_seq) and the trade row its latest (last_instruction_seq). A store written before V28 gets both filled
 * from the instructions it holds, loses every index by trade, and its trades' instructions read back as before.
 */
class InstructionChainMigrationTest {

    private static final Instant T0 = TestRuntime.T0;

    @Test
    void instructionsStoredBeforeV28AreChainedAndReadBackByTradeWithoutAnIndexByTrade() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:v28-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations(RiskgateRuntime.migrations(ds)).target("27").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        PortfolioStore store = new PortfolioStore(ds, RiskgateRuntime.jsonMapper());
        Map<String, Trade> trades = new HashMap<>();
        for (String name : List.of("a", "b", "quiet")) {
            String decision = "d-" + name;
            jdbc.update("INSERT INTO decision (id, account, symbol, side, outcome, approved, quantity, notional, "
                    + "decided_at, recorded_at, request_json, decision_json) VALUES (?, 'acct', 'BTCUSDT', 'LONG', "
                    + "'APPROVED', TRUE, 0.01, 500, ?, ?, '{}', '{}')", decision, PortfolioStore.ts(T0),
                    PortfolioStore.ts(T0));
            Trade t = PortfolioDatabase.seed001Trade(decision, "acct", "BTCUSDT", T0);
            store.insertTrade(t, 0);
            trades.put(name, t);
        }
        // trade a: places 1, 3 (its CLOSE) and 4; trade b: place 2; the quiet trade none
        instruction(jdbc, 1, trades.get("a"), "MOVE_STOP");
        instruction(jdbc, 2, trades.get("b"), "MOVE_STOP");
        instruction(jdbc, 3, trades.get("a"), "CLOSE");
        instruction(jdbc, 4, trades.get("a"), "MOVE_STOP");

        Flyway.configure().dataSource(ds).locations(RiskgateRuntime.migrations(ds)).load().migrate();

        assertThat(lastInstruction(jdbc, trades.get("a"))).isEqualTo(4L);
        assertThat(lastInstruction(jdbc, trades.get("b"))).isEqualTo(2L);
        assertThat(lastInstruction(jdbc, trades.get("quiet"))).isNull();
        Map<Long, Long> prev = new HashMap<>();
        jdbc.query("SELECT seq, prev_seq FROM exit_instruction", rs -> {
            long p = rs.getLong(2);
            Long before = rs.wasNull() ? null : p;
            prev.put(rs.getLong(1), before);
        });
        assertThat(prev).containsExactlyInAnyOrderEntriesOf(new HashMap<>(Map.of(3L, 1L, 4L, 3L)) {
            {
                put(1L, null);
                put(2L, null);
            }
        });

        ExitLog log = new ExitLog(ds, RiskgateRuntime.jsonMapper());
        assertThat(log.forTrade(trades.get("a").id())).extracting(ExitInstruction::instructionId)
                .containsExactly("i-1", "i-3", "i-4");
        assertThat(log.forTrade(trades.get("b").id())).extracting(ExitInstruction::instructionId)
                .containsExactly("i-2");
        assertThat(log.forTrade(trades.get("quiet").id())).isEmpty();
        assertThat(log.forTrade("no-such-trade")).isEmpty();
        assertThat(log.latestClose(trades.get("a").id())).map(ExitInstruction::instructionId).contains("i-3");
        assertThat(log.latestClose(trades.get("b").id())).isEmpty();
        // a chain changed by hand is refused, not read short: a link forward (4 names 4), a link to trade b's
        jdbc.update("UPDATE exit_instruction SET prev_seq = 4 WHERE seq = 4");
        assertThatThrownBy(() -> log.forTrade(trades.get("a").id()))
                .hasMessageContaining("names itself or a later instruction (4)");
        jdbc.update("UPDATE exit_instruction SET prev_seq = 2 WHERE seq = 4");
        assertThatThrownBy(() -> log.forTrade(trades.get("a").id()))
                .hasMessageContaining("lead to instruction 2, which is trade " + trades.get("b").id() + "'s");
        // a link to a place no instruction holds
        jdbc.update("UPDATE exit_instruction SET prev_seq = 0 WHERE seq = 4");
        assertThatThrownBy(() -> log.forTrade(trades.get("a").id()))
                .hasMessageContaining("lead to instruction 0, which is not stored");
        // the latest CLOSE lies behind it: the walk to it is refused the same way
        assertThatThrownBy(() -> log.latestClose(trades.get("a").id()))
                .hasMessageContaining("lead to instruction 0, which is not stored");
        // no index left whose first column is the trade (H2's for the foreign key went with the key)
        assertThat(jdbc.queryForList("SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEX_COLUMNS WHERE "
                + "TABLE_NAME = 'EXIT_INSTRUCTION' AND COLUMN_NAME = 'TRADE_ID' AND ORDINAL_POSITION = 1",
                String.class)).isEmpty();
    }

    private static Long lastInstruction(JdbcTemplate jdbc, Trade t) {
        return jdbc.queryForObject("SELECT last_instruction_seq FROM trade WHERE id = ?", Long.class, t.id());
    }

    /** An instruction row as V4 to V27 wrote it. */
    private static void instruction(JdbcTemplate jdbc, long seq, Trade t, String action) {
        Object[] at = {PortfolioStore.ts(T0.plusSeconds(seq)), PortfolioStore.ts(T0.plusSeconds(seq))};
        Object[] values = {"i-" + seq, seq, t.id(), t.account(), t.symbol(), action, 0.01, 47_750.0, null, "why",
            "rule", "CODE", "OPEN", "OPEN", at[0], at[1], null, null, null, "{}", "[]"};
        jdbc.update("INSERT INTO exit_instruction (id, seq, trade_id, account, symbol, action, quantity, stop_loss, "
                + "price, reason, rule_name, code, state_before, state_after, issued_at, recorded_at, policy_id, "
                + "policy_version, policy_sha256, mark_json, fired_json) VALUES ("
                + String.join(",", Arrays.stream(values).map(v -> "?").toList()) + ")", values);
    }
}
