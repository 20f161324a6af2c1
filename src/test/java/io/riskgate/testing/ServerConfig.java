package io.riskgate.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A Spring Boot test server over a private copy of the shipped policies and rules (tests that edit and reload
 * them), with its own database (in memory, or on PostgreSQL: {@link TestStore}), the officers' workspace at {@code workspace} beside them, and the file
 * watcher off: the test's reloads are its own.
 */
public final class ServerConfig {

    private ServerConfig() {
    }

    /** A fresh copy of the shipped policies and rules in a new temporary directory named from {@code prefix}. */
    public static Path copyOfRepoConfig(String prefix) {
        try {
            return TestRuntime.copyRepoConfig(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static void register(DynamicPropertyRegistry registry, Path config, String database) {
        registry.add("riskgate.policies-dir", () -> config.resolve("policies").toString());
        registry.add("riskgate.rules-dir", () -> config.resolve("rules").toString());
        // what-if by directory reads config/workspace only (a test that uses it creates it)
        registry.add("riskgate.policies.workspace", () -> config.resolve("workspace").toString());
        registry.add("riskgate.policies.watch", () -> "false");
        registry.add("riskgate.security.bootstrap-key-file", () -> config.resolve("admin.key").toString());
        // in memory on H2, or a database of its own on the tests' PostgreSQL server (TestStore)
        TestStore.datasource(database).forEach((k, v) -> registry.add(k, () -> v));
    }

    /** Deletes the copy. */
    public static void delete(Path config) throws IOException {
        try (Stream<Path> s = Files.walk(config)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
