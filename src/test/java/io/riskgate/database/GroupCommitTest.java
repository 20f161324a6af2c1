package io.riskgate.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskgate.testing.FlakyDatabase;
import io.riskgate.testing.TestRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/** The writer every answered write goes through: batches, a unit's own failure, a refused commit, nesting. */
class GroupCommitTest {

    private final FlakyDatabase db = new FlakyDatabase(TestRuntime.memoryDatabase());
    private final JdbcTemplate jdbc = new JdbcTemplate(db);
    private final GroupCommit commits;

    GroupCommitTest() {
        jdbc.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))");
        commits = new GroupCommit(db, GroupCommit.Durability.COMMIT);
    }

    @AfterEach
    void close() {
        commits.close();
    }

    @Test
    void writesFromManyThreadsShareBatchesAndAreAllCommittedBeforeTheirCallersReturn() throws Exception {
        int threads = 16;
        int each = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * each;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < each; i++) {
                    int id = base + i;
                    commits.executeWithoutResult(s -> jdbc.update("INSERT INTO t VALUES (?, 'x')", id));
                    // what a caller was told is written is there when it is told
                    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM t WHERE id = ?", Integer.class, id))
                            .isOne();
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM t", Integer.class)).isEqualTo(threads * each);
        assertThat(commits.units()).isEqualTo(threads * each);
        // 16 callers at once: many writes share a transaction (one per write would be 3,200 batches)
        assertThat(commits.batches()).isLessThan(threads * each);
    }

    @Test
    void aUnitThatFailsIsRolledBackAloneAndItsCallerGetsItsException() {
        commits.executeWithoutResult(s -> jdbc.update("INSERT INTO t VALUES (1, 'first')"));

        assertThatThrownBy(() -> commits.executeWithoutResult(s -> {
            jdbc.update("INSERT INTO t VALUES (2, 'half')");
            jdbc.update("INSERT INTO t VALUES (1, 'again')");
        })).isInstanceOf(DuplicateKeyException.class);

        // the failed unit's first insert went with it; the writer goes on
        assertThat(jdbc.queryForList("SELECT id FROM t ORDER BY id", Integer.class)).containsExactly(1);
        commits.executeWithoutResult(s -> jdbc.update("INSERT INTO t VALUES (3, 'after')"));
        assertThat(jdbc.queryForList("SELECT id FROM t ORDER BY id", Integer.class)).containsExactly(1, 3);
    }

    @Test
    void aRefusedCommitFailsEveryCallerOfTheBatchAndKeepsNothingOfIt() {
        db.refuseCommits(true);
        assertThatThrownBy(() -> commits.executeWithoutResult(s -> jdbc.update("INSERT INTO t VALUES (7, 'x')")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not commit a batch");
        db.refuseCommits(false);

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM t", Integer.class)).isZero();
        // and the next batch commits
        commits.executeWithoutResult(s -> jdbc.update("INSERT INTO t VALUES (8, 'x')"));
        assertThat(jdbc.queryForList("SELECT id FROM t", Integer.class)).containsExactly(8);
    }

    /**
     * A unit that marks the batch's transaction rollback-only (instead of throwing) would have Spring roll the whole
     * batch back silently while every caller was told its write was done: every caller of the batch is failed.
     */
    @Test
    void aUnitMarkingTheBatchRollbackOnlyFailsEveryCallerOfIt() throws Exception {
        GroupCommit.Pending<Void> first;
        GroupCommit.Pending<Void> second;
        try (io.riskgate.testing.HeldWriter held = io.riskgate.testing.HeldWriter.hold(commits)) {
            // queued while the writer is held: both run in the next batch
            first = commits.submit(s -> {
                jdbc.update("INSERT INTO t VALUES (1, 'kept?')");
                return null;
            });
            second = commits.submit(s -> {
                s.setRollbackOnly();
                return null;
            });
        }
        assertThatThrownBy(first::await).hasMessageContaining("rollback-only");
        assertThatThrownBy(second::await).hasMessageContaining("rollback-only");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM t", Integer.class)).isZero();
    }

    /**
     * A caller holds an account's lock while it waits: interrupted, it still waits for its unit's outcome (which may
     * yet commit) and is told it, keeping the interrupt, so the lock is never released on an unknown outcome.
     */
    @Test
    void anInterruptedCallerStillWaitsForItsUnitsOutcomeAndKeepsTheInterrupt() throws Exception {
        CountDownLatch inUnit = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        var outcome = new java.util.concurrent.atomic.AtomicReference<Object>();
        java.util.concurrent.atomic.AtomicBoolean keptInterrupt = new java.util.concurrent.atomic.AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                outcome.set(commits.execute(s -> {
                    inUnit.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return jdbc.update("INSERT INTO t VALUES (5, 'x')");
                }));
            } catch (RuntimeException e) {
                outcome.set(e);
            }
            keptInterrupt.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        inUnit.await();
        caller.interrupt();
        caller.join(300);
        assertThat(caller.isAlive()).as("still waiting for the unit the writer is running").isTrue();
        release.countDown();
        caller.join(10_000);
        assertThat(outcome.get()).isEqualTo(1);
        assertThat(keptInterrupt.get()).isTrue();
        assertThat(jdbc.queryForList("SELECT id FROM t", Integer.class)).containsExactly(5);
    }

    @Test
    void aUnitAskingForATransactionJoinsTheBatchInsteadOfWaitingForItself() {
        Integer inner = commits.execute(s -> {
            jdbc.update("INSERT INTO t VALUES (1, 'outer')");
            return commits.execute(s2 -> jdbc.update("INSERT INTO t VALUES (2, 'inner')"));
        });
        assertThat(inner).isOne();
        assertThat(jdbc.queryForList("SELECT id FROM t ORDER BY id", Integer.class)).containsExactly(1, 2);
    }

    @Test
    void closingWritesWhatIsQueuedFirst() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int id = i;
            done.add(pool.submit(() -> commits.executeWithoutResult(s -> jdbc.update("INSERT INTO t VALUES (?, 'x')",
                    id))));
        }
        Thread.sleep(20);
        commits.close();
        int written = 0;
        for (Future<?> f : done) {
            try {
                f.get();
                written++;
            } catch (java.util.concurrent.ExecutionException refusedAfterClose) {
                assertThat(refusedAfterClose.getCause()).hasMessageContaining("closed");
            }
        }
        pool.shutdown();
        // every caller was answered, and each one told "written" is in the table
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM t", Integer.class)).isEqualTo(written);
    }

    @Test
    void aClosedWriterRefusesNewWork() {
        commits.close();
        assertThatThrownBy(() -> commits.executeWithoutResult(s -> jdbc.update("INSERT INTO t VALUES (1, 'x')")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void aFileDatabaseIsSyncedAndAnInMemoryOneNeedsOnlyItsCommit() {
        assertThat(GroupCommit.Durability.of("jdbc:h2:file:/var/riskgate/db"))
                .isEqualTo(GroupCommit.Durability.JOURNAL);
        assertThat(GroupCommit.Durability.of("jdbc:h2:./data/riskgate"))
                .isEqualTo(GroupCommit.Durability.JOURNAL);
        assertThat(GroupCommit.Durability.of("jdbc:h2:mem:x")).isEqualTo(GroupCommit.Durability.COMMIT);
        DataSource mem = TestRuntime.memoryDatabase();
        try (GroupCommit c = GroupCommit.forDatabase(mem)) {
            assertThat(c).isNotNull();
        }
    }

    @Test
    void inlineUnitsShareABatchTheThreadsReadsSeeAndAFailingUnitUndoesOnlyItsOwn() throws Exception {
        // a replay's writer: no thread, units under savepoints in one open batch, committed every INLINE_BATCH units
        DataSource mem = TestRuntime.memoryDatabase();
        JdbcTemplate m = new JdbcTemplate(mem);
        m.execute("CREATE TABLE r (id INT PRIMARY KEY)");
        GroupCommit inline = GroupCommit.inline(mem);
        inline.executeWithoutResult(s -> m.update("INSERT INTO r VALUES (1)"));
        // a read between units joins the open batch: it sees the write another connection does not yet
        assertThat(m.queryForObject("SELECT COUNT(*) FROM r", Integer.class)).isOne();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            assertThat(other.submit(() -> m.queryForObject("SELECT COUNT(*) FROM r", Integer.class)).get()).isZero();
            // and a unit from another thread is refused, not run outside the batch
            assertThatThrownBy(() -> other.submit(() -> inline.executeWithoutResult(
                    s -> m.update("INSERT INTO r VALUES (9)"))).get()).hasMessageContaining("belong to the thread");
        } finally {
            other.shutdown();
        }

        assertThatThrownBy(() -> inline.executeWithoutResult(s -> {
            m.update("INSERT INTO r VALUES (2)");
            m.update("INSERT INTO r VALUES (1)");
        })).isInstanceOf(DuplicateKeyException.class);
        assertThat(m.queryForList("SELECT id FROM r ORDER BY id", Integer.class)).containsExactly(1);

        // the 32nd unit commits the batch: every other connection sees it
        for (int i = 3; i <= GroupCommit.INLINE_BATCH + 1; i++) {
            int id = i;
            inline.executeWithoutResult(s -> m.update("INSERT INTO r VALUES (?)", id));
        }
        assertThat(inline.batches()).isOne();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            // units 1 (row 1), 2 (failed) and 3..32 (rows 3..32) committed: 31 rows; unit 33 waits until close
            assertThat(reader.submit(() -> m.queryForObject("SELECT COUNT(*) FROM r", Integer.class)).get())
                    .isEqualTo(GroupCommit.INLINE_BATCH - 1);
            inline.close();
            assertThat(reader.submit(() -> m.queryForObject("SELECT COUNT(*) FROM r", Integer.class)).get())
                    .isEqualTo(GroupCommit.INLINE_BATCH);
        } finally {
            reader.shutdown();
        }
    }
}
