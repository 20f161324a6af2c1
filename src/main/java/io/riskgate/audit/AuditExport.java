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
import java.util.Map;
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
     * {@code dir}/decisions-FIRST-LAST.jsonl.gz, then removes them from the store, leaving their tombstones. The
     * result names the file by its absolute path.
     */
    public Result export(Instant before, Path dir) {
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
        Path file = dir.resolve("decisions-" + first + "-" + last + ".jsonl.gz");
        String sha = write(file, lines);
        String name = file.getFileName().toString();
        tx.executeWithoutResult(s -> {
            jdbc.batchUpdate("INSERT INTO decision_exported (chain_seq, id, prev_hash, record_hash, export_file) "
                            + "VALUES (?,?,?,?,?)",
                    lines.stream().map(l -> new Object[] {l.seq(), l.id(), l.prevHash(), l.recordHash(), name})
                            .toList());
            List<Object[]> ids = lines.stream().map(l -> new Object[] {l.id()}).toList();
            jdbc.batchUpdate("DELETE FROM decision_code WHERE decision_id = ?", ids);
            jdbc.batchUpdate("DELETE FROM decision WHERE id = ?", ids);
        });
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

    /** Writes and fsyncs the file; returns its SHA-256. */
    private String write(Path file, List<Line> lines) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream raw = java.nio.channels.Channels.newOutputStream(ch);
                OutputStream hashed = new java.security.DigestOutputStream(raw, md);
                GZIPOutputStream gz = new GZIPOutputStream(hashed);
                for (Line l : lines) {
                    gz.write(json.writeValueAsBytes(Map.of("seq", l.seq(), "id", l.id(), "prevHash", l.prevHash(),
                            "recordHash", l.recordHash(), "content", l.content())));
                    gz.write('\n');
                }
                gz.finish();
                gz.flush();
                ch.force(true);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Checks an export file on its own (every line's content against its hash, consecutive places linked) and,
     * with {@code store}, against the tombstones the export left. Returns every problem, each naming the line.
     */
    public static List<String> verifyFile(Path file, ObjectMapper json, Optional<JdbcTemplate> store) {
        List<String> problems = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            long previousSeq = 0;
            String previousHash = null;
            int n = 0;
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
                    List<String> kept = store.get().queryForList(
                            "SELECT record_hash FROM decision_exported WHERE chain_seq = ?", String.class, seq);
                    if (!kept.equals(List.of(hash))) {
                        problems.add(where + (kept.isEmpty() ? " has no tombstone in the store"
                                : " has another hash in the store's tombstone"));
                    }
                }
                previousSeq = seq;
                previousHash = hash;
            }
        } catch (IOException e) {
            problems.add("cannot read " + file.getFileName() + ": " + e.getMessage());
        }
        return problems;
    }
}
