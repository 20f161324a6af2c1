package io.riskgate.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.Postgres;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The account's lock across processes and the version every write compares, on a real PostgreSQL server: what keeps
 * several riskgate instances on one database from both taking the last of a limit.
 */
class AccountVersionsTest {

    private final HikariDataSource db = Postgres.newDatabase();
    private final JdbcTemplate jdbc = new JdbcTemplate(db);
    private final TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(db));

    @AfterEach
    void close() {
        db.close();
    }

    private AccountVersions migrated() {
        RiskgateRuntime.migrate(db);
        return AccountVersions.of(db);
    }

    @Test
    void aWriteMovesTheVersionOnOnlyFromTheVersionItWasDecidedOn() {
        AccountVersions versions = migrated();
        assertThat(versions.shared()).isTrue();
        assertThat(versions.read("acc")).isZero();
        tx.executeWithoutResult(s -> versions.advance("acc", 0));
        tx.executeWithoutResult(s -> versions.advance("acc", 1));
        assertThat(versions.read("acc")).isEqualTo(2);
        // a write decided on version 1 (another process wrote since): refused, and its transaction with it
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
            jdbc.update("INSERT INTO kill_switch (scope, tripped_at, actor, reason) VALUES ('ALL', now(), 'x', 'y')");
            versions.advance("acc", 1);
        })).isInstanceOf(AccountVersions.Stale.class).hasMessageContaining("account 'acc'");
        assertThat(versions.read("acc")).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM kill_switch", Integer.class)).isZero();
        // two first writes on a new account: one is the first, the other finds it taken
        tx.executeWithoutResult(s -> versions.advance("new", 0));
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> versions.advance("new", 0)))
                .isInstanceOf(AccountVersions.Stale.class);
    }

    @Test
    void theLockMakesTheSecondHolderWaitAndThenTellsItTheVersionTheFirstLeft() throws Exception {
        AccountVersions versions = migrated();
        AccountVersions other = AccountVersions.of(db); // another process's
        AccountVersions.Held first = versions.hold("acc");
        assertThat(first.version()).isZero();
        CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> {
            try (AccountVersions.Held h = other.hold("acc")) {
                return h.version();
            }
        });
        // another account is not held up
        try (AccountVersions.Held elsewhere = other.hold("other")) {
            assertThat(elsewhere.version()).isZero();
        }
        assertThatThrownBy(() -> second.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        tx.executeWithoutResult(s -> versions.advance("acc", 0));
        first.close();
        assertThat(second.get(10, TimeUnit.SECONDS)).isOne();
        // let go, the lock is free: no session kept it (the connection went back to the pool unlocked)
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory'", Integer.class))
                .isZero();
    }

    @Test
    void aLockLostWithItsSessionLetsAnotherProcessInAndTheVersionStillFencesTheFirst() {
        AccountVersions versions = migrated();
        AccountVersions.Held first = versions.hold("acc");
        long decidedOn = first.version();
        // first's session is cut (a network cut): its lock goes, unnoticed by first
        jdbc.queryForList("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'");
        AccountVersions other = AccountVersions.of(db);
        try (AccountVersions.Held second = other.hold("acc")) {
            assertThat(second.version()).isEqualTo(decidedOn);
            tx.executeWithoutResult(s -> other.advance("acc", second.version()));
        }
        // first's write, decided before the other's: refused, nothing of it committed
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> versions.advance("acc", decidedOn)))
                .isInstanceOf(AccountVersions.Stale.class);
        first.close(); // its session is gone: the connection is discarded, not pooled
        assertThat(versions.read("acc")).isOne();
    }

    @Test
    void aProcessHoldingAnAccountTooLongMakesTheOthersFailClosedNotHang() {
        AccountVersions versions = migrated();
        try (AccountVersions.Held stalled = versions.hold("acc")) {
            // another process waits LOCK_WAIT (10 s) for it, then is refused, saying why
            long start = System.nanoTime();
            assertThatThrownBy(() -> AccountVersions.of(db).hold("acc")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("account 'acc' has been held by another riskgate process for more than "
                            + "10 s");
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
                    .isGreaterThanOrEqualTo(AccountVersions.LOCK_WAIT)
                    .isLessThan(AccountVersions.LOCK_WAIT.multipliedBy(3));
        }
    }

    @Test
    void h2HasNothingToLockOrCompare() {
        assertThat(AccountVersions.NONE.shared()).isFalse();
        assertThat(AccountVersions.NONE.hold("acc").version()).isEqualTo(-1);
        AccountVersions.NONE.advance("acc", 42);
        assertThat(AccountVersions.NONE.read("acc")).isZero();
    }
}
