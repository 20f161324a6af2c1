package io.riskgate.feeds;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Consumer;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.decision.Decision;
import io.riskgate.exits.ExitInstruction;
import io.riskgate.lifecycle.FillRequest;
import io.riskgate.market.MarkParser;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.security.ApiKeys;
import io.riskgate.security.Role;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.RedisServer;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The inbound bus against a real Redis (issue 17): a mark on {@code riskgate:in:marks} gives the exit instruction the
 * REST call gives for the same trade; a poison entry, and any entry while the bound key is revoked, is parked on
 * {@code riskgate:in:dead} with the reason and nothing applied; an entry delivered before a crash and never
 * acknowledged is applied on the restart, and one applied but not acknowledged is not applied twice.
 */
class InboundStreamsTest {

    @TempDir
    Path tmp;

    private final List<AutoCloseable> open = new ArrayList<>();
    private RedisServer redis;
    private RedisCommands<String, String> raw;
    private MutableClock clock;
    private DataSource db;
    private RiskgateRuntime rt;
    private ApiKeys keys;
    private String keyId;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start(tmp.resolve("redis"));
        open.add(redis);
        RedisClient client = RedisClient.create(redis.url());
        StatefulRedisConnection<String, String> c = client.connect();
        open.add(client::shutdown);
        open.add(c);
        raw = c.sync();
        clock = new MutableClock(TestRuntime.T0);
        db = TestRuntime.memoryDatabase();
        rt = RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default", db, clock,
                new SimpleMeterRegistry());
        open.add(rt);
        keys = new ApiKeys(db, clock);
        keyId = keys.create(new ApiKeys.Spec("feed-bus", Set.of(Role.FEED, Role.TRADER), Set.of("in-1", "in-2", "in-3", "in-4",
                "in-5"), Duration.ofDays(30)),
                "test").apiKey().id();
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private InboundStreams inbound(String consumer) {
        InboundStreams in = new InboundStreams(rt.exits(), rt.market(), rt.trades(), rt.portfolio(), rt.audit(),
                rt.registry(), keys, rt.commits(), db, rt.json(), clock,
                new InboundStreams.Settings(redis.url(), "riskgate", "riskgate", consumer, keyId));
        open.add(in);
        return in;
    }

    /** Seed 001's approval on {@code account}, filled at 50,000 (1R = 2,250: +1R is 52,250). */
    private String openTrade(String account) {
        Decision d = rt.engine().check(Requests.set(Requests.seed001(), "account", account));
        return rt.trades().fill(new FillRequest(d.decisionId(), 50_000, d.quantity(), Optional.empty())).trade().id();
    }

    private static final String MARK = "{\"symbol\":\"BTCUSDT\",\"price\":52250,\"timestamp\":\"2026-11-21T10:01:00Z\"}";

    @Test
    void aMarkOnTheStreamGivesTheInstructionTheRestCallGives() throws Exception {
        // the REST call's path first, on its own runtime: the same parser, the same exit service
        MutableClock restClock = new MutableClock(TestRuntime.T0);
        try (RiskgateRuntime rest = TestRuntime.start(restClock)) {
            Decision d = rest.engine().check(Requests.set(Requests.seed001(), "account", "in-1"));
            rest.trades().fill(new FillRequest(d.decisionId(), 50_000, d.quantity(), Optional.empty()));
            List<ExitInstruction> viaRest = rest.exits().mark(MarkParser.parse(Requests.JSON.readTree(MARK)));

            String trade = openTrade("in-1");
            raw.xadd("riskgate:in:marks", Map.of("data", MARK));
            InboundStreams in = inbound("c1");
            assertThat(in.consumeOnce(Duration.ofSeconds(1))).isEqualTo(1);
            List<ExitInstruction> viaBus = rt.exits().log().forTrade(trade);

            // +1R at 52,250: the stop to breakeven, 50,000 + 0.1% = 50,050, both ways
            assertThat(viaBus).singleElement().satisfies(i -> {
                ExitInstruction r = viaRest.get(0);
                assertThat(i.action()).isEqualTo(r.action());
                assertThat(i.code()).isEqualTo("BREAKEVEN").isEqualTo(r.code());
                assertThat(i.stopLoss()).isEqualTo(50_050.0).isEqualTo(r.stopLoss());
                assertThat(i.reason()).isEqualTo(r.reason());
                assertThat(i.state()).isEqualTo(r.state());
            });
            assertThat(in.applied()).isEqualTo(1);
            assertThat(pending()).isZero();
        }
    }

    @Test
    void aPoisonEntryIsParkedWithEveryProblemAndNothingApplied() {
        String trade = openTrade("in-2");
        raw.xadd("riskgate:in:marks", Map.of("data", "{\"symbol\":\"BTCUSDT\",\"price\":-5}"));
        raw.xadd("riskgate:in:bars", Map.of("data", "not json"));
        InboundStreams in = inbound("c1");
        assertThat(in.consumeOnce(Duration.ofSeconds(1))).isEqualTo(2);

        List<StreamMessage<String, String>> dead = raw.xrange("riskgate:in:dead", Range.create("-", "+"));
        assertThat(dead).hasSize(2);
        assertThat(dead.get(0).getBody()).containsEntry("stream", "riskgate:in:marks")
                .containsEntry("body.data", "{\"symbol\":\"BTCUSDT\",\"price\":-5}");
        // every problem, as the REST call's 400 lists them
        assertThat(dead.get(0).getBody().get("reason")).contains("price").contains("timestamp");
        assertThat(dead.get(1).getBody().get("reason")).startsWith("data is not JSON");
        assertThat(rt.exits().log().forTrade(trade)).isEmpty();
        assertThat(in.parked()).isEqualTo(2);
        assertThat(pending()).isZero();
    }

    @Test
    void whileTheBoundKeyIsRevokedEntriesAreParkedNotApplied() {
        String trade = openTrade("in-3");
        keys.revoke(keyId, "officer");
        raw.xadd("riskgate:in:marks", Map.of("data", MARK));
        InboundStreams in = inbound("c1");
        in.consumeOnce(Duration.ofSeconds(1));
        assertThat(raw.xrange("riskgate:in:dead", Range.create("-", "+"))).singleElement()
                .satisfies(m -> assertThat(m.getBody().get("reason")).contains("was revoked"));
        assertThat(rt.exits().log().forTrade(trade)).isEmpty();
    }

    @Test
    void anEntryDeliveredBeforeACrashIsAppliedOnceAndOneAppliedIsNotAppliedAgain() {
        String trade = openTrade("in-4");
        String first = raw.xadd("riskgate:in:marks", Map.of("data", MARK));
        // delivered to consumer c1, which died before applying it: it is c1's pending entry
        raw.xgroupCreate(XReadArgs.StreamOffset.from("riskgate:in:marks", "0"), "riskgate",
                XGroupCreateArgs.Builder.mkstream());
        assertThat(raw.xreadgroup(Consumer.from("riskgate", "c1"), XReadArgs.StreamOffset.lastConsumed(
                "riskgate:in:marks"))).hasSize(1);
        InboundStreams restarted = inbound("c1");
        assertThat(restarted.consumeOnce(Duration.ofSeconds(1))).isEqualTo(1);
        assertThat(rt.exits().log().forTrade(trade)).hasSize(1);

        // a second mark, applied before a crash that came before its acknowledgement: recorded, still pending
        String second = raw.xadd("riskgate:in:marks", Map.of("data",
                MARK.replace("52250", "56000").replace("10:01:00", "10:02:00")));
        assertThat(raw.xreadgroup(Consumer.from("riskgate", "c1"), XReadArgs.StreamOffset.lastConsumed(
                "riskgate:in:marks"))).hasSize(1);
        new JdbcTemplate(db).update("INSERT INTO bus_inbound (stream, entry_id, processed_at, outcome) "
                + "VALUES (?,?,?,?)", "riskgate:in:marks", second, Timestamp.from(clock.instant()), "APPLIED");
        assertThat(restarted.consumeOnce(Duration.ofSeconds(1))).isEqualTo(1);
        // acknowledged, not applied again: at 56,000 (past the 55,625 target) it would have closed the trade
        assertThat(rt.exits().log().forTrade(trade)).hasSize(1);
        assertThat(pending()).isZero();
        assertThat(first).isNotEqualTo(second);
    }

    private long pending() {
        return raw.xpending("riskgate:in:marks", "riskgate").getCount();
    }

    /**
     * An execution agent's reports from the streams, as its REST calls would make them: seed 001's approval filled
     * at 50,000 (0.01 BTC), then closed at 52,250 (+22.50, +1R); an equity report of 10,022.50. A fill of an account
     * the bound key does not name is parked, not applied.
     */
    @Test
    void fillsClosesAndEquityFromTheStreamsAreAppliedAsTheRestCallsAre() throws Exception {
        Decision d = rt.engine().check(Requests.set(Requests.seed001(), "account", "in-5"));
        raw.xadd("riskgate:in:fills", Map.of("data", "{\"decisionId\":\"" + d.decisionId()
                + "\",\"fillPrice\":50000,\"quantity\":0.01}"));
        InboundStreams in = inbound("c1");
        in.consumeOnce(Duration.ofSeconds(1));
        String trade = rt.portfolio().<String>withAccount("in-5", b -> b.positions().iterator().next().tradeId());

        raw.xadd("riskgate:in:closes", Map.of("trade", trade, "data", "{\"price\":52250,\"reason\":\"agent\"}"));
        raw.xadd("riskgate:in:equity", Map.of("account", "in-5", "data",
                "{\"equity\":10022.5,\"timestamp\":\"2026-11-21T10:05:00Z\"}"));
        in.consumeOnce(Duration.ofSeconds(1));
        // (52,250 - 50,000) x 0.01 = 22.50
        assertThat(rt.trades().detail(trade).trade().realizedPnl()).isEqualTo(22.5);
        assertThat(rt.portfolio().<Integer>withAccount("in-5", b -> b.positions().size())).isZero();
        assertThat(rt.portfolio().<Double>withAccount("in-5", b -> b.equity().orElseThrow().equity()))
                .isEqualTo(10_022.5);
        assertThat(in.applied()).isEqualTo(3);

        // another account's decision: the key names in-1 to in-5 only
        Decision other = rt.engine().check(Requests.set(Requests.seed001(), "account", "not-named"));
        raw.xadd("riskgate:in:fills", Map.of("data", "{\"decisionId\":\"" + other.decisionId()
                + "\",\"fillPrice\":50000,\"quantity\":0.01}"));
        in.consumeOnce(Duration.ofSeconds(1));
        assertThat(raw.xrange("riskgate:in:dead", Range.create("-", "+"))).singleElement()
                .satisfies(m -> assertThat(m.getBody().get("reason")).contains("does not name account not-named"));
        assertThat(rt.portfolio().<Integer>withAccount("not-named", b -> b.positions().size())).isZero();
    }

    /**
     * A close read before a crash that came between marking it as being applied and recording that it was: it may
     * have closed the trade, so it is parked with the reason, never applied twice.
     */
    @Test
    void aCloseThatMayHaveBeenAppliedBeforeACrashIsParkedNotAppliedTwice() {
        String trade = openTrade("in-5");
        String entry = raw.xadd("riskgate:in:closes", Map.of("trade", trade, "data",
                "{\"price\":52250,\"quantity\":0.005}"));
        raw.xgroupCreate(XReadArgs.StreamOffset.from("riskgate:in:closes", "0"), "riskgate",
                XGroupCreateArgs.Builder.mkstream());
        assertThat(raw.xreadgroup(Consumer.from("riskgate", "c1"), XReadArgs.StreamOffset.lastConsumed(
                "riskgate:in:closes"))).hasSize(1);
        new JdbcTemplate(db).update("INSERT INTO bus_inbound (stream, entry_id, processed_at, outcome) "
                + "VALUES (?,?,?,?)", "riskgate:in:closes", entry, Timestamp.from(clock.instant()), "APPLYING");

        InboundStreams in = inbound("c1");
        assertThat(in.consumeOnce(Duration.ofSeconds(1))).isEqualTo(1);
        assertThat(raw.xrange("riskgate:in:dead", Range.create("-", "+"))).singleElement()
                .satisfies(m -> assertThat(m.getBody().get("reason")).contains("does not apply a close twice"));
        assertThat(rt.trades().detail(trade).trade().openQuantity()).isEqualTo(0.01);
        assertThat(raw.xpending("riskgate:in:closes", "riskgate").getCount()).isZero();
    }

    /**
     * What a crash between a mark's apply and its record does: the mark is applied again, which issues nothing more.
     * Seed 001's trade marked at +1R (52,250: the stop to breakeven) and at 56,000, each twice with the same time:
     * (56,000 - 50,000) / 2,250 = +2.67R, past +2R, so half is taken (PARTIAL_TAKE_PROFIT) and the ATR trail starts
     * (ATR_TRAILING_STOP), which leaves the 55,625 target alone (exits.take_profit_after_trailing: false). Each once.
     */
    @Test
    void aMarkAppliedTwiceIssuesNothingMore() throws Exception {
        String trade = openTrade("in-5");
        String target = MARK.replace("52250", "56000").replace("10:01:00", "10:02:00");
        for (String mark : List.of(MARK, MARK, target, target)) {
            rt.exits().mark(MarkParser.parse(Requests.JSON.readTree(mark)));
        }
        assertThat(rt.exits().log().forTrade(trade)).extracting(ExitInstruction::code)
                .containsExactly("BREAKEVEN", "PARTIAL_TAKE_PROFIT", "ATR_TRAILING_STOP");
    }
}
