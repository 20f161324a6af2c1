package io.riskgate.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.TestRuntime;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The bus's outbox (issue 17) on its own: events numbered on the database writer even when the record is written off
 * it, only the events sent marked as sent, and an H2 outbox offering what durable batches wrote.
 */
class OutboxTest {

    private static final Instant AT = TestRuntime.T0;

    private static DataSource migrated() {
        DataSource ds = TestRuntime.memoryDatabase();
        RiskgateRuntime.migrate(ds);
        return ds;
    }

    @Test
    void anEventAddedOffTheWriterIsNumberedOnItInCommitOrder() {
        DataSource ds = migrated();
        try (GroupCommit commits = GroupCommit.forDatabase(ds)) {
            Outbox outbox = new Outbox(ds, commits);
            outbox.enable();
            // one from a unit, as the stores write them; one from this thread, outside any unit (a record written
            // with autocommit, as the governor's error alert once was): numbered on the writer all the same
            commits.execute(status -> {
                outbox.add(Outbox.Kind.DECISION, "d-1", "a", null, "decision/d-1", AT, "{}");
                return null;
            });
            assertThat(commits.inUnit()).isFalse();
            outbox.add(Outbox.Kind.ALERT, "alert-1", "a", null, "governor_event/1", AT, "{}");
            commits.execute(status -> {
                outbox.add(Outbox.Kind.DECISION, "d-2", "a", null, "decision/d-2", AT, "{}");
                return null;
            });
            List<Outbox.Event> events = outbox.unpublished(10);
            assertThat(events).extracting(Outbox.Event::eventId).containsExactly("d-1", "alert-1", "d-2");
            assertThat(events).extracting(Outbox.Event::id).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void onlyTheEventsSentAreMarkedSent() {
        DataSource ds = migrated();
        try (GroupCommit commits = GroupCommit.forDatabase(ds)) {
            Outbox outbox = new Outbox(ds, commits);
            outbox.enable();
            for (String id : List.of("e-1", "e-2", "e-3")) {
                commits.execute(status -> {
                    outbox.add(Outbox.Kind.DECISION, id, "a", null, "decision/" + id, AT, "{}");
                    return null;
                });
            }
            List<Outbox.Event> all = outbox.unpublished(10);
            // the first and the third were sent, the second not (it could not be, or came late): it stays
            outbox.published(List.of(all.get(0), all.get(2)));
            assertThat(outbox.unpublished(10)).extracting(Outbox.Event::eventId).containsExactly("e-2");
            assertThat(outbox.backlog()).isEqualTo(1);
        }
    }

    @Test
    void anH2OutboxOffersWhatItFoundAtTheStartAndWhatDurableBatchesWrote() {
        DataSource ds = migrated();
        Outbox before = new Outbox(ds);
        before.enable();
        before.add(Outbox.Kind.BREAKER, "breaker-1", "a", null, "breaker_event/1", AT, "{}");
        try (GroupCommit commits = GroupCommit.forDatabase(ds)) {
            Outbox outbox = new Outbox(ds, commits);
            outbox.enable();
            // what the table held at the start came back from the database: durable
            assertThat(outbox.unpublished(10)).extracting(Outbox.Event::eventId).containsExactly("breaker-1");
            commits.execute(status -> {
                outbox.add(Outbox.Kind.DECISION, "d-1", "a", null, "decision/d-1", AT, "{}");
                return null;
            });
            // the unit's answer came after its batch was durable, and so did the outbox's mark
            assertThat(outbox.unpublished(10)).extracting(Outbox.Event::eventId).containsExactly("breaker-1", "d-1");
        }
    }
}
