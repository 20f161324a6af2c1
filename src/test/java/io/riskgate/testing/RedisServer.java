package io.riskgate.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Redis server for the bus's tests (issue 17): Debian's {@code redis-server}, which {@code .ci/run} installs,
 * started on a free loopback port with a data directory of its own and an append-only file synced at every write
 * ({@code appendfsync always}), so that a Redis killed and restarted keeps every entry it acknowledged, as the bus's
 * documentation asks of a production Redis. Without the binary the test is skipped, or fails under
 * {@code RISKGATE_REQUIRE_REDIS=1} (set by {@code .ci/run}).
 */
public final class RedisServer implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final Path dir;
    private final int port;
    private Process process;

    private RedisServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts a server keeping its data in {@code dir}. */
    public static RedisServer start(Path dir) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            if ("1".equals(System.getenv("RISKGATE_REQUIRE_REDIS"))) {
                throw new IllegalStateException(BINARY + " is missing: .ci/run installs Debian's redis-server");
            }
            Assumptions.abort(BINARY + " is not installed (Debian's redis-server)");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.createDirectories(dir);
        RedisServer r = new RedisServer(dir, port);
        r.startProcess();
        return r;
    }

    private void startProcess() throws IOException, InterruptedException {
        process = new ProcessBuilder(List.of(BINARY.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", "",
                "--daemonize", "no", "--protected-mode", "yes"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("redis-server did not listen on " + port);
    }

    /** The URI a client connects with. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Kills the server (SIGKILL: no shutdown, no last save). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts it again on the same port and data. */
    public void restart() throws IOException, InterruptedException {
        startProcess();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            kill();
        }
    }
}
