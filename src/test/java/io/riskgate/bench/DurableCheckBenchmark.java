package io.riskgate.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.decision.Decision;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 12's in-process goal: audited checks from 16 threads over 1,000 accounts, each answered only once its record
 * is durable (group commit, H2 file behind Hikari, as the service runs). Seed 001's order: each account's first four
 * checks are approved and reserve (portfolio.max_concurrent_trades), later ones are rejected; every one is decided,
 * audited and synced. {@code mvn -Pbench clean test-compile exec:exec -Dbench.args="DurableCheckBenchmark -f 1"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(16)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class DurableCheckBenchmark {

    private static final int ACCOUNTS = 1_000;

    /**
     * Where the records go: an H2 file (the default store), or PostgreSQL (issue 15; embedded, on this machine), with
     * one riskgate instance or two (each its own pool, books and writer; the threads take turns between them, on the
     * same accounts). {@code memory} is not a store riskgate offers for checks: an in-memory H2 database, so nothing
     * reaches a disk, no journal is written and nothing is synced. It measures what the same checks cost with the
     * disk taken out, the ceiling a faster durable log could approach while H2 holds the records. It keeps every decision on the heap
     * (about 250,000 in a 60 s run): give it room, {@code -p store=memory -jvmArgs -Xmx6g}.
     */
    @Param({"h2", "postgresql", "postgresql-2", "memory"})
    public String store;

    private RiskgateRuntime rt;
    private RiskgateRuntime second;
    private com.zaxxer.hikari.HikariDataSource secondPool;
    private FileDatabase db;
    private com.zaxxer.hikari.HikariDataSource memory;
    private com.zaxxer.hikari.HikariDataSource postgres;
    private final AtomicLong next = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        javax.sql.DataSource ds;
        if (store.startsWith("postgresql")) {
            postgres = io.riskgate.testing.Postgres.newDatabase();
            ds = postgres;
        } else if (store.equals("memory")) {
            memory = new com.zaxxer.hikari.HikariDataSource();
            memory.setJdbcUrl(io.riskgate.database.LocalDatabase.tuned(
                    "jdbc:h2:mem:durable-bench-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
            memory.setUsername("sa");
            memory.setMaximumPoolSize(20);
            ds = memory;
        } else {
            db = new FileDatabase();
            ds = db.pool;
        }
        rt = RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default", ds,
                Clock.fixed(TestRuntime.T0.plusSeconds(60), ZoneOffset.UTC), new SimpleMeterRegistry());
        if (store.equals("postgresql-2")) {
            secondPool = io.riskgate.testing.Postgres.pool(postgres.getJdbcUrl());
            second = RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default",
                    secondPool, Clock.fixed(TestRuntime.T0.plusSeconds(60), ZoneOffset.UTC), new SimpleMeterRegistry());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (postgres != null) {
            var jdbc = new org.springframework.jdbc.core.JdbcTemplate(postgres);
            long decisions = jdbc.queryForObject("SELECT COUNT(*) FROM decision", Long.class);
            long size = jdbc.queryForObject("SELECT pg_database_size(current_database())", Long.class);
            System.out.printf("%n%d batches, %.1f checks per batch; %d decisions; PostgreSQL database %d bytes "
                            + "(%.0f a decision, before VACUUM)%n", rt.commits().batches(),
                    rt.commits().units() / (double) Math.max(1, rt.commits().batches()), decisions, size,
                    size / (double) Math.max(1, decisions));
            rt.close();
            if (second != null) {
                System.out.printf("stale writes decided again: %d + %d%n", rt.portfolio().staleRetries(),
                        second.portfolio().staleRetries());
                second.close();
                secondPool.close();
            }
            postgres.close();
            return;
        }
        if (memory != null) {
            System.out.printf("%n%d batches, %.1f checks per batch (in memory: nothing synced)%n",
                    rt.commits().batches(), rt.commits().units() / (double) Math.max(1, rt.commits().batches()));
            rt.close();
            memory.close();
            return;
        }
        long decisions = new org.springframework.jdbc.core.JdbcTemplate(db.pool)
                .queryForObject("SELECT COUNT(*) FROM decision", Long.class);
        long live = Files.size(db.file());
        System.out.printf("%n%d batches, %.1f checks per batch; %d decisions; database %d bytes while open "
                        + "(%.0f a decision)%n", rt.commits().batches(),
                rt.commits().units() / (double) Math.max(1, rt.commits().batches()), decisions, live,
                live / (double) Math.max(1, decisions));
        // the journal keeps the size of its largest cycle (a second's batches) until the stop empties it
        long journal = Files.size(rt.commits().journalFile().orElseThrow());
        System.out.printf("journal file %d bytes (%.1f MB) while open, %d checkpoints%n", journal, journal / 1e6,
                rt.commits().checkpoints());
        rt.close();
        long compact = db.compactedSize();
        System.out.printf("after SHUTDOWN COMPACT: %d bytes (%.0f a decision)%n", compact,
                compact / (double) Math.max(1, decisions));
        db.close();
    }

    @Benchmark
    public Decision durableCheck() {
        long n = next.getAndIncrement();
        ObjectNode order = Requests.set(Requests.set(Requests.seed001(), "account", "acct-" + (n % ACCOUNTS)),
                "clientOrderId", "c-" + n);
        return (second != null && (n & 1) == 1 ? second : rt).engine().check(order);
    }
}
