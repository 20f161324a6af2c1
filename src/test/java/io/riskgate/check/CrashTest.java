package io.riskgate.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.audit.AuditChain;
import io.riskgate.database.JournalRecovery;
import io.riskgate.database.LocalDatabase;
import io.riskgate.decision.Decision;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.TestRuntime;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Acknowledged means durable: a child JVM ({@link CrashChild}) serves checks, fills and closes from eight threads,
 * and marks on the traded symbol from a ninth, over an H2 file database and is killed with SIGKILL at a random
 * moment, five times over the same database. After each kill the database is opened again and every answer any child
 * had received (this round's and the earlier rounds') is found, no account holds more than the policy's four
 * concurrent trades, the audit chain verifies, and each round's last acknowledged mark priced every trade open before
 * it (read back as riskgate reads it: through the accounts' mark rows or the trades' own columns), and every exit
 * instruction a mark answered (each trade's breakeven) is stored as the latest its trade's row names.
 * Each next child is the restart: it reads back the account the killed one held most on, holds what was stored,
 * and decides its next order by it; after the last round, riskgate restarted in this JVM does the same.
 */
class CrashTest {

    private static final int ROUNDS = 5;
    /** policies/default.yaml: portfolio.max_concurrent_trades (open positions + approved, unfilled decisions). */
    static final int MAX_CONCURRENT_TRADES = 4;

    @TempDir
    Path tmp;

    /** Batches the journal brought back over all rounds: what H2's own file had not stored at the kill. */
    private int replayed;

    /** Trades found priced by the rounds' last acknowledged marks, over all kills (a kill may come before any). */
    private int pricedByMarks;

    /** Every line a child printed, over all rounds: what was acknowledged. */
    private final List<String[]> acknowledged = new ArrayList<>();

    @Test
    void aKillAtAnyMomentLosesNothingThatWasAcknowledged() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
        Random random = new Random(20261203L);
        Optional<Held> busiest = Optional.empty();
        for (int round = 1; round <= ROUNDS; round++) {
            // at least 50 answers, then a random further wait: the kill lands anywhere in the load
            List<String[]> lines = serveAndKill(round, busiest, 50 + random.nextInt(250));
            if (busiest.isPresent()) {
                restartedAsStored(lines.get(0), busiest.get());
            }
            busiest = Optional.of(verify());
        }
        // the kills landed while H2's file lagged the answers: the journal, not H2 alone, kept them
        assertThat(replayed).as("batches replayed from the journal over " + ROUNDS + " kills").isPositive();
        assertThat(pricedByMarks).as("trades checked against acknowledged marks over " + ROUNDS + " kills")
                .isPositive();
        assertThat(acknowledged.stream().filter(l -> l[0].equals("I")).count())
                .as("exit instructions acknowledged over " + ROUNDS + " kills").isPositive();
        // the last kill's restart, in this JVM
        Held last = busiest.orElseThrow();
        try (RiskgateRuntime rt = RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(),
                "default", LocalDatabase.dataSource(url(), "sa"),
                Clock.fixed(TestRuntime.T0.plusSeconds(120), ZoneOffset.UTC), new SimpleMeterRegistry())) {
            int inBook = rt.portfolio().withAccount(last.account(), b -> b.positions().size() + b.reservations().size());
            assertThat(inBook).isEqualTo(last.held());
            Decision d = rt.engine().check(CrashChild.order(last.account(), "after-restart-last"));
            assertThat(d.approved()).isEqualTo(last.held() < MAX_CONCURRENT_TRADES);
        }
    }

    private String url() {
        return "jdbc:h2:file:" + tmp.resolve("db");
    }

    /** An account and what the store held for it after a kill: open trades plus unreleased reservations. */
    private record Held(String account, int held) {
    }

    /** Starts a child on the database, lets it answer, kills it; returns the lines it printed, in order. */
    private List<String[]> serveAndKill(int round, Optional<Held> busiest, int answersBeforeKill) throws Exception {
        Child child = Child.start(tmp.toString(), round, "", busiest.map(Held::account),
                tmp.resolve("child-" + round + ".err"), List.of("-Dcrash.marks=true"));
        child.awaitAnswers(answersBeforeKill);
        List<String[]> lines = child.kill();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(answersBeforeKill);
        acknowledged.addAll(lines);
        return lines;
    }

    /** A {@link CrashChild} process and the lines it printed so far. */
    record Child(Process process, List<String> printed, Thread reader, Path err) {

        /** Starts a child on {@code database} (a directory, or a PostgreSQL URL), its order ids tagged {@code tag}. */
        static Child start(String database, int round, String tag, Optional<String> busiest, Path err)
                throws IOException {
            return start(database, round, tag, busiest, err, List.of());
        }

        /** As above, with further system properties for the child ({@code -Dcrash.outbox=true}). */
        static Child start(String database, int round, String tag, Optional<String> busiest, Path err,
                           List<String> properties) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                            .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dcrash.tag=" + tag));
            cmd.addAll(properties);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), database,
                    TestRuntime.repoPolicies().toString(), TestRuntime.repoRules().toString(), String.valueOf(round)));
            busiest.ifPresent(cmd::add);
            Process process = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            List<String> printed = Collections.synchronizedList(new ArrayList<>());
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        printed.add(line);
                    }
                } catch (IOException ignored) {
                    // the child is gone
                }
            });
            reader.start();
            return new Child(process, printed, reader, err);
        }

        /** Answers printed so far (READY aside). */
        int answers() {
            synchronized (printed) {
                return (int) printed.stream().filter(l -> !l.equals("READY")).count();
            }
        }

        /** Waits until the child has printed {@code n} answers (two minutes at most); it must still be serving. */
        void awaitAnswers(int n) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (answers() < n && System.nanoTime() < deadline && process.isAlive()) {
                Thread.sleep(5);
            }
            assertThat(process.isAlive()).as("the child serves: " + Files.readString(err)).isTrue();
            assertThat(answers()).as("answers: " + Files.readString(err)).isGreaterThanOrEqualTo(n);
        }

        /** SIGKILL; the answers it had printed, each split into its words. */
        List<String[]> kill() throws Exception {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
            synchronized (printed) {
                return printed.stream().filter(l -> !l.equals("READY")).map(l -> l.split(" ")).toList();
            }
        }
    }

    /** The restarted child's first line: it held what the store held, and decided its order by it. */
    private static void restartedAsStored(String[] first, Held busiest) {
        assertThat(first[0]).isEqualTo("R");
        assertThat(first[2]).isEqualTo(busiest.account());
        assertThat(Integer.parseInt(first[4])).as("held by the restarted book").isEqualTo(busiest.held());
        // a fifth concurrent trade is refused; below the limit seed 001 is approved for 0.01 BTC
        assertThat(first[3]).isEqualTo(busiest.held() < MAX_CONCURRENT_TRADES ? "APPROVED" : "REJECTED");
    }

    /**
     * Opens the killed child's database (one connection: an H2 file database opened and closed per query would be
     * recovered each time), finds every acknowledged line, checks the limit and the audit chain; returns the
     * account holding most.
     */
    private Held verify() throws Exception {
        Path before = copyOfTheKilledFiles();
        try (Connection c = LocalDatabase.dataSource(url(), "sa").getConnection()) {
            // as every start does: the batches acknowledged but not yet in H2's file come back from the journal
            try {
                replayed += JournalRecovery.recover(new SingleConnectionDataSource(c, true)).batches();
            } catch (RuntimeException e) {
                keepEvidence(before);
                throw e;
            }
            JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(c, true));
            Map<String, Integer> held = allStored(jdbc, acknowledged);
            pricedByMarks += marksStored(new SingleConnectionDataSource(c, true), acknowledged);
            return held.entrySet().stream().max(Map.Entry.comparingByValue())
                    .map(e -> new Held(e.getKey(), e.getValue())).orElse(new Held("crash-none", 0));
        }
    }

    /** The database and journal as the killed child left them, before anything opens them. */
    private Path copyOfTheKilledFiles() throws java.io.IOException {
        Path before = Files.createDirectories(tmp.resolve("before-recovery"));
        try (var files = Files.list(tmp)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, before.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return before;
    }

    /**
     * A recovery that fails leaves the killed child's database and journal, as they were before it, and the lines
     * acknowledged in {@code target/crash-evidence-*}: a failure seen once in a CI run can be examined afterwards.
     */
    private void keepEvidence(Path before) {
        try {
            Path evidence = Files.createDirectories(Path.of("target", "crash-evidence-" + System.nanoTime()));
            try (var files = Files.list(before)) {
                for (Path f : files.toList()) {
                    Files.copy(f, evidence.resolve(f.getFileName()));
                }
            }
            Files.write(evidence.resolve("acknowledged.txt"), acknowledged.stream().map(l -> String.join(" ", l))
                    .toList());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not keep the evidence of a failed recovery", e);
        }
    }

    /**
     * Each round's last acknowledged mark priced every trade acknowledged open before that mark began and never
     * closed: each reads back (through the account's mark row or its own columns, as every read of riskgate does) a
     * last mark at that time or later, at the price of the mark of that time. Returns how many trades it checked.
     */
    private static int marksStored(javax.sql.DataSource db, List<String[]> acknowledged) {
        io.riskgate.portfolio.PortfolioStore store = new io.riskgate.portfolio.PortfolioStore(db,
                RiskgateRuntime.jsonMapper());
        Map<String, Double> priceAt = new java.util.HashMap<>();
        Map<String, Integer> lastAcknowledged = new TreeMap<>();
        java.util.Set<String> closed = new java.util.HashSet<>();
        for (int i = 0; i < acknowledged.size(); i++) {
            String[] l = acknowledged.get(i);
            if (l[0].equals("m") || l[0].equals("M")) {
                priceAt.put(l[3], Double.parseDouble(l[4]));
            }
            if (l[0].equals("M")) {
                lastAcknowledged.put(l[1], i);
            }
            if (l[0].equals("C")) {
                closed.add(l[1]);
            }
        }
        int checked = 0;
        for (int m : lastAcknowledged.values()) {
            String[] mark = acknowledged.get(m);
            Instant at = Instant.parse(mark[3]);
            int began = m;
            while (!(acknowledged.get(began)[0].equals("m") && acknowledged.get(began)[2].equals(mark[2])
                    && acknowledged.get(began)[1].equals(mark[1]))) {
                began--;
            }
            for (int i = 0; i < began; i++) {
                String[] l = acknowledged.get(i);
                if (!l[0].equals("F") || closed.contains(l[1]) || !l[2].startsWith("crash-" + mark[1] + "-")) {
                    continue;
                }
                io.riskgate.portfolio.Trade t = store.trade(l[1]).orElseThrow();
                if (t.state().isClosed()) {
                    continue; // a close that committed but was not acknowledged
                }
                Instant marked = t.progress().lastMarkAt();
                assertThat(marked).as("trade %s's last mark after mark %s", l[1], String.join(" ", mark))
                        .isNotNull().isAfterOrEqualTo(at);
                assertThat(store.lastPrices(l[2])).as("trade %s's last price", l[1])
                        .containsEntry(l[1], priceAt.get(marked.toString()));
                checked++;
            }
        }
        return checked;
    }

    /**
     * Every acknowledged line ({@link CrashChild}'s) is stored as answered, some approvals among them, the audit chain
     * is whole, and no account holds more than its trade slots; returns what each account holds (open trades plus
     * unreleased reservations).
     */
    static Map<String, Integer> allStored(JdbcTemplate jdbc, List<String[]> acknowledged) {
        List<String> lost = new ArrayList<>();
        for (int i = 0; i < acknowledged.size(); i++) {
            String[] l = acknowledged.get(i);
            if (l[0].equals("m") || l[0].equals("M")) {
                continue; // marks: CrashTest.marksStored
            }
            List<String> stored = switch (l[0]) {
                case "D", "R" -> jdbc.queryForList("SELECT outcome FROM decision WHERE id = ?", String.class, l[1]);
                case "F" -> jdbc.queryForList("SELECT 'F' FROM trade WHERE id = ?", String.class, l[1]);
                case "C" -> jdbc.queryForList("SELECT 'C' FROM trade WHERE id = ? AND state LIKE 'CLOSED%'",
                        String.class, l[1]);
                // an instruction a mark answered: stored, and the latest its trade's row names (each trade has one,
                // its breakeven: the walk of the trade's history starts from it)
                case "I" -> jdbc.queryForList("SELECT 'I' FROM exit_instruction e JOIN trade t ON t.id = e.trade_id "
                        + "WHERE e.id = ? AND e.trade_id = ? AND t.last_instruction_seq = e.seq AND e.prev_seq IS NULL",
                        String.class, l[1], l[2]);
                default -> throw new AssertionError("unexpected line " + String.join(" ", l));
            };
            if (!stored.equals(List.of(l[0].equals("D") || l[0].equals("R") ? l[3] : l[0]))) {
                lost.add("#" + i + " " + String.join(" ", l) + " (stored: " + stored + ")");
            }
        }
        assertThat(lost).as("acknowledged, not stored, of " + acknowledged.size() + "; decisions stored "
                + jdbc.queryForObject("SELECT COUNT(*) FROM decision", Integer.class)).isEmpty();
        assertThat(acknowledged.stream().filter(l -> l[0].equals("D")).map(l -> l[3])).contains("APPROVED");
        // one breakeven a trade, however many marks it saw before the kill and after the restarts
        assertThat(jdbc.queryForObject("SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n FROM exit_instruction "
                + "GROUP BY trade_id) per_trade", Integer.class)).isLessThanOrEqualTo(1);

        AuditChain.Report chain = new AuditChain(jdbc).verify(Optional.empty());
        assertThat(chain.problems()).isEmpty();
        assertThat(chain.intact()).isTrue();
        assertThat(chain.records()).isGreaterThanOrEqualTo(
                acknowledged.stream().filter(l -> l[0].equals("D") || l[0].equals("R")).count());

        // no limit overshot, in what was stored: open trades plus held reservations per account
        Map<String, Integer> held = jdbc.query("SELECT account, COUNT(*) AS n FROM ("
                        + "SELECT account FROM trade WHERE state NOT LIKE 'CLOSED%' "
                        + "UNION ALL SELECT account FROM reservation WHERE released_at IS NULL) held GROUP BY account",
                rs -> {
                    Map<String, Integer> m = new TreeMap<>();
                    while (rs.next()) {
                        m.put(rs.getString("account"), rs.getInt("n"));
                    }
                    return m;
                });
        assertThat(held.values()).allMatch(n -> n <= MAX_CONCURRENT_TRADES, "at most " + MAX_CONCURRENT_TRADES);
        return held;
    }
}
