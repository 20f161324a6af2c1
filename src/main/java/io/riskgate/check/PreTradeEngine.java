package io.riskgate.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.riskgate.audit.AuditRecord;
import io.riskgate.audit.AuditStore;
import io.riskgate.base.Ids;
import io.riskgate.database.AccountVersions;
import io.riskgate.decision.Decision;
import io.riskgate.errors.ConflictException;
import io.riskgate.facts.Rejection;
import io.riskgate.governor.GovernorEvaluator;
import io.riskgate.governor.GovernorEvent;
import io.riskgate.order.CheckRequest;
import io.riskgate.order.CheckRequestParser;
import io.riskgate.portfolio.AccountBook;
import io.riskgate.portfolio.EquitySnapshot;
import io.riskgate.portfolio.FirmShares;
import io.riskgate.portfolio.GovernorState;
import io.riskgate.portfolio.Portfolio;
import io.riskgate.portfolio.Reservation;
import io.riskgate.portfolio.ReservationRelease;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleSetRegistry;
import java.time.Clock;
import io.riskgate.policy.Controls;
import io.riskgate.portfolio.RecentChecks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live pre-trade check: the path of one request from JSON to an audited decision, around the
 * {@link CheckPipeline} every consumer shares.
 *
 * <ol>
 *   <li>parse and validate the request (every bad field reported; nothing stored on a 400);</li>
 *   <li>read the account's compiled policy once;</li>
 *   <li>take the account's lock; a retried {@code clientOrderId} gets its first answer;</li>
 *   <li>advance the account's event clock, expire lapsed reservations, record the equity sent along;</li>
 *   <li>the governor at the event time ({@link CheckPipeline#govern}): an update, nothing written yet;</li>
 *   <li>the order decided under the state it leaves ({@link CheckPipeline#decide}): facts, rules, sizing, limits;</li>
 *   <li>commit the audit record, the governor's update and, if approved, the reservation in one transaction; only
 *       then do the book's governor state and reservations change; release the lock.</li>
 * </ol>
 * Any exception while deciding rejects the order as {@code ENGINE_ERROR}, audited and logged: nothing is ever
 * approved by default. Time comes from the request's market timestamp, else from the injected clock.
 */
public final class PreTradeEngine {

    public static final String NO_EQUITY = CheckPipeline.NO_EQUITY;
    public static final String ENGINE_ERROR = CheckPipeline.ENGINE_ERROR;
    public static final String INSUFFICIENT_MARKET_DATA = CheckPipeline.INSUFFICIENT_MARKET_DATA;

    private static final Logger log = LoggerFactory.getLogger(PreTradeEngine.class);
    /** How many times an order is decided again when other accounts keep taking the firm limits' room. */
    private static final int FIRM_CLAIM_ATTEMPTS = 8;

    private final RuleSetRegistry registry;
    private final Portfolio portfolio;
    private final AuditStore audit;
    private final io.riskgate.governor.GovernorService governor;
    private final CheckPipeline pipeline;
    private final io.riskgate.governor.KillSwitches switches;
    private final Clock clock;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Timer latency;

    public PreTradeEngine(RuleSetRegistry registry, Portfolio portfolio, AuditStore audit,
                          io.riskgate.governor.GovernorService governor, io.riskgate.market.PortfolioRisk risk,
                          io.riskgate.governor.KillSwitches switches, Clock clock, ObjectMapper json,
                          MeterRegistry meters) {
        this.governor = governor;
        this.pipeline = new CheckPipeline(risk, switches, portfolio.firm());
        this.switches = switches;
        this.registry = registry;
        this.portfolio = portfolio;
        this.audit = audit;
        this.clock = clock;
        this.json = json;
        this.meters = meters;
        this.latency = Timer.builder("riskgate.check.latency").description("pre-trade check latency, end to end")
                .publishPercentiles(0.5, 0.99).register(meters);
    }

    /** The decision path this engine runs under the account's lock (the benchmarks call it directly). */
    public CheckPipeline pipeline() {
        return pipeline;
    }

    /** Checks a request given as JSON (REST and CLI). Throws InvalidRequestException listing every bad field. */
    public Decision check(JsonNode body) {
        return check(CheckRequestParser.parse(body), body);
    }

    /** Checks a request built in-process. */
    public Decision check(CheckRequest request) {
        return check(request, json.valueToTree(request));
    }

    private Decision check(CheckRequest request, JsonNode raw) {
        long start = System.nanoTime();
        Instant now = request.market().timestamp().orElseGet(clock::instant);
        try {
            registry.active().policy().portfolio().requireNotAhead("market.timestamp", now, clock.instant());
        } catch (IllegalArgumentException e) {
            throw io.riskgate.order.InvalidRequestException.of("market.timestamp", e.getMessage());
        }
        String id = Ids.next();
        Decision decision;
        CompiledPolicy policy = null;
        try {
            // the account's assigned policy, else the default; one assigned but not loaded fails closed, audited
            CompiledPolicy chosen;
            RuntimeException unloaded = null;
            try {
                chosen = registry.forAccount(request.account());
            } catch (IllegalStateException e) {
                chosen = registry.active();
                unloaded = e;
            }
            policy = chosen;
            RuntimeException policyError = unloaded;
            CompiledPolicy decider = chosen;
            decision = portfolio.withAccount(request.account(), book -> decideAndRecord(id, decider, request, raw,
                    book, now, policyError));
        } catch (ConflictException e) {
            throw e;
        } catch (Exception | Error e) {
            // the account could not even be loaded (database down): reject, log; there is nowhere to audit it
            log.error("check {} on account {} failed before deciding; rejecting ({}), not audited", id,
                    request.account(), ENGINE_ERROR, e);
            decision = CheckPipeline.failed(id, policy, request, now, e);
        }
        if (!decision.decisionId().equals(id)) {
            return decision; // a clientOrderId retry answered from the audit: it was counted the first time
        }
        latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        Counter.builder("riskgate.checks").tag("outcome", decision.outcome().name()).register(meters).increment();
        for (Rejection r : decision.rejections()) {
            Counter.builder("riskgate.rejections").tag("code", r.code()).register(meters).increment();
        }
        return decision;
    }

    private Decision decideAndRecord(String id, CompiledPolicy policy, CheckRequest request, JsonNode raw,
                                     AccountBook book, Instant now, RuntimeException policyError) {
        if (request.clientOrderId().isPresent()) {
            Optional<AuditRecord> first = audit.findByClientOrderId(request.account(), request.clientOrderId().get());
            if (first.isPresent()) {
                // a retry: the same request gets the first answer, and takes no second slot
                if (!sameOrder(first.get().request(), request)) {
                    throw new ConflictException("clientOrderId '" + request.clientOrderId().get() + "' was already "
                            + "used on account '" + request.account() + "' by decision "
                            + first.get().decision().decisionId() + " for a different request");
                }
                Decision earlier = first.get().decision();
                Optional<ReservationRelease> released = earlier.approved()
                        ? portfolio.store().reservationRelease(earlier.decisionId()) : Optional.empty();
                if (released.filter(r -> r != ReservationRelease.FILLED).isPresent()) {
                    throw new ConflictException("clientOrderId '" + request.clientOrderId().get() + "' was approved "
                            + "by decision " + earlier.decisionId() + ", whose reservation is " + released.get()
                            + ": check again with a new clientOrderId");
                }
                return earlier;
            }
        }
        // reservations live on the account's event clock, which never runs backwards (see AccountBook.advance)
        Instant accountNow = book.advance(now);
        // the governor's state as stored: what the failure record below writes back if this check's commit fails
        // (recording the equity below already moves the book's state on to the new snapshot)
        GovernorState storedGovernor = book.governor();
        Portfolio.Batch batch = portfolio.batch(book).expire(accountNow);
        request.equity().ifPresent(e ->
                batch.recordEquity(new EquitySnapshot(request.account(), e, now), "CHECK"));
        Decision decision;
        GovernorEvaluator.Update governed = null;
        Controls.Firm firmLimits = policy.policy().controls().firm();
        // the share of the firm limits an approval claimed: claimed again, against other processes', in its write
        double[] claimed = {Double.NaN, Double.NaN};
        try {
            if (policyError != null) {
                throw policyError; // the account's policy is not loaded: fail closed, and audit it
            }
            // the governor first (the equity this check reports, and the clock, may trip or clear a breaker), then
            // the order under the state it leaves; nothing is written until the commit below, where a trip is
            // stored even if deciding the order then failed
            governed = pipeline.govern(policy, book, accountNow, governor.spikes(policy));
            decision = pipeline.decide(id, policy, request, book, governed.state(), now, accountNow);
            // the firm limits (controls.firm): the account's share with this approval is claimed atomically against
            // every other account's; when another account took the room meanwhile, the order is decided again
            // with the room now left (smaller, or refused by the firm limit's rule)
            for (int attempt = 1; decision.approved() && firmLimits.any() && !request.reduceOnly(); attempt++) {
                double risk = book.recentChecks().riskSince(governed.state().dayStart())
                        + decision.sizing().riskAtStop();
                if (portfolio.firm().claim(request.account(), book.exposure() + decision.notional(), risk,
                        firmLimits)) {
                    claimed[0] = book.exposure() + decision.notional();
                    claimed[1] = risk;
                    break;
                }
                if (attempt == FIRM_CLAIM_ATTEMPTS) {
                    throw new IllegalStateException("the firm limits' room changed under " + attempt
                            + " decisions in a row");
                }
                decision = pipeline.decide(id, policy, request, book, governed.state(), now, accountNow);
            }
        } catch (Exception | Error e) {
            // any failure, a rule's Error included, rejects: fail closed
            log.error("check {} on account {} failed; rejecting ({})", id, request.account(), ENGINE_ERROR, e);
            decision = CheckPipeline.failed(id, policy, request, now, e);
        }
        // a reduce-only approval reduces a position already held: no new exposure, no trade slot, no reservation
        Reservation reservation = decision.approved() && !request.reduceOnly()
                ? new Reservation(id, request.account(), request.symbol(),
                policy.policy().portfolio().assetOf(request.symbol()), request.strategy().orElse(null),
                decision.notional(), decision.reservationExpiresAt())
                : null;
        Decision toStore = decision;
        GovernorEvaluator.Update update = governed;
        List<List<GovernorEvent>> events = new ArrayList<>(1);
        if (update != null) {
            batch.governor(update.state()); // the book holds it once the commit succeeded
        }
        try {
            // the record's JSON and its packing here, on the caller's thread: the writer links and writes it
            AuditStore.Prepared record = audit.prepare(toStore, raw, clock.instant());
            batch.commit(() -> {
                // in commit order with an officer's trip (both go through the one writer): an approval decided
                // just before a switch was tripped fails closed here instead of being answered after the trip
                if (toStore.approved() && !request.reduceOnly()
                        && switches.haltingAsStored(request.strategy().orElse(null)).isPresent()) {
                    throw new IllegalStateException("a kill switch was tripped while the order was decided");
                }
                if (toStore.approved() && !request.reduceOnly()) {
                    // every approval's share is stored (checked against the firm limits when its policy has them),
                    // so that approvals under a firm limit on other processes count it
                    double exposure = Double.isNaN(claimed[0]) ? book.exposure() + toStore.notional() : claimed[0];
                    double risk = Double.isNaN(claimed[1]) ? book.recentChecks().riskSince(update == null
                            ? book.governor().dayStart() : update.state().dayStart())
                            + (toStore.sizing() == null ? 0 : toStore.sizing().riskAtStop()) : claimed[1];
                    portfolio.firmShares().claim(request.account(), exposure, risk, firmLimits);
                }
                audit.insert(record);
                if (toStore.approved()) {
                    // what the duplicate control, the daily risk budgets and reduce-only orders count, at the
                    // account's clock (never the order's own time, which its caller may set back)
                    portfolio.store().insertApproval(approval(toStore, accountNow), request.account(),
                            request.reduceOnly(), request.reduceOnly() ? reductionEnd(policy, accountNow) : null);
                }
                if (update != null) {
                    events.add(governor.persist(update, policy.sha256()));
                }
            }, reservation);
            events.forEach(governor::publish);
            counted(book, decision, accountNow, request, policy);
            return decision;
        } catch (RuntimeException | Error e) {
            // the approval's claim on the firm limits goes with it: the account's share is what its book held
            portfolio.firm().publish(request.account(), book.exposure(),
                    book.recentChecks().riskSince(storedGovernor.dayStart()));
            if (e instanceof AccountVersions.Stale stale) {
                if (stale instanceof FirmShares.RoomTaken) {
                    portfolio.firmShares().refresh(portfolio.firm()); // decided again on the room other processes left
                }
                throw stale; // another process wrote the account meanwhile: decided again on its stored state
            }
            log.error("check {} on account {} could not be audited; rejecting ({})", id, request.account(),
                    ENGINE_ERROR, e);
            Decision failed = CheckPipeline.failed(id, policy, request, now, e);
            try {
                // the full record may have failed on its content: the bare failure record still tells the story.
                // The governor's changes of this check were rolled back with it and never reached the book, and its
                // state is written back as it was stored, so a trip (and its instruction) is not recorded as done
                // when it was never stored, nor the rolled-back equity snapshot taken
                portfolio.batch(book).governor(storedGovernor)
                        .commit(() -> audit.insert(failed, raw, clock.instant()), null);
                counted(book, failed, accountNow, request, policy);
            } catch (RuntimeException | Error again) {
                log.error("check {}: the failure record could not be audited either", id, again);
            }
            return failed;
        }
    }

    /**
     * A stored decision counts against the order-rate throttle (controls.order_rate), unless the throttle itself
     * refused it: the excess is refused, it does not lock the account out for longer.
     */
    private static void counted(AccountBook book, Decision stored, Instant now, CheckRequest request,
                                CompiledPolicy policy) {
        if (!stored.codes().contains(RecentChecks.THROTTLED)) {
            book.recentChecks().add(now, request.strategy().orElse(null));
        }
        if (stored.approved() && request.reduceOnly()) {
            book.recentChecks().reducing(new RecentChecks.Reduction(now, stored.symbol(),
                    stored.side(), stored.quantity(), reductionEnd(policy, now)));
        } else if (stored.approved()) {
            book.recentChecks().approved(approval(stored, now));
        }
    }

    /** An approval as the controls count it: at the account's clock, with the risk at its stop. */
    private static RecentChecks.Approval approval(Decision d, Instant accountNow) {
        return new RecentChecks.Approval(d.decisionId(), accountNow, d.symbol(), d.side(), d.strategy(), d.quantity(),
                d.sizing() == null ? 0 : d.sizing().riskAtStop());
    }

    /**
     * How long a reduce-only approval holds the position quantity it reduces, unless closes carry it out first: the
     * policy's reservation time-to-live, as an approval of new risk holds its reservation.
     */
    private static Instant reductionEnd(CompiledPolicy policy, Instant accountNow) {
        return accountNow.plus(policy.policy().portfolio().reservationTtl());
    }

    /** Whether a stored request is the same order as a retried one, compared as parsed values (50000 = 50000.0). */
    private static boolean sameOrder(JsonNode stored, CheckRequest retried) {
        try {
            return CheckRequestParser.parse(stored).equals(retried);
        } catch (RuntimeException unreadable) {
            return false;
        }
    }
}
