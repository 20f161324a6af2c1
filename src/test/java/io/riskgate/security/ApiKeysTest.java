package io.riskgate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskgate.errors.ConflictException;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.TestRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

class ApiKeysTest {

    private final MutableClock clock = new MutableClock(TestRuntime.T0);
    private DataSource db;
    private ApiKeys keys;

    @BeforeEach
    void database() {
        db = TestRuntime.memoryDatabase();
        RiskgateRuntime.migrate(db);
        keys = new ApiKeys(db, clock);
    }

    private ApiKeys.Created trader(String name, Duration life) {
        return keys.create(new ApiKeys.Spec(name, Set.of(Role.TRADER), Set.of("acct-a"), life), "test");
    }

    @Test
    void aKeyAuthenticatesAsItsHolderWithItsRolesAndAccounts() {
        ApiKeys.Created c = trader("exec-1", Duration.ofDays(90));
        assertThat(c.key()).matches(ApiKeys.FORMAT);
        Caller caller = keys.authenticate(c.key()).orElseThrow();
        assertThat(caller.name()).isEqualTo("exec-1");
        assertThat(caller.credential()).isEqualTo("key:" + c.apiKey().id());
        assertThat(caller.roles()).containsExactly(Role.TRADER);
        assertThat(caller.names("acct-a")).isTrue();
        assertThat(caller.names("acct-b")).isFalse();
    }

    @Test
    void onlyTheHashIsStored() {
        ApiKeys.Created c = trader("exec-1", Duration.ofDays(90));
        List<Map<String, Object>> rows = new JdbcTemplate(db).queryForList("SELECT * FROM api_key");
        assertThat(rows).hasSize(1);
        // rg_<10-character id>_<43 characters>: the secret may itself hold '_', so it is cut by position
        String secret = c.key().substring("rg_".length() + 10 + 1);
        assertThat(secret).hasSize(43);
        assertThat(rows.get(0).values()).allSatisfy(v -> assertThat(String.valueOf(v)).doesNotContain(secret));
        assertThat(rows.get(0).get("KEY_HASH")).isEqualTo(ApiKeys.sha256(c.key()));
    }

    @Test
    void aKeyStopsAtItsExpiryToTheSecond() {
        ApiKeys.Created c = trader("exec-1", Duration.ofDays(1));
        clock.advance(Duration.ofDays(1).minusSeconds(1));
        assertThat(keys.authenticate(c.key())).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(keys.authenticate(c.key())).isEmpty();
    }

    @Test
    void aRevokedKeyIsRefusedAndAKeyThatIsAlmostRightToo() {
        ApiKeys.Created c = trader("exec-1", Duration.ofDays(90));
        String tampered = c.key().substring(0, c.key().length() - 1)
                + (c.key().endsWith("A") ? "B" : "A");
        assertThat(keys.authenticate(tampered)).isEmpty();
        assertThat(keys.authenticate(null)).isEmpty();
        assertThat(keys.authenticate("rg_short")).isEmpty();
        keys.revoke(c.apiKey().id(), "admin");
        assertThat(keys.authenticate(c.key())).isEmpty();
        // a restart reads the same: revoked stays revoked
        assertThat(new ApiKeys(db, clock).authenticate(c.key())).isEmpty();
    }

    /**
     * Two instances on one database (each its own index of keys): a key revoked through one keeps working on the
     * other only until that one reads the keys again (runtime.InstanceSync, about once a second), and a key created
     * through one works on the other from then on.
     */
    @Test
    void aKeyRevokedOrCreatedThroughAnotherInstanceCountsHereAfterTheNextRead() {
        ApiKeys.Created c = trader("exec-1", Duration.ofDays(90));
        ApiKeys other = new ApiKeys(db, clock);
        assertThat(other.authenticate(c.key())).isPresent();

        keys.revoke(c.apiKey().id(), "officer");
        ApiKeys.Created fresh = trader("exec-2", Duration.ofDays(90));
        assertThat(other.authenticate(c.key())).as("before the other instance reads the keys again").isPresent();
        assertThat(other.authenticate(fresh.key())).isEmpty();
        other.refresh();
        assertThat(other.authenticate(c.key())).isEmpty();
        assertThat(other.stillValid(keys.authenticate(fresh.key()).orElseThrow())).isTrue();
        assertThat(other.authenticate(fresh.key())).isPresent();
    }

    @Test
    void keysSurviveARestart() {
        ApiKeys.Created c = trader("exec-1", Duration.ofDays(90));
        assertThat(new ApiKeys(db, clock).authenticate(c.key())).isPresent();
    }

    @Test
    void everyProblemOfASpecIsListed() {
        assertThatThrownBy(() -> keys.create(new ApiKeys.Spec("no spaces", Set.of(), Set.of("bad account!"),
                Duration.ofDays(1000)), "test"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.problems())
                        .extracting(p -> p.field()).containsExactlyInAnyOrder("name", "roles", "accounts",
                                "expiresInDays"));
        // a TRADER key must say which accounts it trades
        assertThatThrownBy(() -> keys.create(new ApiKeys.Spec("exec-2", Set.of(Role.TRADER), Set.of(),
                Duration.ofDays(1)), "test")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void twoActiveKeysCannotShareAName() {
        ApiKeys.Created first = trader("exec-1", Duration.ofDays(90));
        assertThatThrownBy(() -> trader("exec-1", Duration.ofDays(90))).isInstanceOf(ConflictException.class);
        keys.revoke(first.apiKey().id(), "admin");
        assertThat(trader("exec-1", Duration.ofDays(90)).apiKey().name()).isEqualTo("exec-1");
    }

    @Test
    void theLastActiveAdminKeyIsKept() {
        ApiKeys.Created admin = keys.create(new ApiKeys.Spec("root", Set.of(Role.ADMIN), Set.of(), null), "test");
        assertThatThrownBy(() -> keys.revoke(admin.apiKey().id(), "root")).isInstanceOf(ConflictException.class);
        keys.create(new ApiKeys.Spec("root-2", Set.of(Role.ADMIN), Set.of(), null), "test");
        assertThat(keys.revoke(admin.apiKey().id(), "root-2").revokedBy()).hasValue("root-2");
    }

    @Test
    void theBootstrapKeyIsWrittenOwnerOnlyAndOnlyWhileNoAdminIsActive(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data/admin.key");
        assertThat(BootstrapAdminKey.ensure(keys, file)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String key = Files.readString(file).trim();
        assertThat(keys.authenticate(key).orElseThrow().roles()).containsExactly(Role.ADMIN);
        // a second start with an active ADMIN key leaves the file alone
        assertThat(BootstrapAdminKey.ensure(keys, file)).isFalse();
        assertThat(Files.readString(file).trim()).isEqualTo(key);
        // once it has expired (90 days), the next start writes a new one
        clock.advance(Duration.ofDays(90));
        assertThat(BootstrapAdminKey.ensure(keys, file)).isTrue();
        assertThat(Files.readString(file).trim()).isNotEqualTo(key);
    }
}
