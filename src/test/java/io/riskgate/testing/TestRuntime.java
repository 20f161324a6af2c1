package io.riskgate.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.portfolio.Portfolio;
import io.riskgate.runtime.RiskgateRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * A real riskgate runtime for tests: the shipped policies and rules (or copies a test edits), compiled by
 * Drools, over a fresh in-memory H2 database migrated by Flyway, with a clock the test controls.
 */
public final class TestRuntime {

    /** Seed 001's example timestamp; tests move the clock from here. */
    public static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    private TestRuntime() {
    }

    public static Path repoPolicies() {
        return Path.of("policies").toAbsolutePath();
    }

    public static Path repoRules() {
        return Path.of("rules").toAbsolutePath();
    }

    /**
     * An in-memory H2 database unique to the caller, behind H2's own connection pool (no threads, nothing to close),
     * as the service's database is behind Hikari: a session, and with it H2's cache of parsed statements, is kept
     * between calls instead of being opened for each one. Up to 64 connections: the concurrency tests run 16 threads.
     */
    public static DataSource memoryDatabase() {
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:mem:rg-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "", "");
        pool.setMaxConnections(64);
        // kept for the JVM's life, as the in-memory database itself is (DB_CLOSE_DELAY=-1): a pool dropped with its
        // idle connections open lets H2 report them as leaked when they are garbage collected, into the trace file
        // of whichever database opens next (LocalDatabaseTest found one in CI)
        POOLS.add(pool);
        return pool;
    }

    private static final java.util.List<JdbcConnectionPool> POOLS = new java.util.concurrent.CopyOnWriteArrayList<>();

    public static RiskgateRuntime start(MutableClock clock) {
        return start(repoPolicies(), repoRules(), clock);
    }

    public static RiskgateRuntime start(Path policies, Path rules, MutableClock clock) {
        return RiskgateRuntime.start(policies, rules, "default", memoryDatabase(), clock, new SimpleMeterRegistry());
    }

    /** The shipped policies and rules, keeping account books in memory as {@code residency} says. */
    public static RiskgateRuntime start(MutableClock clock, Portfolio.Residency residency) {
        return RiskgateRuntime.start(repoPolicies(), repoRules(), "default", memoryDatabase(), clock,
                new SimpleMeterRegistry(), RiskgateRuntime.jsonMapper(), residency);
    }

    /**
     * Copies the shipped policies and rules into {@code dir}/policies and {@code dir}/rules so a test can edit
     * them without touching the repository.
     */
    /** As {@link #copyRepoConfig(Path)}, with the copy of policies/default.yaml rewritten by {@code edit}. */
    public static Path copyRepoConfig(Path dir, java.util.function.UnaryOperator<String> edit) {
        copyRepoConfig(dir);
        Path yaml = dir.resolve("policies/default.yaml");
        try {
            java.nio.file.Files.writeString(yaml, edit.apply(java.nio.file.Files.readString(yaml)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }

    public static Path copyRepoConfig(Path dir) {
        copyTree(repoPolicies(), dir.resolve("policies"));
        copyTree(repoRules(), dir.resolve("rules"));
        return dir;
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
