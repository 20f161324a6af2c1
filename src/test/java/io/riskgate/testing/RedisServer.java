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
    private final boolean tls;
    private Process process;

    private RedisServer(Path dir, int port, boolean tls) {
        this.dir = dir;
        this.port = port;
        this.tls = tls;
    }

    /** The TLS server's user and password (an ACL user; the default user is off). */
    public static final String USER = "riskgate";
    public static final String PASSWORD = "s3cret-bus-password";

    /**
     * A server that speaks only TLS, with a certificate for 127.0.0.1 signed by a CA made for it ({@link #ca()}), and
     * only the user {@link #USER} with {@link #PASSWORD}. The certificates are made with Debian's openssl.
     */
    public static RedisServer startTls(Path dir) throws IOException, InterruptedException {
        return start(dir, true);
    }

    /** Starts a server keeping its data in {@code dir}. */
    public static RedisServer start(Path dir) throws IOException, InterruptedException {
        return start(dir, false);
    }

    private static RedisServer start(Path dir, boolean tls) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            if ("1".equals(System.getenv("RISKGATE_REQUIRE_REDIS"))) {
                throw new IllegalStateException(BINARY + " is missing: .ci/run installs Debian's redis-server");
            }
            Assumptions.abort(BINARY + " is not installed (Debian's redis-server)");
        }
        Files.createDirectories(dir);
        // a free port is free when asked, not always when redis-server binds it (the other test JVM starts servers
        // too): a server that could not bind is started again on another port
        for (int attempt = 1; ; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            RedisServer r = new RedisServer(dir, port, tls);
            if (tls && !Files.exists(r.ca())) {
                r.certificates();
            }
            try {
                r.startProcess();
                return r;
            } catch (IllegalStateException exited) {
                if (attempt == 3) {
                    throw exited;
                }
            }
        }
    }

    private void certificates() throws IOException, InterruptedException {
        Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=IP:127.0.0.1\n");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
                "-subj", "/CN=riskgate-test-ca");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj",
                "/CN=127.0.0.1");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                "server.crt", "-days", "2", "-extfile", "ext.cnf");
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + cmd + " failed: " + Files.readString(dir.resolve("openssl.log")));
        }
    }

    /** The PEM certificate of the CA that signed a TLS server's certificate. */
    public Path ca() {
        return dir.resolve("ca.crt");
    }

    private void startProcess() throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(BINARY.toString(), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", "",
                "--daemonize", "no", "--protected-mode", "yes"));
        if (tls) {
            cmd.addAll(List.of("--port", "0", "--tls-port", String.valueOf(port), "--tls-cert-file",
                    dir.resolve("server.crt").toString(), "--tls-key-file", dir.resolve("server.key").toString(),
                    "--tls-ca-cert-file", ca().toString(), "--tls-auth-clients", "no",
                    "--user", USER, "on", ">" + PASSWORD, "~*", "&*", "+@all", "--user", "default", "off"));
        } else {
            cmd.addAll(List.of("--port", String.valueOf(port)));
        }
        process = new ProcessBuilder(cmd)
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
        return tls ? "rediss://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port : "redis://127.0.0.1:" + port;
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
