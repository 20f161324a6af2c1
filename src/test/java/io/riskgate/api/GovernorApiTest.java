package io.riskgate.api;

import static io.riskgate.api.MarksApiTest.body;
import static io.riskgate.testing.Requests.JSON;
import static io.riskgate.testing.Requests.seed001;
import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.governor.EventBus;
import io.riskgate.governor.GovernorService;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The portfolio governor over real HTTP: {@code GET /api/v1/accounts/{id}/state}, an officer's {@code POST
 * .../breaker}, emergency instructions and their acknowledgement, the alert stream {@code GET /api/v1/events}, and
 * the governor's effect on {@code POST /api/v1/checks}. Thresholds are seed 001's defaults from
 * {@code policies/default.yaml}: daily loss 3% (HALTED to the next 00:00 UTC), weekly 10%, circuit breaker 5% from
 * the peak (REDUCING for 4 h), max drawdown 15% (HALTED, CLOSE_ALL, until an officer resets), losing streak of 3
 * (risk x 0.5). Seed 001's T0, 2026-11-21T10:00Z, is a Saturday: its day window opened at 00:00 that day, its
 * week on Monday 2026-11-16. The server clock is pinned at 2032-01-01T00:00Z, so an officer's action (which has no
 * event time of its own) is stamped with it. Every test uses its own account and, when it trades, its own symbol.
 */
@RiskgateServerTest
class GovernorApiTest {

    static final Instant T0 = TestRuntime.T0;
    static final Instant NINE = T0.minus(Duration.ofHours(1));
    /** The pinned server clock: when an officer's trip, reset or acknowledgement happens. */
    static final String SERVER_NOW = "2032-01-01T00:00:00Z";
    static final Duration STREAM_TIMEOUT = Duration.ofSeconds(5);
    /** The principal an officer's requests are made as: the breaker log records it as the actor. */
    static final String OFFICER = "officer-anna";

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.riskgate.security.ApiKeys keys;

    /** Only to know when the server has registered an event stream's subscriber (see {@link EventStream}). */
    @Autowired
    GovernorService governor;

    HttpApi api;
    String account;
    String symbol;

