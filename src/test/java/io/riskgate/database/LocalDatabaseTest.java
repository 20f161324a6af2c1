package io.riskgate.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.Server;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link LocalDatabase} over real H2 file databases in a temporary directory: a new database gets an owner-only
 * directory and files and a generated password kept in db.secret (0600); an old one created with the empty
 * password is opened and given it; AUTO_SERVER is refused; the TCP server for tools listens on loopback only.
 */
class LocalDatabaseTest {

    @TempDir
    Path tmp;

    Path dir;
    String url;

    @BeforeEach
    void paths() {
        dir = tmp.resolve("data");
        url = "jdbc:h2:file:" + dir.resolve("riskgate");
    }

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static Connection connect(String url, String password) throws SQLException {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        ds.setUser("sa");
        ds.setPassword(password);
        return ds.getConnection();
    }

    private static void assertWrongPassword(String url, String password) {
        assertThatThrownBy(() -> connect(url, password).close()).isInstanceOf(SQLException.class)
                .hasMessageContaining("Wrong user name or password");
    }

    /** An H2 database as riskgate created them before: user sa, empty password, one row in a table. */
    private void oldDatabaseWithEmptyPassword() throws SQLException, IOException {
        Files.createDirectories(dir);
        try (Connection c = connect(url, ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept(x INT)");
            s.execute("INSERT INTO kept VALUES (42)");
        }
    }

    private static int kept(String url, String password) throws SQLException {
        try (Connection c = connect(url, password)) {
            var rs = c.createStatement().executeQuery("SELECT x FROM kept");
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * The service's connections keep 64 parsed statements each instead of H2's 8: a check's unit runs more than 8
     * distinct statements, which H2 otherwise parses again at every use. A URL that sets its own size keeps it.
     */
    @Test
    void theServiceUrlKeepsMoreParsedStatementsThanH2sDefault() throws Exception {
        String password = LocalDatabase.prepare(url, "sa", "");
        assertThat(queryCacheSize(LocalDatabase.tuned(url), password)).isEqualTo("64");
        assertThat(queryCacheSize(url, password)).as("H2's own default, for contrast").isEqualTo("8");
        assertThat(LocalDatabase.tuned("jdbc:h2:file:/x/db;query_cache_size=16"))
                .isEqualTo("jdbc:h2:file:/x/db;query_cache_size=16");
        assertThat(LocalDatabase.tuned("jdbc:postgresql://db/riskgate")).isEqualTo("jdbc:postgresql://db/riskgate");
        assertThat(LocalDatabase.tuned("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x;QUERY_CACHE_SIZE=64");
    }

    /** The parsed statements H2 keeps per connection, as a connection to {@code url} reports it. */
    private static String queryCacheSize(String url, String password) throws SQLException {
        try (Connection c = connect(url, password); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                     + "WHERE SETTING_NAME = 'QUERY_CACHE_SIZE'")) {
            assertThat(rs.next()).as("H2 lists QUERY_CACHE_SIZE among its settings").isTrue();
            return rs.getString(1);
        }
    }

    @Test
    void aNewDatabaseGetsAnOwnerOnlyDirectoryAndFilesAndAGeneratedPasswordInDbSecret() throws Exception {
        String password = LocalDatabase.prepare(url, "sa", "");

        assertThat(password).matches("[0-9a-f]{64}");
        assertThat(perms(dir)).isEqualTo("rwx------");
        Path secret = dir.resolve("db.secret");
        assertThat(Files.readString(secret).strip()).isEqualTo(password);
        assertThat(perms(secret)).isEqualTo("rw-------");
        assertThat(perms(dir.resolve("riskgate.mv.db"))).isEqualTo("rw-------");
        // an H2 trace file would hold the error H2 met (seen once in CI under load): shown if the check fails
        assertThat(names(dir)).as(() -> trace(dir)).containsExactlyInAnyOrder("db.secret", "riskgate.mv.db");
        connect(url, password).close();
        assertWrongPassword(url, "");
    }

    @Test
    void aSecondStartReadsTheSamePasswordAndTightensFilesOthersCouldRead() throws Exception {
        String first = LocalDatabase.prepare(url, "sa", "");
        Files.setPosixFilePermissions(dir.resolve("riskgate.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir.resolve("db.secret"), PosixFilePermissions.fromString("rw-r--r--"));

        String second = LocalDatabase.prepare(url, "sa", "");

        assertThat(second).isEqualTo(first);
        assertThat(perms(dir.resolve("riskgate.mv.db"))).isEqualTo("rw-------");
        assertThat(perms(dir.resolve("db.secret"))).isEqualTo("rw-------");
    }

    @Test
    void anOldDatabaseWithTheEmptyPasswordIsOpenedAndGivenTheGeneratedOne() throws Exception {
        oldDatabaseWithEmptyPassword();

        String password = LocalDatabase.prepare(url, "sa", "");

        assertThat(kept(url, password)).isEqualTo(42);
        assertWrongPassword(url, "");
        assertThat(Files.readString(dir.resolve("db.secret")).strip()).isEqualTo(password);
        assertThat(perms(dir.resolve("riskgate.mv.db"))).isEqualTo("rw-------");
    }

    @Test
    void aSecretWrittenBeforeACrashIsSetOnTheOldDatabaseAtTheNextStart() throws Exception {
        // the secret was kept, the process died before ALTER USER: the database still has the empty password
        oldDatabaseWithEmptyPassword();
        String secret = "ab".repeat(32);
        Files.writeString(dir.resolve("db.secret"), secret + "\n");

        assertThat(LocalDatabase.prepare(url, "sa", "")).isEqualTo(secret);
        assertThat(kept(url, secret)).isEqualTo(42);
        assertWrongPassword(url, "");
    }

    @Test
    void theCliDatabaseBesideTheServicesSharesItsSecret() throws Exception {
        String service = LocalDatabase.prepare(url, "sa", "");
        String cliUrl = "jdbc:h2:file:" + dir.resolve("riskgate-cli");

        String cli = LocalDatabase.prepare(cliUrl, "sa", "");

        assertThat(cli).isEqualTo(service);
        assertThat(perms(dir.resolve("riskgate-cli.mv.db"))).isEqualTo("rw-------");
        // and the data source the CLI uses opens it with that password
        assertThat(new JdbcTemplate(LocalDatabase.dataSource(cliUrl, "sa")).queryForObject("SELECT 1", Integer.class))
                .isEqualTo(1);
    }

    @Test
    void aConfiguredPasswordIsUsedAsItIsAndNoSecretIsKept() throws Exception {
        assertThat(LocalDatabase.prepare(url, "sa", "chosen-by-the-operator")).isEqualTo("chosen-by-the-operator");

        assertThat(dir.resolve("db.secret")).doesNotExist();
        assertThat(perms(dir.resolve("riskgate.mv.db"))).isEqualTo("rw-------");
        connect(url, "chosen-by-the-operator").close();
    }

    @Test
    void aDatabaseThatOpensWithNeitherTheSecretNorTheEmptyPasswordIsRefusedNamingTheSecretFile() throws Exception {
        Files.createDirectories(dir);
        connect(url, "someone-elses").close();
        Files.writeString(dir.resolve("db.secret"), "cd".repeat(32));

        assertThatThrownBy(() -> LocalDatabase.prepare(url, "sa", "")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("db.secret").hasMessageContaining("spring.datasource.password");
    }

    @Test
    void autoServerIsRefused() {
        assertThatThrownBy(() -> LocalDatabase.prepare(url + ";AUTO_SERVER=TRUE", "sa", ""))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("AUTO_SERVER=TRUE");
        assertThatThrownBy(() -> LocalDatabase.prepare(url + ";auto_server = true;DB_CLOSE_DELAY=-1", "sa", ""))
                .isInstanceOf(IllegalStateException.class);
        assertThat(dir).doesNotExist();
    }

    @Test
    void inMemoryAndRemoteUrlsAreLeftAlone() {
        assertThat(LocalDatabase.of("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1")).isEmpty();
        assertThat(LocalDatabase.of("jdbc:h2:tcp://localhost:9092/riskgate")).isEmpty();
        assertThat(LocalDatabase.prepare("jdbc:h2:mem:local-db-test", "sa", "")).isEmpty();
        Optional<LocalDatabase> implicit = LocalDatabase.of("jdbc:h2:" + dir.resolve("riskgate") + ";MODE=Regular");
        assertThat(implicit).map(LocalDatabase::file).hasValue(dir.resolve("riskgate.mv.db"));
    }

    @Test
    void aToolAskingForAnExistingDatabaseCreatesNothing() {
        String ifExists = url + ";IFEXISTS=TRUE";

        assertThatThrownBy(() -> new JdbcTemplate(LocalDatabase.dataSource(ifExists, "sa"))
                .queryForObject("SELECT 1", Integer.class)).rootCause().hasMessageContaining("not found");
        assertThat(dir).doesNotExist();
    }

    @Test
    void theTcpServerForToolsListensOnLoopbackOnlyAndNeedsThePassword() throws Exception {
        // surefire starts the JVM with h2.bindAddress=127.0.0.1, as LocalDatabase.loopbackOnly() does in the service
        assertThat(org.h2.engine.SysProperties.BIND_ADDRESS).isEqualTo("127.0.0.1");
        String password = LocalDatabase.prepare(url, "sa", "");
        Server server = LocalDatabase.of(url).orElseThrow().startTcpServer(0);
        try {
            String tcp = "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/riskgate";
            try (Connection c = connect(tcp, password)) {
                assertThat(c.isValid(1)).isTrue();
            }
            assertWrongPassword(tcp, "");
            for (InetAddress a : nonLoopbackAddresses()) {
                assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress(a, server.getPort()), 1_000))
                        .as("listening on %s", a).isInstanceOf(IOException.class);
            }
        } finally {
            server.stop();
        }
    }

    private static List<InetAddress> nonLoopbackAddresses() throws IOException {
        return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress()).toList();
    }

    private static String trace(Path dir) {
        try {
            Path trace = dir.resolve("riskgate.trace.db");
            return Files.exists(trace) ? "riskgate.trace.db: " + Files.readString(trace) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
