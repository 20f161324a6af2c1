package io.riskgate.audit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import io.riskgate.database.SharedLocks;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Tamper evidence for the decision log: one hash chain over every decision, in commit order.
 *
 * <p>Each decision gets the next {@code chain_seq}, the {@code record_hash} of the decision before it as its
 * {@code prev_hash}, and its own {@code record_hash}: SHA-256 of its stored columns (each as the database returns it,
 * length-prefixed so no two rows print alike) and its {@code prev_hash}. One chain for the whole log, not one per
 * account: the group commit's single writer gives every decision a place in one order for free (processes sharing
 * a PostgreSQL database link under a transaction lock, one batch after another), and a deleted
 * account (every record of it) breaks the chain like a deleted record does, which per-account chains would not show.
 *
 * <p>{@link #verify} walks the chain and names every record that was changed (its hash no longer matches its
 * content), removed (a gap in the sequence) or inserted (a record whose {@code prev_hash} is not its predecessor's
 * hash). Someone who can write the database can also recompute every hash after the one they changed: the chain
 * head ({@link #head}), exported and kept elsewhere (an anchor), catches that, and a removed tail too.
 */
public final class AuditChain {

    /** The {@code prev_hash} of the first record. */
    public static final String GENESIS = "0".repeat(64);

    /** An exported chain head: {@code SEQ:HASH}. */
    public static final Pattern ANCHOR = Pattern.compile("([1-9][0-9]{0,18}):([0-9a-f]{64})");

    /** The columns a record's hash covers, in this order (everything an auditor is served). */
    static final String COLUMNS = "id, account, symbol, side, strategy, outcome, approved, quantity, notional, "
            + "entry_price, stop_loss, take_profit, risk_amount, policy_id, policy_version, policy_sha256, decided_at, "
            + "recorded_at, request_json, decision_json, client_order_id";

    /**
     * What a query selects to take a record's hash: {@link #COLUMNS} and {@code decision_json_z}, where a decision
     * recorded since V26 keeps its JSON packed ({@link PackedJson}); the hash covers the text either way.
     */
    static final String READ = COLUMNS + ", decision_json_z";

    private final JdbcTemplate jdbc;
    /** Whether other processes may link records to the chain too (PostgreSQL; H2 has one process). */
    private final boolean shared;
    /** The last record linked by this process, if any; checked against the store before it is used. */
    private volatile Head cachedHead;
    /** Shared: the batch whose lock {@link #cachedHead} was read or linked under. */
    private volatile SharedLocks.Batch headBatch;

    public AuditChain(JdbcTemplate jdbc) {
        this(jdbc, false);
    }

    /**
     * A chain that {@code shared} with other processes takes a transaction lock before each link and reads the head
     * under it, so that the processes' records take places one after another, never the same one.
     */
    public AuditChain(JdbcTemplate jdbc, boolean shared) {
        this.jdbc = jdbc;
        this.shared = shared;
    }

    /**
     * The last record of the chain, if any: the later of the last one in the store and the last one exported (an
     * export can take the chain's newest records, while older ones a trade refers to stay).
     */
    public Optional<Head> head() {
        Optional<Head> live = jdbc.query("SELECT chain_seq, record_hash, id FROM decision WHERE chain_seq = "
                        + "(SELECT MAX(chain_seq) FROM decision)",
                (rs, i) -> new Head(rs.getLong(1), rs.getString(2), rs.getString(3))).stream().findFirst();
        Optional<Head> exported = jdbc.query("SELECT chain_seq, record_hash, id FROM decision_exported WHERE "
                        + "chain_seq = (SELECT MAX(chain_seq) FROM decision_exported)",
                (rs, i) -> new Head(rs.getLong(1), rs.getString(2), rs.getString(3))).stream().findFirst();
        if (live.isEmpty()) {
            return exported;
        }
        return exported.filter(e -> e.seq() > live.get().seq()).or(() -> live);
    }

    /**
     * The place in the chain for a decision about to be inserted with {@code values} (its {@link #COLUMNS}, as
     * bound). Called by the single writer inside its transaction, so no two records take one place; the insert
     * then calls {@link #linked}.
     *
     * <p>The head is kept in memory between inserts and checked against the store with one look-up by its place:
     * a record rolled back (its unit or its batch failed) or exported since is no longer there as kept, and the head
     * is then read again. Nothing is read back: the hash is taken of the values bound, which are what the store
     * returns (times already cut to the microsecond the columns keep; {@link #verify} recomputes from the store).
     */
    Link next(Object[] values, byte[] canonical) {
        Head previous = cachedHead;
        SharedLocks.Batch batch = shared ? SharedLocks.current() : null;
        if (shared && (batch == null || batch != headBatch)) {
            // another process may have linked since this one's last batch: the head is read under the lock, which
            // the group commit took first in this batch and holds to its commit
            if (batch == null) {
                jdbc.query(SharedLocks.chainLock(), rs -> { });
            }
            previous = head().orElse(null);
            headBatch = batch;
            // kept as this batch's head even if the record about to link fails: the next one in the batch must
            // follow the head read here, not one this process linked before the other processes' records
            cachedHead = previous;
        } else if (previous == null || !jdbc.queryForList("SELECT record_hash FROM decision WHERE chain_seq = ?",
                String.class, previous.seq()).equals(List.of(previous.hash()))) {
            previous = head().orElse(null);
        }
        long seq = previous == null ? 1 : previous.seq() + 1;
        String prev = previous == null ? GENESIS : previous.hash();
        return new Link(seq, prev, hash(canonical, prev), String.valueOf(values[0]));
    }

    /** The record of {@code link} is in the store (in the writer's transaction): it is the head now. */
    void linked(Link link) {
        cachedHead = new Head(link.seq(), link.recordHash(), link.decisionId());
    }

    /** A record's place in the chain: its sequence number, its predecessor's hash and its own. */
    record Link(long seq, String prevHash, String recordHash, String decisionId) {
    }

    /** Walks the whole chain; {@code anchor}, an exported head, also catches a chain rewritten or cut after it. */
    public Report verify(Optional<Head> anchor) {
        return verify(anchor, Optional.empty());
    }

    /**
     * As {@link #verify(Optional)}, and with {@code exports}, the directory the export files are kept in, each
     * exported record's tombstone is checked against its file ({@link AuditExport#verifyFile}): a tombstone holds
     * only a record's place and hashes, so without its file nothing proves the record was exported rather than
     * deleted and given a tombstone with SQL. A file a tombstone names that is not there is a problem too.
     */
    public Report verify(Optional<Head> anchor, Optional<Path> exports) {
        // an export that commits during the walk moves records from the decisions to the tombstones between the two
        // reads: walked again then, so that they are not reported missing (exports only ever add tombstones)
        for (int attempt = 1; ; attempt++) {
            long before = tombstones();
            Report r = walk(anchor, exports);
            if (r.intact() || tombstones() == before || attempt == 3) {
                return r;
            }
        }
    }

    private long tombstones() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM decision_exported", Long.class);
    }

    private Report walk(Optional<Head> anchor, Optional<Path> exports) {
        List<String> problems = new ArrayList<>();
        long[] expected = {1};
        String[] prev = {GENESIS};
        long[] count = {0};
        String[] hashAtAnchor = {null};
        // exported records are walked through their tombstones: place and hashes, the content being in the file
        java.util.ArrayDeque<Tombstone> exported = new java.util.ArrayDeque<>(jdbc.query(
                "SELECT chain_seq, id, prev_hash, record_hash FROM decision_exported ORDER BY chain_seq",
                (rs, i) -> new Tombstone(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4))));
        long exportedCount = exported.size();
        Step step = (seq, id, storedPrev, stored, content) -> {
            if (seq != expected[0]) {
                problems.add(seq > expected[0]
                        ? (seq - 1 > expected[0] ? "records " + expected[0] + " to " + (seq - 1) + " are"
                                : "record " + expected[0] + " is") + " missing (removed) before record " + seq
                                + " (" + id + ")"
                        : "record " + seq + " (" + id + ") repeats a place in the chain");
            } else if (!storedPrev.equals(prev[0])) {
                problems.add("record " + seq + " (" + id + ") does not follow record " + (seq - 1)
                        + ": inserted, or the record before it was replaced");
            }
            if (content != null && !hash(content, storedPrev).equals(stored)) {
                problems.add("record " + seq + " (" + id + ") was changed: its content does not match its hash");
            }
            if (anchor.isPresent() && anchor.get().seq() == seq) {
                hashAtAnchor[0] = stored;
            }
            expected[0] = seq + 1;
            prev[0] = stored;
            count[0]++;
        };
        jdbc.query("SELECT chain_seq, prev_hash, record_hash, " + READ + " FROM decision "
                + "WHERE chain_seq IS NOT NULL ORDER BY chain_seq", rs -> {
                    long seq = rs.getLong("chain_seq");
                    while (!exported.isEmpty() && exported.peekFirst().seq() < seq) {
                        Tombstone t = exported.pollFirst();
                        step.next(t.seq(), t.id(), t.prevHash(), t.recordHash(), null);
                    }
                    step.next(seq, rs.getString("id"), rs.getString("prev_hash"), rs.getString("record_hash"),
                            canonical(rs));
                });
        for (Tombstone t : exported) {
            step.next(t.seq(), t.id(), t.prevHash(), t.recordHash(), null);
        }
        anchor.ifPresent(a -> {
            if (hashAtAnchor[0] == null) {
                problems.add("the anchored record " + a.seq() + " is missing: the chain ends at "
                        + (expected[0] - 1) + " (records removed from its end)");
            } else if (!hashAtAnchor[0].equals(a.hash())) {
                problems.add("the anchored record " + a.seq() + " has another hash than the anchor: the chain was "
                        + "rewritten up to it");
            }
        });
        exports.ifPresent(dir -> problems.addAll(exportFiles(dir)));
        long outside = jdbc.queryForObject("SELECT COUNT(*) FROM decision WHERE chain_seq IS NULL", Long.class);
        // only decisions recorded before the chain existed (V9) may be outside it, as many as V29 counted
        long before = jdbc.queryForList("SELECT unchained FROM audit_chain_start WHERE id = 1", Long.class).stream()
                .findFirst().orElse(0L);
        if (outside > before) {
            String latest = jdbc.queryForObject("SELECT id FROM decision WHERE chain_seq IS NULL "
                    + "ORDER BY recorded_at DESC, id DESC LIMIT 1", String.class);
            problems.add((outside - before) + " decision(s) outside the chain (the latest recorded: " + latest
                    + "), beyond the " + before + " recorded before the chain began: inserted with SQL, not by "
                    + "riskgate");
        }
        return new Report(problems.isEmpty(), count[0], exportedCount, outside, head(), problems);
    }

    /**
     * Each export file the tombstones name, checked in {@code dir} against them: its name must be one riskgate
     * gives (the name is the store's text, so it is matched before it touches the filesystem), and the file must be
     * there and hold every record recorded as exported to it, unchanged.
     */
    private List<String> exportFiles(Path dir) {
        List<String> problems = new ArrayList<>();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        // the files first, then each read with its own queries: no connection held while a file is read
        List<String[]> files = jdbc.query("SELECT export_file, MIN(chain_seq), MAX(chain_seq) FROM decision_exported "
                + "GROUP BY export_file ORDER BY MIN(chain_seq)", (rs, i) -> new String[] {rs.getString(1),
                "records " + rs.getLong(2) + " to " + rs.getLong(3)});
        for (String[] f : files) {
            String name = f[0];
            String records = f[1];
            if (!AuditExport.FILE_NAME.matcher(name).matches()) {
                problems.add(records + " are recorded as exported to '" + name.replaceAll("\\p{Cntrl}", "?")
                        + "', not a name riskgate gives an export file");
            } else if (!Files.isRegularFile(dir.resolve(name))) {
                problems.add(records + " are recorded as exported to " + name + ", which is not in " + dir
                        + ": nothing proves them (put the file back there, or verify where it is kept)");
            } else {
                AuditExport.verifyFile(dir.resolve(name), json, Optional.of(jdbc))
                        .forEach(p -> problems.add(name + ": " + p));
            }
        }
        return problems;
    }

    /**
     * One record checked against its place in the chain, without walking the rest: its content against its hash,
     * its predecessor's hash against the one it names, and its successor's link to it. What an auditor reading one
     * decision asks ("is this the record as it was written?"); {@link #verify} walks the whole chain.
     *
     * @param seq its place in the chain; null for a record outside it (written before the chain existed)
     * @param problems each thing found wrong, none when intact
     */
    public record RecordCheck(String decisionId, Long seq, boolean intact, String recordHash, String prevHash,
                              List<String> problems) {
    }

    /** Checks the record of {@code decisionId}; empty when there is no such decision in the live store. */
    public Optional<RecordCheck> verifyRecord(String decisionId) {
        List<Object[]> rows = jdbc.query("SELECT chain_seq, prev_hash, record_hash, " + READ
                + " FROM decision WHERE id = ?", (rs, i) -> new Object[] {rs.getObject("chain_seq") == null ? null
                : rs.getLong("chain_seq"), rs.getString("prev_hash"), rs.getString("record_hash"), canonical(rs)},
                decisionId);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = rows.get(0);
        Long seq = (Long) r[0];
        String prevHash = (String) r[1];
        String recordHash = (String) r[2];
        if (seq == null) {
            return Optional.of(new RecordCheck(decisionId, null, false, null, null, List.of("the record is outside "
                    + "the chain (recorded before it existed, or inserted with SQL): nothing proves it unchanged")));
        }
        List<String> problems = new ArrayList<>();
        if (!hash((String) r[3], prevHash).equals(recordHash)) {
            problems.add("record " + seq + " (" + decisionId + ") was changed: its content does not match its hash");
        }
        Optional<String> before = seq == 1 ? Optional.of(GENESIS) : hashAt(seq - 1, "record_hash");
        if (before.isEmpty()) {
            problems.add("record " + (seq - 1) + ", before it, is missing (removed)");
        } else if (!before.get().equals(prevHash)) {
            problems.add("record " + seq + " (" + decisionId + ") does not follow record " + (seq - 1)
                    + ": inserted, or the record before it was replaced");
        }
        long last = head().map(Head::seq).orElse(seq);
        if (seq < last) {
            Optional<String> after = hashAt(seq + 1, "prev_hash");
            if (after.isEmpty()) {
                problems.add("record " + (seq + 1) + ", after it, is missing (removed)");
            } else if (!after.get().equals(recordHash)) {
                problems.add("record " + (seq + 1) + " does not follow record " + seq + " (" + decisionId
                        + "): this record was replaced, or one was inserted after it");
            }
        }
        return Optional.of(new RecordCheck(decisionId, seq, problems.isEmpty(), recordHash, prevHash, problems));
    }

    /** A hash column of the record at {@code seq}, live or exported (its tombstone keeps both hashes). */
    private Optional<String> hashAt(long seq, String column) {
        List<String> live = jdbc.queryForList("SELECT " + column + " FROM decision WHERE chain_seq = ?", String.class,
                seq);
        if (!live.isEmpty()) {
            return Optional.of(live.get(0));
        }
        return jdbc.queryForList("SELECT " + column + " FROM decision_exported WHERE chain_seq = ?", String.class, seq)
                .stream().findFirst();
    }

    /** One place in the chain as the walk meets it; {@code content} null for an exported record. */
    private interface Step {
        void next(long seq, String id, String prevHash, String recordHash, String content);
    }

    /** What an exported record leaves in the live store. */
    private record Tombstone(long seq, String id, String prevHash, String recordHash) {
    }

    /** A record's stored columns, each as the database returns it, length-prefixed. */
    static String canonical(ResultSet rs) throws SQLException {
        return canonical(rs, false);
    }

    /**
     * As {@link #canonical(ResultSet)}; {@code strict}: a decision whose JSON cannot be read fails with an
     * {@link IllegalStateException} instead of reading as a text no record hashes to (for an export, which would
     * otherwise remove the only copy of the damaged bytes).
     */
    static String canonical(ResultSet rs, boolean strict) throws SQLException {
        List<Object> values = new ArrayList<>();
        for (String column : COLUMNS.split(", ")) {
            values.add(column.equals("decision_json") ? decisionJson(rs, strict) : rs.getObject(column));
        }
        return canonical(values);
    }

    /**
     * A decision's JSON from a row selected with {@link #READ}: the text column (decisions recorded before V26) or the
     * packed one unpacked (since), never both. A row holding both, or packed bytes that do not unpack to exactly one
     * text, read as a text no record hashes to, so the record is named changed instead of failing the walk.
     */
    static String decisionJson(ResultSet rs) throws SQLException {
        return decisionJson(rs, false);
    }

    private static String decisionJson(ResultSet rs, boolean strict) throws SQLException {
        String text = rs.getString("decision_json");
        byte[] packed = rs.getBytes("decision_json_z");
        String unreadable;
        if (packed == null) {
            return text;
        } else if (text != null) {
            // one of the two was written by someone else: which the reader takes must not decide what verifies
            unreadable = "both decision_json and decision_json_z hold a value";
        } else {
            try {
                return PackedJson.unpack(packed);
            } catch (IllegalArgumentException e) {
                unreadable = e.getMessage();
            }
        }
        if (strict) {
            throw new IllegalStateException("decision " + rs.getString("id") + ": its JSON cannot be read ("
                    + unreadable + ")");
        }
        // no decision's JSON starts with "(": this text can be no record's
        return "(unreadable JSON: " + unreadable + ")";
    }

    /** Column values, as stored or as bound, printed alike: length-prefixed, a time as its UTC instant. */
    static String canonical(List<Object> values) {
        StringBuilder b = new StringBuilder();
        for (Object v : values) {
            String text;
            if (v == null) {
                text = "-";
            } else if (v instanceof OffsetDateTime t) {
                text = t.toInstant().toString();
            } else if (v instanceof java.sql.Timestamp t) {
                // PostgreSQL's driver returns a TIMESTAMP WITH TIME ZONE as a Timestamp: the same instant
                text = t.toInstant().toString();
            } else if (v instanceof java.sql.Clob c) {
                // a CLOB and a character column holding the same text print alike
                try {
                    text = "=" + c.getSubString(1, (int) c.length());
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot read a stored text column", e);
                }
            } else {
                text = "=" + v;
            }
            b.append(text.length()).append(':').append(text).append(';');
        }
        return b.toString();
    }

    static String hash(String content, String prevHash) {
        return hash(content.getBytes(StandardCharsets.UTF_8), prevHash);
    }

    /** SHA-256 of the predecessor's hash (ASCII) followed by the record's canonical text (UTF-8), in hex. */
    static String hash(byte[] canonicalUtf8, String prevHash) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(prevHash.getBytes(StandardCharsets.US_ASCII));
            md.update(canonicalUtf8);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The canonical text of a record's stored columns ({@link #COLUMNS} order) in UTF-8: what its hash covers, made
     * where the decision was taken so that the writer thread only hashes it.
     */
    static byte[] canonicalBytes(Object[] values) {
        return canonical(java.util.Arrays.asList(values)).getBytes(StandardCharsets.UTF_8);
    }

    /** The chain's last record: its place, hash and decision id. Export {@code seq:hash} as an anchor. */
    public record Head(long seq, String hash, String decisionId) {
        /** Reads an exported anchor, {@code SEQ:HASH}. */
        public static Head parse(String anchor) {
            var m = ANCHOR.matcher(anchor == null ? "" : anchor.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("an anchor is SEQ:HASH (a positive number, a colon and 64 "
                        + "lowercase hex digits), as `riskgate audit head` prints it");
            }
            return new Head(Long.parseLong(m.group(1)), m.group(2), null);
        }

        /** What to keep elsewhere and pass to a later {@code verify}: {@code SEQ:HASH}. */
        @com.fasterxml.jackson.annotation.JsonProperty("anchor")
        public String anchor() {
            return seq + ":" + hash;
        }
    }

    /** What a walk of the chain found: {@code intact} when no record was changed, removed or inserted. */
    public record Report(boolean intact, long records, long exported, long outsideChain, Optional<Head> head,
                         List<String> problems) {
    }
}
