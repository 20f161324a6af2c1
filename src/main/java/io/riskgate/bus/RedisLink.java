package io.riskgate.bus;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * One connection to Redis for the bus, outbound and inbound: {@code url} is a Redis URI ({@code rediss://} for TLS,
 * the user and password in it); a TLS server's certificate is verified against {@code caCertificate} (PEM) when
 * given, else the JVM's trust store. Each command has at most {@code timeout}. After a failure the caller drops the
 * connection ({@link #reset}) and the next use opens a new one, on the caller's own back-off: recovery does not wait
 * on the client's reconnection schedule, which backs off up to 30 s.
 */
public final class RedisLink implements AutoCloseable {

    private final RedisClient client;
    private volatile StatefulRedisConnection<String, String> connection;

    public RedisLink(String url, Optional<Path> caCertificate, Duration timeout) {
        this.client = client(url, caCertificate, timeout);
    }

    /** A client as the bus's, for tests and tools that read what the bus wrote. */
    public static RedisClient client(String url, Optional<Path> caCertificate, Duration timeout) {
        RedisURI uri;
        try {
            uri = RedisURI.create(url);
        } catch (RuntimeException e) {
            // the parser's message quotes the whole URI, password included: not into a log
            throw new IllegalArgumentException("riskgate.bus.redis.url is not a valid Redis URI: percent-encode the "
                    + "user and password (a space is %20, # is %23, / is %2F, % is %25)");
        }
        RedisClient client = RedisClient.create(uri);
        ClientOptions.Builder options = ClientOptions.builder().autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout));
        caCertificate.ifPresent(ca -> options.sslOptions(SslOptions.builder().trustManager(ca.toFile()).build()));
        client.setOptions(options.build());
        return client;
    }

    /** The connection, opened (again) when there is none. */
    public StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null || !c.isOpen()) {
            c = client.connect();
            connection = c;
        }
        return c;
    }

    /** Drops the connection after a failure: the next use opens a new one. */
    public void reset() {
        StatefulRedisConnection<String, String> c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException alreadyBroken) {
                // nothing to release
            }
        }
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    /** Sleeps, keeping an interruption for the caller's loop to see. */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
