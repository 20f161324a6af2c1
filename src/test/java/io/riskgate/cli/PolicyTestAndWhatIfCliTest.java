package io.riskgate.cli;

import static io.riskgate.testing.Requests.seed001;
import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.database.LocalDatabase;
import io.riskgate.decision.Decision;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code riskgate policy test [DIR]} and {@code riskgate policy what-if DIR --db URL --last N} in-process through
 * {@link RiskgateCli#run(String...)}: exit codes and printed lines. Tests run from the repository root, so
 * {@code policies} and {@code rules} are the shipped ones; edited copies and file databases live in a temporary
 * directory.
 */
class PolicyTestAndWhatIfCliTest {

    @TempDir
    Path tmp;

    /** A file database in {@link #tmp}, never ./data. */
    String db;

    @BeforeEach
    void database() {
        db = "jdbc:h2:file:" + tmp.resolve("db").toAbsolutePath();
    }

    /** How many scenarios policies/tests/*.yaml hold: the sum of their {@code scenarios} lists. */
    private static int shippedScenarios() throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        int n = 0;
        try (Stream<Path> files = Files.list(TestRuntime.repoPolicies().resolve("tests"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                n += yaml.readTree(f.toFile()).path("scenarios").size();
            }
        }
        return n;
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String s = Files.readString(file);
        assertThat(s).contains(from);
        Files.writeString(file, s.replace(from, to));
    }

    // ---- policy test

    @Test
    void policyTestPassesEveryShippedScenario() throws IOException {
        int scenarios = shippedScenarios();

        CliLines r = CliLines.run("policy", "test");

        assertThat(r.exitCode()).as(String.join("\n", r.lines())).isZero();
        assertThat(scenarios).isPositive();
        assertThat(r.lastLine()).isEqualTo(scenarios + " passed, 0 failed");
        assertThat(r.startingWith("FAIL")).isEmpty();
    }

    @Test
    void policyTestWithOneWrongExpectationExitsOneAndPrintsWhatDiffered() throws IOException {
        int scenarios = shippedScenarios();
        TestRuntime.copyRepoConfig(tmp);
        // seed 001's order is capped at $500 / 50,000 = 0.01 BTC; the copy expects 0.02
        edit(tmp.resolve("policies/tests/seed-001.yaml"), "quantity: 0.01, stop_loss", "quantity: 0.02, stop_loss");

        CliLines r = CliLines.run("policy", "test", tmp.resolve("policies").toString(), "--rules", tmp.resolve("rules").toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.startingWith("FAIL")).containsExactly(
                "FAIL  seed-001.yaml: seed 001's example is approved at 0.01 BTC");
        int fail = r.lines().indexOf("FAIL  seed-001.yaml: seed 001's example is approved at 0.01 BTC");
        assertThat(r.lines().get(fail + 1)).contains("expected quantity 0.02").contains("but was 0.01");
        assertThat(r.lastLine()).isEqualTo((scenarios - 1) + " passed, 1 failed");
    }

    // ---- policy what-if

    /**
     * Three audited decisions in the file database {@code db}, made by a runtime on the shipped policy: seed 001's
     * order on its own account at T0, T0 + 1 min and T0 + 2 min with confidence 0.70, 0.72 and 0.80, all approved
     * at 0.01 BTC under min_confidence 0.70. Returns their ids in that order.
     */
    private static List<String> auditedDecisions(String db) {
        DataSource ds = LocalDatabase.dataSource(db, "sa"); // the CLI's user and its kept password
        // closed before the CLI runs, as a service would be: left open, its database went on writing into the
        // temp dir while JUnit deleted it (DirectoryNotEmptyException once in CI)
        try (RiskgateRuntime rt = RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(),
                "default", ds, Clock.fixed(TestRuntime.T0.plusSeconds(3_600), ZoneOffset.UTC),
                new SimpleMeterRegistry())) {
            double[] confidence = {0.70, 0.72, 0.80};
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < confidence.length; i++) {
                Instant at = TestRuntime.T0.plusSeconds(60L * i);
                Decision d = rt.engine().check(set(set(set(seed001(), "account", "cli-whatif-" + i),
                        "market.timestamp", at.toString()), "signal.confidence", confidence[i]));
                assertThat(d.approved()).as("confidence %s", confidence[i]).isTrue();
                assertThat(d.quantity()).isEqualTo(0.01);
                ids.add(d.decisionId());
            }
            return ids;
        }
    }

    /** A copy of policies/ and rules/ under {@code dir} whose default policy is version 2, min_confidence 0.75. */
    private static Path candidate(Path dir) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        Path yaml = dir.resolve("policies/default.yaml");
        edit(yaml, "version: \"1\"", "version: \"2\"");
        edit(yaml, "min_confidence: 0.70", "min_confidence: 0.75");
        return dir.resolve("policies");
    }

    /** {@code policy what-if} of {@link #candidate} (min_confidence 0.75) on the latest {@code last} decisions. */
    private CliLines whatIfOfRaisedMinConfidence(String last) throws IOException {
        return CliLines.run("policy", "what-if", candidate(tmp.resolve("candidate")).toString(), "--db", db, "--last", last);
    }

    private static long decisionCount(String db) {
        DataSource ds = LocalDatabase.dataSource(db, "sa");
        return new JdbcTemplate(ds).queryForObject("SELECT COUNT(*) FROM decision", Long.class);
    }

    @Test
    void policyWhatIfPrintsEachDecisionThatWouldChangeAndASummary() throws IOException {
        List<String> ids = auditedDecisions(db);

        CliLines r = whatIfOfRaisedMinConfidence("10");

        assertThat(r.exitCode()).as(String.join("\n", r.lines())).isZero();
        // under min_confidence 0.75, 0.70 and 0.72 are rejected; 0.80 still passes
        List<String> changed = r.startingWith("CHANGED");
        assertThat(changed).hasSize(2);
        assertThat(changed).anySatisfy(l -> assertThat(l).startsWith("CHANGED " + ids.get(0) + " cli-whatif-0 "
                + "BTCUSDT at 2026-11-21T10:00:00Z: APPROVED [] q=0.01 -> REJECTED [LOW_CONFIDENCE] q=0.0 (caused by"));
        assertThat(changed).anySatisfy(l -> assertThat(l).startsWith("CHANGED " + ids.get(1) + " cli-whatif-1 "
                + "BTCUSDT at 2026-11-21T10:01:00Z: APPROVED [] q=0.01 -> REJECTED [LOW_CONFIDENCE] q=0.0 (caused by"));
        assertThat(changed).allSatisfy(l -> assertThat(l).containsPattern("\\(caused by \\[.*LOW_CONFIDENCE.*]\\)$"));
        assertThat(r.startingWith("SKIPPED")).isEmpty();
        assertThat(r.lastLine()).matches("3 evaluated, 2 would change under default v2 \\(sha256 [0-9a-f]{64}\\)");
        // a preview: nothing was audited
        assertThat(decisionCount(db)).isEqualTo(3);
    }

    @Test
    void policyWhatIfLastTakesOnlyTheLatestDecisions() throws IOException {
        List<String> ids = auditedDecisions(db);

        CliLines r = whatIfOfRaisedMinConfidence("2");

        // the latest two are 0.72 (T0 + 1 min), which flips, and 0.80 (T0 + 2 min), which does not
        assertThat(r.exitCode()).isZero();
        assertThat(r.startingWith("CHANGED")).singleElement().satisfies(l ->
                assertThat(l).startsWith("CHANGED " + ids.get(1) + " "));
        assertThat(r.lastLine()).startsWith("2 evaluated, 1 would change under default v2");
    }

    @Test
    void policyWhatIfOfAnInvalidCandidateExitsThreeWithItsProblems() throws IOException {
        Path candidate = candidate(tmp.resolve("candidate"));
        edit(candidate.resolve("default.yaml"), "max_spread_bps: 50", "max_spread_bps: 50\n  max_drawdown_pct: 0.03");

        CliLines r = CliLines.run("policy", "what-if", candidate.toString(), "--db", db);

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.startingWith("ERROR")).singleElement().satisfies(l ->
                assertThat(l).contains("default.yaml").contains("filters.max_drawdown_pct").contains("unknown key"));
    }

    @Test
    void policyWhatIfOnADatabaseThatDoesNotExistExitsThreeInsteadOfCreatingIt() throws IOException {
        Path candidate = candidate(tmp.resolve("candidate"));
        String missing = "jdbc:h2:file:" + tmp.resolve("no-such-db").toAbsolutePath();

        CliLines r = CliLines.run("policy", "what-if", candidate.toString(), "--db", missing);

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.startingWith("ERROR")).singleElement().satisfies(l ->
                assertThat(l).contains("cannot open the audit database").contains("no-such-db"));
        assertThat(tmp.resolve("no-such-db.mv.db")).doesNotExist();
    }
}
