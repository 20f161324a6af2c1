package io.riskgate.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.riskgate.database.Outbox;
import io.riskgate.decision.Decision;
import io.riskgate.exits.ExitInstruction;
import io.riskgate.policy.Governor;
import io.riskgate.lifecycle.FillRequest;
import io.riskgate.market.Mark;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.RedisServer;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbound bus against a real Redis (issue 17): every decision, exit instruction, emergency instruction, breaker
 * change and alert is an entry of its stream with the record's id, account, policy and audit place; an officer's
 * trip is on the streams within a second; Redis killed and restarted mid-load loses no event and gives none twice.
 */
class RedisStreamsTest {

    @TempDir
    Path tmp;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private RedisServer redis() throws Exception {
        RedisServer r = RedisServer.start(tmp.resolve("redis"));
        open.add(r);
        return r;
    }

    private static RedisStreams.Settings settings(String url) {
        return new RedisStreams.Settings(url, "riskgate", 1_000_000, 500, Duration.ofMillis(400));
    }

    private RiskgateRuntime runtime(MutableClock clock) {
        RiskgateRuntime rt = TestRuntime.start(clock);
        open.add(rt);
        return rt;
    }

    /** A publisher from {@code rt}'s outbox to {@code r}, started. */
    private RedisStreams publishing(RiskgateRuntime rt, RedisServer r) {
        RedisStreams bus = new RedisStreams(rt.outbox(), settings(r.url())).start();
        open.add(bus);
        return bus;
    }

    private StatefulRedisConnection<String, String> reader(RedisServer r) {
        RedisClient client = RedisClient.create(r.url());
        StatefulRedisConnection<String, String> c = client.connect();
        open.add(client::shutdown);
        open.add(c);
        return c;
    }

    private static List<StreamMessage<String, String>> entries(StatefulRedisConnection<String, String> c,
                                                               Outbox.Kind kind) {
        return c.sync().xrange("riskgate:" + kind.stream, io.lettuce.core.Range.create("-", "+"));
    }

    @Test
    void seed001sCycleAndAnOfficersTripAreOnTheirStreamsWithTheirIdsAccountPolicyAndAuditPlace() throws Exception {
        RedisServer r = redis();
        MutableClock clock = new MutableClock(TestRuntime.T0);
        RiskgateRuntime rt = runtime(clock);
        RedisStreams bus = publishing(rt, r);
        StatefulRedisConnection<String, String> c = reader(r);

        // seed 001: approved 0.01 BTC; filled at 50,000; +1R = 52,250 moves the stop to 50,050 (BREAKEVEN)
        Decision d = rt.engine().check(Requests.set(Requests.seed001(), "account", "bus-1"));
        assertThat(d.approved()).isTrue();
        rt.trades().fill(new FillRequest(d.decisionId(), 50_000, d.quantity(), Optional.empty()));
        clock.advance(Duration.ofMinutes(1));
        List<ExitInstruction> exits = rt.exits().mark(new Mark("BTCUSDT", 52_250, 52_250, 52_250, clock.instant()));
        assertThat(exits).extracting(ExitInstruction::code).contains("BREAKEVEN");

        long tripped = System.nanoTime();
        rt.governor().officer("bus-1", "officer-anna", "TRIP", "venue outage", Optional.empty(),
                Optional.of(Governor.Emergency.CLOSE_ALL), Optional.empty());
        // within a second of the trip: its breaker change, its emergency instruction and its alert
        while (entries(c, Outbox.Kind.BREAKER).isEmpty() || entries(c, Outbox.Kind.EMERGENCY_INSTRUCTION).isEmpty()
                || entries(c, Outbox.Kind.ALERT).isEmpty()) {
            assertThat(System.nanoTime() - tripped).as("the trip on the streams within 1 s").isLessThan(1_000_000_000L);
            Thread.sleep(10);
        }

        StreamMessage<String, String> decision = entries(c, Outbox.Kind.DECISION).get(0);
        assertThat(decision.getBody()).containsEntry("id", d.decisionId()).containsEntry("account", "bus-1")
                .containsEntry("kind", "DECISION")
                .containsEntry("policy", "default:" + d.policy().version() + ":" + d.policy().sha256());
        assertThat(decision.getBody().get("audit")).startsWith("decision/" + d.decisionId() + "#");
        JsonNode data = Requests.JSON.readTree(decision.getBody().get("data"));
        assertThat(data.path("quantity").asDouble()).isEqualTo(0.01);
        assertThat(data.path("stopLoss").asDouble()).isEqualTo(47_750.0);

        StreamMessage<String, String> exit = entries(c, Outbox.Kind.EXIT_INSTRUCTION).get(0);
        assertThat(exit.getBody()).containsEntry("id", exits.get(0).instructionId()).containsEntry("account", "bus-1");
        assertThat(Requests.JSON.readTree(exit.getBody().get("data")).path("stopLoss").asDouble()).isEqualTo(50_050.0);

        assertThat(entries(c, Outbox.Kind.BREAKER).get(0).getBody()).containsEntry("account", "bus-1")
                .containsEntry("kind", "BREAKER");
        assertThat(Requests.JSON.readTree(entries(c, Outbox.Kind.EMERGENCY_INSTRUCTION).get(0).getBody().get("data"))
                .path("kind").asText()).isEqualTo("CLOSE_ALL");
        // entries are numbered in the order their records committed: the decision before its exit, before the trip
        assertThat(id(decision)).isLessThan(id(exit));
        assertThat(id(exit)).isLessThan(id(entries(c, Outbox.Kind.BREAKER).get(0)));
        assertThat(rt.outbox().backlog()).isZero();
    }

