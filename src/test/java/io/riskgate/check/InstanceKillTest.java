package io.riskgate.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.riskgate.testing.Postgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two riskgate processes on one PostgreSQL database serve the same twenty accounts (eight threads each: checks,
 * fills of every approval, closes of half; {@link CrashChild}); one is killed with SIGKILL under load (issue 15). The
 * other keeps serving, the dead one's approvals still hold their slots, and nothing either had acknowledged is lost:
 * every answer printed by either process is stored as answered, the audit chain both wrote is whole, and no account
 * holds more than its four trade slots.
 */
class InstanceKillTest {

    @TempDir
    Path tmp;

    @Test
    void killingOneInstanceUnderLoadLosesNothingAcknowledgedAndTheOtherServesOn() throws Exception {
        String url = Postgres.newDatabaseUrl();
        try (HikariDataSource db = Postgres.pool(url)) {
            // both start at once on the empty database: Flyway migrates under its lock, and the policy version both
            // archive is stored once (a race this test found: the second insert of the same version failed the start)
            CrashTest.Child a = CrashTest.Child.start(url, 1, "a-", Optional.empty(), tmp.resolve("a.err"));
            CrashTest.Child b = CrashTest.Child.start(url, 1, "b-", Optional.empty(), tmp.resolve("b.err"));
            List<String[]> acknowledged = new ArrayList<>();
            try {
                a.awaitAnswers(100);
                b.awaitAnswers(100);
                acknowledged.addAll(a.kill());
                // the survivor serves on, on the accounts the dead one was using (its locks went with its sessions)
                int before = b.answers();
                b.awaitAnswers(before + 200);
            } finally {
                if (a.process().isAlive()) {
                    acknowledged.addAll(a.kill());
                }
                acknowledged.addAll(b.kill());
            }
            Map<String, Integer> held = CrashTest.allStored(new JdbcTemplate(db), acknowledged);
            assertThat(held).isNotEmpty();
            // both instances decided on the same accounts
            assertThat(acknowledged.stream().filter(l -> l[0].equals("D")).map(l -> l[2]).distinct().count())
                    .isEqualTo(CrashChild.ACCOUNTS);
        }
    }
}
