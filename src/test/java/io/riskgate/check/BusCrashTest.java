package io.riskgate.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.bus.RedisStreams;
import io.riskgate.database.LocalDatabase;
import io.riskgate.database.Outbox;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.RedisServer;
import io.riskgate.testing.TestRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kill -9 between commit and publish (issue 17): a {@link CrashChild} with the bus's outbox on but no publisher, so
 * that every decision it answered is committed with its event and none sent, is killed; riskgate started again on its
 * database, with Redis up, sends them: every acknowledged decision is on the stream, once.
 */
class BusCrashTest {

    @TempDir
    Path tmp;

    @Test
    void eventsCommittedBeforeAKillAreSentAfterTheRestart() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
        Path db = tmp.resolve("db-dir");
        Files.createDirectories(db);
        try (RedisServer redis = RedisServer.start(tmp.resolve("redis"))) {
            CrashTest.Child child = CrashTest.Child.start(db.toString(), 1, "", Optional.empty(),
                    tmp.resolve("child.err"), List.of("-Dcrash.outbox=true"));
            child.awaitAnswers(150);
            List<String[]> lines = child.kill();
            Set<String> acknowledged = lines.stream().filter(l -> l[0].equals("D")).map(l -> l[1])
                    .collect(Collectors.toSet());
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(50);

            try (RiskgateRuntime rt = RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(),
                    "default", LocalDatabase.dataSource("jdbc:h2:file:" + db.resolve("db"), "sa"),
                    Clock.fixed(TestRuntime.T0.plusSeconds(120), ZoneOffset.UTC), new SimpleMeterRegistry());
                 RedisStreams bus = new RedisStreams(rt.outbox(), new RedisStreams.Settings(redis.url(), "riskgate",
                         1_000_000, 500, Duration.ofMillis(400))).start()) {
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (rt.outbox().backlog() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(rt.outbox().backlog()).isZero();
                RedisClient client = RedisClient.create(redis.url());
                try (StatefulRedisConnection<String, String> c = client.connect()) {
                    List<StreamMessage<String, String>> sent = c.sync().xrange("riskgate:"
                            + Outbox.Kind.DECISION.stream, Range.create("-", "+"));
                    List<String> ids = sent.stream().map(m -> m.getBody().get("id")).toList();
                    // every answered decision (and those committed but not yet answered when the kill came)
                    assertThat(ids).containsAll(acknowledged);
                    assertThat(Set.copyOf(ids)).as("none twice").hasSameSizeAs(ids);
                } finally {
                    client.shutdown();
                }
            }
        }
    }
}