    private static long id(StreamMessage<String, String> m) {
        return Long.parseLong(m.getId().substring(0, m.getId().indexOf('-')));
    }

    @Test
    void redisKilledAndRestartedMidLoadLosesNoEventAndGivesNoneTwice() throws Exception {
        RedisServer r = redis();
        MutableClock clock = new MutableClock(TestRuntime.T0);
        RiskgateRuntime rt = runtime(clock);
        RedisStreams bus = publishing(rt, r);

        // 8 threads check seed 001's order on 40 accounts for 3 s; Redis is killed after 1 s and back after 2 s
        Set<String> decided = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            Thread w = new Thread(() -> {
                for (int n = 0; !stop.get(); n++) {
                    Decision d = rt.engine().check(Requests.set(Requests.seed001(), "account",
                            "load-" + (thread * 5 + n % 5)));
                    decided.add(d.decisionId());
                }
            });
            w.start();
            workers.add(w);
        }
        try {
            Thread.sleep(1_000);
            r.kill();
            Thread.sleep(1_000);
            // the checks go on while Redis is away: none waits for it
            int whileDown = decided.size();
            Thread.sleep(200);
            assertThat(decided.size()).as("checks decided while Redis was down").isGreaterThan(whileDown);
            // the publisher learns of the loss at its next attempt, which a loaded machine may run late
            long noticed = System.nanoTime() + 10_000_000_000L;
            while (bus.connected() && System.nanoTime() < noticed) {
                Thread.sleep(20);
            }
            assertThat(bus.connected()).isFalse();
            r.restart();
            Thread.sleep(1_000);
        } finally {
            // stopped whatever happens: left running, they would load the machine and log into other tests' output
            stop.set(true);
            for (Thread w : workers) {
                w.join();
            }
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (rt.outbox().backlog() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(rt.outbox().backlog()).as("backlog after Redis came back; the bus's last error: %s",
                bus.lastError()).isZero();

        // read as a consumer group: every decision once
        StatefulRedisConnection<String, String> c = reader(r);
        String stream = "riskgate:" + Outbox.Kind.DECISION.stream;
        c.sync().xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), "exec", XGroupCreateArgs.Builder.mkstream());
        List<String> read = new ArrayList<>();
        while (true) {
            List<StreamMessage<String, String>> batch = c.sync().xreadgroup(Consumer.from("exec", "agent-1"),
                    XReadArgs.Builder.count(1_000), XReadArgs.StreamOffset.lastConsumed(stream));
            if (batch.isEmpty()) {
                break;
            }
            batch.forEach(m -> read.add(m.getBody().get("id")));
        }
        assertThat(decided).hasSizeGreaterThan(100);
        assertThat(new HashSet<>(read)).as("every decision on the stream").isEqualTo(decided);
        assertThat(read).as("none twice").hasSameSizeAs(decided);
    }

    @Test
    void fieldsCarryTheRecordAndWhereItIsKept() {
        Outbox.Event e = new Outbox.Event(7, Outbox.Kind.ALERT, "alert-7", null, null, "governor_event/7",
                TestRuntime.T0, "{}");
        // an alert of no policy carries no policy field rather than an empty one
        assertThat(RedisStreams.fields(e)).isEqualTo(Map.of("id", "alert-7", "kind", "ALERT", "audit",
                "governor_event/7", "at", "2026-11-21T10:00:00Z", "data", "{}"));
    }

    /**
     * Seed 002's connection: TLS and credentials. A Redis that speaks only TLS and knows one user: with its CA and the
     * user's password in the URI the decision is sent; with a wrong password, or without the CA (the JVM's trust store
     * does not know it), nothing is sent, the bus says why, and the check was decided all the same.
     */
    @Test
    void aTlsRedisWithAPasswordGetsTheEventsAndAWrongPasswordOrAnUnknownCaDoesNot() throws Exception {
        RedisServer r = RedisServer.startTls(tmp.resolve("redis-tls"));
        open.add(r);
        MutableClock clock = new MutableClock(TestRuntime.T0);
        RiskgateRuntime rt = TestRuntime.start(clock);
        open.add(rt);
        rt.outbox().enable();
        Decision d = rt.engine().check(Requests.set(Requests.seed001(), "account", "tls-1"));
        assertThat(d.approved()).isTrue();

        RedisStreams wrongPassword = new RedisStreams(rt.outbox(), new RedisStreams.Settings(
                r.url().replace(RedisServer.PASSWORD, "guess"), "riskgate", 1_000_000, 500, Duration.ofMillis(200),
                Optional.of(r.ca())));
        open.add(wrongPassword);
        assertThatThrownBy(wrongPassword::publishOnce).hasStackTraceContaining("WRONGPASS");
        RedisStreams unknownCa = new RedisStreams(rt.outbox(), settings(r.url()));
        open.add(unknownCa);
        assertThatThrownBy(unknownCa::publishOnce).hasStackTraceContaining("PKIX");
        assertThat(rt.outbox().backlog()).isEqualTo(1);

        RedisStreams bus = new RedisStreams(rt.outbox(), new RedisStreams.Settings(r.url(), "riskgate", 1_000_000,
                500, Duration.ofMillis(200), Optional.of(r.ca())));
        open.add(bus);
        assertThat(bus.publishOnce()).isEqualTo(1);
        RedisClient client = RedisLink.client(r.url(), Optional.of(r.ca()), Duration.ofSeconds(5));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            assertThat(entries(c, Outbox.Kind.DECISION)).singleElement()
                    .satisfies(m -> assertThat(m.getBody()).containsEntry("id", d.decisionId()));
        } finally {
            client.shutdown();
        }
    }

    /**
     * A batch partly stored before a crash (the publisher sent it, Redis kept the first entry, the outbox never heard):
     * sent again, the stored entry is refused as a duplicate and counted, the rest are sent. An entry at that id that
     * is another event (a restored database on an old stream) stops the bus instead.
     */
    @Test
    void aBatchPartlyStoredBeforeACrashIsSentOnceAndAStrangerAtAnIdStopsTheBus() throws Exception {
        RedisServer r = redis();
        MutableClock clock = new MutableClock(TestRuntime.T0);
        RiskgateRuntime rt = runtime(clock);
        rt.outbox().enable();
        Decision first = rt.engine().check(Requests.set(Requests.seed001(), "account", "dup-1"));
        rt.engine().check(Requests.set(Requests.seed001(), "account", "dup-2"));
        List<Outbox.Event> waiting = rt.outbox().unpublished(10);
        assertThat(waiting).hasSize(2);
        StatefulRedisConnection<String, String> c = reader(r);
        // the first event, as the publisher sent it before the crash
        c.sync().xadd("riskgate:decisions", new io.lettuce.core.XAddArgs().id(waiting.get(0).id() + "-0"),
                RedisStreams.fields(waiting.get(0)));

        RedisStreams bus = new RedisStreams(rt.outbox(), settings(r.url()));
        open.add(bus);
        assertThat(bus.publishOnce()).isEqualTo(2);
        assertThat(bus.duplicates()).isEqualTo(1);
        assertThat(entries(c, Outbox.Kind.DECISION)).extracting(m -> m.getBody().get("id"))
                .containsExactly(first.decisionId(), waiting.get(1).eventId());
        assertThat(rt.outbox().backlog()).isZero();

        // a third decision, whose number another event already holds on the stream
        rt.engine().check(Requests.set(Requests.seed001(), "account", "dup-3"));
        Outbox.Event third = rt.outbox().unpublished(10).get(0);
        c.sync().xadd("riskgate:decisions", new io.lettuce.core.XAddArgs().id(third.id() + "-0"),
                Map.of("id", "someone-else"));
        assertThatThrownBy(bus::publishOnce).hasMessageContaining("disagree");
        assertThat(rt.outbox().backlog()).isEqualTo(1);
    }
}
