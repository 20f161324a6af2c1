package io.riskgate.audit;

import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.decision.Decision;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The decision log's hash chain: intact after real checks; a REJECTED decision turned APPROVED with SQL and another
 * deleted are both named; a removed tail and a rewritten chain are caught against an exported head.
 */
class AuditChainTest {

    private final DataSource db = TestRuntime.memoryDatabase();
    private final RiskgateRuntime rt = RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(),
            "default", db, new MutableClock(TestRuntime.T0), new SimpleMeterRegistry());
    private final JdbcTemplate jdbc = new JdbcTemplate(db);
    private final AuditChain chain = rt.audit().chain();

    @AfterEach
    void close() {
        rt.close();
    }

    /** Six decisions: on accounts a0..a5, seed 001 approved on even ones, rejected (SPLIT consensus) on odd ones. */
    private List<Decision> sixDecisions() {
        List<Decision> out = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            var order = set(Requests.seed001(), "account", "a" + i);
            out.add(rt.engine().check(i % 2 == 0 ? order : set(order, "signal.consensus", "SPLIT")));
        }
        return out;
    }

    @Test
    void realChecksFormAnIntactChainInCommitOrder() {
        List<Decision> d = sixDecisions();
        AuditChain.Report r = chain.verify(Optional.empty());
        assertThat(r.problems()).isEmpty();
        assertThat(r.intact()).isTrue();
        assertThat(r.records()).isEqualTo(6);
        assertThat(r.head()).get().extracting(AuditChain.Head::seq, AuditChain.Head::decisionId)
                .containsExactly(6L, d.get(5).decisionId());
        // each record's prev_hash is the record before it; the first follows the genesis
        assertThat(jdbc.queryForObject("SELECT prev_hash FROM decision WHERE chain_seq = 1", String.class))
                .isEqualTo(AuditChain.GENESIS);
        assertThat(jdbc.queryForObject("SELECT prev_hash FROM decision WHERE chain_seq = 4", String.class))
                .isEqualTo(jdbc.queryForObject("SELECT record_hash FROM decision WHERE chain_seq = 3", String.class));
    }

    @Test
    void aDecisionKeepsItsJsonPackedAndIsServedAndVerifiedAsItsText() {
        List<Decision> d = sixDecisions();
        String id = d.get(1).decisionId();
        // V26: the text column is empty and the packed one holds the JSON in about half its bytes
        Map<String, Object> row = jdbc.queryForMap("SELECT decision_json, decision_json_z FROM decision WHERE id = ?",
                id);
        assertThat(row.get("DECISION_JSON")).isNull();
        byte[] packed = (byte[]) row.get("DECISION_JSON_Z");
        String text = PackedJson.unpack(packed);
        assertThat(packed.length).isLessThan(text.length() * 6 / 10);
        // what the store serves is the decision as answered
        assertThat(rt.audit().find(id).orElseThrow().decision()).isEqualTo(d.get(1));
        assertThat(text).contains("\"decisionId\":\"" + id + "\"");

        // a record written before V26 (its text in decision_json) sits in the same chain and verifies alike
        jdbc.update("UPDATE decision SET decision_json = ?, decision_json_z = NULL WHERE id = ?", text, id);
        assertThat(chain.verify(Optional.empty()).problems()).isEmpty();
        assertThat(rt.audit().find(id).orElseThrow().decision()).isEqualTo(d.get(1));

        // the packed JSON of another record changed (a rejection's packed text replaced by an approval's, as someone
        // with SQL could): named; and bytes that do not unpack are named, not a failed walk
        String rejected = d.get(3).decisionId();
        jdbc.update("UPDATE decision SET decision_json_z = (SELECT decision_json_z FROM decision WHERE id = ?) "
                + "WHERE id = ?", d.get(2).decisionId(), rejected);
        jdbc.update("UPDATE decision SET decision_json_z = ? WHERE id = ?", new byte[] {1, 2, 3}, d.get(5).decisionId());
        assertThat(chain.verify(Optional.empty()).problems()).containsExactly(
                "record 4 (" + rejected + ") was changed: its content does not match its hash",
                "record 6 (" + d.get(5).decisionId() + ") was changed: its content does not match its hash");
    }

    @Test
    void packedJsonThatIsNotExactlyOneOfTheRecordsTextIsNamedAndNeverExportedAway(@TempDir Path out) throws Exception {
        List<Decision> d = sixDecisions();
        String approved = d.get(2).decisionId();
        // rejections (odd places) hold no reservation: an export would take them
        String rejected = d.get(1).decisionId();
        byte[] approval = jdbc.queryForObject("SELECT decision_json_z FROM decision WHERE id = ?", byte[].class,
                approved);
        String text = PackedJson.unpack(jdbc.queryForObject("SELECT decision_json_z FROM decision WHERE id = ?",
                byte[].class, rejected));
        // place 2: its own text put back beside an approval's packed bytes (a reader unpacking the bytes would see an
        // approval); place 4: its packed bytes followed by more; place 6: bytes that unpack to 2 MB of spaces
        jdbc.update("UPDATE decision SET decision_json = ?, decision_json_z = ? WHERE id = ?", text, approval, rejected);
        byte[] fourth = jdbc.queryForObject("SELECT decision_json_z FROM decision WHERE id = ?", byte[].class,
                d.get(3).decisionId());
        jdbc.update("UPDATE decision SET decision_json_z = ? WHERE id = ?",
                java.util.Arrays.copyOf(fourth, fourth.length + 3), d.get(3).decisionId());
        jdbc.update("UPDATE decision SET decision_json_z = ? WHERE id = ?", PackedJson.pack(" ".repeat(2_000_000)),
                d.get(5).decisionId());
        assertThat(chain.verify(Optional.empty()).problems()).containsExactly(
                "record 2 (" + rejected + ") was changed: its content does not match its hash",
                "record 4 (" + d.get(3).decisionId() + ") was changed: its content does not match its hash",
                "record 6 (" + d.get(5).decisionId() + ") was changed: its content does not match its hash");

        // an export would remove the only copy of the damaged bytes: it refuses, and nothing leaves the store
        AuditExport export = new AuditExport(jdbc, rt.commits(), RiskgateRuntime.jsonMapper());
        assertThatThrownBy(() -> export.export(TestRuntime.T0.plusSeconds(1), out))
                .hasMessageContaining("decision " + rejected + ": its JSON cannot be read (both decision_json and "
                        + "decision_json_z hold a value)");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM decision", Integer.class)).isEqualTo(6);
    }

    @Test
    void aRejectionTurnedIntoAnApprovalAndADeletedRecordAreBothNamed() {
        List<Decision> d = sixDecisions();
        String rejected = d.get(1).decisionId();
        String removed = d.get(3).decisionId();
        assertThat(d.get(1).approved()).isFalse();

        // the attack of issue 12: REJECTED set to APPROVED with SQL
        jdbc.update("UPDATE decision SET outcome = 'APPROVED', approved = TRUE WHERE id = ?", rejected);
        jdbc.update("DELETE FROM decision_code WHERE decision_id = ?", removed);
        jdbc.update("DELETE FROM decision WHERE id = ?", removed);

        AuditChain.Report r = chain.verify(Optional.empty());
        assertThat(r.intact()).isFalse();
        assertThat(r.problems()).containsExactly(
                "record 2 (" + rejected + ") was changed: its content does not match its hash",
                "record 4 is missing (removed) before record 5 (" + d.get(4).decisionId() + ")");
    }

    /**
     * One record checked alone (the console's decision page): intact when untouched; a record changed with SQL is
     * named, and so are its neighbours' records when the one before or after it was removed; a record rewritten
     * with a recomputed hash is caught by the record after it, which no longer follows it.
     */
    @Test
    void oneRecordIsCheckedAgainstItsNeighboursWithoutWalkingTheChain() {
        List<Decision> d = sixDecisions();
        String third = d.get(2).decisionId();
        AuditChain.RecordCheck intact = chain.verifyRecord(third).orElseThrow();
        assertThat(intact.intact()).isTrue();
        assertThat(intact.seq()).isEqualTo(3L);
        assertThat(intact.problems()).isEmpty();
        assertThat(chain.verifyRecord(d.get(0).decisionId()).orElseThrow().intact()).as("the first").isTrue();
        assertThat(chain.verifyRecord(d.get(5).decisionId()).orElseThrow().intact()).as("the head").isTrue();
        assertThat(chain.verifyRecord("no-such-decision")).isEmpty();

        // the rejection of place 2 turned into an approval: named when checked, and its neighbours stay intact
        String rejected = d.get(1).decisionId();
        jdbc.update("UPDATE decision SET outcome = 'APPROVED', approved = TRUE WHERE id = ?", rejected);
        assertThat(chain.verifyRecord(rejected).orElseThrow().problems()).containsExactly(
                "record 2 (" + rejected + ") was changed: its content does not match its hash");
        assertThat(chain.verifyRecord(third).orElseThrow().intact()).isTrue();

        // the record after place 3 removed: place 3 says so
        jdbc.update("DELETE FROM decision_code WHERE decision_id = ?", d.get(3).decisionId());
        jdbc.update("DELETE FROM decision WHERE id = ?", d.get(3).decisionId());
        assertThat(chain.verifyRecord(third).orElseThrow().problems()).containsExactly(
                "record 4, after it, is missing (removed)");
        assertThat(chain.verifyRecord(d.get(4).decisionId()).orElseThrow().problems()).containsExactly(
                "record 4, before it, is missing (removed)");

        // place 1 rewritten with its hash recomputed over the new content: its own hash matches, but place 2 still
        // names its old hash
        String first = d.get(0).decisionId();
        jdbc.update("UPDATE decision SET quantity = 99 WHERE id = ?", first);
        String rewritten = jdbc.query("SELECT " + AuditChain.READ + " FROM decision WHERE id = ?",
                rs -> {
                    rs.next();
                    return AuditChain.canonical(rs);
                }, first);
        jdbc.update("UPDATE decision SET record_hash = ? WHERE id = ?", AuditChain.hash(rewritten, AuditChain.GENESIS),
                first);
        assertThat(chain.verifyRecord(first).orElseThrow().problems()).containsExactly(
                "record 2 does not follow record 1 (" + first + "): this record was replaced, or one was inserted "
                        + "after it");
    }

    @Test
    void aRecordSlippedInIsNamed() {
        sixDecisions();
        // a copy of record 3 given place 7 with its own, recomputed hash, but following record 3, not 6
        jdbc.update("INSERT INTO decision (id, account, symbol, side, strategy, outcome, approved, quantity, notional, "
                + "entry_price, stop_loss, take_profit, risk_amount, policy_id, policy_version, policy_sha256, "
                + "decided_at, recorded_at, request_json, decision_json, decision_json_z, client_order_id, chain_seq, "
                + "prev_hash, record_hash) SELECT 'slipped-in', account, symbol, side, strategy, outcome, approved, "
                + "quantity, notional, entry_price, stop_loss, take_profit, risk_amount, policy_id, policy_version, "
                + "policy_sha256, decided_at, recorded_at, request_json, decision_json, decision_json_z, NULL, 7, "
                + "prev_hash, record_hash FROM decision WHERE chain_seq = 3");
        assertThat(chain.verify(Optional.empty()).problems()).containsExactly(
                "record 7 (slipped-in) does not follow record 6: inserted, or the record before it was replaced",
                "record 7 (slipped-in) was changed: its content does not match its hash");
    }

    @Test
    void aRemovedTailIsCaughtAgainstTheExportedHead() {
        sixDecisions();
        AuditChain.Head anchor = AuditChain.Head.parse(chain.head().orElseThrow().anchor());
        assertThat(chain.verify(Optional.of(anchor)).intact()).isTrue();

        for (String table : List.of("decision_code", "reservation")) {
            jdbc.update("DELETE FROM " + table + " WHERE decision_id IN (SELECT id FROM decision WHERE chain_seq >= 5)");
        }
        jdbc.update("DELETE FROM decision WHERE chain_seq >= 5");

        // without the anchor the shorter chain looks whole; against it, it is not
        assertThat(chain.verify(Optional.empty()).intact()).isTrue();
        assertThat(chain.verify(Optional.of(anchor)).problems()).containsExactly(
                "the anchored record 6 is missing: the chain ends at 4 (records removed from its end)");
    }

    @Test
    void oldDecisionsLeaveForAFileTheirTombstonesKeepTheChainAndTheFileVerifies(@TempDir Path out) throws Exception {
        List<Decision> d = sixDecisions();
        AuditExport export = new AuditExport(jdbc, rt.commits(), RiskgateRuntime.jsonMapper());

        // all six were decided at seed 001's T0; the three approvals hold reservations and stay in the store
        AuditExport.Result r = export.export(TestRuntime.T0.plusSeconds(1), out);
        assertThat(r.records()).isEqualTo(3);
        assertThat(r.firstSeq()).contains(2L);
        assertThat(r.lastSeq()).contains(6L);
        Path file = Path.of(r.file().orElseThrow());
        // named for its first and last places and its content: the first 12 hex digits of its SHA-256
        assertThat(file.getFileName()).hasToString("decisions-2-6-" + r.sha256().orElseThrow().substring(0, 12)
                + ".jsonl.gz");
        assertThat(jdbc.queryForList("SELECT id FROM decision ORDER BY chain_seq", String.class)).containsExactly(
                d.get(0).decisionId(), d.get(2).decisionId(), d.get(4).decisionId());

        // the live chain walks across the tombstones; the file checks on its own and against them
        AuditChain.Report live = chain.verify(Optional.of(AuditChain.Head.parse(chain.head().orElseThrow().anchor())));
        assertThat(live.problems()).isEmpty();
        assertThat(live.records()).isEqualTo(6);
        assertThat(live.exported()).isEqualTo(3);
        assertThat(AuditExport.verifyFile(file, RiskgateRuntime.jsonMapper(), Optional.of(jdbc))).isEmpty();
        // nothing more to export before the same instant
        assertThat(export.export(TestRuntime.T0.plusSeconds(1), out).records()).isZero();
        // the chain's newest record was exported (6): the next decision takes place 7, after it
        Decision next = rt.engine().check(set(Requests.seed001(), "account", "a6"));
        assertThat(jdbc.queryForObject("SELECT chain_seq FROM decision WHERE id = ?", Long.class, next.decisionId()))
                .isEqualTo(7L);
        assertThat(chain.verify(Optional.empty()).problems()).isEmpty();

        // a rejection in the file turned into an approval is named by its line
        List<String> lines = new ArrayList<>();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(file))))) {
            in.lines().forEach(lines::add);
        }
        lines.set(1, lines.get(1).replace("REJECTED", "APPROVED"));
        try (var o = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(file))) {
            o.write((String.join("\n", lines) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(AuditExport.verifyFile(file, RiskgateRuntime.jsonMapper(), Optional.of(jdbc))).containsExactly(
                "line 2: record 4 (" + d.get(3).decisionId() + ") was changed: its content does not match its hash");

        // and a tombstone removed from the store shows as a gap in the live chain
        jdbc.update("DELETE FROM decision_exported WHERE chain_seq = 4");
        assertThat(chain.verify(Optional.empty()).problems()).containsExactly(
                "record 4 is missing (removed) before record 5 (" + d.get(4).decisionId() + ")");
    }

    /** The export of {@link #sixDecisions}' three rejections (places 2, 4 and 6) into {@code out}. */
    private Path exportRejections(Path out) {
        AuditExport.Result r = new AuditExport(jdbc, rt.commits(), RiskgateRuntime.jsonMapper())
                .export(TestRuntime.T0.plusSeconds(1), out);
        Path file = Path.of(r.file().orElseThrow());
        assertThat(file.getFileName().toString()).matches("decisions-2-6-[0-9a-f]{12}\\.jsonl\\.gz");
        return file;
    }

    /**
     * A live record deleted with SQL and given a tombstone of its own place and hashes walks like an exported one:
     * only its file can say it was never exported. With the directory of the files, verify checks every tombstone
     * against the file it names: a file without the record, a file that is not there, and a name riskgate never
     * gives are each named.
     */
    @Test
    void aDeletedRecordDisguisedAsExportedIsCaughtAgainstTheExportFiles(@TempDir Path out) throws Exception {
        List<Decision> d = sixDecisions();
        String name = exportRejections(out).getFileName().toString();
        String first = d.get(0).decisionId();
        Map<String, Object> row = jdbc.queryForMap("SELECT prev_hash, record_hash FROM decision WHERE id = ?", first);
        jdbc.update("DELETE FROM reservation WHERE decision_id = ?", first);
        jdbc.update("DELETE FROM decision_code WHERE decision_id = ?", first);
        jdbc.update("DELETE FROM decision WHERE id = ?", first);
        jdbc.update("INSERT INTO decision_exported (chain_seq, id, prev_hash, record_hash, export_file) "
                + "VALUES (1, ?, ?, ?, ?)", first, row.get("prev_hash"), row.get("record_hash"), name);

        // the tombstones taken on trust: the chain's places and hashes are all there
        assertThat(chain.verify(Optional.empty()).problems()).isEmpty();
        // against the files: decisions-2-6 does not hold record 1
        assertThat(chain.verify(Optional.empty(), Optional.of(out)).problems()).containsExactly(
                name + ": record 1 (" + first + ") was exported to " + name + ", which does not hold it: its line "
                        + "was removed");

        // a tombstone naming a file that is not there, or a name riskgate never gives
        jdbc.update("UPDATE decision_exported SET export_file = 'decisions-1-1.jsonl.gz' WHERE chain_seq = 1");
        assertThat(chain.verify(Optional.empty(), Optional.of(out)).problems()).containsExactly(
                "records 1 to 1 are recorded as exported to decisions-1-1.jsonl.gz, which is not in " + out
                        + ": nothing proves them (put the file back there, or verify where it is kept)");
        jdbc.update("UPDATE decision_exported SET export_file = '../../etc/passwd' WHERE chain_seq = 1");
        assertThat(chain.verify(Optional.empty(), Optional.of(out)).problems()).containsExactly(
                "records 1 to 1 are recorded as exported to '../../etc/passwd', not a name riskgate gives an "
                        + "export file");
    }

    /**
     * Lines taken out of an export file: one from the middle is named by its tombstone, the first one also by the
     * file's name (which gives the first and last places), and a file emptied of every line by both.
     */
    @Test
    void aLineTakenOutOfAnExportFileIsNamed(@TempDir Path out) throws Exception {
        List<Decision> d = sixDecisions();
        Path file = exportRejections(out);
        String name = file.getFileName().toString();
        List<String> lines = lines(file);
        assertThat(lines).hasSize(3);
        // each line's fields in one order, whatever the process
        assertThat(lines.get(0)).startsWith("{\"seq\":2,\"id\":\"" + d.get(1).decisionId() + "\",\"prevHash\":");

        rewrite(file, List.of(lines.get(0), lines.get(2)));
        assertThat(AuditExport.verifyFile(file, RiskgateRuntime.jsonMapper(), Optional.of(jdbc))).containsExactly(
                "record 4 (" + d.get(3).decisionId() + ") was exported to " + name + ", which does not hold "
                        + "it: its line was removed");
        // on its own, without the store, a gap in the middle is allowed (records kept back for a trade)
        assertThat(AuditExport.verifyFile(file, RiskgateRuntime.jsonMapper(), Optional.empty())).isEmpty();

        rewrite(file, List.of(lines.get(1), lines.get(2)));
        assertThat(AuditExport.verifyFile(file, RiskgateRuntime.jsonMapper(), Optional.empty())).containsExactly(
                name + " is named for records 2 to 6 but runs from record 4 to 6: its first or last lines were "
                        + "removed");

        rewrite(file, List.of());
        assertThat(AuditExport.verifyFile(file, RiskgateRuntime.jsonMapper(), Optional.of(jdbc))).containsExactly(
                name + " is named for records 2 to 6 but holds none: its first or last lines were removed",
                "record 2 (" + d.get(1).decisionId() + ") was exported to " + name + ", which does not hold "
                        + "it: its line was removed",
                "record 4 (" + d.get(3).decisionId() + ") was exported to " + name + ", which does not hold "
                        + "it: its line was removed",
                "record 6 (" + d.get(5).decisionId() + ") was exported to " + name + ", which does not hold "
                        + "it: its line was removed");
    }

    /**
     * Two exports at once (two processes on one store) never write over each other's file: a file's name carries
     * its content's hash, so another export's file of the same first and last places stays as it was. Nothing of
     * the write is left behind under a temporary name.
     */
    @Test
    void anExportNeverWritesOverAnotherExportsFile(@TempDir Path out) throws Exception {
        sixDecisions();
        Path other = out.resolve("decisions-2-6-000000000000.jsonl.gz");
        java.nio.file.Files.writeString(other, "another process's export of places 2 to 6");
        Path file = exportRejections(out);
        assertThat(file).isNotEqualTo(other);
        assertThat(java.nio.file.Files.readString(other)).isEqualTo("another process's export of places 2 to 6");
        assertThat(AuditExport.verifyFile(file, RiskgateRuntime.jsonMapper(), Optional.of(jdbc))).isEmpty();
        try (var files = java.nio.file.Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
        }

        // the export that loses a race (another process's tombstone for one of its records, committed first):
        // a conflict, and nothing of it removed
        List<Decision> more = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            more.add(rt.engine().check(set(set(Requests.seed001(), "account", "b" + i), "signal.consensus", "SPLIT")));
        }
        jdbc.update("INSERT INTO decision_exported (chain_seq, id, prev_hash, record_hash, export_file) SELECT "
                + "chain_seq, id, prev_hash, record_hash, 'decisions-8-8-000000000000.jsonl.gz' FROM decision "
                + "WHERE id = ?", more.get(1).decisionId());
        assertThatThrownBy(() -> new AuditExport(jdbc, rt.commits(), RiskgateRuntime.jsonMapper())
                .export(TestRuntime.T0.plusSeconds(1), out))
                .isInstanceOf(io.riskgate.errors.ConflictException.class)
                .hasMessage("another export moved some of decisions 7 to 8 meanwhile: nothing was removed by this one; "
                        + "run it again");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM decision WHERE id IN (?,?)", Integer.class,
                more.get(0).decisionId(), more.get(1).decisionId())).isEqualTo(2);
    }

    /** A decision inserted with SQL outside the chain (no place, no hashes) is named, not only counted. */
    @Test
    void aDecisionInsertedOutsideTheChainIsNamed() {
        sixDecisions();
        assertThat(chain.verify(Optional.empty()).outsideChain()).isZero();
        jdbc.update("INSERT INTO decision (id, account, symbol, side, strategy, outcome, approved, quantity, notional, "
                + "entry_price, stop_loss, take_profit, risk_amount, policy_id, policy_version, policy_sha256, "
                + "decided_at, recorded_at, request_json, decision_json, decision_json_z, client_order_id) "
                + "SELECT 'made-up', account, symbol, side, strategy, 'APPROVED', TRUE, quantity, notional, "
                + "entry_price, stop_loss, take_profit, risk_amount, policy_id, policy_version, policy_sha256, "
                + "decided_at, recorded_at, request_json, decision_json, decision_json_z, NULL FROM decision "
                + "WHERE chain_seq = 2");
        AuditChain.Report r = chain.verify(Optional.empty());
        assertThat(r.outsideChain()).isOne();
        assertThat(r.problems()).containsExactly("1 decision(s) outside the chain (the latest recorded: made-up), "
                + "beyond the 0 recorded before the chain began: inserted with SQL, not by riskgate");
    }

    private static List<String> lines(Path file) throws java.io.IOException {
        List<String> lines = new ArrayList<>();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(file))))) {
            in.lines().forEach(lines::add);
        }
        return lines;
    }

    private static void rewrite(Path file, List<String> lines) throws java.io.IOException {
        try (var o = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(file))) {
            for (String l : lines) {
                o.write((l + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void anAnchorIsSeqColonHash() {
        assertThat(AuditChain.Head.parse("12:" + "a".repeat(64)).seq()).isEqualTo(12);
        assertThatThrownBy(() -> AuditChain.Head.parse("12:" + "A".repeat(64)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditChain.Head.parse("0:" + "a".repeat(64)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditChain.Head.parse("'; DROP TABLE decision; --"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
