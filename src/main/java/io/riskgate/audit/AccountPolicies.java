package io.riskgate.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Which policy each account is assigned to (accounts without one use the default policy). Assignments are stored,
 * audited in the activation log (ASSIGNED, with who and why) and cached in memory.
 */
public final class AccountPolicies {

    /** An account's assignment. */
    public record Assignment(String account, String policyId, Instant assignedAt, String actor, String reason) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Map<String, Optional<String>> cache = new ConcurrentHashMap<>();

    public AccountPolicies(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    /** The policy id assigned to {@code account}, empty for the default. */
    public Optional<String> assigned(String account) {
        return cache.computeIfAbsent(account, a -> jdbc.queryForList(
                "SELECT policy_id FROM account_policy WHERE account = ?", String.class, a).stream().findFirst());
    }

    public Optional<Assignment> assignment(String account) {
        return jdbc.query("SELECT * FROM account_policy WHERE account = ?", (rs, i) -> new Assignment(
                rs.getString("account"), rs.getString("policy_id"),
                rs.getObject("assigned_at", OffsetDateTime.class).toInstant(), rs.getString("actor"),
                rs.getString("reason")), account).stream().findFirst();
    }

    /** Assigns (or, with the default policy's id, still records) a policy for an account. */
    public Assignment assign(String account, String policyId, String actor, String reason) {
        Instant now = clock.instant();
        jdbc.update("MERGE INTO account_policy (account, policy_id, assigned_at, actor, reason) KEY (account) "
                + "VALUES (?,?,?,?,?)", account, policyId, now.atOffset(ZoneOffset.UTC), actor, reason);
        cache.put(account, Optional.of(policyId));
        return new Assignment(account, policyId, now, actor, reason);
    }
}
