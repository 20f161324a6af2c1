package io.riskgate.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A decision's JSON as stored since V26: its UTF-8 bytes compressed with DEFLATE (raw, RFC 1951, the fastest level),
 * about half the size of the text (a 2,100-byte decision in about 1,040 bytes, 14 µs to pack and 5 µs to unpack on the
 * development machine). The JDK's own {@code java.util.zip}: nothing to add for it, and any zlib reads it.
 */
final class PackedJson {

    private static final ThreadLocal<Deflater> DEFLATERS =
            ThreadLocal.withInitial(() -> new Deflater(Deflater.BEST_SPEED, true));
    private static final ThreadLocal<Inflater> INFLATERS = ThreadLocal.withInitial(() -> new Inflater(true));

    private PackedJson() {
    }

    static byte[] pack(String json) {
        Deflater d = DEFLATERS.get();
        d.reset();
        d.setInput(json.getBytes(StandardCharsets.UTF_8));
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length() / 2 + 64);
        byte[] buffer = new byte[4096];
        while (!d.finished()) {
            out.write(buffer, 0, d.deflate(buffer));
        }
        return out.toByteArray();
    }

    /**
     * The most a packed text may unpack to: the text column's own bound before V26. A decision's JSON is about 2 KB;
     * bytes that would unpack to more were not written by riskgate (a decompression bomb stored with SQL would
     * otherwise take the service's memory).
     */
    static final int MAX_TEXT = 1_000_000;

    /**
     * The text packed in {@code packed}; an {@link IllegalArgumentException} when the bytes are not exactly one packed
     * text (damaged, cut short, followed by other bytes) or unpack to more than {@link #MAX_TEXT} bytes.
     */
    static String unpack(byte[] packed) {
        Inflater f = INFLATERS.get();
        f.reset();
        f.setInput(packed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(MAX_TEXT, packed.length * 3));
        byte[] buffer = new byte[8192];
        try {
            while (!f.finished()) {
                int n = f.inflate(buffer);
                if (n == 0 && (f.needsInput() || f.needsDictionary())) {
                    throw new IllegalArgumentException("the packed text ends before its end mark");
                }
                if (out.size() + n > MAX_TEXT) {
                    throw new IllegalArgumentException("the packed text unpacks to more than " + MAX_TEXT + " bytes");
                }
                out.write(buffer, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not a packed text: " + e.getMessage(), e);
        }
        if (f.getRemaining() != 0) {
            throw new IllegalArgumentException(f.getRemaining() + " bytes follow the packed text");
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