    @BeforeEach
    void connect() {
        api = new HttpApi(port, io.riskgate.testing.TestKeys.superuser(keys));
        EventStream.key = io.riskgate.testing.TestKeys.superuser(keys);
        account = newAccount();
        symbol = "G" + UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT) + "USDT";
    }

    private static String newAccount() {
        return "gov-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The body of a response that must have {@code status}. */
    private static JsonNode expect(HttpApi.Response r, int status) {
        assertThat(r.status()).as("answered %s", r.raw()).isEqualTo(status);
        return r.body();
    }

    private JsonNode state(String account) {
        return expect(api.get("/api/v1/accounts/" + account + "/state"), 200);
    }

    private void putEquity(String account, double equity, Instant at) {
        expect(api.put("/api/v1/accounts/" + account + "/equity", body("equity", equity, "timestamp", at.toString())),
                200);
    }

    /** 10,000 at 09:00 opens the day (and the week); {@code now} at 10:00 is measured against it. */
    private void dayFrom10000To(String account, double now) {
        putEquity(account, 10_000, NINE);
        putEquity(account, now, T0);
    }

    /** An officer's TRIP or RESET, made as {@link #OFFICER}. */
    private HttpApi.Response breaker(String account, Object... fields) {
        return api.as(io.riskgate.testing.TestKeys.named(keys, OFFICER)).post("/api/v1/accounts/" + account + "/breaker", body(fields));
    }

    private JsonNode officer(String account, Object... fields) {
        return expect(breaker(account, fields), 200);
    }

    private JsonNode instructions(String account, boolean open) {
        return expect(api.get("/api/v1/accounts/" + account + "/instructions" + (open ? "?open=true" : "")), 200);
    }

    private HttpApi.Response ack(String account, String instructionId, Object body) {
        return api.post("/api/v1/accounts/" + account + "/instructions/" + instructionId + "/ack", body);
    }

    private ObjectNode check(Instant at) {
        return set(set(set(seed001(), "account", account), "symbol", symbol), "market.timestamp", at.toString());
    }

    /** Seed 001's long at event time {@code at}, filled whole at 50,000 thirty seconds later: the trade's id. */
    private String openLong(Instant at) {
        return fill(api.check(check(at)), at.plusSeconds(30));
    }

    /** Fills an approved decision's whole quantity at 50,000 at {@code at}: the trade's id. */
    private String fill(JsonNode decision, Instant at) {
        assertThat(decision.path("approved").asBoolean()).as("approved: %s", decision).isTrue();
        return expect(api.post("/api/v1/trades", body("decisionId", decision.path("decisionId").asText(),
                "fillPrice", 50_000, "quantity", decision.path("quantity").asDouble(), "timestamp", at.toString())),
                201).path("id").asText();
    }

    private JsonNode close(String tradeId, double price, Instant at) {
        return expect(api.post("/api/v1/trades/" + tradeId + "/close", body("price", price, "timestamp",
                at.toString())), 200);
    }

    private static List<String> codes(JsonNode breakers) {
        List<String> out = new ArrayList<>();
        breakers.forEach(b -> out.add(b.path("code").asText()));
        return out;
    }

    private static JsonNode breakerOf(JsonNode state, String code) {
        for (JsonNode b : state.path("breakers")) {
            if (b.path("code").asText().equals(code)) {
                return b;
            }
        }
        throw new AssertionError("no " + code + " among " + state.path("breakers"));
    }

    private static boolean absent(JsonNode n) {
        return n.isMissingNode() || n.isNull();
    }

    // ---- state

    @Test
    void accountNeverSeenIsActiveWithNoBreakersNoEquityAndNothingToDo() {
        JsonNode s = state(account);

        assertThat(s.path("account").asText()).isEqualTo(account);
        assertThat(s.path("state").asText()).isEqualTo("ACTIVE");
        assertThat(s.path("breakers").isArray()).isTrue();
        assertThat(s.path("breakers")).isEmpty();
        assertThat(s.path("multipliers")).isEmpty();
        assertThat(absent(s.path("equity"))).as("no equity known: %s", s).isTrue();
        assertThat(s.path("openInstructions").asLong(-1)).isZero();
        assertThat(s.path("stopTightening").asDouble()).isEqualTo(1.0);
        assertThat(instructions(account, false)).isEmpty();
    }

    static Stream<Arguments> dailyLossAroundTheLimit() {
        return Stream.of(
                // 10,000 - 9,700 = 300; 300 / 10,000 = 0.03: at the 3% limit, which trips (>=)
                arguments(9_700, 0.03, "HALTED", List.of("DAILY_LOSS_LIMIT")),
                // 10,000 - 9,701 = 299; 299 / 10,000 = 0.0299: just inside
                arguments(9_701, 0.0299, "ACTIVE", List.of()));
    }

    @ParameterizedTest(name = "equity 10,000 -> {0}: daily loss {1}, {2}")
    @MethodSource("dailyLossAroundTheLimit")
    void dailyLossHaltsTheAccountFromExactlyTheLimit(double equity, double daily, String state, List<String> codes) {
        dayFrom10000To(account, equity);

        JsonNode s = state(account);

        assertThat(s.path("equity").asDouble()).isEqualTo(equity);
        assertThat(s.path("drawdown").path("dayOpenEquity").asDouble()).isEqualTo(10_000.0);
        assertThat(s.path("drawdown").path("dayStart").asText()).isEqualTo("2026-11-21T00:00:00Z");
        assertThat(s.path("drawdown").path("daily").asDouble()).isEqualTo(daily);
        assertThat(s.path("state").asText()).isEqualTo(state);
        assertThat(codes(s.path("breakers"))).isEqualTo(codes);
    }

    @Test
    void dailyLossBreakerRecordsRuleMeasuredLimitAndTheNextMidnight() {
        dayFrom10000To(account, 9_700);

        JsonNode b = breakerOf(state(account), "DAILY_LOSS_LIMIT");

        assertThat(b.path("rule").asText()).isEqualTo("Daily loss limit");
        assertThat(b.path("state").asText()).isEqualTo("HALTED");
        assertThat(b.path("measured").asDouble()).isEqualTo(0.03);
        assertThat(b.path("limit").asDouble()).isEqualTo(0.03);
        assertThat(b.path("actor").asText()).isEqualTo("rules");
        // tripped by the 10:00 report; the day window (00:00 UTC) ends at midnight
        assertThat(b.path("trippedAt").asText()).isEqualTo("2026-11-21T10:00:00Z");
        assertThat(b.path("until").asText()).isEqualTo("2026-11-22T00:00:00Z");
        assertThat(b.path("reason").asText()).contains("3%");
    }

    static Stream<Arguments> checkEquities() {
        return Stream.of(arguments("equity omitted", null), arguments("equity 9,700 (the current)", 9_700));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkEquities")
    void checkOnAnAccountHaltedByTheDailyLossIsRejectedWithTheBreakersCode(String label, Integer equity) {
        dayFrom10000To(account, 9_700);

        JsonNode d = api.check(set(check(T0), "equity", equity));

        assertThat(d.path("approved").asBoolean()).isFalse();
        assertThat(d.path("quantity").asDouble()).isZero();
        assertThat(d.path("rejections")).extracting(r -> r.path("code").asText()).containsExactly("DAILY_LOSS_LIMIT");
        assertThat(state(account).path("state").asText()).isEqualTo("HALTED");
    }

    @Test
    void dailyLossBreakerHoldsUntilMidnightAndClearsAtIt() {
        dayFrom10000To(account, 9_700);

        putEquity(account, 9_700, Instant.parse("2026-11-21T23:59:59Z"));
        assertThat(state(account).path("state").asText()).isEqualTo("HALTED");

        // a new day opens with 9,700: no loss in it, and the breaker's window has ended
        putEquity(account, 9_700, Instant.parse("2026-11-22T00:00:00Z"));
        JsonNode s = state(account);
        assertThat(s.path("state").asText()).isEqualTo("ACTIVE");
        assertThat(s.path("breakers")).isEmpty();
        assertThat(s.path("drawdown").path("dayOpenEquity").asDouble()).isEqualTo(9_700.0);
        assertThat(s.path("drawdown").path("daily").asDouble()).isZero();
    }

    // ---- an officer's trip and reset

    @Test
    void officerTripHaltsWithOfficerHaltAndResetMakesTheAccountActiveAgain() {
        JsonNode tripped = officer(account, "action", "TRIP", "reason", "venue outage");

        assertThat(tripped.path("state").asText()).isEqualTo("HALTED");
        assertThat(tripped.path("breakers")).hasSize(1);
        JsonNode b = tripped.path("breakers").get(0);
        assertThat(b.path("code").asText()).isEqualTo("OFFICER_HALT");
        assertThat(b.path("state").asText()).isEqualTo("HALTED");
        assertThat(b.path("reason").asText()).isEqualTo("venue outage");
        assertThat(b.path("actor").asText()).isEqualTo(OFFICER);
        assertThat(b.path("trippedAt").asText()).isEqualTo(SERVER_NOW);
        assertThat(absent(b.path("until"))).as("until an officer resets it: %s", b).isTrue();
        assertThat(absent(b.path("measured"))).isTrue();
        assertThat(state(account)).isEqualTo(tripped);

        JsonNode reset = officer(account, "action", "RESET", "reason", "venue back");

        assertThat(reset.path("state").asText()).isEqualTo("ACTIVE");
        assertThat(reset.path("breakers")).isEmpty();
        assertThat(state(account).path("state").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void theBreakerLogNamesThePrincipalWhoTrippedAndWhoReset() {
        expect(api.as(io.riskgate.testing.TestKeys.named(keys, "officer-anna")).post("/api/v1/accounts/" + account + "/breaker",
                body("action", "TRIP", "reason", "venue outage")), 200);
        expect(api.as(io.riskgate.testing.TestKeys.named(keys, "officer-ben")).post("/api/v1/accounts/" + account + "/breaker",
                body("action", "RESET", "reason", "venue back")), 200);
        expect(api.as(io.riskgate.testing.TestKeys.named(keys, "officer-carl")).post("/api/v1/accounts/" + account + "/breaker", body("action", "TRIP", "reason", "again")), 200);

        JsonNode log = expect(api.get("/api/v1/accounts/" + account + "/breakers"), 200);

        assertThat(log).extracting(c -> c.path("action").asText(), c -> c.path("actor").asText(),
                c -> c.path("reason").asText()).containsExactly(
                org.assertj.core.groups.Tuple.tuple("TRIP", "officer-carl", "again"),
                org.assertj.core.groups.Tuple.tuple("CLEAR", "officer-ben", "venue back"),
                org.assertj.core.groups.Tuple.tuple("TRIP", "officer-anna", "venue outage"));
    }

    @Test
    void officerTripWithStateReducingLeavesTheAccountReducing() {
        JsonNode tripped = officer(account, "action", "TRIP", "reason", "cut risk", "state", "REDUCING");

        assertThat(tripped.path("state").asText()).isEqualTo("REDUCING");
        assertThat(codes(tripped.path("breakers"))).containsExactly("OFFICER_HALT");
        assertThat(tripped.path("breakers").get(0).path("state").asText()).isEqualTo("REDUCING");
    }

    @Test
    void resetOfOneBreakerByCodeKeepsTheOthers() {
        dayFrom10000To(account, 9_700);
        officer(account, "action", "TRIP", "reason", "look into the loss");

        JsonNode reset = officer(account, "action", "RESET", "reason", "looked", "code", "OFFICER_HALT");

        assertThat(reset.path("state").asText()).isEqualTo("HALTED");
        assertThat(codes(reset.path("breakers"))).containsExactly("DAILY_LOSS_LIMIT");
    }

    @Test
    void resetWithNothingActiveIs409() {
        HttpApi.Response nothing = breaker(account, "action", "RESET", "reason", "just in case");

        assertThat(nothing.status()).isEqualTo(409);
        assertThat(nothing.contentType()).startsWith("application/problem+json");

        officer(account, "action", "TRIP", "reason", "venue outage");
        HttpApi.Response other = breaker(account, "action", "RESET", "reason", "r", "code", "DAILY_LOSS_LIMIT");

        assertThat(other.status()).isEqualTo(409);
        assertThat(state(account).path("state").asText()).isEqualTo("HALTED");
    }

    static Stream<Arguments> badBreakerBodies() {
        return Stream.of(
                arguments("reason missing", body("action", "TRIP"), List.of("reason")),
                arguments("blank reason", body("action", "TRIP", "reason", " "), List.of("reason")),
                arguments("reason of 501 characters", body("action", "TRIP", "reason", "r".repeat(501)),
                        List.of("reason")),
                arguments("unknown action", body("action", "PAUSE", "reason", "r"), List.of("action")),
                arguments("unknown field", body("action", "TRIP", "reason", "r", "until", "monday"),
                        List.of("until")),
                arguments("an actor: who acted is the authenticated principal",
                        body("action", "TRIP", "reason", "r", "actor", "officer-ben"), List.of("actor")),
                arguments("RESET with a state", body("action", "RESET", "reason", "r", "state", "HALTED"),
                        List.of("action")),
                arguments("RESET with an emergency", body("action", "RESET", "reason", "r", "emergency", "CLOSE_ALL"),
                        List.of("action")),
                arguments("TRIP with a code", body("action", "TRIP", "reason", "r", "code", "DAILY_LOSS_LIMIT"),
                        List.of("code")),
                arguments("TRIP to ACTIVE", body("action", "TRIP", "reason", "r", "state", "ACTIVE"),
                        List.of("state")),
                arguments("unknown emergency", body("action", "TRIP", "reason", "r", "emergency", "PANIC"),
                        List.of("emergency")),
                arguments("every problem at once", body("action", "PAUSE", "colour", "red", "state", "PAUSED"),
                        List.of("action", "reason", "colour", "state")),
                arguments("empty object", body(), List.of("action", "reason")),
                arguments("not an object", "[]", List.of("$")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBreakerBodies")
    void badBreakerBodyIs400ListingEveryProblemAndChangesNothing(String label, Object body, List<String> fields) {
        HttpApi.Response r = api.post("/api/v1/accounts/" + account + "/breaker", body);

        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.errorFields()).containsExactlyInAnyOrderElementsOf(fields);
        JsonNode s = state(account);
        assertThat(s.path("state").asText()).isEqualTo("ACTIVE");
        assertThat(s.path("breakers")).isEmpty();
    }

    // ---- emergency instructions

    /** Opens seed 001's long, then an officer halts the account asking for CLOSE_ALL: the trade's id. */
    private String openTradeThenTripWithCloseAll() {
        String tradeId = openLong(T0);
        JsonNode tripped = officer(account, "action", "TRIP", "reason", "exchange insolvent", "emergency",
                "CLOSE_ALL");
        assertThat(tripped.path("openInstructions").asLong()).isEqualTo(1);
        return tradeId;
    }

    @Test
    void officerCloseAllListsTheOpenTradeUntilAcknowledged() {
        String tradeId = openTradeThenTripWithCloseAll();

        JsonNode listed = instructions(account, true);

        assertThat(listed).hasSize(1);
        JsonNode i = listed.get(0);
        assertThat(i.path("instructionId").asText()).matches("[0-9a-f-]{36}");
        assertThat(i.path("account").asText()).isEqualTo(account);
        assertThat(i.path("kind").asText()).isEqualTo("CLOSE_ALL");
        assertThat(i.path("tradeIds")).extracting(JsonNode::asText).containsExactly(tradeId);
        assertThat(i.path("code").asText()).isEqualTo("OFFICER_HALT");
        assertThat(i.path("reason").asText()).isEqualTo("exchange insolvent");
        assertThat(i.path("issuedAt").asText()).isEqualTo(SERVER_NOW);
        assertThat(absent(i.path("acknowledgedAt"))).isTrue();

        HttpApi.Response acked = ack(account, i.path("instructionId").asText(), body("note", "closed at the venue"));

        assertThat(acked.status()).as(acked.raw()).isEqualTo(200);
        assertThat(acked.body().path("acknowledgedAt").asText()).isEqualTo(SERVER_NOW);
        assertThat(acked.body().path("acknowledgement").asText()).isEqualTo("closed at the venue");
        assertThat(instructions(account, true)).isEmpty();
        JsonNode all = instructions(account, false);
        assertThat(all).hasSize(1);
        assertThat(all.get(0).path("acknowledgedAt").asText()).isEqualTo(SERVER_NOW);
        assertThat(state(account).path("openInstructions").asLong(-1)).isZero();
    }

    @Test
    void anAcknowledgementNamingAnActorIs400AndAcknowledgesNothing() {
        openTradeThenTripWithCloseAll();
        String id = instructions(account, true).get(0).path("instructionId").asText();

        HttpApi.Response r = ack(account, id, body("note", "closed", "actor", "officer-ben"));

        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.errorFields()).containsExactly("actor");
        assertThat(r.body().path("errors").get(0).path("message").asText())
                .isEqualTo("actor is the authenticated principal; do not send it");
        assertThat(instructions(account, true)).hasSize(1);
    }

    @Test
    void secondAcknowledgementIs409AndAnUnknownInstructionIs404() {
        openTradeThenTripWithCloseAll();
        String id = instructions(account, true).get(0).path("instructionId").asText();
        assertThat(ack(account, id, "").status()).isEqualTo(200);

        HttpApi.Response again = ack(account, id, "");
        HttpApi.Response unknown = ack(account, UUID.randomUUID().toString(), "");
        HttpApi.Response otherAccount = ack(newAccount(), id, "");

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(otherAccount.status()).as("an instruction is found on its own account only").isEqualTo(404);
    }

    @Test
    void ackWithAnUnknownFieldIs400AndLeavesTheInstructionOpen() {
        openTradeThenTripWithCloseAll();
        String id = instructions(account, true).get(0).path("instructionId").asText();

        HttpApi.Response r = ack(account, id, body("note", "done", "by", "desk"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorFields()).containsExactly("by");
        assertThat(instructions(account, true)).hasSize(1);
    }

    @Test
    void tradeClosedAfterACloseAllEndsClosedBreaker() {
        String tradeId = openTradeThenTripWithCloseAll();

        JsonNode closed = close(tradeId, 49_000, T0.plus(Duration.ofHours(1)));

        assertThat(closed.path("state").asText()).isEqualTo("CLOSED_BREAKER");
        assertThat(api.get("/api/v1/trades/" + tradeId).body().path("state").asText()).isEqualTo("CLOSED_BREAKER");
    }

    // ---- max drawdown

    @Test
    void maxDrawdownHaltsAndIssuesOneCloseAllThatALowerEquityDoesNotRepeat() {
        // seed 001's check reports 10,000 at 10:00 (the peak, and the day's and week's open); its long fills 10:00:30
        String tradeId = openLong(T0);

        // 10,000 -> 8,500: (10,000 - 8,500) / 10,000 = 0.15 below the peak, at the 15% maximum; the same 15% is also
        // beyond the daily 3%, the weekly 10% and the circuit breaker's 5%
        putEquity(account, 8_500, T0.plus(Duration.ofMinutes(5)));

        JsonNode s = state(account);
        assertThat(s.path("state").asText()).isEqualTo("HALTED");
        assertThat(codes(s.path("breakers"))).containsExactlyInAnyOrder("DAILY_LOSS_LIMIT", "WEEKLY_LOSS_LIMIT",
                "CIRCUIT_BREAKER", "MAX_DRAWDOWN");
        JsonNode max = breakerOf(s, "MAX_DRAWDOWN");
        assertThat(max.path("state").asText()).isEqualTo("HALTED");
        assertThat(max.path("measured").asDouble()).isEqualTo(0.15);
        assertThat(max.path("limit").asDouble()).isEqualTo(0.15);
        assertThat(absent(max.path("until"))).as("until an officer resets it: %s", max).isTrue();
        JsonNode issued = instructions(account, false);
        assertThat(issued).hasSize(1);
        assertThat(issued.get(0).path("kind").asText()).isEqualTo("CLOSE_ALL");
        assertThat(issued.get(0).path("code").asText()).isEqualTo("MAX_DRAWDOWN");
        assertThat(issued.get(0).path("tradeIds")).extracting(JsonNode::asText).containsExactly(tradeId);

        // 8,400 is 16% down: still beyond the limit, not a new crossing
        putEquity(account, 8_400, T0.plus(Duration.ofMinutes(30)));

        assertThat(instructions(account, false)).hasSize(1);
        assertThat(state(account).path("openInstructions").asLong()).isEqualTo(1);
        assertThat(close(tradeId, 49_000, T0.plus(Duration.ofHours(1))).path("state").asText())
                .isEqualTo("CLOSED_BREAKER");
    }

    @Test
    void circuitBreakerReducesForFourHoursAndRejectsNewEntriesWithItsCode() {
        // Saturday: 10,000 at 09:00, 9,750 at 10:00: 2.5% down, inside the daily 3%
        dayFrom10000To(account, 9_750);
        // Sunday 00:30: the day opened with 9,750, so 9,500 is 250 / 9,750 = 2.56% down on the day, but
        // (10,000 - 9,500) / 10,000 = 0.05 below the peak: the 5% circuit breaker, REDUCING until 04:30
        Instant sunday = Instant.parse("2026-11-22T00:30:00Z");
        putEquity(account, 9_500, sunday);

        JsonNode s = state(account);
        assertThat(s.path("state").asText()).isEqualTo("REDUCING");
        assertThat(codes(s.path("breakers"))).containsExactly("CIRCUIT_BREAKER");
        JsonNode b = breakerOf(s, "CIRCUIT_BREAKER");
        assertThat(b.path("measured").asDouble()).isEqualTo(0.05);
        assertThat(b.path("until").asText()).isEqualTo("2026-11-22T04:30:00Z");
        JsonNode d = api.check(set(check(sunday.plus(Duration.ofMinutes(30))), "equity", null));
        assertThat(d.path("approved").asBoolean()).isFalse();
        assertThat(d.path("rejections")).extracting(r -> r.path("code").asText()).containsExactly("CIRCUIT_BREAKER");

        putEquity(account, 9_500, Instant.parse("2026-11-22T04:29:59Z"));
        assertThat(state(account).path("state").asText()).isEqualTo("REDUCING");

        // the cooldown ends at 04:30; still 5% down, but a breaker trips on crossing, not again while beyond
        putEquity(account, 9_500, Instant.parse("2026-11-22T04:30:00Z"));
        assertThat(state(account).path("state").asText()).isEqualTo("ACTIVE");
        assertThat(state(account).path("breakers")).isEmpty();
    }

    @Test
    void accountIdOutsideThePatternIs400OnEveryGovernorEndpoint() {
        String bad = "/api/v1/accounts/a%20b"; // "a b": a space is outside [A-Za-z0-9_.:/@-]{1,64}

        List<HttpApi.Response> answers = List.of(api.get(bad + "/state"), api.get(bad + "/instructions"),
                api.post(bad + "/breaker", body("action", "TRIP", "reason", "r")),
                api.post(bad + "/instructions/" + UUID.randomUUID() + "/ack", ""));

        assertThat(answers).allSatisfy(r -> {
            assertThat(r.status()).as(r.raw()).isEqualTo(400);
            assertThat(r.errorFields()).containsExactly("id");
        });
    }

    // ---- the alert stream

    @Test
    void eventStreamDeliversTheTripAsBreakerTrippedThenStateChangedOfItsAccountOnly() {
        String other = newAccount();
        try (EventStream stream = EventStream.open(governor.bus(), port, "?account=" + account, null)) {
            officer(other, "action", "TRIP", "reason", "someone else's trip");
            officer(account, "action", "TRIP", "reason", "venue outage");

            List<EventStream.Event> events = stream.until("STATE_CHANGED");

            assertThat(events).extracting(EventStream.Event::type).containsExactly("BREAKER_TRIPPED", "STATE_CHANGED");
            assertThat(events).allSatisfy(e -> {
                assertThat(e.id()).as("every event carries an id: line").isPositive();
                assertThat(e.data().path("id").asLong()).isEqualTo(e.id());
                assertThat(e.data().path("account").asText()).isEqualTo(account);
            });
            assertThat(events.get(1).id()).isGreaterThan(events.get(0).id());
            assertThat(events.get(0).data().path("level").asText()).isEqualTo("CRITICAL");
            assertThat(events.get(0).data().path("data").path("code").asText()).isEqualTo("OFFICER_HALT");
            assertThat(events.get(1).data().path("data").path("from").asText()).isEqualTo("ACTIVE");
            assertThat(events.get(1).data().path("data").path("to").asText()).isEqualTo("HALTED");
        }
    }

    @Test
    void eventStreamAnswersWithItsHeadersBeforeTheFirstEvent() {
        CompletableFuture<HttpResponse<Stream<String>>> f = EventStream.request(port, "?account=" + account, null);
        try {
            assertThat(eventually(f::isDone)).as("status line and headers within %s", STREAM_TIMEOUT).isTrue();
            HttpResponse<Stream<String>> r = f.join();

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        } finally {
            f.cancel(true);
            f.thenAccept(r -> r.body().close());
        }
    }

    @Test
    void streamClosedByItsClientIsDroppedFromTheBus() {
        int before = governor.bus().subscribers();
        try (EventStream stream = EventStream.open(governor.bus(), port, "?account=" + account, null)) {
            officer(account, "action", "TRIP", "reason", "venue outage");
            stream.until("STATE_CHANGED");
        }

        assertThat(eventually(() -> governor.bus().subscribers() <= before))
                .as("subscribers back to %d, are %d", before, governor.bus().subscribers()).isTrue();
    }

    /** An AUDITOR key of its own, named {@code prefix} and the account, that the next streams open with. */
    private io.riskgate.security.ApiKeys.Created streamsWithAKeyOfTheirOwn(String prefix) {
        io.riskgate.security.ApiKeys.Created reader = keys.create(new io.riskgate.security.ApiKeys.Spec(
                prefix + account, java.util.Set.of(io.riskgate.security.Role.AUDITOR), java.util.Set.of(),
                java.time.Duration.ofDays(1)), "test");
        EventStream.key = reader.key();
        return reader;
    }

    @Test
    void aStreamEndsWhenItsKeyIsRevoked() {
        String superuser = EventStream.key;
        io.riskgate.security.ApiKeys.Created reader = streamsWithAKeyOfTheirOwn("stream-reader-");
        try (EventStream stream = EventStream.open(governor.bus(), port, "?account=" + account, null)) {
            // the stream is open and alive: heartbeats keep it so
            assertThat(stream.endsWithin(java.time.Duration.ofMillis(1_200))).isFalse();
            keys.revoke(reader.apiKey().id(), "test");
            // the next heartbeat (500 ms here) ends it: a revoked key hears nothing more. Judged by the client's
            // stream ending, not by the bus's subscriber count, which other tests' streams leaving also move
            assertThat(stream.endsWithin(STREAM_TIMEOUT)).as("the revoked key's stream ended").isTrue();
        } finally {
            EventStream.key = superuser;
        }
    }

    /**
     * One credential holds at most {@code STREAMS_PER_CALLER} open streams: the next is refused (429) while they are
     * open, and served again once one closes. Without the bound, one key opening streams at its rate limit would hold
     * every connection the server has.
     */
    @Test
    void aCredentialHoldsABoundedNumberOfOpenStreams() {
        String superuser = EventStream.key;
        streamsWithAKeyOfTheirOwn("stream-many-");
        List<EventStream> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < GovernorController.STREAMS_PER_CALLER; i++) {
                open.add(EventStream.open(governor.bus(), port, "?account=" + account, null));
            }
            HttpResponse<Stream<String>> refused = EventStream.request(port, "?account=" + account, null).join();
            assertThat(refused.statusCode()).isEqualTo(429);
            refused.body().close();
            open.remove(0).close();
            assertThat(eventually(() -> {
                CompletableFuture<HttpResponse<Stream<String>>> again = EventStream.request(port,
                        "?account=" + account, null);
                try {
                    HttpResponse<Stream<String>> r = again.get(5, java.util.concurrent.TimeUnit.SECONDS);
                    r.body().close();
                    return r.statusCode() == 200;
                } catch (Exception e) {
                    again.cancel(true);
                    return false;
                }
            })).as("a stream served once one of the credential's closed").isTrue();
        } finally {
            open.forEach(EventStream::close);
            EventStream.key = superuser;
        }
    }

    static Stream<Arguments> resumeFrom() {
        return Stream.of(arguments("?since=", false), arguments("Last-Event-ID", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resumeFrom")
    void reconnectingAfterAnEventReplaysOnlyTheLaterOnes(String label, boolean header) {
        // four stored events: BREAKER_TRIPPED, STATE_CHANGED (-> HALTED), BREAKER_CLEARED, STATE_CHANGED (-> ACTIVE)
        officer(account, "action", "TRIP", "reason", "venue outage");
        officer(account, "action", "RESET", "reason", "venue back");
        List<EventStream.Event> all;
        try (EventStream stream = EventStream.open(governor.bus(), port, "?account=" + account + "&since=0", null)) {
            all = List.of(stream.next(), stream.next(), stream.next(), stream.next());
        }
        assertThat(all).extracting(EventStream.Event::type)
                .containsExactly("BREAKER_TRIPPED", "STATE_CHANGED", "BREAKER_CLEARED", "STATE_CHANGED");
        long seen = all.get(1).id();

        try (EventStream resumed = header
                ? EventStream.open(governor.bus(), port, "?account=" + account, String.valueOf(seen))
                : EventStream.open(governor.bus(), port, "?account=" + account + "&since=" + seen, null)) {

            assertThat(List.of(resumed.next(), resumed.next())).extracting(EventStream.Event::id)
                    .containsExactly(all.get(2).id(), all.get(3).id());
        }
    }

    /** Polls {@code condition} every 5 ms until it holds (true) or the stream timeout passes (false). */
    static boolean eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + STREAM_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return true;
    }

    /**
     * A subscription to {@code GET /api/v1/events}: the response is awaited and its body read line by line on a
     * daemon thread, parsed into events ({@code id:}, {@code event:}, {@code data:}, then a blank line) that the
     * test polls with a timeout. The server sends no headers before the first event (see
     * {@link GovernorApiTest#eventStreamAnswersWithItsHeadersBeforeTheFirstEvent}), so {@link #open} returns once
     * the server has registered the subscriber on its event bus instead of waiting for the response.
     */
    static final class EventStream implements AutoCloseable {

        record Event(long id, String type, JsonNode data) {
        }

        private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(STREAM_TIMEOUT).build();
        /** The credential streams are opened with (the test's superuser key). */
        static volatile String key;

        private final CompletableFuture<HttpResponse<Stream<String>>> response;
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final Thread reader;

        private EventStream(CompletableFuture<HttpResponse<Stream<String>>> response) {
            this.response = response;
            this.reader = new Thread(this::read, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        static CompletableFuture<HttpResponse<Stream<String>>> request(int port, String query, String lastEventId) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/api/v1/events" + query)).header("Accept", "text/event-stream").GET();
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            return CLIENT.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        }

        /** Subscribes and returns once the server's bus has one subscriber more (or the response came). */
        static EventStream open(EventBus bus, int port, String query, String lastEventId) {
            int before = bus.subscribers();
            CompletableFuture<HttpResponse<Stream<String>>> response = request(port, query, lastEventId);
            if (!eventually(() -> bus.subscribers() > before || response.isDone())) {
                response.cancel(true);
                throw new AssertionError("GET /api/v1/events" + query + " did not subscribe within " + STREAM_TIMEOUT);
            }
            return new EventStream(response);
        }

        private void read() {
            long id = -1;
            String type = null;
            StringBuilder data = new StringBuilder();
            try (Stream<String> lines = response.get().body()) {
                for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                    String line = it.next();
                    if (line.isEmpty()) {
                        if (data.length() > 0) {
                            events.add(new Event(id, type, JSON.readTree(data.toString())));
                        }
                        id = -1;
                        type = null;
                        data.setLength(0);
                    } else if (line.startsWith("id:")) {
                        id = Long.parseLong(value(line));
                    } else if (line.startsWith("event:")) {
                        type = value(line);
                    } else if (line.startsWith("data:")) {
                        data.append(data.length() > 0 ? "\n" : "").append(value(line));
                    }
                }
            } catch (IOException | UncheckedIOException | ExecutionException | CancellationException closed) {
                // the test closed the stream, or the request failed (next() reports it)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Whether the server ended the stream (the reader saw its end) within {@code wait}. */
        boolean endsWithin(java.time.Duration wait) {
            try {
                reader.join(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return !reader.isAlive();
        }

        private static String value(String line) {
            String v = line.substring(line.indexOf(':') + 1);
            return v.startsWith(" ") ? v.substring(1) : v;
        }

        /** The next event, failing the test if none arrives within the timeout. */
        Event next() {
            try {
                Event e = events.poll(STREAM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (e == null) {
                    throw new AssertionError("no event within " + STREAM_TIMEOUT + (response.isDone()
                            ? "; the stream answered " + response.join().statusCode() : "; no response yet"));
                }
                HttpResponse<Stream<String>> r = response.join();
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
                return e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Every event up to and including the first of {@code type}. */
        List<Event> until(String type) {
            List<Event> out = new ArrayList<>();
            do {
                out.add(next());
            } while (!type.equals(out.get(out.size() - 1).type()));
            return out;
        }

        @Override
        public void close() {
            response.cancel(true);
            response.thenAccept(r -> r.body().close());
            reader.interrupt();
        }
    }

    // ---- multipliers in the pre-trade check

    @Test
    void threeLosingTradesInARowAddLosingStreakAndHalveTheRiskAmount() {
        // each round: seed 001's check at its own time, a fill of 0.01 at 50,000, a close at 49,000 five minutes
        // later: -1,000 x 0.01 = -10, a LOSS. Each check reports 10,000 again, so no drawdown builds up.
        for (int round = 0; round < 3; round++) {
            Instant at = T0.plus(Duration.ofMinutes(10L * round));
            JsonNode d = api.check(check(at));
            // with 0, 1, 2 losses behind it: risk 1% of 10,000 = 100, no streak yet
            assertThat(d.path("riskAmount").asDouble()).as("round %d", round).isEqualTo(100.0);
            assertThat(d.path("adjustments")).extracting(a -> a.path("code").asText()).doesNotContain("LOSING_STREAK");
            String tradeId = fill(d, at.plusSeconds(30));
            assertThat(close(tradeId, 49_000, at.plus(Duration.ofMinutes(5))).path("result").asText())
                    .isEqualTo("LOSS");
        }

        JsonNode d = api.check(check(T0.plus(Duration.ofMinutes(30))));

        // 3 losses reach losing_streak.trades = 3: risk 100 x 0.5 = 50
        assertThat(d.path("riskAmount").asDouble()).isEqualTo(50.0);
        JsonNode streak = null;
        for (JsonNode a : d.path("adjustments")) {
            streak = a.path("code").asText().equals("LOSING_STREAK") ? a : streak;
        }
        assertThat(streak).as("LOSING_STREAK in %s", d.path("adjustments")).isNotNull();
        assertThat(streak.path("factor").asDouble()).isEqualTo(0.5);
        assertThat(streak.path("group").asText()).isEqualTo("governor");
        assertThat(state(account).path("multipliers")).extracting(m -> m.path("code").asText())
                .containsExactly("LOSING_STREAK");
    }
}
