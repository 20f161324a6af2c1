package io.riskgate.cli;

import static io.riskgate.testing.Requests.JSON;
import static io.riskgate.testing.Requests.seed001;
import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.database.LocalDatabase;
import io.riskgate.testing.TestRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The command line in-process through {@link RiskgateCli#run(String...)}: exit codes and what is printed.
 * Tests run from the repository root, so the defaults {@code policies} and {@code rules} are the shipped ones;
 * every check writes to a file database in a temporary directory, never to ./data.
 */
class RiskgateCliTest {

    @TempDir
    Path tmp;

    String db;

    /** What one run printed and returned. */
    record Run(int exitCode, String out, String err) {

        /**
         * The pretty-printed JSON document in stdout. It starts at a line holding only "{": when a Spring test ran
         * earlier in the same JVM its console logging (which writes to whatever System.out is) may precede it.
         */
        JsonNode json() throws IOException {
            int start = out.startsWith("{") ? 0 : out.indexOf("\n{");
            assertThat(start).as("a JSON object in stdout:%n%s", out).isNotNegative();
            return JSON.readTree(out.substring(start));
        }
    }

    @BeforeEach
    void database() {
        db = "jdbc:h2:file:" + tmp.resolve("db").toAbsolutePath();
    }

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = RiskgateCli.run(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private Path write(String name, Object content) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, content instanceof String s ? s : JSON.writeValueAsString(content));
        return f;
    }

    // ---- keys

    @Test
    void keysAreManagedInTheServicesDatabaseWithItsGeneratedPassword() throws Exception {
        // the database as the service leaves it: a password generated into db.secret, the empty one refused
        javax.sql.DataSource service = io.riskgate.database.LocalDatabase.dataSource(db, "sa");
        io.riskgate.runtime.RiskgateRuntime.migrate(service);
        assertThat(tmp.resolve("db.secret")).exists();

        Run created = run("keys", "--db", db, "create", "--name", "j.smith", "--role", "OFFICER,AUDITOR",
                "--expires-in-days", "30");
        assertThat(created.exitCode()).as(created.err()).isZero();
        JsonNode c = created.json();
        String key = c.get("key").asText();
        assertThat(key).matches(io.riskgate.security.ApiKeys.FORMAT);
        // what the CLI stored, the service reads: the key authenticates as j.smith with both roles
        var caller = new io.riskgate.security.ApiKeys(service, java.time.Clock.systemUTC()).authenticate(key)
                .orElseThrow();
        assertThat(caller.name()).isEqualTo("j.smith");
        assertThat(caller.roles()).containsExactlyInAnyOrder(io.riskgate.security.Role.OFFICER,
                io.riskgate.security.Role.AUDITOR);

        Run listed = run("keys", "--db", db, "list");
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out()).contains("j.smith").doesNotContain(key);
        assertThat(run("keys", "--db", db, "create", "--name", "j.smith", "--role", "AUDITOR").exitCode())
                .as("a name held by an active key").isEqualTo(2);
        assertThat(run("keys", "--db", db, "create", "--name", "x", "--role", "WIZARD").exitCode()).isEqualTo(2);
        // a TRADER key without accounts is refused
        assertThat(run("keys", "--db", db, "create", "--name", "x", "--role", "TRADER").exitCode()).isEqualTo(2);
        assertThat(run("keys", "--db", db, "revoke", c.at("/apiKey/id").asText()).exitCode()).isZero();
        assertThat(new io.riskgate.security.ApiKeys(service, java.time.Clock.systemUTC()).authenticate(key))
                .isEmpty();
        // a key already revoked is not revoked again
        assertThat(run("keys", "--db", db, "revoke", c.at("/apiKey/id").asText()).exitCode()).isEqualTo(2);
    }

    // ---- db

    @Test
    void dbCompactGivesTheFileBackItsSpaceAndLosesNoDecision() throws Exception {
        // the database as the service leaves it: 600 checks (seed 001's order on 200 accounts) written through the
        // group commit and its journal into the H2 file, then closed as H2 closes it (its own short compaction)
        String password = LocalDatabase.prepare(db, "sa", "");
        org.h2.jdbcx.JdbcConnectionPool pool = org.h2.jdbcx.JdbcConnectionPool.create(db, "sa", password);
        try (var rt = io.riskgate.runtime.RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(),
                "default", pool, java.time.Clock.fixed(TestRuntime.T0.plusSeconds(60), java.time.ZoneOffset.UTC),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
            for (int i = 0; i < 600; i++) {
                rt.engine().check(set(set(seed001(), "account", "acct-" + i % 200), "clientOrderId", "o-" + i));
            }
        } finally {
            pool.dispose();
        }
        String anchor = run("audit", "--db", db, "head").json().get("anchor").asText();
        assertThat(anchor).startsWith("600:");

        Run compacted = run("db", "--db", db, "compact");
        assertThat(compacted.exitCode()).as(compacted.out() + compacted.err()).isZero();
        JsonNode j = compacted.json();
        assertThat(j.get("decisions").asLong()).isEqualTo(600);
        long before = j.get("bytesBefore").asLong();
        long after = j.get("bytesAfter").asLong();
        assertThat(Files.size(tmp.resolve("db.mv.db"))).isEqualTo(after);
        // H2 wrote the file anew: owner-only again, as the service keeps it
        assertThat(Files.getPosixFilePermissions(tmp.resolve("db.mv.db")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        // rewritten with only its live data: well under what H2 leaves at a close (1.8 MB to 1.1 MB when written)
        assertThat(after).as("%d bytes before", before).isLessThan(before * 3 / 4);
        // nothing lost or changed: the chain verifies up to the head kept before
        Run verify = run("audit", "--db", db, "verify", "--anchor", anchor);
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.json().get("records").asInt()).isEqualTo(600);

        // only an H2 file here can be compacted: bad input, nothing opened
        Run postgres = run("db", "--db", "jdbc:postgresql://127.0.0.1/riskgate", "compact");
        assertThat(postgres.exitCode()).isEqualTo(2);
        assertThat(postgres.err()).contains("VACUUM");
        assertThat(run("db", "--db", "jdbc:h2:mem:x", "compact").exitCode()).isEqualTo(2);
        // nor without H2's file lock, which is what keeps it from a file the running service holds
        assertThat(run("db", "--db", db + ";FILE_LOCK=NO", "compact").exitCode()).isEqualTo(2);
        assertThat(run("db", "--db", "jdbc:h2:file:" + tmp.resolve("none").toAbsolutePath(), "compact").exitCode())
                .isEqualTo(2);
        assertThat(tmp.resolve("none.mv.db")).doesNotExist();
    }

    /**
     * What a kill -9 leaves: H2's file as at its last sync and, beside it, the journal holding a batch answered after
     * it. db compact brings the batch in first (as every start does), so the compacted file holds it.
     */
    @Test
    void dbCompactReplaysTheJournalBeforeItCompacts() throws Exception {
        DataSource service = LocalDatabase.dataSource(db, "sa");
        io.riskgate.runtime.RiskgateRuntime.migrate(service);
        JdbcTemplate jdbc = new JdbcTemplate(service);
        jdbc.execute("CREATE TABLE answered (id INT PRIMARY KEY)");
        long mark = jdbc.queryForObject("SELECT seq FROM journal_mark", Long.class);
        Path journal = io.riskgate.database.Journal.besideDatabase(tmp.resolve("db").toAbsolutePath().toString());
        try (var j = io.riskgate.database.Journal.open(journal)) {
            j.append(new io.riskgate.database.Journal.Batch(mark + 1,
                    List.of(new io.riskgate.database.Journal.Write("INSERT INTO answered VALUES (?)", List.of(42)))));
        }
        assertThat(jdbc.queryForList("SELECT id FROM answered", Integer.class)).isEmpty();

        Run compacted = run("db", "--db", db, "compact");

        assertThat(compacted.exitCode()).as(compacted.out() + compacted.err()).isZero();
        assertThat(Files.size(journal)).isZero();
        assertThat(new JdbcTemplate(LocalDatabase.dataSource(db, "sa")).queryForList("SELECT id FROM answered",
                Integer.class)).containsExactly(42);
    }

    // ---- audit

    @Test
    void auditVerifyExitsZeroOnAnIntactChainAndOneNamingAChangedRecord() throws Exception {
        // two decisions through the CLI's check, into the database the audit commands read
        Path request = write("check.json", io.riskgate.testing.Requests.seed001());
        assertThat(run("check", request.toString(), "--db", db).exitCode()).isZero();
        assertThat(run("check", request.toString(), "--db", db).exitCode()).isZero();

        Run intact = run("audit", "--db", db, "verify");
        assertThat(intact.exitCode()).as(intact.out() + intact.err()).isZero();
        assertThat(intact.json().get("records").asInt()).isEqualTo(2);
        Run head = run("audit", "--db", db, "head");
        String anchor = head.json().get("anchor").asText();
        assertThat(anchor).matches("2:[0-9a-f]{64}");
        assertThat(run("audit", "--db", db, "verify", "--anchor", anchor).exitCode()).isZero();

        // an approval edited with SQL: named, exit 1
        javax.sql.DataSource ds = io.riskgate.database.LocalDatabase.dataSource(db, "sa");
        new org.springframework.jdbc.core.JdbcTemplate(ds).update("UPDATE decision SET quantity = 1 WHERE chain_seq = 1");
        Run changed = run("audit", "--db", db, "verify");
        assertThat(changed.exitCode()).isEqualTo(1);
        assertThat(changed.json().get("problems").get(0).asText()).startsWith("record 1 (")
                .endsWith("was changed: its content does not match its hash");
        // an anchor that is not SEQ:HASH is bad input
        assertThat(run("audit", "--db", db, "verify", "--anchor", "latest").exitCode()).isEqualTo(2);
        // one record alone: the changed one is named, the other (whose neighbour changed) stays intact
        javax.sql.DataSource check = io.riskgate.database.LocalDatabase.dataSource(db, "sa");
        String first = new org.springframework.jdbc.core.JdbcTemplate(check).queryForObject(
                "SELECT id FROM decision WHERE chain_seq = 1", String.class);
        String second = new org.springframework.jdbc.core.JdbcTemplate(check).queryForObject(
                "SELECT id FROM decision WHERE chain_seq = 2", String.class);
        Run one = run("audit", "--db", db, "verify", "--decision", first);
        assertThat(one.exitCode()).isEqualTo(1);
        assertThat(one.json().get("problems").get(0).asText()).endsWith("was changed: its content does not match its "
                + "hash");
        assertThat(run("audit", "--db", db, "verify", "--decision", second).exitCode()).isZero();
        assertThat(run("audit", "--db", db, "verify", "--decision", "00000000-0000-7000-8000-000000000000")
                .exitCode()).isEqualTo(2);
    }

    @Test
    void auditExportMovesOldRejectionsToAFileThatVerifies() throws Exception {
        Path approved = write("approved.json", io.riskgate.testing.Requests.seed001());
        Path rejected = write("rejected.json", io.riskgate.testing.Requests.set(io.riskgate.testing.Requests.seed001(),
                "signal.consensus", "SPLIT"));
        Run first = run("check", approved.toString(), "--db", db);
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        Run second = run("check", rejected.toString(), "--db", db);
        assertThat(second.exitCode()).as(second.out() + second.err()).isEqualTo(1);
        Path out = Files.createDirectories(tmp.resolve("exports"));

        assertThat(run("audit", "--db", db, "export", "--before", "yesterday", "--to", out.toString()).exitCode())
                .isEqualTo(2);
        Run export = run("audit", "--db", db, "export", "--before", "2030-01-01T00:00:00Z", "--to", out.toString());
        assertThat(export.exitCode()).as(export.out() + export.err()).isZero();
        // the approval holds a reservation and stays; the rejection (record 2) leaves for the file
        assertThat(export.json().get("records").asInt()).isOne();
        String file = export.json().get("file").asText();
        assertThat(Path.of(file).getFileName().toString()).matches("decisions-2-2-[0-9a-f]{12}\\.jsonl\\.gz");

        Run verified = run("audit", "--db", db, "verify-export", file);
        assertThat(verified.exitCode()).as(verified.out()).isZero();
        Run chain = run("audit", "--db", db, "verify");
        assertThat(chain.exitCode()).as(chain.out()).isZero();
        assertThat(chain.json().get("exported").asInt()).isOne();
        // the tombstone against its file, where the files are kept; a directory without it proves nothing
        Run withFiles = run("audit", "--db", db, "verify", "--exports", out.toString());
        assertThat(withFiles.exitCode()).as(withFiles.out()).isZero();
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Run withoutFiles = run("audit", "--db", db, "verify", "--exports", elsewhere.toString());
        assertThat(withoutFiles.exitCode()).isOne();
        assertThat(withoutFiles.json().get("problems").get(0).asText()).isEqualTo("records 2 to 2 are recorded as "
                + "exported to " + Path.of(file).getFileName() + ", which is not in " + elsewhere + ": nothing proves "
                + "them (put the file back there, or verify where it is kept)");
        assertThat(run("audit", "--db", db, "verify", "--exports", tmp.resolve("none").toString()).exitCode())
                .isEqualTo(2);
    }

    // ---- check

    @Test
    void checkOfSeed001ExitsZeroAndPrintsTheApprovedDecisionAuditedInTheGivenDatabase() throws IOException {
        Path request = write("seed001.json", seed001());

        Run r = run("check", request.toString(), "--db", db);

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode d = r.json();
        // risk 1% of 10,000 = 100 over a 1.5 x 1,500 = 2,250 stop is 0.0444 BTC; max_position_usd 500 caps it
        // at 500 / 50,000 = 0.01 BTC; stop 50,000 - 2,250 = 47,750; target 50,000 + 3.75 x 1,500 = 55,625
        assertThat(d.path("approved").asBoolean()).isTrue();
        assertThat(d.path("quantity").asDouble()).isEqualTo(0.01);
        assertThat(d.path("stopLoss").asDouble()).isEqualTo(47_750.0);
        assertThat(d.path("takeProfit").asDouble()).isEqualTo(55_625.0);
        assertThat(d.path("policy").path("sha256").asText()).matches("[0-9a-f]{64}");
        DataSource ds = LocalDatabase.dataSource(db, "sa"); // the CLI's user and its kept password
        assertThat(new JdbcTemplate(ds).queryForObject("SELECT approved FROM decision WHERE id = ?", Boolean.class,
                d.path("decisionId").asText())).isTrue();
    }

    @Test
    void checkOfTheShippedExampleFileExitsZero() throws IOException {
        Run r = run("check", "docs/examples/seed001-check.json", "--db", db);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.json().path("quantity").asDouble()).isEqualTo(0.01);
    }

    @Test
    void checkOfARejectedOrderExitsOneAndPrintsTheRejection() throws IOException {
        Path request = write("low-confidence.json", set(seed001(), "signal.confidence", 0.5));

        Run r = run("check", request.toString(), "--db", db);

        assertThat(r.exitCode()).isEqualTo(1);
        JsonNode d = r.json();
        assertThat(d.path("approved").asBoolean()).isFalse();
        assertThat(d.path("quantity").asDouble()).isZero();
        assertThat(d.path("rejections")).extracting(j -> j.path("code").asText()).containsExactly("LOW_CONFIDENCE");
    }

    @Test
    void checkOfAMalformedRequestExitsTwoAndPrintsEveryBadField() throws IOException {
        Path request = write("bad.json", set(set(set(seed001(), "market.price", -3), "signal.confidence", 1.5),
                "side", "UP"));

        Run r = run("check", request.toString(), "--db", db);

        assertThat(r.exitCode()).isEqualTo(2);
        List<String> fields = new ArrayList<>();
        r.json().path("errors").forEach(e -> fields.add(e.path("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("market.price", "signal.confidence", "side");
    }

    @Test
    void checkOfAFileThatIsNotJsonExitsTwo() throws IOException {
        Path request = write("truncated.json", "{\"symbol\": \"BTCUSDT\", ");

        Run r = run("check", request.toString(), "--db", db);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("cannot read");
    }

    @Test
    void checkOfAMissingFileExitsTwo() {
        Run r = run("check", tmp.resolve("nowhere.json").toString(), "--db", db);

        assertThat(r.exitCode()).isEqualTo(2);
    }

    // ---- policy validate

    /** A copy of policies/ and rules/ with gates.drl's "Confidence below minimum" pattern left unclosed. */
    private Path copyWithBrokenDrl(Path dir) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        Path gates = dir.resolve("rules/gates.drl");
        String drl = Files.readString(gates);
        String broken = drl.replace("$o : OrderFacts( confidence < minConfidence )",
                "$o : OrderFacts( confidence < minConfidence");
        assertThat(broken).isNotEqualTo(drl);
        Files.writeString(gates, broken);
        return dir;
    }

    /** Adds {@code max_drawdown_pct}, which the schema does not know, as line 33 under {@code filters}. */
    private static void addUnknownKey(Path dir) throws IOException {
        Path policy = dir.resolve("policies/default.yaml");
        List<String> lines = new ArrayList<>(Files.readAllLines(policy));
        assertThat(lines.get(31)).startsWith("  max_spread_bps:");
        lines.add(32, "  max_drawdown_pct: 0.03");
        Files.write(policy, lines);
    }

    @Test
    void policyValidateExitsZeroOnTheShippedPolicies() {
        Run r = run("policy", "validate");

        assertThat(r.exitCode()).as(r.out()).isZero();
        assertThat(r.out()).contains("OK    default v1 (default.yaml)").doesNotContain("ERROR");
    }

    @Test
    void policyValidateExitsOneOnABrokenDrlPrintingFileAndLine() throws IOException {
        Path dir = copyWithBrokenDrl(tmp.resolve("broken-drl"));

        Run r = run("policy", "validate", dir.resolve("policies").toString(), "--rules",
                dir.resolve("rules").toString());

        // the missing ')' on line 21 is noticed at the next token, 'then' on line 22
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("ERROR gates.drl:22:").contains("problem(s) found").doesNotContain("OK ");
    }

    @Test
    void policyValidateExitsOneOnAnUnknownKeyPrintingFileLineAndKey() throws IOException {
        Path dir = tmp.resolve("unknown-key");
        TestRuntime.copyRepoConfig(dir);
        addUnknownKey(dir);

        Run r = run("policy", "validate", dir.resolve("policies").toString(), "--rules",
                dir.resolve("rules").toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("ERROR default.yaml:33 filters.max_drawdown_pct: unknown key")
                .contains("1 problem(s) found");
    }

    @Test
    void policyValidateListsABrokenDrlAndAnUnknownKeyTogether() throws IOException {
        Path dir = copyWithBrokenDrl(tmp.resolve("both"));
        addUnknownKey(dir);

        Run r = run("policy", "validate", dir.resolve("policies").toString(), "--rules",
                dir.resolve("rules").toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("ERROR default.yaml:33 filters.max_drawdown_pct").contains("ERROR gates.drl:22:");
    }

    @Test
    void checkAgainstABrokenPolicyExitsThreeNotRejected() throws IOException {
        Path dir = copyWithBrokenDrl(tmp.resolve("broken-for-check"));
        Path request = write("seed001.json", seed001());

        Run r = run("check", request.toString(), "--db", db, "--policies", dir.resolve("policies").toString(),
                "--rules", dir.resolve("rules").toString());

        // 3 = could not run: a script must not read a broken policy as "rejected" (1) or "bad request" (2)
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("gates.drl:22");
    }

    @Test
    void checkWithAnUnusableDatabaseExitsThree() throws IOException {
        Path request = write("seed001-db.json", seed001());
        // a directory cannot be created under a regular file: the database cannot be opened
        Path file = write("not-a-dir", JSON.createObjectNode());
        Run r = run("check", request.toString(), "--db", "jdbc:h2:file:" + file.resolve("db"));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("could not run");
    }

    // ---- rules show

    @Test
    void rulesShowPrintsTheDrlOfTheConfidenceBandsTable() {
        Run r = run("rules", "show", "rules/confidence-bands.drl.xlsx");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("rule \"High confidence").contains("confidence >= 0.85")
                .contains("rule \"Low confidence").contains("confidence < 0.60");
    }

    @Test
    void rulesShowOfAMissingFileExitsTwo() {
        Run r = run("rules", "show", "rules/no-such-table.drl.xlsx");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no such file");
    }

    @Test
    void unknownCommandExitsTwo() {
        assertThat(run("approve-everything").exitCode()).isEqualTo(2);
    }
}
