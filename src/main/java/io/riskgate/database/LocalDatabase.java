package io.riskgate.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.AbstractDataSource;

/**
 * An H2 database in local files, kept to its owner: the service's ({@code ./data/riskgate}) and the CLI's
 * ({@code ./data/riskgate-cli}) go through here before their first connection.
 *
 * <ul>
 *   <li>No network: a URL with {@code AUTO_SERVER=TRUE} (an H2 server on every interface, its key in a lock file)
 *       is refused. A TCP server for tools is only started on request ({@link #startTcpServer}), on loopback.</li>
 *   <li>A password even when none is configured: with an empty password, a random one is generated on first use
 *       and kept in {@value #SECRET_FILE} beside the database (one secret per data directory). A database created
 *       before, with the empty password, is opened with it once and given the generated one
 *       ({@code ALTER USER ... SET PASSWORD}).</li>
 *   <li>Owner-only files: the directory riskgate creates for the database is {@code rwx------}, the database files
 *       and the secret {@code rw-------} (where the file system has POSIX permissions; a warning otherwise).</li>
 * </ul>
 */
public final class LocalDatabase {

    /** The generated password's file, in the database's directory. */
    public static final String SECRET_FILE = "db.secret";

    static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Pattern AUTO_SERVER = Pattern.compile("(?i);\\s*AUTO_SERVER\\s*=\\s*TRUE");
    private static final Pattern IF_EXISTS = Pattern.compile("(?i);\\s*IFEXISTS\\s*=\\s*TRUE");
    private static final Pattern USER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    private static final SecureRandom SECURE_RANDOM = new SecureRandom();
    private static final Logger log = LoggerFactory.getLogger(LocalDatabase.class);

    private final String url;
    private final Path dir;
    private final String name;

    private LocalDatabase(String url, Path dir, String name) {
        this.url = url;
        this.dir = dir;
        this.name = name;
    }

    /** Parsed statements H2 keeps per connection ({@link #tuned}); H2's default is 8. */
    static final int QUERY_CACHE_SIZE = 64;

    /**
     * {@code url} with H2's cache of parsed statements per connection raised to {@value #QUERY_CACHE_SIZE}, unless
     * the URL sets it: a check's unit runs more distinct statements than H2's default 8 holds, so each one was parsed
     * again on every use (15 % of the group commit writer's CPU in a profile). Any other URL is returned as it is.
     */
    public static String tuned(String url) {
        if (url == null || !url.startsWith("jdbc:h2:") || url.toUpperCase(java.util.Locale.ROOT)
                .contains(";QUERY_CACHE_SIZE=")) {
            return url;
        }
        return url + ";QUERY_CACHE_SIZE=" + QUERY_CACHE_SIZE;
    }

    /**
     * The local database a JDBC URL names ({@code jdbc:h2:file:PATH} or {@code jdbc:h2:PATH}); empty for an
     * in-memory, remote ({@code tcp:}, {@code ssl:}) or non-H2 URL, which have no files here to protect.
     */
    public static Optional<LocalDatabase> of(String url) {
        if (url == null || !url.startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        String rest = url.substring("jdbc:h2:".length());
        int settings = rest.indexOf(';');
        String path = settings < 0 ? rest : rest.substring(0, settings);
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        } else if (path.matches("[A-Za-z]{2,}:.*")) {
            return Optional.empty(); // mem:, tcp:, ssl:, zip:, ... (a drive letter C: is a path)
        }
        if (path.isEmpty()) {
            return Optional.empty();
        }
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        Path file = Path.of(path).toAbsolutePath().normalize();
        return Optional.of(new LocalDatabase(url, file.getParent(), file.getFileName().toString()));
    }

    /**
     * Makes a database ready for {@code user} and returns the password to connect with: {@code password} when one
     * is configured, else the one kept in {@value #SECRET_FILE} (generated now if there is none). Creates the
     * database directory owner-only, opens the database once (creating it, or setting the generated password on
     * one that had none) and makes its files owner-only. A URL without local files is returned untouched; one with
     * {@code AUTO_SERVER=TRUE} is refused.
     *
     * @throws IllegalStateException when the database cannot be opened with the configured password, or with
     *         neither the kept one nor the empty one
     */
    public static String prepare(String url, String user, String password) {
        if (url != null && AUTO_SERVER.matcher(url).find()) {
            throw new IllegalStateException("the database URL " + url + " has AUTO_SERVER=TRUE, which opens an H2 "
                    + "server on every network interface: remove it (for tools, see riskgate.database.tcp-server "
                    + "in docs/operations.md)");
        }
        Optional<LocalDatabase> db = of(url);
        String configured = password == null ? "" : password;
        return db.isEmpty() ? configured : db.get().open(user == null || user.isEmpty() ? "sa" : user, configured);
    }

