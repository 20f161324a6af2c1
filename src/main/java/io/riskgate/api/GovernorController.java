package io.riskgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.governor.AccountGovernorView;
import io.riskgate.governor.EmergencyInstruction;
import io.riskgate.governor.GovernorEvent;
import io.riskgate.governor.GovernorService;
import io.riskgate.order.FieldProblem;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.order.JsonFields;
import io.riskgate.policy.Governor;
import io.riskgate.policy.PolicyLoader;
import io.riskgate.portfolio.TradingState;
import io.swagger.v3.oas.annotations.Operation;
import java.io.IOException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The portfolio governor over REST: an account's trading state, an officer's trip and reset, emergency
 * instructions and their acknowledgement, and the alert stream (Server-Sent Events).
 */
@RestController
class GovernorController {

    /**
     * A stream ends after this long (the client reconnects with Last-Event-ID and misses nothing): a client that
     * went away without closing is dropped by then at the latest.
     */
    static final long STREAM_TIMEOUT_MS = 10 * 60 * 1000L;

    private final GovernorService governor;
    /** Every open stream, with the caller that opened it: a stream ends once its credential is revoked. */
    private final java.util.Map<SseEmitter, io.riskgate.security.Caller> streams =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final io.riskgate.security.ApiKeys keys;
    private final java.util.concurrent.ScheduledExecutorService heartbeat =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "riskgate-sse-heartbeat");
                t.setDaemon(true);
                return t;
            });

    /**
     * @param heartbeat how often every open stream gets a comment line: a client that went away is noticed (and
     *        unsubscribed) within one interval, and proxies keep the connection open
     */
    GovernorController(GovernorService governor, io.riskgate.security.ApiKeys keys,
                       @org.springframework.beans.factory.annotation.Value("${riskgate.events.heartbeat:15s}")
                       java.time.Duration heartbeat) {
        this.governor = governor;
        this.keys = keys;
        long ms = Math.max(100, heartbeat.toMillis());
        this.heartbeat.scheduleAtFixedRate(this::beat, ms, ms, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** At shutdown, before the web server's graceful wait: open streams end now, so it does not wait on them. */
    @org.springframework.context.event.EventListener(org.springframework.context.event.ContextClosedEvent.class)
    void closing() {
        stop();
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        heartbeat.shutdownNow();
        streams.keySet().forEach(SseEmitter::complete);
    }

    /** Each stream gets its heartbeat; a stream whose key was revoked or expired since it opened ends instead. */
    private void beat() {
        for (var entry : streams.entrySet()) {
            SseEmitter e = entry.getKey();
            try {
                beat(e, entry.getValue());
            } catch (RuntimeException unexpected) {
                // a scheduled task that throws is never run again: one stream's failure must not end every
                // stream's heartbeat (and with it the ending of revoked keys' streams)
                streams.remove(e);
                org.slf4j.LoggerFactory.getLogger(GovernorController.class)
                        .warn("event stream dropped after its heartbeat failed: {}", unexpected.toString());
            }
        }
    }

    private void beat(SseEmitter e, io.riskgate.security.Caller caller) {
        if (!keys.stillValid(caller)) {
            streams.remove(e);
            e.complete();
            return;
        }
        try {
            synchronized (e) {
                e.send(SseEmitter.event().comment("heartbeat"));
            }
        } catch (IOException | IllegalStateException gone) {
            streams.remove(e);
            e.completeWithError(gone);
        }
    }

    /** The most accounts the list answers with (the console's overview). */
    static final int MAX_ACCOUNTS = 1_000;

    /**
     * Every account the caller may read (officers and auditors all, a trader its own) with its trading state,
     * equity, drawdown and breakers, by id; at most {@link #MAX_ACCOUNTS}. The console's overview.
     */
    @Operation(summary = "Every account the caller may read, with its trading state, equity, drawdown and breakers")
    @GetMapping("/api/v1/accounts")
    List<AccountGovernorView> accounts() {
        io.riskgate.security.Caller caller = io.riskgate.security.AccountAccess.caller();
        return governor.accounts(MAX_ACCOUNTS).stream().filter(caller::mayRead)
                .map(governor::view).toList();
    }

    @Operation(summary = "An account's trading state (ACTIVE, REDUCING, HALTED), drawdown and active breakers")
    @GetMapping("/api/v1/accounts/{id}/state")
    AccountGovernorView state(@PathVariable String id) {
        return governor.view(AccountPaths.readable(id));
    }

    /**
     * An officer's TRIP or RESET with a reason; the breaker log records the authenticated principal as the actor (a
     * body naming an {@code actor} is refused).
     */
    @Operation(summary = "An officer trips or resets an account's breaker, with a reason")
    @PostMapping("/api/v1/accounts/{id}/breaker")
    AccountGovernorView breaker(@PathVariable String id, @RequestBody JsonNode body, Principal principal) {
        List<FieldProblem> problems = new ArrayList<>();
        AccountPaths.check(id, problems);
        JsonFields f = Officer.request(body, Set.of("action", "reason", "state", "emergency", "code"), problems);
        String action = f.text("action", "(?i)TRIP|RESET");
        String reason = f.text("reason", null);
        if (reason != null && reason.length() > 500) {
            f.problem("reason", "must be at most 500 characters, was " + reason.length());
        }
        Optional<TradingState> state = f.optionalText("state", "(?i)HALTED|REDUCING")
                .map(s -> TradingState.valueOf(s.toUpperCase(Locale.ROOT)));
        Optional<Governor.Emergency> emergency = f.optionalText("emergency", "(?i)NONE|CLOSE_ALL|REDUCE")
                .map(s -> Governor.Emergency.valueOf(s.toUpperCase(Locale.ROOT)));
        Optional<String> code = f.optionalText("code", PolicyLoader.RULE_CODE);
        if (action != null && action.equalsIgnoreCase("RESET") && (state.isPresent() || emergency.isPresent())) {
            f.problem("action", "RESET takes a reason and optionally the code of one breaker, not a state or an "
                    + "emergency protocol");
        }
        if (action != null && action.equalsIgnoreCase("TRIP") && code.isPresent()) {
            f.problem("code", "an officer's TRIP is recorded as OFFICER_HALT; code names the breaker to RESET");
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return governor.officer(id, Officer.name(principal), action.toUpperCase(Locale.ROOT), reason, state,
                emergency, code);
    }

    /** The account's breaker log, newest first: every trip and clear, by the rules, the clock or an officer. */
    @Operation(summary = "An account's breaker log: every trip and reset, newest first")
    @GetMapping("/api/v1/accounts/{id}/breakers")
    List<io.riskgate.governor.BreakerChange> breakers(@PathVariable String id,
                                                      @RequestParam(name = "limit", defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1_000) {
            throw InvalidRequestException.of("limit", "must be between 1 and 1000, was " + limit);
        }
        return governor.store().changes(AccountPaths.readable(id), limit);
    }

    @Operation(summary = "An account's emergency instructions (close, reduce), optionally only the open ones")
    @GetMapping("/api/v1/accounts/{id}/instructions")
    List<EmergencyInstruction> instructions(@PathVariable String id,
                                            @RequestParam(name = "open", defaultValue = "false") boolean open) {
        return governor.instructions(AccountPaths.readable(id), open);
    }

    /** Acknowledges an instruction with an optional note; the alert event names the authenticated principal. */
    @Operation(summary = "Acknowledge an emergency instruction as carried out")
    @PostMapping("/api/v1/accounts/{id}/instructions/{iid}/ack")
    EmergencyInstruction acknowledge(@PathVariable String id, @PathVariable String iid,
                                     @RequestBody(required = false) JsonNode body, Principal principal) {
        List<FieldProblem> problems = new ArrayList<>();
        JsonFields f = Officer.request(body, Set.of("note"), problems);
        Optional<String> note = f.optionalText("note", null);
        if (note.filter(n -> n.length() > 500).isPresent()) {
            f.problem("note", "must be at most 500 characters");
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return governor.acknowledge(AccountPaths.tradable(id), Officer.name(principal), iid, note);
    }

    /**
     * The alert stream. Replays stored events after {@code since} (or the {@code Last-Event-ID} a reconnecting
     * client sends), then streams new ones as they happen; {@code account} keeps one account's. An event stored
     * while the replay runs may arrive twice: ids only grow, so a client skips any id it has seen.
     */
    @Operation(summary = "Stream the governor's alerts, trips and instructions as Server-Sent Events")
    @GetMapping(path = "/api/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@RequestParam(name = "account", required = false) String account,
                      @RequestParam(name = "since", required = false) Long since,
                      @RequestHeader(name = "Last-Event-ID", required = false) Long lastEventId) {
        Optional<String> only = Optional.ofNullable(account);
        io.riskgate.security.AccountAccess.requireReading(only);
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MS);
        admit(emitter, io.riskgate.security.AccountAccess.caller());
        long from = since != null ? since : lastEventId != null ? lastEventId : -1;
        Object lock = emitter;
        Runnable[] unsubscribe = new Runnable[1];
        unsubscribe[0] = governor.bus().subscribe(e -> {
            if (only.isEmpty() || only.get().equals(e.account())) {
                synchronized (lock) {
                    send(emitter, e);
                }
            }
        });
        // an opening comment commits the response at once: the client knows it is subscribed
        synchronized (lock) {
            try {
                emitter.send(SseEmitter.event().comment("riskgate events" + only.map(a -> " for " + a).orElse("")));
            } catch (IOException gone) {
                unsubscribe[0].run();
                streams.remove(emitter);
                throw new IllegalStateException("subscriber gone", gone);
            }
        }
        Runnable end = () -> {
            unsubscribe[0].run();
            streams.remove(emitter);
        };
        emitter.onCompletion(end);
        emitter.onTimeout(end);
        emitter.onError(e -> end.run());
        if (from >= 0) {
            synchronized (lock) {
                try {
                    for (GovernorEvent e : governor.durableEvents(from, only, 1_000)) {
                        send(emitter, e);
                    }
                } catch (RuntimeException failed) {
                    // the emitter never reaches Spring, whose completion would end the subscription
                    end.run();
                    throw failed;
                }
            }
        }
        return emitter;
    }

    /** Open streams one credential may hold, and all callers together: each holds a connection for minutes. */
    static final int STREAMS_PER_CALLER = 16;
    static final int STREAMS_IN_ALL = 256;

    /**
     * Counts the stream in, or refuses it (429): one key opening streams as fast as its rate limit allows would
     * otherwise hold every connection the server has.
     */
    private void admit(SseEmitter emitter, io.riskgate.security.Caller caller) {
        synchronized (streams) {
            long mine = streams.values().stream().filter(c -> c.credential().equals(caller.credential())).count();
            if (mine >= STREAMS_PER_CALLER || streams.size() >= STREAMS_IN_ALL) {
                throw new org.springframework.web.server.ResponseStatusException(
                        org.springframework.http.HttpStatus.TOO_MANY_REQUESTS, mine >= STREAMS_PER_CALLER
                                ? "this credential holds " + mine + " open event streams, the most it may: close one"
                                : "the service holds " + streams.size() + " open event streams, the most it serves");
            }
            streams.put(emitter, caller);
        }
    }

    private static void send(SseEmitter emitter, GovernorEvent e) {
        try {
            emitter.send(SseEmitter.event().id(String.valueOf(e.id())).name(e.type()).data(e,
                    MediaType.APPLICATION_JSON));
        } catch (IOException gone) {
            throw new IllegalStateException("subscriber gone", gone);
        }
    }
}
