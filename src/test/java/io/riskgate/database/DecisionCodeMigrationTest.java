package io.riskgate.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskgate.runtime.RiskgateRuntime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * V16 replaces decision_rule (a row per fired rule, rejection and adjustment) with decision_code (each code of a
 * decision once): a store written before it keeps every code it could be searched by, once.
 */
class DecisionCodeMigrationTest {

    @Test
    void aStoreFromBeforeV16KeepsEachCodeOfADecisionOnce() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:v16-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations(RiskgateRuntime.migrations(ds)).target("15").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        for (String id : List.of("d-1", "d-2")) {
            jdbc.update("INSERT INTO decision (id, account, symbol, side, outcome, approved, quantity, notional, "
                    + "decided_at, recorded_at, request_json, decision_json) VALUES (?, 'acct', 'BTCUSDT', 'LONG', "
                    + "'REJECTED', FALSE, 0, 0, TIMESTAMP WITH TIME ZONE '2026-01-05 10:00:00Z', "
                    + "TIMESTAMP WITH TIME ZONE '2026-01-05 10:00:00Z', '{}', '{}')", id);
        }
        // d-1: the rejecting rule fired and rejected (one code twice), another rule adjusted; d-2: nothing fired
        jdbc.update("INSERT INTO decision_rule (decision_id, kind, seq, rule_name, code) VALUES "
                + "('d-1', 'FIRED', 0, 'Consensus gate', 'CONSENSUS_WEAK'), "
                + "('d-1', 'FIRED', 1, 'Losing streak', 'LOSING_STREAK'), "
                + "('d-1', 'REJECTION', 0, 'Consensus gate', 'CONSENSUS_WEAK'), "
                + "('d-1', 'ADJUSTMENT', 0, 'Losing streak', 'LOSING_STREAK')");

        Flyway.configure().dataSource(ds).locations(RiskgateRuntime.migrations(ds)).load().migrate();

        List<Map<String, Object>> codes = jdbc.queryForList(
                "SELECT decision_id, code FROM decision_code ORDER BY decision_id, code");
        assertThat(codes).containsExactly(Map.of("DECISION_ID", "d-1", "CODE", "CONSENSUS_WEAK"),
                Map.of("DECISION_ID", "d-1", "CODE", "LOSING_STREAK"));
        assertThatThrownBy(() -> jdbc.queryForObject("SELECT COUNT(*) FROM decision_rule", Long.class))
                .isInstanceOf(BadSqlGrammarException.class);
        // one code once: the key refuses it twice
        assertThatThrownBy(() -> jdbc.update(
                "INSERT INTO decision_code (decision_id, code) VALUES ('d-1', 'LOSING_STREAK')"))
                .isInstanceOf(DuplicateKeyException.class);
    }
}
