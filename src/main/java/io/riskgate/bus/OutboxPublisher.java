package io.riskgate.bus;

import io.riskgate.database.Outbox;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox's events to a transport (Redis Streams, Kafka topics), in the order they committed, from one
 * thread nothing on the pre-trade path waits for: a batch at a time, marked published in the outbox once the
 * transport has it. While the transport cannot be reached the events wait in the outbox and the publisher tries
 * again after a pause that doubles from 50 ms up to {@code maxBackoff}; the log says so once per outage.
 */
public abstract class OutboxPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxPublisher.class);

    private final Outbox outbox;
    private final String transport;
    private final int batch;
    private final Duration maxBackoff;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile String lastError;

    protected OutboxPublisher(Outbox outbox, String transport, int batch, Duration maxBackoff) {
        this.outbox = outbox;
        this.transport = transport;
        this.batch = batch;
        this.maxBackoff = maxBackoff;
        this.thread = new Thread(this::run, "riskgate-bus");
        thread.setDaemon(true);
    }

    /**
     * Sends {@code events} and returns once the transport holds every one of them; returns how many it already
     * held (sent before a crash let the outbox know). Throws when any could not be sent: none is then marked.
     */
    protected abstract int send(List<Outbox.Event> events);

    /** Releases the transport's connections. */
    protected abstract void closeTransport();

    /** After a failed attempt: drop what may be broken, so that the next attempt starts afresh. */
    protected void failed() {
    }

    /** Starts sending; the outbox takes events from now on. */
    public OutboxPublisher start() {
        outbox.enable();
        thread.start();
        return this;
    }

    private void run() {
        Backoff.loop(() -> closed, maxBackoff.toMillis(), () -> {
            if (publishOnce() == 0) {
                RedisLink.pause(50);
            }
        }, () -> {
            if (!connected) {
                LOG.info("bus: {} reached; events flow again", transport);
            }
            connected = true;
            lastError = null;
        }, e -> {
            if (connected || lastError == null) {
                LOG.error("bus: cannot send to {} ({}); events wait in the outbox (backlog {}) and the bus "
                        + "tries again", transport, e.toString(), backlogOrUnknown());
            } else if (!e.toString().equals(lastError)) {
                LOG.warn("bus: still cannot send to {}: {}", transport, e.toString());
            }
            connected = false;
            lastError = e.toString();
            failed();
        });
    }

    /**
     * Sends the oldest unpublished events, one batch, and marks them published in the outbox; returns how many.
     * Public for tests that drive the publisher step by step.
     */
    public int publishOnce() {
        List<Outbox.Event> events = outbox.unpublished(batch);
        if (events.isEmpty()) {
            return 0;
        }
        int held = send(events);
        duplicates.addAndGet(held);
        sent.addAndGet(events.size() - held);
        outbox.published(events);
        return events.size();
    }

    private String backlogOrUnknown() {
        try {
            return String.valueOf(outbox.backlog());
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    /** Whether the last attempt reached the transport. */
    public boolean connected() {
        return connected;
    }

    /** Why the last attempt failed, or null. */
    public String lastError() {
        return lastError;
    }

    /** Events sent since the start. */
    public long sent() {
        return sent.get();
    }

    /** Events the transport already had (sent before a crash let the outbox know). */
    public long duplicates() {
        return duplicates.get();
    }

    /** Where the events go, for health and logs: {@code riskgate:*}, {@code riskgate.*}. */
    public abstract String destination();

    @Override
    public void close() {
        closed = true;
        Backoff.stop(thread);
        closeTransport();
    }
}
