package io.riskgate.database;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The durable record of the batches the group commit wrote, ahead of H2's own file: one frame per committed batch,
 * written and fsynced before any caller of the batch is answered. H2 keeps the same batches in memory and writes
 * them to its file in its own time; about once a second the group commit has H2 sync its file and then starts the
 * journal's next <em>cycle</em> over the same space ({@link #rewind}). After a crash, {@link JournalRecovery} replays
 * the frames H2 had not yet stored.
 *
 * <p>The file (third format): two header slots, then the frames of the current cycle from byte {@value #HEADER}. A
 * slot names a cycle: its generation (one more each cycle, written to the slots in turn) and a random 64-bit id. A
 * frame: its body's length, the cycle's id, the CRC-32C of the id followed by the body, then the body: the batch's
 * number and its write statements, each as its SQL (by its place in the frame's table of SQL texts) and its
 * parameters. The id in each frame also names the cycle when its slot is lost: a whole first frame under an id
 * neither slot holds is the newest cycle's.
 *
 * <p>Why cycles: a journal that grows by every append makes each {@code fdatasync} write the file's inode too (its
 * size changed); one written over space it already holds syncs the data alone (docs/performance.md, "Session 16").
 * The price is that the bytes after the current cycle's last frame are an earlier cycle's frames, not the end of the
 * file, so a frame cut short by a crash can no longer be told from a damaged one by the file's size. The cycle's id
 * tells them apart: the frames of the current cycle are read from the start of the space while each checks under
 * its id; where they stop, the rest of the file is searched for frames that check under the same id. A crash cuts
 * short only the last frame written (each frame is synced before the next is written), so such a frame after the
 * stop means a frame before it was damaged after it was synced; {@link JournalRecovery} replays the batches past
 * the database's mark from the frames on both sides of the damage, and refuses to start when one of them is in no
 * frame it can read. An earlier cycle's frames check under another id, and a text that imitates a frame inside a
 * stored value cannot check under an id that never leaves the file.
 *
 * <p>Files of the earlier formats (frames from byte 0, each checksummed alone), left by an earlier riskgate that
 * stopped without a checkpoint, still read: a frame cut short there is one the file ends inside, and a damaged frame
 * with frames after it is refused.
 */
public final class Journal implements AutoCloseable {

    /** One write statement of a batch as it ran: its SQL and its parameters, in order. */
    public record Write(String sql, List<Object> parameters) {
        public Write {
            parameters = java.util.Collections.unmodifiableList(new ArrayList<>(parameters));
        }
    }

    /** A committed batch: its number (one more than the batch before it) and its writes in the order they ran. */
    public record Batch(long seq, List<Write> writes) {
    }

    /**
     * The frames of a journal file in order; whether its end was a frame cut short (earlier formats only: the
     * current one cannot tell a frame cut short from an earlier cycle's bytes); the byte where the frames stop; and
     * the batches in frames of the current cycle found <em>after</em> that byte, in order (see the class comment: the
     * frame where the frames stop was damaged after its sync).
     */
    public record Contents(List<Batch> batches, boolean tornTail, long end, List<Batch> strays) {
        Contents(List<Batch> batches, boolean tornTail, long end) {
            this(batches, tornTail, end, List.of());
        }
    }

    /** Bytes before the first frame of the current format: the two header slots. */
    public static final int HEADER = 1024;
    /** Bytes of the file a header slot owns; the second starts here. */
    private static final int SLOT = 512;
    /** A header slot's first four bytes ("RGJ3"); read as an earlier format's frame length, an impossible one. */
    private static final int MAGIC = 0x52474A33;
    /** A slot: magic, generation, cycle id, then the CRC-32C of those 20 bytes. */
    private static final int SLOT_BYTES = 24;
    /** A frame's head: its body's length, its cycle's id, the CRC-32C of the id and the body. */
    static final int FRAME_HEAD = 16;

    private static final int MAX_FRAME = 256 * 1024 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final java.security.SecureRandom random = new java.security.SecureRandom();
    /** The current cycle's generation, 0 until this process writes the header (its first append). */
    private long generation;
    /** The current cycle's id: every frame's checksum starts with it. */
    private long cycleId;
    /** Where the next frame goes. */
    private long position;

    private Journal(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens {@code file} for appending, creating it (owner-only) if it is not there. */
    public static Journal open(Path file) {
        try {
            if (!Files.exists(file)) {
                try {
                    Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            LocalDatabase.OWNER_FILE));
                } catch (UnsupportedOperationException noPosix) {
                    Files.createFile(file);
                }
            }
            FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
            java.nio.channels.FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException heldHere) {
                ch.close();
                throw heldHere;
            }
            if (lock == null) {
                ch.close();
                throw new IllegalStateException("the journal " + file + " is held by another process: one riskgate "
                        + "process writes a database");
            }
            return new Journal(file, ch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** The journal beside an H2 database whose path (without {@code .mv.db}) is {@code databasePath}. */
    public static Path besideDatabase(String databasePath) {
        return Path.of(databasePath + ".journal");
    }

    public Path file() {
        return file;
    }

    /** Bytes of the current cycle's frames. */
    public long size() {
        return generation == 0 ? 0 : position - HEADER;
    }

    /** Bytes of the file, whatever cycles they hold: more than zero when a process left frames behind. */
    public long fileSize() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code batch} as one frame of the current cycle and returns once it is on disk (fdatasync, which also
     * carries a header slot written since the last one). The first append of a process writes the header to an empty
     * file; it refuses a file that still holds an earlier process's frames (replay them first: JournalRecovery).
     */
    public void append(Batch batch) throws IOException {
        if (generation == 0) {
            start();
        }
        Frame frame = encodeFrame(batch, cycleId);
        ByteBuffer bytes = ByteBuffer.wrap(frame.buf, 0, frame.pos);
        long at = position;
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
        channel.force(false);
        position = at;
    }

    private void start() throws IOException {
        if (channel.size() > 0) {
            throw new IllegalStateException("the journal " + file + " holds what an earlier process wrote: it is "
                    + "replayed (JournalRecovery) and emptied before anything is written to it");
        }
        generation = 1;
        cycleId = random.nextLong();
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        header.put(slot(generation, cycleId)).position(HEADER).flip();
        long at = 0;
        while (header.hasRemaining()) {
            at += channel.write(header, at);
        }
        position = HEADER;
    }

    /**
     * Starts the next cycle over the same space: every batch in the journal is in H2's synced file. The next
     * generation and a new id go into the older slot; the next append's sync carries it to disk. Until then a crash
     * finds the older cycle, whose batches the database holds, or the new one with no frame yet: either way nothing
     * to replay.
     */
    public void rewind() throws IOException {
        if (generation == 0 || position == HEADER) {
            return; // nothing written in this cycle: it stays the current one
        }
        generation++;
        cycleId = random.nextLong();
        ByteBuffer s = ByteBuffer.wrap(slot(generation, cycleId));
        long at = generation % 2 == 1 ? 0 : SLOT;
        while (s.hasRemaining()) {
            at += channel.write(s, at);
        }
        position = HEADER;
    }

    /** Empties the file (a stop, or after a replay): every batch in it is in H2's synced file. */
    public void clear() throws IOException {
        channel.truncate(0);
        channel.force(false);
        generation = 0;
        position = 0;
    }

    private static byte[] slot(long generation, long id) {
        ByteBuffer b = ByteBuffer.allocate(SLOT_BYTES);
        b.putInt(MAGIC).putLong(generation).putLong(id);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, SLOT_BYTES - 4);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** A valid header slot: its generation and cycle id. */
    private record Cycle(long generation, long id) {
    }

    /** The slot at {@code at} of {@code all} if it is whole and checks, else null. */
    private static Cycle slotAt(byte[] all, int at) {
        return all.length >= at + SLOT_BYTES && intAt(all, at) == MAGIC ? checkedSlot(all, at) : null;
    }

    /**
     * The slot at {@code at} if its generation and id check under its checksum with the magic it must have, whatever
     * its first four bytes now hold (so a slot whose magic alone was damaged still names its cycle); else null.
     */
    private static Cycle checkedSlot(byte[] all, int at) {
        if (all.length < at + SLOT_BYTES) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(4).putInt(0, MAGIC));
        crc.update(all, at + 4, SLOT_BYTES - 8);
        return (int) crc.getValue() == intAt(all, at + SLOT_BYTES - 4)
                ? new Cycle(longAt(all, at + 4), longAt(all, at + 12)) : null;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the current cycle's frames of {@code file} (a file of an earlier format: every whole frame, refusing a
     * damaged frame with more of the file after it).
     */
    public static Contents read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 64) {
            throw damaged(file, 0, "it holds " + size + " bytes, more than a journal ever does");
        }
        byte[] all = Files.readAllBytes(file);
        // the current format begins with the first slot's magic (a torn rewrite of that slot writes the same four
        // bytes), or with zeros where a crash left the new file's first page unwritten; an earlier format's first
        // four bytes are a frame's length, never either. A first slot whose magic alone was damaged still checks.
        // (The second slot does not decide the format: in an earlier format's file its bytes are a stored value's.)
        boolean current = all.length >= 4 && (intAt(all, 0) == MAGIC || intAt(all, 0) == 0 && all.length > HEADER
                || checkedSlot(all, 0) != null);
        if (!current) {
            return readEarlierFormat(file);
        }
        Long id = cycleOf(all);
        if (id == null) {
            // neither slot checks and no whole frame follows them: the header of a new journal written in part, its
            // first frame not synced (a slot damaged after a sync would have a whole first frame after it)
            return new Contents(List.of(), true, HEADER);
        }
        List<Batch> batches = new ArrayList<>();
        int at = HEADER;
        while (true) {
            int length = frameAt(all, at, id);
            if (length < 0) {
                break;
            }
            byte[] body = java.util.Arrays.copyOfRange(all, at + FRAME_HEAD, at + FRAME_HEAD + length);
            Batch batch;
            try {
                batch = decode(body);
            } catch (IOException e) {
                throw damaged(file, at, "its checksum matches but it cannot be read: " + e.getMessage());
            }
            if (!batches.isEmpty() && batch.seq() != batches.get(batches.size() - 1).seq() + 1) {
                throw damaged(file, at, "it holds batch " + batch.seq() + " after batch "
                        + batches.get(batches.size() - 1).seq());
            }
            batches.add(batch);
            at += FRAME_HEAD + length;
        }
        List<Batch> strays = new ArrayList<>();
        for (int q = at + 1; q <= all.length - FRAME_HEAD - MIN_BODY - 4; q++) {
            int length = frameAt(all, q, id);
            if (length >= 0) {
                try {
                    strays.add(decode(java.util.Arrays.copyOfRange(all, q + FRAME_HEAD, q + FRAME_HEAD + length)));
                } catch (IOException e) {
                    throw damaged(file, q, "its checksum matches but it cannot be read: " + e.getMessage());
                }
                q += FRAME_HEAD + length - 1;
            }
        }
        return new Contents(batches, false, at, strays);
    }

    /**
     * The id of the current cycle of a file of the current format: the newest slot's, unless the first frame is whole
     * under an id neither slot holds. That frame is the newest cycle's, whose slot was lost: each cycle writes a frame
     * at the start of the space before the next cycle begins, so a whole frame there of an older cycle than the slots
     * name cannot be. Null when neither slot checks and no whole frame follows them.
     */
    private static Long cycleOf(byte[] all) {
        Cycle a = checkedSlot(all, 0);
        Cycle b = slotAt(all, SLOT);
        if (all.length >= HEADER + FRAME_HEAD) {
            long first = longAt(all, HEADER + 4);
            boolean named = a != null && a.id() == first || b != null && b.id() == first;
            if (!named && frameAt(all, HEADER, first) >= 0) {
                return first;
            }
        }
        Cycle newest = a == null ? b : b == null || a.generation() > b.generation() ? a : b;
        return newest == null ? null : newest.id();
    }

    /**
     * The body length of the frame at {@code at} of {@code all} if one of the cycle {@code id} is whole there, else
     * -1. The id in the frame's head is compared first, so that searching an earlier cycle's bytes (or a value made to
     * look like frames) costs a comparison per byte, not a checksum.
     */
    private static int frameAt(byte[] all, int at, long id) {
        if (all.length - at < FRAME_HEAD + MIN_BODY + 4 || longAt(all, at + 4) != id) {
            return -1;
        }
        int length = intAt(all, at);
        if (length < MIN_BODY + 4 || length > all.length - at - FRAME_HEAD
                || intAt(all, at + FRAME_HEAD + 8) != FORMAT_2) {
            return -1;
        }
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(8).putLong(0, id));
        crc.update(all, at + FRAME_HEAD, length);
        return (int) crc.getValue() == intAt(all, at + 12) ? length : -1;
    }

    private static int intAt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static long longAt(byte[] b, int at) {
        return (long) intAt(b, at) << 32 | (intAt(b, at + 4) & 0xffffffffL);
    }

    /** A file of the first or second format: frames from byte 0, each with the checksum of its body alone. */
    private static Contents readEarlierFormat(Path file) throws IOException {
        List<Batch> batches = new ArrayList<>();
        long size = Files.size(file);
        long at = 0;
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
            while (at < size) {
                if (size - at < 8) {
                    return new Contents(batches, true, at);
                }
                int length = in.readInt();
                int crc = in.readInt();
                if (length < MIN_BODY || length > MAX_FRAME) {
                    if (zeroFrom(file, at)) {
                        return new Contents(batches, true, at); // a tail the file system extended but never wrote
                    }
                    throw damaged(file, at, "its length " + length + " is impossible");
                }
                if (size - at - 8 < length) {
                    return new Contents(batches, true, at);
                }
                byte[] body = in.readNBytes(length);
                CRC32C check = new CRC32C();
                check.update(body);
                if ((int) check.getValue() != crc) {
                    if (at + 8 + length == size) {
                        // the last frame, written in part when the process died: never acknowledged
                        return new Contents(batches, true, at);
                    }
                    throw damaged(file, at, "its checksum does not match and " + (size - at - 8 - length)
                            + " bytes follow it");
                }
                batches.add(decode(body));
                at += 8 + length;
            }
        }
        return new Contents(batches, false, at);
    }

    /** A batch's body holds at least its number and its count of writes. */
    private static final int MIN_BODY = 12;

    /** Whether every byte of {@code file} from {@code at} on is zero. */
    private static boolean zeroFrom(Path file, long at) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            ch.position(at);
            while (ch.read(buf) > 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    if (buf.get() != 0) {
                        return false;
                    }
                }
                buf.clear();
            }
            return true;
        }
    }

    private static IOException damaged(Path file, long at, String why) {
        return new IOException("the journal " + file + " is damaged at byte " + at + ": " + why
                + "; riskgate will not start on it (restore the data directory from a backup, or move the journal "
                + "aside knowingly to lose the batches it holds)");
    }

    // ---- encoding ----

    private static final byte NULL = 0;
    private static final byte STRING = 1;
    private static final byte LONG = 2;
    private static final byte INT = 3;
    private static final byte DOUBLE = 4;
    private static final byte BOOLEAN = 5;
    private static final byte DECIMAL = 6;
    private static final byte OFFSET_TIME = 7;
    private static final byte TIMESTAMP = 8;
    private static final byte BYTES = 9;
    private static final byte INSTANT = 10;

    /** Whether {@code value} can be a recorded parameter: the types riskgate's stores bind. */
    public static boolean recordable(Object value) {
        return value == null || value instanceof String || value instanceof Long || value instanceof Integer
                || value instanceof Short || value instanceof Double || value instanceof Float
                || value instanceof Boolean || value instanceof BigDecimal || value instanceof OffsetDateTime
                || value instanceof Timestamp || value instanceof byte[] || value instanceof Instant;
    }

    /**
     * Marks a body of the second format, where the count of writes stands in the first: each write names its SQL by
     * its place in the frame's table of SQL texts (a text is written once per frame, where it is first used), and a
     * string is stored as Latin-1 bytes when it can be. A batch of a mark repeats one UPDATE a thousand times; the
     * first format wrote each as UTF-16 and took a fifth of the writer thread (MarkBenchmark, docs/performance.md).
     * Frames of the first format, left by an earlier riskgate that stopped without a checkpoint, still read.
     */
    private static final int FORMAT_2 = -2;

    /** A frame as written: its length and checksum, then its body, in {@code buf[0, pos)}. */
    static final class Frame {
        private byte[] buf;
        private int pos;

        Frame(int capacity) {
            buf = new byte[Math.max(64, capacity)];
        }

        private void room(int n) {
            if (buf.length - pos < n) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }

        void putByte(int v) {
            room(1);
            buf[pos++] = (byte) v;
        }

        void putInt(int v) {
            room(4);
            buf[pos++] = (byte) (v >>> 24);
            buf[pos++] = (byte) (v >>> 16);
            buf[pos++] = (byte) (v >>> 8);
            buf[pos++] = (byte) v;
        }

        void putLong(long v) {
            putInt((int) (v >>> 32));
            putInt((int) v);
        }

        void putBytes(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        /** Latin-1 bytes after a non-negative length, or UTF-16 code units after {@code -length - 1}. */
        void putString(String s) {
            int n = s.length();
            boolean latin1 = true;
            for (int i = 0; i < n && latin1; i++) {
                latin1 = s.charAt(i) < 256;
            }
            if (latin1) {
                putInt(n);
                putBytes(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            } else {
                putInt(-n - 1);
                room(2 * n);
                for (int i = 0; i < n; i++) {
                    char c = s.charAt(i);
                    buf[pos++] = (byte) (c >>> 8);
                    buf[pos++] = (byte) c;
                }
            }
        }

        /** The body, without the frame's length and checksum. */
        byte[] body() {
            return java.util.Arrays.copyOfRange(buf, FRAME_HEAD, pos);
        }
    }

    /** The frame of {@code batch} in cycle {@code cycleId}: length, the id, CRC-32C of the id and the body, body. */
    static Frame encodeFrame(Batch batch, long cycleId) {
        Frame out = new Frame(FRAME_HEAD + 16 + 96 * batch.writes().size());
        out.pos = FRAME_HEAD;
        out.putLong(batch.seq());
        out.putInt(FORMAT_2);
        out.putInt(batch.writes().size());
        java.util.Map<String, Integer> texts = new java.util.HashMap<>();
        for (Write w : batch.writes()) {
            Integer ref = texts.get(w.sql());
            if (ref != null) {
                out.putInt(ref);
            } else {
                out.putInt(texts.size());
                out.putString(w.sql());
                texts.put(w.sql(), texts.size());
            }
            out.putInt(w.parameters().size());
            for (Object p : w.parameters()) {
                writeValue(out, p);
            }
        }
        int length = out.pos - FRAME_HEAD;
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(8).putLong(0, cycleId));
        crc.update(out.buf, FRAME_HEAD, length);
        int end = out.pos;
        out.pos = 0;
        out.putInt(length);
        out.putLong(cycleId);
        out.putInt((int) crc.getValue());
        out.pos = end;
        return out;
    }

    /** The body of {@code batch}'s frame (second format). */
    static byte[] encode(Batch batch) {
        return encodeFrame(batch, 0).body();
    }

    /**
     * The body of {@code batch}'s frame in the first format (every SQL text and string as UTF-16), as riskgate wrote
     * it before the second: kept so that the tests show such a journal still reads.
     */
    static byte[] encodeFirstFormat(Batch batch) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 * Math.max(1, batch.writes().size()));
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeLong(batch.seq());
            out.writeInt(batch.writes().size());
            for (Write w : batch.writes()) {
                writeUtf16(out, w.sql());
                out.writeInt(w.parameters().size());
                for (Object p : w.parameters()) {
                    Frame one = new Frame(32);
                    if (p instanceof String text) {
                        out.writeByte(STRING);
                        writeUtf16(out, text);
                    } else if (p instanceof BigDecimal d) {
                        out.writeByte(DECIMAL);
                        writeUtf16(out, d.toString());
                    } else {
                        writeValue(one, p); // the other values are encoded alike in both formats
                        out.write(one.buf, 0, one.pos);
                    }
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Batch decode(byte[] body) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body));
        long seq = in.readLong();
        int first = in.readInt();
        boolean second = first == FORMAT_2;
        int count = second ? in.readInt() : first;
        if (count < 0) {
            throw new IOException("a journal frame holds an impossible count of writes " + count);
        }
        List<String> texts = new ArrayList<>();
        List<Write> writes = new ArrayList<>(Math.min(count, 1 << 16));
        for (int i = 0; i < count; i++) {
            String sql;
            if (second) {
                int ref = in.readInt();
                if (ref == texts.size()) {
                    texts.add(readString(in, true));
                } else if (ref < 0 || ref > texts.size()) {
                    throw new IOException("a journal frame names SQL text " + ref + " of " + texts.size());
                }
                sql = texts.get(ref);
            } else {
                sql = readString(in, false);
            }
            int n = in.readInt();
            if (n < 0 || n > in.available()) {
                throw new IOException("a journal frame holds an impossible count of parameters " + n);
            }
            List<Object> params = new ArrayList<>(Math.min(n, 1 << 10));
            for (int j = 0; j < n; j++) {
                try {
                    params.add(readValue(in, second));
                } catch (RuntimeException e) {
                    // a time out of range and the like: damage the checksum did not catch
                    throw new IOException("a journal frame holds a value that cannot be read: " + e, e);
                }
            }
            writes.add(new Write(sql, params));
        }
        if (in.read() != -1) {
            throw new IOException("a journal frame has bytes after its last write");
        }
        return new Batch(seq, writes);
    }

    private static void writeValue(Frame out, Object v) {
        if (v == null) {
            out.putByte(NULL);
        } else if (v instanceof String s) {
            out.putByte(STRING);
            out.putString(s);
        } else if (v instanceof Long l) {
            out.putByte(LONG);
            out.putLong(l);
        } else if (v instanceof Integer || v instanceof Short) {
            out.putByte(INT);
            out.putInt(((Number) v).intValue());
        } else if (v instanceof Double || v instanceof Float) {
            out.putByte(DOUBLE);
            out.putLong(Double.doubleToRawLongBits(((Number) v).doubleValue()));
        } else if (v instanceof Boolean b) {
            out.putByte(BOOLEAN);
            out.putByte(b ? 1 : 0);
        } else if (v instanceof BigDecimal d) {
            out.putByte(DECIMAL);
            out.putString(d.toString());
        } else if (v instanceof OffsetDateTime t) {
            out.putByte(OFFSET_TIME);
            out.putLong(t.toEpochSecond());
            out.putInt(t.getNano());
            out.putInt(t.getOffset().getTotalSeconds());
        } else if (v instanceof Timestamp t) {
            out.putByte(TIMESTAMP);
            out.putLong(t.getTime());
            out.putInt(t.getNanos());
        } else if (v instanceof byte[] b) {
            out.putByte(BYTES);
            out.putInt(b.length);
            out.putBytes(b);
        } else if (v instanceof Instant i) {
            out.putByte(INSTANT);
            out.putLong(i.getEpochSecond());
            out.putInt(i.getNano());
        } else {
            throw new IllegalArgumentException("the journal cannot record a parameter of type " + v.getClass());
        }
    }

    private static Object readValue(DataInputStream in, boolean second) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case NULL -> null;
            case STRING -> readString(in, second);
            case LONG -> in.readLong();
            case INT -> in.readInt();
            case DOUBLE -> in.readDouble();
            case BOOLEAN -> in.readBoolean();
            case DECIMAL -> {
                String text = readString(in, second);
                try {
                    yield new BigDecimal(text);
                } catch (NumberFormatException e) {
                    throw new IOException("a journal frame holds a decimal that is not one: " + text, e);
                }
            }
            case OFFSET_TIME -> {
                long seconds = in.readLong();
                int nano = in.readInt();
                ZoneOffset offset = ZoneOffset.ofTotalSeconds(in.readInt());
                yield OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds, nano), offset);
            }
            case TIMESTAMP -> {
                Timestamp t = new Timestamp(in.readLong());
                t.setNanos(in.readInt());
                yield t;
            }
            case BYTES -> {
                int n = in.readInt();
                if (n < 0 || n > in.available()) {
                    throw new EOFException("a journal frame holds " + n + " bytes where " + in.available()
                            + " are left");
                }
                yield in.readNBytes(n);
            }
            case INSTANT -> Instant.ofEpochSecond(in.readLong(), in.readInt());
            default -> throw new IOException("a journal frame holds an unknown value tag " + tag);
        };
    }

    /** As UTF-16 code units (the first format): every Java string comes back as it was, an unpaired surrogate too. */
    private static void writeUtf16(DataOutputStream out, String s) throws IOException {
        out.writeInt(s.length());
        out.writeChars(s);
    }

    /** A string of the second format ({@link Frame#putString}) or of the first ({@link #writeUtf16}). */
    private static String readString(DataInputStream in, boolean second) throws IOException {
        int n = in.readInt();
        if (second && n >= 0) {
            if (n > in.available()) {
                throw new EOFException("impossible string length " + n);
            }
            byte[] latin1 = in.readNBytes(n);
            if (latin1.length != n) {
                throw new EOFException("a string of " + n + " bytes cut short at " + latin1.length);
            }
            return new String(latin1, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        if (second) {
            n = -(n + 1);
        }
        if (n < 0 || n > in.available() / 2) {
            throw new EOFException("impossible string length " + n);
        }
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = in.readChar();
        }
        return new String(c);
    }
}
