package io.riskgate.audit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Which policy each account is assigned to (accounts without one use the default policy). Assignments are stored,
 * audited in the activation log (ASSIGNED, with who and why) and cached in memory: an account's entry (its
 * assignment, or that it has none) leaves the cache when unused for the accounts' idle time, and at most as many
 * entries as resident account books are kept, so account ids nobody assigned cannot fill memory. An assignment is
 * written to the database before the cache, and a lookup that misses reads the database.
 */
public final class AccountPolicies {

    /** An account's assignment. */
    public record Assignment(String account, String policyId, Instant assignedAt, String actor, String reason) {
    }

    private final JdbcTemplate jdbc;
    /** Writes an account's assignment, replacing the one before. */
    private final String assign;
    private final TransactionOperations tx;
    private final Clock clock;
    private final Cache<String, Optional<String>> cache;

    /** Entries unused for {@code idle} leave the cache, and at most {@code maxEntries} are kept. */
    /** {@code tx}: the service's writes (a group commit), so that an assignment is durable before it is answered. */
    public AccountPolicies(DataSource dataSource, TransactionOperations tx, Clock clock, Duration idle, int maxEntries,
                           Ticker ticker) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.assign = io.riskgate.database.Dialect.of(dataSource).upsert("account_policy", List.of("account"),
                List.of("account", "policy_id", "assigned_at", "actor", "reason"));
        this.tx = tx;
        this.clock = clock;
        this.cache = Caffeine.newBuilder().ticker(ticker).expireAfterAccess(idle).maximumSize(maxEntries)
                .executor(Runnable::run).build();
    }

    /** The policy id assigned to {@code account}, empty for the default. */
    public Optional<String> assigned(String account) {
        return cache.get(account, a -> jdbc.queryForList(
                "SELECT policy_id FROM account_policy WHERE account = ?", String.class, a).stream().findFirst());
    }

    /** Drops the account's cached assignment: another process on the database assigned it (runtime.InstanceSync). */
    public void forget(String account) {
        cache.invalidate(account);
    }

    /** How many accounts' assignments are cached (due evictions run first). */
    public long cachedAccounts() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    public Optional<Assignment> assignment(String account) {
        return jdbc.query("SELECT * FROM account_policy WHERE account = ?", (rs, i) -> new Assignment(
                rs.getString("account"), rs.getString("policy_id"),
                rs.getObject("assigned_at", OffsetDateTime.class).toInstant(), rs.getString("actor"),
                rs.getString("reason")), account).stream().findFirst();
    }

    /** Assigns (or, with the default policy's id, still records) a policy for an account. */
    public Assignment assign(String account, String policyId, String actor, String reason) {
        return assign(account, policyId, actor, reason, () -> { });
    }

    /**
     * As {@link #assign(String, String, String, String)}, with {@code alongside} (its entry in the activation log)
     * in the same transaction: other processes on the database find the assignment by that entry
     * (runtime.InstanceSync), so the two are never apart.
     */
    public Assignment assign(String account, String policyId, String actor, String reason, Runnable alongside) {
        Instant now = clock.instant();
        tx.executeWithoutResult(s -> {
            jdbc.update(assign, account, policyId, now.atOffset(ZoneOffset.UTC), actor, reason);
            alongside.run();
        });
        cache.put(account, Optional.of(policyId));
        return new Assignment(account, policyId, now, actor, reason);
    }
}
