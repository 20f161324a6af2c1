package io.riskgate.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskgate.runtime.RiskgateRuntime;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The journal's frames (every value type riskgate binds, a frame cut short, a damaged frame) and the journal at
 * work: an H2 file as it stood at its last sync plus the journal beside it holds every batch that was answered.
 */
class JournalTest {

    @TempDir
    Path tmp;

    @Test
    void aBatchReadsBackAsWritten() throws IOException {
        List<Object> values = Arrays.asList(null, "héllo", "lone \ud800 surrogate", 42L, 7, 0.01, true, new BigDecimal("50000.125"),
                OffsetDateTime.of(2024, 1, 15, 10, 30, 0, 123_456_000, ZoneOffset.UTC), new byte[] {1, 2, 3},
                Instant.parse("2024-01-15T10:30:00.000001Z"), Timestamp.from(Instant.parse("2024-01-15T10:30:00Z")));
        Path file = tmp.resolve("j.journal");
        try (Journal j = Journal.open(file)) {
            j.append(new Journal.Batch(1, List.of(new Journal.Write("INSERT INTO t VALUES (?)", values))));
            j.append(new Journal.Batch(2, List.of()));
        }
        Journal.Contents read = Journal.read(file);
        assertThat(read.tornTail()).isFalse();
        assertThat(read.batches()).extracting(Journal.Batch::seq).containsExactly(1L, 2L);
        List<Object> back = read.batches().get(0).writes().get(0).parameters();
        assertThat(back).hasSize(values.size());
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) instanceof byte[] b) {
                assertThat((byte[]) back.get(i)).containsExactly(b);
            } else {
                assertThat(back.get(i)).isEqualTo(values.get(i));
            }
        }
    }

    /**
     * A mark's batch repeats one UPDATE for every trade: the second format writes its SQL once per frame and its
     * Latin-1 strings a byte a character. 1,000 updates of the mark's shape take 114 bytes each: its SQL's place (4)
     * and the count of parameters (4), then 4 doubles of 9 bytes, the state "OPEN" (1 + 4 + 4), a timestamp (1 + 8
     * + 4), 3 booleans of 2, a null of 1 and the trade's id of 36 characters (1 + 4 + 36): 114 KB. The first format,
     * with the SQL text of 198 characters in UTF-16 in every write (396 bytes) and each string 2 bytes a character,
     * wrote 8 + 396 + 56 + 13 + 77 = 550 bytes a write: 550 KB. Both read back alike, and a journal of
     * the first format (left by an earlier riskgate) still reads.
     */
    @Test
    void repeatedStatementsAreWrittenOnceAndTheFirstFormatStillReads() throws IOException {
        String sql = "UPDATE trade SET stop_loss = ?, state = ?, best_price = ?, worst_price = ?, last_mark_at = ?, "
                + "breakeven_done = ?, partial_done = ?, trailing_active = ?, pending_exit = ?, last_price = ? "
                + "WHERE id = ?";
        List<Journal.Write> writes = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            writes.add(new Journal.Write(sql, Arrays.asList(47_750.0, "OPEN", 50_100.0, 50_050.0,
                    Timestamp.from(Instant.parse("2024-01-15T10:30:00Z").plusMillis(i)), false, false, false, null,
                    50_100.0, String.format("01a2446f-c5c0-7000-8a3a-%012d", i))));
        }
        writes.add(new Journal.Write("INSERT INTO t VALUES (?, ?)",
                Arrays.asList("déjà \ud800", new BigDecimal("1.5"))));
        writes.add(new Journal.Write(sql.replace("?, state", "?,  state"), List.of()));
        Journal.Batch batch = new Journal.Batch(7, writes);
        byte[] second = Journal.encode(batch);
        byte[] first = Journal.encodeFirstFormat(batch);
        assertThat(second.length).isBetween(114_000, 115_000);
        assertThat(first.length).isBetween(550_000, 551_000);
        for (byte[] body : List.of(second, first)) {
            Journal.Batch back = Journal.decode(body);
            assertThat(back.seq()).isEqualTo(7);
            assertThat(back.writes()).hasSize(writes.size());
            for (int i = 0; i < writes.size(); i++) {
                assertThat(back.writes().get(i).sql()).isEqualTo(writes.get(i).sql());
                assertThat(back.writes().get(i).parameters()).isEqualTo(writes.get(i).parameters());
            }
        }
        // a file as an earlier riskgate left it (no header, each frame checksummed alone), a first-format frame then
        // a second-format one, reads with its frames in order
        Path file = tmp.resolve("first.journal");
        Files.write(file, earlierFormat(first, Journal.encode(new Journal.Batch(8, List.of(new Journal.Write(sql,
                List.of()))))));
        assertThat(Journal.read(file).batches()).extracting(Journal.Batch::seq).containsExactly(7L, 8L);
    }

    /**
     * A body damaged under a valid checksum (only a bug could write one) is refused as an IOException, whatever byte
     * is changed, and never makes the reader allocate beyond the body: 3,000 bodies, each with one byte changed.
     */
    @Test
    void aDamagedBodyIsRefusedAsDamaged() throws IOException {
        Journal.Batch batch = new Journal.Batch(3, List.of(
                new Journal.Write("INSERT INTO t VALUES (?, ?, ?, ?)", Arrays.asList("déjà", new BigDecimal("2.5"),
                        new byte[] {1, 2, 3}, "\u4e2d\u6587")),
                new Journal.Write("INSERT INTO t VALUES (?, ?, ?, ?)", Arrays.asList(null, 7L, 0.5, true))));
        byte[] body = Journal.encode(batch);
        java.util.Random random = new java.util.Random(20261205L);
        for (int i = 0; i < 3_000; i++) {
            byte[] damaged = body.clone();
            damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            try {
                Journal.decode(damaged);
            } catch (IOException refused) {
                // damaged, said so
            }
        }
        assertThat(Journal.decode(body).writes()).hasSize(2);
    }

    /** A file of an earlier format (frames from byte 0, no header): a frame cut short, a damaged one. */
    @Test
    void anEarlierFormatsLastFrameCutShortIsDroppedAndOneDamagedBeforeOthersRefused() throws IOException {
        byte[][] bodies = new byte[3][];
        for (int seq = 1; seq <= 3; seq++) {
            bodies[seq - 1] = Journal.encode(new Journal.Batch(seq, List.of(new Journal.Write("UPDATE t SET v = ?",
                    List.of("x" + seq)))));
        }
        Path file = tmp.resolve("j.journal");
        Files.write(file, earlierFormat(bodies));
        long whole = Files.size(file);
        // a tail the file system extended with zeros but never wrote: dropped like a frame cut short
        Path zeros = tmp.resolve("zeros.journal");
        Files.copy(file, zeros);
        Files.write(zeros, new byte[64], java.nio.file.StandardOpenOption.APPEND);
        Journal.Contents zeroTail = Journal.read(zeros);
        assertThat(zeroTail.batches()).hasSize(3);
        assertThat(zeroTail.tornTail()).isTrue();
        Path cut = tmp.resolve("cut.journal");
        Files.copy(file, cut);
        try (RandomAccessFile f = new RandomAccessFile(cut.toFile(), "rw")) {
            f.setLength(whole - 5); // the crash came while the third frame was being written
        }
        Journal.Contents read = Journal.read(cut);
        assertThat(read.batches()).extracting(Journal.Batch::seq).containsExactly(1L, 2L);
        assertThat(read.tornTail()).isTrue();

        Path damaged = tmp.resolve("damaged.journal");
        Files.copy(file, damaged);
        try (RandomAccessFile f = new RandomAccessFile(damaged.toFile(), "rw")) {
            f.seek(20); // inside the first frame's body
            f.write(0x55);
        }
        assertThatThrownBy(() -> Journal.read(damaged)).isInstanceOf(IOException.class)
                .hasMessageContaining("damaged at byte 0").hasMessageContaining("will not start");
    }

    /**
     * Each checkpoint starts a cycle over the space the last one used: the file stops growing once it holds its
     * largest cycle (an append over written space syncs without the inode), and a read finds the current cycle's
     * frames only, not the earlier cycle's bytes after them.
     */
    @Test
    void aCycleIsWrittenOverTheLastOneAndReadsAlone() throws IOException {
        Path file = tmp.resolve("cycles.journal");
        try (Journal j = Journal.open(file)) {
            appendAll(j, 1, 5);
            long firstCycle = Files.size(file);
            assertThat(j.size()).isEqualTo(firstCycle - Journal.HEADER);
            j.rewind();
            assertThat(j.size()).isZero();
            appendAll(j, 6, 7);
            assertThat(Files.size(file)).as("the file after a second, smaller cycle").isEqualTo(firstCycle);
            Journal.Contents second = Journal.read(file);
            assertThat(second.batches()).extracting(Journal.Batch::seq).containsExactly(6L, 7L);
            assertThat(second.strays()).as("batches 3 to 5 of the first cycle, still in the file").isEmpty();
            assertThat(second.end()).isEqualTo(Journal.HEADER + j.size());
            j.rewind(); // the third generation goes back into the first slot
            appendAll(j, 8, 8);
            assertThat(Journal.read(file).batches()).extracting(Journal.Batch::seq).containsExactly(8L);
            byte[] header = Files.readAllBytes(file);
            assertThat(java.nio.ByteBuffer.wrap(header, 4, 8).getLong()).as("the first slot's generation").isEqualTo(3);
            assertThat(java.nio.ByteBuffer.wrap(header, 512 + 4, 8).getLong()).as("the second's").isEqualTo(2);
            j.clear();
            assertThat(Files.size(file)).isZero();
            appendAll(j, 9, 9); // a cleared journal starts again from its header
            assertThat(Journal.read(file).batches()).extracting(Journal.Batch::seq).containsExactly(9L);
        }
        try (Journal j = Journal.open(file)) {
            // frames an earlier process left are replayed and cleared before anything is written after them
            assertThatThrownBy(() -> appendAll(j, 10, 10)).hasMessageContaining("holds what an earlier process wrote");
        }
    }

    /**
     * Where a crash can stop a cycle, the read gives back every synced frame and invents none: a last frame written
     * in part over an earlier cycle's bytes; a new cycle whose slot reached the disk before any of its frames; a new
     * slot written in part before any frame (the earlier cycle is read, whose batches the database holds since its
     * checkpoint); a slot lost under synced frames (they name their cycle themselves).
     */
    @Test
    void whereACrashStopsACycleTheSyncedFramesAreReadAndNoneInvented() throws Exception {
        Path file = tmp.resolve("crash.journal");
        long[] ends = new long[4];
        Path afterRewind = tmp.resolve("after-rewind.journal");
        try (Journal j = Journal.open(file)) {
            appendAll(j, 1, 5);
            j.rewind();
            Files.copy(file, afterRewind); // the new slot on disk, no frame yet
            for (int seq = 6; seq <= 8; seq++) {
                appendAll(j, seq, seq);
                ends[seq - 5] = Journal.HEADER + j.size();
            }
        }
        ends[0] = Journal.HEADER;
        Journal.Contents none = Journal.read(afterRewind);
        assertThat(none.batches()).isEmpty();
        assertThat(none.strays()).isEmpty();

        // batch 8's frame written in part: its first half new, the rest still the first cycle's bytes
        Path torn = tmp.resolve("torn.journal");
        Files.copy(file, torn);
        try (RandomAccessFile f = new RandomAccessFile(torn.toFile(), "rw")) {
            long middle = (ends[2] + ends[3]) / 2;
            byte[] earlier = Files.readAllBytes(afterRewind);
            f.seek(middle);
            f.write(earlier, (int) middle, (int) (ends[3] - middle));
        }
        Journal.Contents read = Journal.read(torn);
        assertThat(read.batches()).extracting(Journal.Batch::seq).containsExactly(6L, 7L);
        assertThat(read.end()).isEqualTo(ends[2]);
        assertThat(read.strays()).isEmpty();

        // the second generation's slot (bytes 512 on) written in part, no frame of its cycle yet: the first cycle
        // is read, whose batches the database holds since the checkpoint before the slot
        Path slotTorn = tmp.resolve("slot-torn.journal");
        Files.copy(afterRewind, slotTorn);
        damage(slotTorn, 512 + 10);
        Journal.Contents earlier = Journal.read(slotTorn);
        assertThat(earlier.batches()).extracting(Journal.Batch::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(earlier.strays()).isEmpty();

        // the same slot damaged under the synced frames of its cycle: the first frame's id names the cycle
        Path slotLost = tmp.resolve("slot-lost.journal");
        Files.copy(file, slotLost);
        damage(slotLost, 512 + 10);
        assertThat(Journal.read(slotLost).batches()).extracting(Journal.Batch::seq).containsExactly(6L, 7L, 8L);
    }

    /** One byte of {@code file} at {@code at} changed. */
    private static void damage(Path file, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x55);
        }
    }

    /**
     * A frame damaged after its sync, with frames after it: the frames after it are found, and the recovery refuses to
     * start when the database lacks the damaged frame's batch; when it holds that batch, the batches after it are
     * replayed from the frames after the damage, and nothing is lost.
     */
    @Test
    void aFrameDamagedBeforeLaterOnesRefusesTheStartOnlyWhenABatchIsLost() throws Exception {
        Path dir = tmp.resolve("damaged");
        DataSource ds = migrated(dir);
        JdbcTemplate jdbc = withTableT(ds);
        Path file = dir.resolve("db.journal");
        try (Journal j = Journal.open(file)) {
            for (long seq = 1; seq <= 3; seq++) {
                j.append(new Journal.Batch(seq, List.of(new Journal.Write("INSERT INTO t (id, v) VALUES (?, ?)",
                        List.of(seq, "v" + seq)))));
            }
        }
        damage(file, Journal.HEADER + 30); // inside batch 1's body
        Journal.Contents read = Journal.read(file);
        assertThat(read.batches()).isEmpty();
        assertThat(read.strays()).extracting(Journal.Batch::seq).containsExactly(2L, 3L);

        assertThatThrownBy(() -> JournalRecovery.recover(ds)).hasMessageContaining("damaged at byte 1024")
                .hasMessageContaining("batch 1, which the database lacks (it holds up to 0), is in no frame that can "
                        + "be read, and batch 2 is written after it")
                .hasMessageContaining("will not start");
        assertThat(Files.size(file)).as("the journal kept for whoever looks at it").isGreaterThan(Journal.HEADER);

        // the same file beside a database that stored batch 1 before the crash: batches 2 and 3 are replayed from
        // the frames after the damaged one, and nothing acknowledged is lost
        jdbc.update("UPDATE journal_mark SET seq = 1 WHERE id = 1");
        assertThat(JournalRecovery.recover(ds).batches()).isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT v FROM t ORDER BY id", String.class)).containsExactly("v2", "v3");
        assertThat(Files.size(file)).isZero();
    }

    /**
     * A stored value can hold bytes shaped like a frame (Latin-1 text carries any byte). In an earlier cycle's bytes
     * after the current frames, such a frame is not taken for one of the current cycle: it cannot check under the
     * cycle's id, which never leaves the file. The same frame checked under the id is found (the search works).
     */
    @Test
    void aFrameImitatedInsideAStoredValueIsNotTakenForOne() throws Exception {
        Path file = tmp.resolve("imitated.journal");
        byte[] guessed = frame(Journal.encode(new Journal.Batch(99, List.of())), 0L);
        try (Journal j = Journal.open(file)) {
            j.append(new Journal.Batch(1, List.of(new Journal.Write("INSERT INTO t VALUES (?)",
                    List.of(new String(guessed, java.nio.charset.StandardCharsets.ISO_8859_1))))));
            j.rewind();
            j.append(new Journal.Batch(2, List.of())); // shorter than batch 1: the imitation stays after it
        }
        Journal.Contents read = Journal.read(file);
        assertThat(read.batches()).extracting(Journal.Batch::seq).containsExactly(2L);
        assertThat(read.strays()).isEmpty();

        // the control: the same body checked under the current cycle's id (generation 2, second slot), put where
        // the imitation was, is found
        byte[] all = Files.readAllBytes(file);
        long id = java.nio.ByteBuffer.wrap(all, 512 + 12, 8).getLong();
        byte[] real = frame(Journal.encode(new Journal.Batch(99, List.of())), id);
        int at = indexOf(all, guessed);
        assertThat(at).isGreaterThan((int) read.end());
        System.arraycopy(real, 0, all, at, real.length);
        Files.write(file, all);
        assertThat(Journal.read(file).strays()).extracting(Journal.Batch::seq).containsExactly(99L);
    }

    /**
     * A new journal's first sync cut short: its header written in part with nothing after it, or its first 1,024
     * bytes never written (zeros) with its first frame whole, reads as what reached the disk. A header slot damaged
     * under whole frames loses nothing: the first frame names its cycle; nor does a slot whose magic alone is
     * damaged (the file is still read as the current format, not as an earlier one).
     */
    @Test
    void aNewJournalsHeaderWrittenInPartOrLostReadsWhatReachedTheDisk() throws IOException {
        Path file = tmp.resolve("header.journal");
        try (Journal j = Journal.open(file)) {
            appendAll(j, 1, 2);
        }
        byte[] all = Files.readAllBytes(file);
        all[20] ^= 0x55; // the first slot's checksum; the second slot was never written
        Path alone = tmp.resolve("alone.journal");
        Files.write(alone, java.util.Arrays.copyOf(all, 100));
        assertThat(Journal.read(alone).batches()).isEmpty();
        Path withFrames = tmp.resolve("with-frames.journal");
        Files.write(withFrames, all);
        assertThat(Journal.read(withFrames).batches()).extracting(Journal.Batch::seq).containsExactly(1L, 2L);
        Path magicLost = tmp.resolve("magic-lost.journal");
        byte[] magic = Files.readAllBytes(file);
        magic[0] = 0x05; // read as an earlier format, the first frame would claim 87 MB and the file look cut short
        Files.write(magicLost, magic);
        assertThat(Journal.read(magicLost).batches()).extracting(Journal.Batch::seq).containsExactly(1L, 2L);
        Path firstPageLost = tmp.resolve("first-page-lost.journal");
        byte[] zeros = Files.readAllBytes(file);
        java.util.Arrays.fill(zeros, 0, Journal.HEADER, (byte) 0);
        Files.write(firstPageLost, zeros);
        assertThat(Journal.read(firstPageLost).batches()).extracting(Journal.Batch::seq).containsExactly(1L, 2L);
        // and with the first frame cut short too: nothing was synced
        Path torn = tmp.resolve("torn-first.journal");
        Files.write(torn, java.util.Arrays.copyOf(zeros, Journal.HEADER + 40));
        assertThat(Journal.read(torn).batches()).isEmpty();
    }

    private static void appendAll(Journal j, long from, long to) throws IOException {
        for (long seq = from; seq <= to; seq++) {
            j.append(new Journal.Batch(seq, List.of(new Journal.Write("UPDATE t SET v = ? WHERE id = ?",
                    List.of("batch " + seq + " " + "x".repeat(200), seq)))));
        }
    }

    /** Frames as riskgate wrote them before the header: length, CRC-32C of the body alone, body. */
    private static byte[] earlierFormat(byte[]... bodies) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] body : bodies) {
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(body);
            out.writeBytes(java.nio.ByteBuffer.allocate(8).putInt(body.length).putInt((int) crc.getValue()).array());
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    /** A frame of the current format for cycle {@code id}: length, id, CRC-32C of the id and the body, body. */
    private static byte[] frame(byte[] body, long id) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(java.nio.ByteBuffer.allocate(8).putLong(0, id));
        crc.update(body);
        return java.nio.ByteBuffer.allocate(Journal.FRAME_HEAD + body.length).putInt(body.length).putLong(id)
                .putInt((int) crc.getValue()).put(body).array();
    }

    private static int indexOf(byte[] all, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= all.length; i++) {
            for (int k = 0; k < part.length; k++) {
                if (all[i + k] != part[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * The crash the journal is for: batches answered after H2's last sync are in the journal only. The database
     * file as it was at its sync, with the journal as it was at the "kill", comes back with all of them, with the
     * numbers the callers were told, and without the unit that failed.
     */
    @Test
    void theDatabaseAtItsLastSyncPlusTheJournalHoldsEveryAnsweredBatch() throws Exception {
        Path live = tmp.resolve("live");
        Files.createDirectories(live);
        String url = "jdbc:h2:file:" + live.resolve("db");
        DataSource ds = LocalDatabase.dataSource(url, "sa");
        RiskgateRuntime.migrate(ds);
        new JdbcTemplate(ds).execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(20), at TIMESTAMP WITH TIME "
                + "ZONE, d DATE)");
        RowIds ids = RowIds.of(ds, "t", "id");
        Path savedDb = tmp.resolve("saved.mv.db");
        Path savedJournal = tmp.resolve("saved.journal");
        List<Long> answered = new ArrayList<>();
        try (GroupCommit commits = GroupCommit.forDatabase(ds, Duration.ofHours(1))) {
            answered.add(insert(commits, ds, ids, "synced"));
            JournalRecovery.syncDatabase(ds);
            Files.copy(live.resolve("db.mv.db"), savedDb); // H2's file as a crash would find it
            answered.add(insert(commits, ds, ids, "journaled-1"));
            // a unit that fails after its insert: rolled back, so not journaled either
            assertThatThrownBy(() -> commits.execute(status -> {
                new JdbcTemplate(ds).update("INSERT INTO t (id, v) VALUES (?, ?)", ids.next(), "failed");
                throw new IllegalStateException("refused");
            })).hasMessage("refused");
            // a value the journal cannot record fails its unit, so it cannot be answered as durable
            assertThatThrownBy(() -> commits.execute(status -> new JdbcTemplate(ds).update(
                    "INSERT INTO t (id, d) VALUES (?, ?)", ids.next(), LocalDate.of(2024, 1, 15))))
                    .hasMessageContaining("cannot record a parameter of type java.time.LocalDate");
            answered.add(insert(commits, ds, ids, "journaled-2"));
            Files.copy(commits.journalFile().orElseThrow(), savedJournal);
        }
        // the restart: the database file from before the last two answers, the journal from the kill
        Path restarted = tmp.resolve("restarted");
        Files.createDirectories(restarted);
        Files.copy(live.resolve(LocalDatabase.SECRET_FILE), restarted.resolve(LocalDatabase.SECRET_FILE));
        Files.copy(savedDb, restarted.resolve("db.mv.db"));
        Files.copy(savedJournal, restarted.resolve("db.journal"), StandardCopyOption.REPLACE_EXISTING);
        DataSource again = LocalDatabase.dataSource("jdbc:h2:file:" + restarted.resolve("db"), "sa");
        JdbcTemplate jdbc = new JdbcTemplate(again);
        assertThat(jdbc.queryForList("SELECT v FROM t ORDER BY id", String.class)).containsExactly("synced");

        JournalRecovery.Result result = JournalRecovery.recover(again);

        assertThat(result.batches()).isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT id FROM t ORDER BY id", Long.class)).isEqualTo(answered);
        assertThat(jdbc.queryForList("SELECT v FROM t ORDER BY id", String.class))
                .containsExactly("synced", "journaled-1", "journaled-2");
        assertThat(jdbc.queryForObject("SELECT at FROM t WHERE v = 'journaled-2'", OffsetDateTime.class))
                .isEqualTo(OffsetDateTime.of(2024, 1, 15, 10, 30, 0, 0, ZoneOffset.UTC));
        assertThat(jdbc.queryForObject("SELECT seq FROM journal_mark", Long.class)).isEqualTo(3L);
        assertThat(Files.size(restarted.resolve("db.journal"))).isZero();
        // a second start finds nothing more to do
        assertThat(JournalRecovery.recover(again).batches()).isZero();
    }

    /**
     * Each batch is replayed in its own transaction with its mark: a batch that fails stops the start (naming how far
     * the database got), the batches before it stay, and the next start resumes from there once the cause is gone.
     */
    @Test
    void aRecoveryStoppedByABadBatchKeepsTheBatchesBeforeItAndResumes() throws Exception {
        Path dir = tmp.resolve("resume");
        DataSource ds = migrated(dir);
        JdbcTemplate jdbc = withTableT(ds);
        try (Journal j = Journal.open(dir.resolve("db.journal"))) {
            j.append(new Journal.Batch(1, List.of(new Journal.Write("INSERT INTO t (id, v) VALUES (?, ?)",
                    List.of(1L, "first")))));
            j.append(new Journal.Batch(2, List.of(new Journal.Write("INSERT INTO later (id) VALUES (?)",
                    List.of(2L)))));
            j.append(new Journal.Batch(3, List.of(new Journal.Write("INSERT INTO t (id, v) VALUES (?, ?)",
                    List.of(3L, "third")))));
        }

        assertThatThrownBy(() -> JournalRecovery.recover(ds)).hasMessageContaining(
                "the database holds batches up to 1 of 3");
        assertThat(jdbc.queryForList("SELECT v FROM t ORDER BY id", String.class)).containsExactly("first");
        assertThat(jdbc.queryForObject("SELECT seq FROM journal_mark", Long.class)).isEqualTo(1L);

        // the cause mended (here: the table batch 2 writes to), the next start replays batches 2 and 3 only
        jdbc.execute("CREATE TABLE later (id BIGINT PRIMARY KEY)");
        assertThat(JournalRecovery.recover(ds).batches()).isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT v FROM t ORDER BY id", String.class)).containsExactly("first", "third");
        assertThat(jdbc.queryForObject("SELECT seq FROM journal_mark", Long.class)).isEqualTo(3L);
    }

    /**
     * The migrations are on disk before anything is journaled: H2's file copied right after them while the database
     * stays open (as the service's pool keeps it), as a kill would leave it, already holds the journal's mark. H2
     * syncs in the background: a CI run's CrashTest found a journal beside a database whose mark row a kill soon
     * after the start had lost.
     */
    @Test
    void theJournalsMarkIsOnDiskOnceTheMigrationsAreDone() throws Exception {
        Path dir = tmp.resolve("fresh");
        Files.createDirectories(dir);
        DataSource ds = LocalDatabase.dataSource("jdbc:h2:file:" + dir.resolve("db"), "sa");
        try (java.sql.Connection open = ds.getConnection()) {
            RiskgateRuntime.migrate(ds);
            Path copy = tmp.resolve("copied");
            Files.createDirectories(copy);
            Files.copy(dir.resolve("db.mv.db"), copy.resolve("db.mv.db"));
            Files.copy(dir.resolve(LocalDatabase.SECRET_FILE), copy.resolve(LocalDatabase.SECRET_FILE));
            DataSource copied = LocalDatabase.dataSource("jdbc:h2:file:" + copy.resolve("db"), "sa");
            assertThat(new JdbcTemplate(copied).queryForList("SELECT seq FROM journal_mark WHERE id = 1",
                    Long.class)).containsExactly(0L);
            assertThat(open.isClosed()).isFalse();
        }
    }

    /** One row updated by many batches, an indexed column going back and forth, as a trade's state does. */
    @Test
    void manyBatchesUpdatingOneRowAreReplayed() throws Exception {
        Path dir = tmp.resolve("one-row");
        DataSource ds = migrated(dir);
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.execute("CREATE TABLE r (id BIGINT PRIMARY KEY, k VARCHAR(36) NOT NULL UNIQUE, s VARCHAR(16) NOT NULL)");
        jdbc.execute("CREATE INDEX r_s ON r (s)");
        try (Journal j = Journal.open(dir.resolve("db.journal"))) {
            j.append(new Journal.Batch(1, List.of(new Journal.Write("INSERT INTO r (id, k, s) VALUES (?, ?, ?)",
                    List.of(1L, "k-1", "OPEN")))));
            for (int i = 2; i <= 300; i++) {
                j.append(new Journal.Batch(i, List.of(new Journal.Write("UPDATE r SET s = ? WHERE id = ?",
                        List.of(i % 2 == 0 ? "CLOSED_PARTIAL" : "OPEN", 1L)))));
            }
        }

        assertThat(JournalRecovery.recover(ds).batches()).isEqualTo(300);
        assertThat(jdbc.queryForObject("SELECT s FROM r WHERE id = 1", String.class)).isEqualTo("CLOSED_PARTIAL");
    }

    @Test
    void aGapBetweenTheDatabaseAndTheJournalRefusesToStart() throws Exception {
        Path dir = tmp.resolve("gap");
        DataSource ds = migrated(dir);
        try (Journal j = Journal.open(dir.resolve("db.journal"))) {
            j.append(new Journal.Batch(5, List.of(new Journal.Write("UPDATE journal_mark SET seq = seq", List.of()))));
        }
        assertThatThrownBy(() -> JournalRecovery.recover(ds)).hasMessageContaining(
                "holds batch 5 where batch 1 was expected (the database holds up to 0)");
    }

    @Test
    void aJournalBesideADatabaseWithoutAMarkRefusesToStart() throws Exception {
        Path dir = tmp.resolve("foreign");
        Files.createDirectories(dir);
        DataSource ds = LocalDatabase.dataSource("jdbc:h2:file:" + dir.resolve("db"), "sa");
        try (Journal j = Journal.open(dir.resolve("db.journal"))) {
            j.append(new Journal.Batch(1, List.of(new Journal.Write("UPDATE x SET y = 1", List.of()))));
        }
        assertThatThrownBy(() -> JournalRecovery.recover(ds)).hasMessageContaining("has no journal mark");
    }

    /**
     * Under a journal, H2 stores nothing of its file while a batch is being written: a store then, map after map,
     * followed by a kill, left a row of an uncommitted batch in the file (JournalRecovery.storeLock). A file
     * operation H2 asks for during a unit waits for the batch's commit; between batches it runs at once.
     */
    @Test
    void h2StoresNothingWhileABatchIsWritten() throws Exception {
        DataSource ds = migrated(tmp.resolve("no-store"));
        try (java.sql.Connection held = ds.getConnection();
             GroupCommit commits = GroupCommit.forDatabase(ds)) {
            org.h2.mvstore.MVStore store = ((org.h2.engine.SessionLocal) held.unwrap(org.h2.jdbc.JdbcConnection.class)
                    .getSession()).getDatabase().getStore().getMvStore();
            java.util.concurrent.CountDownLatch inUnit = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.atomic.AtomicBoolean stored = new java.util.concurrent.atomic.AtomicBoolean();
            Thread h2 = new Thread(() -> {
                try {
                    inUnit.await();
                } catch (InterruptedException e) {
                    return;
                }
                store.executeFilestoreOperation(() -> stored.set(true));
            });
            h2.start();
            boolean storedDuringTheUnit = commits.execute(status -> {
                new JdbcTemplate(ds).update("UPDATE journal_mark SET seq = seq WHERE id = 1");
                inUnit.countDown();
                try {
                    h2.join(300);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return stored.get();
            });
            h2.join(5_000);
            assertThat(JournalRecovery.storeLock(held)).as("H2's store lock, reached").isPresent();
            assertThat(storedDuringTheUnit).as("a store of H2's while the batch was open").isFalse();
            assertThat(stored).as("the store once the batch committed").isTrue();
        }
    }

    /**
     * A checkpoint's sync waits for the stores H2's own threads are still writing. H2's background store hands a
     * batch's pages to its serialization and save threads and returns; a CHECKPOINT just after finds nothing unsaved
     * and does not wait for them, so a sync then would precede their write, and the journal emptied after it would
     * have held the only copy of that batch. Here H2's save thread is kept busy (a task of the test's, standing for a
     * store being written): the sync does not return until it is done.
     */
    @Test
    void aSyncWaitsForTheStoresH2sOwnThreadsAreWriting() throws Exception {
        DataSource ds = migrated(tmp.resolve("sync-waits"));
        try (java.sql.Connection c = ds.getConnection()) {
            org.h2.mvstore.MVStore store = ((org.h2.engine.SessionLocal) c.unwrap(org.h2.jdbc.JdbcConnection.class)
                    .getSession()).getDatabase().getStore().getMvStore();
            java.lang.reflect.Field field = org.h2.mvstore.FileStore.class.getDeclaredField("bufferSaveExecutor");
            field.setAccessible(true);
            java.util.concurrent.ThreadPoolExecutor saver =
                    (java.util.concurrent.ThreadPoolExecutor) field.get(store.getFileStore());
            assertThat(saver).as("H2's save thread (the background writer is on)").isNotNull();
            // everything stored: as when H2's background store has just taken the last batch's pages
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("CHECKPOINT");
            }
            java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            saver.submit(() -> {
                writing.countDown();
                release.await();
                return null;
            });
            writing.await();
            java.util.concurrent.CompletableFuture<Void> sync;
            try {
                sync = java.util.concurrent.CompletableFuture.runAsync(() -> JournalRecovery.syncDatabase(ds));
                Thread.sleep(300);
                assertThat(sync).as("the sync while H2's save thread is writing").isNotDone();
            } finally {
                release.countDown(); // H2's thread free again, whatever the assertion found
            }
            sync.get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /**
     * A stop empties the journal even when the last checkpoint already started a new cycle with nothing in it (an
     * idle second before the stop): the file the next start finds is empty, as after every clean stop.
     */
    @Test
    void aStopAfterAnIdleCheckpointLeavesAnEmptyJournal() throws Exception {
        DataSource ds = migrated(tmp.resolve("idle-stop"));
        new JdbcTemplate(ds).execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(20), at TIMESTAMP WITH TIME "
                + "ZONE)");
        RowIds ids = RowIds.of(ds, "t", "id");
        Path journal;
        try (GroupCommit commits = GroupCommit.forDatabase(ds, Duration.ofMillis(20))) {
            journal = commits.journalFile().orElseThrow();
            insert(commits, ds, ids, "one");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (commits.checkpoints() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(commits.checkpoints()).as("a checkpoint while idle").isPositive();
            assertThat(Files.size(journal)).as("the cycle's space, kept").isGreaterThan(Journal.HEADER);
        }
        assertThat(Files.size(journal)).isZero();
    }

    /** A template on {@code ds} after creating the table {@code t (id, v)} the journaled batches write to. */
    private static JdbcTemplate withTableT(DataSource ds) {
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(20))");
        return jdbc;
    }

    /** An H2 file database in {@code dir}, migrated, with no journal yet. */
    private static DataSource migrated(Path dir) throws IOException {
        Files.createDirectories(dir);
        DataSource ds = LocalDatabase.dataSource("jdbc:h2:file:" + dir.resolve("db"), "sa");
        RiskgateRuntime.migrate(ds);
        return ds;
    }

    private static long insert(GroupCommit commits, DataSource ds, RowIds ids, String v) {
        return commits.execute(status -> {
            long id = ids.next();
            new JdbcTemplate(ds).update(
                    "INSERT INTO t (id, v, at) VALUES (?, ?, ?)", id, v,
                    OffsetDateTime.of(2024, 1, 15, 10, 30, 0, 0, ZoneOffset.UTC));
            return id;
        });
    }
}
