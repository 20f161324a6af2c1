package io.riskgate.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.database.LocalDatabase;
import io.riskgate.decision.Decision;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Acknowledged means durable: a child JVM ({@link CrashChild}) serves checks, fills and closes from eight threads
 * over an H2 file database; it is killed with SIGKILL at a random moment, the database is opened again, and every
 * answer the child had received is found, no account holds more than the policy's four concurrent trades, and a
 * restarted riskgate serves the same accounts from what was stored. Five rounds.
 */
class CrashTest {

    private static final int ROUNDS = 5;
    /** policies/default.yaml: portfolio.max_concurrent_trades (open positions + approved, unfilled decisions). */
    private static final int MAX_CONCURRENT_TRADES = 4;

    @TempDir
    Path tmp;

    @Test
    void aKillAtAnyMomentLosesNothingThatWasAcknowledged() throws Exception {
        Random random = new Random(20261203L);
        for (int round = 1; round <= ROUNDS; round++) {
            // at least 50 answers, then a random further wait: the kill lands anywhere in the load
            round(tmp.resolve("round-" + round), 50 + random.nextInt(250));
        }
    }

    private void round(Path dir, int answersBeforeKill) throws Exception {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path err = dir.resolve("child.err");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), dir.toString(), TestRuntime.repoPolicies().toString(),
                TestRuntime.repoRules().toString())
                .redirectError(err.toFile()).start();
        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    acknowledged.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the child is gone
            }
        });
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (acknowledged.size() < answersBeforeKill + 1 && System.nanoTime() < deadline && child.isAlive()) {
            Thread.sleep(5);
        }
        assertThat(child.isAlive()).as("the child serves: " + Files.readString(err)).isTrue();
        child.destroyForcibly(); // SIGKILL
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
        List<String[]> lines = acknowledged.stream().filter(l -> !l.equals("READY")).map(l -> l.split(" "))
                .toList();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(answersBeforeKill);

        DataSource db = LocalDatabase.dataSource("jdbc:h2:file:" + dir.resolve("db"), "sa");
        JdbcTemplate jdbc = new JdbcTemplate(db);
        List<String> lost = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String[] l = lines.get(i);
            List<String> stored = switch (l[0]) {
                case "D" -> jdbc.queryForList("SELECT outcome FROM decision WHERE id = ?", String.class, l[1]);
                case "F" -> jdbc.queryForList("SELECT 'F' FROM trade WHERE id = ?", String.class, l[1]);
                case "C" -> jdbc.queryForList("SELECT 'C' FROM trade WHERE id = ? AND state LIKE 'CLOSED%'",
                        String.class, l[1]);
                default -> throw new AssertionError("unexpected line " + String.join(" ", l));
            };
            if (!stored.equals(List.of(l[0].equals("D") ? l[3] : l[0]))) {
                lost.add("#" + i + " " + String.join(" ", l) + " (stored: " + stored + ")");
            }
        }
        assertThat(lost).as("acknowledged, not stored, of " + lines.size() + "; decisions stored "
                + jdbc.queryForObject("SELECT COUNT(*) FROM decision", Integer.class) + "; child: "
                + Files.readString(err)).isEmpty();
        // no limit overshot, in what was stored: open trades plus held reservations per account
        Map<String, Integer> held = jdbc.query("SELECT account, COUNT(*) AS n FROM ("
                        + "SELECT account FROM trade WHERE state NOT LIKE 'CLOSED%' "
                        + "UNION ALL SELECT account FROM reservation WHERE released_at IS NULL) GROUP BY account",
                rs -> {
                    Map<String, Integer> m = new java.util.TreeMap<>();
                    while (rs.next()) {
                        m.put(rs.getString("account"), rs.getInt("n"));
                    }
                    return m;
                });
        assertThat(held.values()).allMatch(n -> n <= MAX_CONCURRENT_TRADES, "at most " + MAX_CONCURRENT_TRADES);

        // restarted on the same database, riskgate serves the accounts from what was stored
        try (RiskgateRuntime rt = RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(),
                "default", db, Clock.fixed(TestRuntime.T0.plusSeconds(120), ZoneOffset.UTC),
                new SimpleMeterRegistry())) {
            String busiest = held.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                    .orElse("crash-0");
            int stored = held.getOrDefault(busiest, 0);
            int inBook = rt.portfolio().withAccount(busiest, b -> b.positions().size() + b.reservations().size());
            assertThat(inBook).isEqualTo(stored);
            Decision d = rt.engine().check(Requests.set(Requests.set(Requests.seed001(), "account", busiest),
                    "clientOrderId", "after-restart"));
            // a fifth concurrent trade is refused; below the limit seed 001 is approved for 0.01 BTC
            assertThat(d.approved()).isEqualTo(stored < MAX_CONCURRENT_TRADES);
            List<String> outcomes = lines.stream().filter(l -> l[0].equals("D")).map(l -> l[3]).distinct()
                    .collect(Collectors.toList());
            assertThat(outcomes).contains("APPROVED");
        }
    }
}