    /**
     * A data source for a command-line tool: like {@link #prepare} at its first connection, with the user and
     * (empty) password riskgate's CLI uses.
     */
    public static DataSource dataSource(String url, String user) {
        return new PreparedDataSource(url, user);
    }

    public Path directory() {
        return dir;
    }

    /** The database's main file, {@code NAME.mv.db}. */
    public Path file() {
        return dir.resolve(name + ".mv.db");
    }

    /** The group commit's journal beside the database file ({@link Journal#besideDatabase}). */
    public Path journalFile() {
        return Journal.besideDatabase(dir.resolve(name).toString());
    }

    public Path secretFile() {
        return dir.resolve(SECRET_FILE);
    }

    private String open(String user, String configured) {
        boolean ifExists = IF_EXISTS.matcher(url).find();
        if (ifExists && !Files.exists(file())) {
            // a tool asked not to create it: its connection fails on its own, and nothing is written here
            return configured;
        }
        privateDirectory();
        String password = configured.isEmpty() ? keptPassword(user) : configured;
        try (Connection ignored = connect(user, password)) {
            restrictFiles();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the database " + url + ": " + e.getMessage(), e);
        }
        return password;
    }

    /** The password in the secret file, set on the database; generated when there is no file yet. */
    private String keptPassword(String user) {
        boolean exists = Files.exists(file());
        Path secretFile = secretFile();
        try {
            if (Files.exists(secretFile)) {
                String secret = readSecret(secretFile);
                if (!exists || opens(user, secret)) {
                    return secret;
                }
                // a database created before the secret, with the empty password (or after a crash before the
                // password was set): the secret becomes its password
                setPassword(user, secret);
                return secret;
            }
            String secret = HexFormat.of().formatHex(random32());
            if (exists) {
                // prove the empty password opens it before anything is written
                try (Connection ignored = connect(user, "")) {
                    writeSecret(secretFile, secret);
                }
                setPassword(user, secret);
            } else {
                writeSecret(secretFile, secret);
            }
            return secret;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the database " + url + " as " + user + " with the password "
                    + "kept in " + secretFile + " nor with an empty one: set spring.datasource.password (--db tools: "
                    + "restore " + secretFile + "): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the database password in " + secretFile, e);
        }
    }

    private static byte[] random32() {
        byte[] b = new byte[32];
        SECURE_RANDOM.nextBytes(b);
        return b;
    }

    private boolean opens(String user, String password) throws SQLException {
        try (Connection ignored = connect(user, password)) {
            return true;
        } catch (SQLException e) {
            if (e.getErrorCode() == ErrorCode.WRONG_USER_OR_PASSWORD) {
                return false;
            }
            throw e;
        }
    }

    private void setPassword(String user, String secret) throws SQLException {
        if (!USER.matcher(user).matches()) {
            throw new SQLException("cannot set a password for the user name '" + user + "'");
        }
        try (Connection c = connect(user, ""); Statement s = c.createStatement()) {
            // the secret is hex: safe inside the quotes
            s.execute("ALTER USER " + user + " SET PASSWORD '" + secret + "'");
        }
        log.info("database {}: the empty password of user {} was replaced by the one kept in {}", file(), user,
                secretFile());
    }

    private Connection connect(String user, String password) throws SQLException {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        ds.setUser(user);
        ds.setPassword(password);
        return ds.getConnection();
    }

    // ---- file permissions

    /** Whether the file system the directory is (or will be) on has POSIX permissions. */
    private boolean posix() {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing != null && Files.getFileStore(existing)
                    .supportsFileAttributeView(PosixFileAttributeView.class);
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates the directory owner-only; warns when an existing one is open to others. */
    private void privateDirectory() {
        try {
            if (!Files.exists(dir)) {
                if (posix()) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
                    // the umask may have taken bits away, never added any; set exactly
                    Files.setPosixFilePermissions(dir, OWNER_DIR);
                } else {
                    Files.createDirectories(dir);
                    log.warn("database directory {}: the file system has no POSIX permissions; make it readable by "
                            + "riskgate's user only", dir);
                }
            } else if (posix()) {
                Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir);
                if (p.stream().anyMatch(x -> !x.name().startsWith("OWNER_"))) {
                    log.warn("database directory {} is open to other users ({}): chmod 700 it, or move the database "
                            + "to a directory of its own", dir, PosixFilePermissions.toString(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the database directory " + dir, e);
        }
    }

    /** The database's files ({@code NAME.*}) and the secret: owner read and write only. */
    public void restrictFiles() {
        if (!posix()) {
            log.warn("database {}: the file system has no POSIX permissions; its files keep the ones it gives",
                    file());
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(name + ".")
                    || f.getFileName().toString().equals(SECRET_FILE)).toList()) {
                if (Files.isRegularFile(f) && !Files.getPosixFilePermissions(f).equals(OWNER_FILE)) {
                    Files.setPosixFilePermissions(f, OWNER_FILE);
                }
            }
        } catch (IOException e) {
            log.warn("database {}: could not make its files owner-only: {}", file(), e.toString());
        }
    }

    private String readSecret(Path secretFile) throws IOException {
        if (posix() && !Files.getPosixFilePermissions(secretFile).equals(OWNER_FILE)) {
            log.warn("{} was readable by others ({}): made owner-only", secretFile,
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile)));
            Files.setPosixFilePermissions(secretFile, OWNER_FILE);
        }
        String secret = Files.readString(secretFile, StandardCharsets.US_ASCII).strip();
        if (!secret.matches("[0-9a-f]{32,128}")) {
            throw new IOException(secretFile + " does not hold a password riskgate generated (hex)");
        }
        return secret;
    }

    /** Writes the secret owner-only from its first byte: a temporary file with the permissions, then a rename. */
    private void writeSecret(Path secretFile, String secret) throws IOException {
        Path tmp = secretFile.resolveSibling(SECRET_FILE + ".tmp");
        Files.deleteIfExists(tmp);
        if (posix()) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        } else {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, secret + "\n", StandardCharsets.US_ASCII);
        try {
            Files.move(tmp, secretFile, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, secretFile, StandardCopyOption.REPLACE_EXISTING);
        }
        log.info("database {}: generated its password, kept in {} (owner-only)", file(), secretFile);
    }

    // ---- a TCP server for tools, on request only

    /**
     * Makes every H2 server socket of this JVM listen on loopback only ({@code h2.bindAddress}). H2 reads the
     * setting once, when it first starts: call this before any database is opened.
     */
    public static void loopbackOnly() {
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
    }

    /**
     * Starts an H2 TCP server for tools on {@code port}, serving only existing databases of this directory
     * ({@code jdbc:h2:tcp://127.0.0.1:PORT/NAME}, user and password as the service's), listening on loopback only
     * and accepting connections from this machine only.
     *
     * @throws IllegalStateException when H2 would listen elsewhere than loopback (it was started before
     *         {@link #loopbackOnly()}: start the JVM with {@code -Dh2.bindAddress=127.0.0.1})
     */
    public Server startTcpServer(int port) {
        String bind = org.h2.engine.SysProperties.BIND_ADDRESS;
        try {
            if (bind == null || !InetAddress.getByName(bind).isLoopbackAddress()) {
                throw new IllegalStateException("the H2 TCP server would listen on " + (bind == null
                        ? "every interface" : bind) + ", not loopback only: start the JVM with "
                        + "-Dh2.bindAddress=127.0.0.1");
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("h2.bindAddress " + bind + " is not an address", e);
        }
        try {
            // the management password (to stop it remotely) is random and never kept: it stops with the service
            Server server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-baseDir", dir.toString(),
                    "-ifExists", "-tcpDaemon", "-tcpPassword", HexFormat.of().formatHex(random32()));
            server.start();
            log.info("H2 TCP server for tools on {}:{}, databases of {} only", bind, server.getPort(), dir);
            return server;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start the H2 TCP server on port " + port + ": " + e.getMessage(),
                    e);
        }
    }

    /** A data source that makes its database ready ({@link #prepare}) at its first connection. */
    private static final class PreparedDataSource extends AbstractDataSource {

        private final JdbcDataSource h2 = new JdbcDataSource();
        private volatile boolean prepared;

        PreparedDataSource(String url, String user) {
            h2.setURL(url);
            h2.setUser(user);
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (!prepared) {
                synchronized (this) {
                    if (!prepared) {
                        h2.setPassword(prepare(h2.getURL(), h2.getUser(), ""));
                        prepared = true;
                    }
                }
            }
            return h2.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return h2.getConnection(username, password);
        }
    }

    @Override
    public String toString() {
        return file().toString();
    }
}
