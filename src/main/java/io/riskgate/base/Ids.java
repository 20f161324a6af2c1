package io.riskgate.base;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Identifiers of the records riskgate creates (decisions, trades, instructions): UUIDs of version 7 (RFC 9562),
 * whose first 48 bits are the milliseconds of their creation and the next 12 a counter, so that ids created later
 * sort later. The stores index them: a new id goes to the end of its index instead of a random page, which is what
 * keeps the database's writes (and its file while open) proportional to what was added. The remaining 62 bits come
 * from {@link SecureRandom}, so an id is no easier to guess than a random UUID's half; no permission rests on
 * knowing one.
 *
 * <p>The milliseconds are the machine's, not the event's: an id says when the record was made, which a replay of
 * history also does anew; no decision reads it.
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** The last (milliseconds << 12 | counter) given: never repeats, never goes back if the clock does. */
    private static final AtomicLong LAST = new AtomicLong();

    private Ids() {
    }

    /** A new time-ordered id, as its 36-character text. */
    public static String next() {
        long now = System.currentTimeMillis() << 12;
        long stamp = LAST.updateAndGet(last -> Math.max(last + 1, now));
        long millis = stamp >>> 12;
        long counter = stamp & 0xFFF;
        long high = (millis << 16) | 0x7000L | counter;
        long low = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }
}
