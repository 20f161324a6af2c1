package io.riskgate.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Retention: old decisions leave the live store for a compressed JSON Lines file, and the chain stays verifiable
 * across the export. Each exported record's line holds its place, both hashes and its canonical content (the exact
 * text its hash covers), so the file verifies on its own; the live store keeps a tombstone per record (place, id,
 * hashes), so the live chain still walks across the gap and the file can be matched against it.
 *
 * <p>A decision that a reservation or a trade refers to stays in the store (the trade's history needs it); it is
 * exported with a later run, once it is no longer referenced. The file is written and fsynced before anything is
 * removed, and the removal is one transaction: a crash in between leaves the records in the store and a file that a
 * later export writes again.
 */
public final class AuditExport {

    private final JdbcTemplate jdbc;
    private final TransactionOperations tx;
    private final ObjectMapper json;

    public AuditExport(JdbcTemplate jdbc, TransactionOperations tx, ObjectMapper json) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
    }

    /** What an export did: records moved, their places, the file and its SHA-256. */
    public record Result(long records, Optional<Long> firstSeq, Optional<Long> lastSeq, Optional<String> file,
                         Optional<String> sha256) {
    }

    private record Line(long seq, String id, String prevHash, String recordHash, String content) {
    }

    /**
     * Exports every chained decision decided before {@code before} that no reservation or trade refers to, to
     * {@code dir}/decisions-FIRST-LAST-HASH.jsonl.gz, then removes them from the store, leaving their tombstones. The
     * result names the file by its absolute path.
     */
    public synchronized Result export(Instant before, Path dir) {
        List<Line> lines = jdbc.query("SELECT chain_seq, prev_hash, record_hash, " + AuditChain.READ
                        + " FROM decision d WHERE chain_seq IS NOT NULL AND decided_at < ?"
                        + " AND NOT EXISTS (SELECT 1 FROM reservation r WHERE r.decision_id = d.id)"
                        + " AND NOT EXISTS (SELECT 1 FROM trade t WHERE t.decision_id = d.id) ORDER BY chain_seq",
                (rs, i) -> new Line(rs.getLong("chain_seq"), rs.getString("id"), rs.getString("prev_hash"),
                        rs.getString("record_hash"), AuditChain.canonical(rs, true)), Timestamp.from(before));
        if (lines.isEmpty()) {
            return new Result(0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
        long first = lines.get(0).seq();
        long last = lines.get(lines.size() - 1).seq();
        Written written = write(dir, "decisions-" + first + "-" + last, lines);
        Path file = written.file();
        String sha = written.sha256();
        String name = file.getFileName().toString();
        try {
            tx.executeWithoutResult(s -> {
                jdbc.batchUpdate("INSERT INTO decision_exported (chain_seq, id, prev_hash, record_hash, export_file) "
                                + "VALUES (?,?,?,?,?)",
                        lines.stream().map(l -> new Object[] {l.seq(), l.id(), l.prevHash(), l.recordHash(), name})
                                .toList());
                List<Object[]> ids = lines.stream().map(l -> new Object[] {l.id()}).toList();
                jdbc.batchUpdate("DELETE FROM decision_code WHERE decision_id = ?", ids);
                jdbc.batchUpdate("DELETE FROM decision WHERE id = ?", ids);
            });
        } catch (org.springframework.dao.DuplicateKeyException e) {
            // another process's export took some of these records first: its file holds them, and this one's file
            // (named for its own content) is left with records no tombstone names
            throw new io.riskgate.errors.ConflictException("another export moved some of decisions " + first + " to "
                    + last + " meanwhile: nothing was removed by this one; run it again");
        }
        return new Result(lines.size(), Optional.of(first), Optional.of(last),
                Optional.of(file.toAbsolutePath().toString()), Optional.of(sha));
    }

    /** {@code dir}, created readable by this user only if it does not exist yet (the files hold the audit). */
    public static Path ownerOnlyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            }
        }
        return dir;
    }

    /** An export file in place and its SHA-256. */
    private record Written(Path file, String sha256) {
    }

    /**
     * Writes the lines to a file of its own in {@code dir}, fsyncs it, renames it to {@code stem}, the first 12 hex
     * digits of its SHA-256 and {@code .jsonl.gz}, and fsyncs the directory: the name holds a whole file or none,
     * and stays once the removal commits. The name follows the content, so two exports at once (two processes on
     * one store) never write over each other's file: the one whose removal loses leaves a file no tombstone names.
     * Each line's fields in one fixed order: the same records make the same bytes, and the same name, anywhere.
     */
    private Written write(Path dir, String stem, List<Line> lines) {
        Path partial = null;
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            partial = Files.createTempFile(dir, "decisions-", ".partial");
            try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                OutputStream raw = java.nio.channels.Channels.newOutputStream(ch);
                OutputStream hashed = new java.security.DigestOutputStream(raw, md);
                GZIPOutputStream gz = new GZIPOutputStream(hashed);
                for (Line l : lines) {
                    com.fasterxml.jackson.databind.node.ObjectNode o = json.createObjectNode();
                    o.put("seq", l.seq()).put("id", l.id()).put("prevHash", l.prevHash())
                            .put("recordHash", l.recordHash()).put("content", l.content());
                    gz.write(json.writeValueAsBytes(o));
                    gz.write('\n');
                }
                gz.finish();
                gz.flush();
                ch.force(true);
            }
            String sha = HexFormat.of().formatHex(md.digest());
            Path file = dir.resolve(stem + "-" + sha.substring(0, 12) + ".jsonl.gz");
            // a file of that name holds these very bytes (an export that crashed before its removal, run again)
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            partial = null;
            syncDirectory(dir);
            return new Written(file, sha);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an export file in " + dir + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // a .partial file left behind holds nothing the store lost: the records are still there
                }
            }
        }
    }

    /**
     * The rename itself on disk before the records leave the store. Windows opens no directory as a file (its
     * renames are durable with the file's metadata), so there the sync is left to the file system.
     */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (java.nio.file.AccessDeniedException e) {
            if (!System.getProperty("os.name", "").startsWith("Windows")) {
                throw e;
            }
        }
    }

    /**
     * The names {@link #export} gives its files: {@code decisions-FIRST-LAST-HASH.jsonl.gz}, {@code HASH} the first 12
     * hex digits of the file's SHA-256, or {@code decisions-FIRST-LAST.jsonl.gz} as files were named before the hash
     * was added.
     */
    static final java.util.regex.Pattern FILE_NAME = java.util.regex.Pattern.compile(
            "decisions-([1-9][0-9]{0,17})-([1-9][0-9]{0,17})(-[0-9a-f]{12})?\\.jsonl\\.gz");

    /**
     * Checks an export file on its own (every line's content against its hash, consecutive places linked, and the
     * first and last places against the file's name) and, with {@code store}, against the tombstones the export
     * left: each line's, and every tombstone that names this file has its line (a line taken out of the file is
     * named). Returns every problem, each naming the line or the record.
     */
    public static List<String> verifyFile(Path file, ObjectMapper json, Optional<JdbcTemplate> store) {
        List<String> problems = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        String name = file.getFileName().toString();
        // the tombstones naming this file, a page at a time in order of place, merged with its lines (in the same
        // order): memory stays bounded however many records a file holds
        Tombstones tombstones = new Tombstones(store, name);
        java.util.function.Consumer<Tombstone> missing = t -> removed.add("record " + t.seq() + " (" + t.id()
                + ") was exported to " + name + ", which does not hold it: its line was removed");
        long firstSeq = 0;
        long previousSeq = 0;
        int n = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            String previousHash = null;
            for (String text; (text = r.readLine()) != null; ) {
                n++;
                JsonNode l = json.readTree(text);
                long seq = l.path("seq").asLong();
                String id = l.path("id").asText();
                String prev = l.path("prevHash").asText();
                String hash = l.path("recordHash").asText();
                String where = "line " + n + ": record " + seq + " (" + id + ")";
                if (!AuditChain.hash(l.path("content").asText(), prev).equals(hash)) {
                    problems.add(where + " was changed: its content does not match its hash");
                }
                if (seq <= previousSeq) {
                    problems.add(where + " is out of order after record " + previousSeq);
                } else if (seq == previousSeq + 1 && !prev.equals(previousHash)) {
                    problems.add(where + " does not follow record " + previousSeq);
                }
                if (store.isPresent()) {
                    while (tombstones.peek() != null && tombstones.peek().seq() < seq) {
                        missing.accept(tombstones.next());
                    }
                    // this file's tombstone for the line, or (a line of another file's record) looked up alone
                    List<String> kept = tombstones.peek() != null && tombstones.peek().seq() == seq
                            ? List.of(tombstones.next().hash()) : store.get().queryForList(
                                    "SELECT record_hash FROM decision_exported WHERE chain_seq = ?", String.class, seq);
                    if (!kept.equals(List.of(hash))) {
                        problems.add(where + (kept.isEmpty() ? " has no tombstone in the store"
                                : " has another hash in the store's tombstone"));
                    }
                }
                firstSeq = n == 1 ? seq : firstSeq;
                previousSeq = seq;
                previousHash = hash;
            }
        } catch (IOException e) {
            problems.add("cannot read " + name + ": " + e.getMessage());
            return problems;
        }
        java.util.regex.Matcher named = FILE_NAME.matcher(name);
        if (named.matches() && (n == 0 || firstSeq != Long.parseLong(named.group(1))
                || previousSeq != Long.parseLong(named.group(2)))) {
            problems.add(name + " is named for records " + named.group(1) + " to " + named.group(2) + " but "
                    + (n == 0 ? "holds none" : "runs from record " + firstSeq + " to " + previousSeq)
                    + ": its first or last lines were removed");
        }
        while (tombstones.peek() != null) {
            missing.accept(tombstones.next());
        }
        problems.addAll(removed);
        return problems;
    }

    /** A tombstone: a record's place, id and hash. */
    private record Tombstone(long seq, String id, String hash) {
    }

    /** The tombstones naming one file, in order of place, read {@link #PAGE} at a time (none without a store). */
    private static final class Tombstones {
        private static final int PAGE = 10_000;
        private final Optional<JdbcTemplate> store;
        private final String file;
        private final java.util.ArrayDeque<Tombstone> page = new java.util.ArrayDeque<>();
        private long after;
        private boolean done;

        Tombstones(Optional<JdbcTemplate> store, String file) {
            this.store = store;
            this.file = file;
            this.done = store.isEmpty();
        }

        Tombstone peek() {
            if (page.isEmpty() && !done) {
                List<Tombstone> rows = store.orElseThrow().query("SELECT chain_seq, id, record_hash FROM "
                        + "decision_exported WHERE export_file = ? AND chain_seq > ? ORDER BY chain_seq LIMIT " + PAGE,
                        (rs, i) -> new Tombstone(rs.getLong(1), rs.getString(2), rs.getString(3)), file, after);
                page.addAll(rows);
                done = rows.size() < PAGE;
                after = rows.isEmpty() ? after : rows.get(rows.size() - 1).seq();
            }
            return page.peekFirst();
        }

        Tombstone next() {
            Tombstone t = peek();
            page.pollFirst();
            return t;
        }
    }
}
