package io.riskgate.lifecycle;

import io.riskgate.audit.AuditRecord;
import io.riskgate.audit.AuditStore;
import io.riskgate.base.Ids;
import io.riskgate.decision.Decision;
import io.riskgate.errors.ConflictException;
import io.riskgate.errors.NotFoundException;
import io.riskgate.exits.ExitInstruction;
import io.riskgate.exits.ExitLog;
import io.riskgate.policy.Controls;
import io.riskgate.portfolio.Portfolio;
import io.riskgate.portfolio.ReservationRelease;
import io.riskgate.portfolio.StopOuts;
import io.riskgate.portfolio.Trade;
import io.riskgate.portfolio.TradeClose;
import io.riskgate.portfolio.TradeState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens positions from fills against approved decisions and closes them with an exit price. Runs under the
 * account's lock, so a fill and a check on the same account never interleave.
 *
 * <p>A decision can be filled once, for at most its approved quantity (a partial fill releases the rest).
 * A fill that arrives after the reservation lapsed (by the fill's own timestamp) is still recorded, because the
 * position exists whether or not riskgate likes it, but it is flagged in the log and in
 * {@link FillResult#lateFill()}. A fill timed before its decision is refused, and so is a fill price further from
 * the decision's entry than the policy's {@code portfolio.max_fill_deviation_pct}: exposure is valued at the fill.
 */
public final class TradeService {

    /** Relative tolerance when comparing a fill to the approved quantity (floating point only). */
    private static final double QUANTITY_TOLERANCE = 1e-9;
    private static final Logger log = LoggerFactory.getLogger(TradeService.class);

    /** The opened trade (its fields at the top level of the JSON) and whether its reservation had lapsed. */
    public record FillResult(@com.fasterxml.jackson.annotation.JsonUnwrapped Trade trade, boolean lateFill) {
    }

    private final Portfolio portfolio;
    private final AuditStore audit;
    private final io.riskgate.rules.RuleSetRegistry registry;
    private final Clock clock;
    private final ExitLog exitLog;
    private final io.riskgate.governor.GovernorService governor;

    public TradeService(Portfolio portfolio, AuditStore audit, io.riskgate.rules.RuleSetRegistry registry,
                        ExitLog exitLog, io.riskgate.governor.GovernorService governor, Clock clock) {
        this.governor = governor;
        this.portfolio = portfolio;
        this.exitLog = exitLog;
        this.audit = audit;
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * An account's locks on new entries (controls.cooldown, controls.stoploss_guard) as its policy works them out at
     * the account's clock ({@code asOf}, null before any event), and the lifts officers recorded, oldest first.
     */
    public record Locks(String account, Instant asOf, List<StopOuts.Lock> locks, List<StopOuts.Lift> lifts) {
    }

    /** The locks in force on {@code account} and the lifts recorded. */
    public Locks locks(String account) {
        Controls.Guards guards = registry.forAccountOrDefault(account).policy().controls().guards();
        return portfolio.withAccount(account, book -> locksOf(book, guards));
    }

    /**
     * Lifts the lock of {@code code} on {@code symbol} (null: the account-wide stop-loss guard) in force on the
     * account, recording who and why; durable before it answers. Throws {@link NotFoundException} when no such lock
     * is in force.
     */
    public Locks lift(String account, String code, String symbol, String actor, String reason) {
        Controls.Guards guards = registry.forAccountOrDefault(account).policy().controls().guards();
        return portfolio.withAccount(account, book -> {
            StopOuts.Lock lock = book.clock().equals(Instant.MIN) ? null : book.stopOuts().locks(guards, book.clock())
                    .stream().filter(l -> l.code().equals(code) && java.util.Objects.equals(
                            l.symbol() == null ? null : l.symbol().toUpperCase(java.util.Locale.ROOT),
                            symbol == null ? null : symbol.toUpperCase(java.util.Locale.ROOT)))
                    .findFirst().orElse(null);
            if (lock == null) {
                throw new NotFoundException("no " + code + " lock " + (symbol == null ? "on the whole account"
                        : "on " + symbol) + " is in force on account " + account);
            }
            portfolio.lift(book, new StopOuts.Lift(lock.code(), lock.symbol(), lock.until(), actor, reason,
                    clock.instant()));
            log.info("lock {} on {} of account {} (until {}) lifted by {}: {}", lock.code(),
                    lock.symbol() == null ? "the account" : lock.symbol(), account, lock.until(), actor, reason);
            return locksOf(book, guards);
        });
    }

    private static Locks locksOf(io.riskgate.portfolio.AccountBook book, Controls.Guards guards) {
        Instant at = book.clock().equals(Instant.MIN) ? null : book.clock();
        return new Locks(book.account(), at, at == null ? List.of() : book.stopOuts().locks(guards, at),
                book.stopOuts().lifts());
    }

    public FillResult fill(FillRequest fill) {
        AuditRecord record = audit.find(fill.decisionId())
                .orElseThrow(() -> new NotFoundException("no decision " + fill.decisionId()));
        Decision d = record.decision();
        if (!d.approved()) {
            throw new ConflictException("decision " + d.decisionId() + " was " + d.outcome()
                    + " (" + String.join(", ", d.codes()) + "): only approved decisions can be filled");
        }
        if (Boolean.TRUE.equals(d.reduceOnly())) {
            throw new ConflictException("decision " + d.decisionId() + " approved a reduceOnly order: it opens no "
                    + "position; report its execution as a close of the trade it reduced "
                    + "(POST /api/v1/trades/{id}/close)");
        }
        if (fill.quantity() > d.quantity() * (1 + QUANTITY_TOLERANCE)) {
            throw new ConflictException("fill quantity " + fill.quantity() + " exceeds the approved quantity "
                    + d.quantity() + " of decision " + d.decisionId());
        }
        double maxDeviation = registry.forAccountOrDefault(d.account()).policy().portfolio().maxFillDeviationPct();
        double deviation = Math.abs(fill.fillPrice() - d.entryPrice()) / d.entryPrice();
        if (deviation > maxDeviation) {
            throw new ConflictException("fill price " + fill.fillPrice() + " is " + Math.round(deviation * 10_000)
                    / 100.0 + "% from the decision's entry " + d.entryPrice() + " (maximum "
                    + maxDeviation * 100 + "%, portfolio.max_fill_deviation_pct): check the price and its unit; "
                    + "nothing was recorded");
        }
        Instant at = fill.timestamp().orElseGet(clock::instant);
        notAhead("timestamp", at);
        if (at.isBefore(d.timestamp())) {
            throw new ConflictException("fill time " + at + " is before the decision time " + d.timestamp()
                    + " of decision " + d.decisionId());
        }
        return portfolio.withAccount(d.account(), book -> {
            portfolio.store().tradeForDecisionId(d.decisionId()).ifPresent(t -> {
                throw new ConflictException("decision " + d.decisionId() + " was already filled by trade " + t.id()
                        + "; a decision can be filled once");
            });
            if (portfolio.store().reservationRelease(d.decisionId()).filter(r -> r == ReservationRelease.CANCELLED).isPresent()) {
                throw new ConflictException("decision " + d.decisionId() + " was cancelled; it cannot be filled");
            }
            // late: the reservation has lapsed by this fill's time (or an earlier event already released it). The
            // account's clock moves to the fill's time once the fill is stored: these writes keep the book if they
            // fail, and a clock moved on by a fill that was never stored would lapse reservations early
            portfolio.expire(book, book.clockAt(at));
            boolean late = book.reservations().stream().noneMatch(r -> r.decisionId().equals(d.decisionId()));
            if (late) {
                log.warn("fill for decision {} arrived after its reservation lapsed at {}; recording the position",
                        d.decisionId(), d.reservationExpiresAt());
            }
            Trade t = Trade.opened(Ids.next(), d.decisionId(), d.account(), d.symbol(),
                    assetOf(d), d.strategy(), d.side(), fill.quantity(), fill.fillPrice(), d.stopLoss(),
                    d.takeProfit(), atrOf(record), at);
            portfolio.open(book, t);
            book.advance(at);
            return new FillResult(t, late);
        });
    }

    /**
     * Cancels an approval the caller will not trade, releasing its reservation (exposure and trade slot) at once
     * instead of at the end of its time-to-live. A cancelled decision cannot be filled.
     */
    public Decision cancel(String decisionId) {
        Decision d = audit.find(decisionId).map(AuditRecord::decision)
                .orElseThrow(() -> new NotFoundException("no decision " + decisionId));
        if (!d.approved()) {
            throw new ConflictException("decision " + decisionId + " was " + d.outcome() + ": there is nothing "
                    + "to cancel");
        }
        if (Boolean.TRUE.equals(d.reduceOnly())) {
            throw new ConflictException("decision " + decisionId + " approved a reduceOnly order, which holds no "
                    + "reservation: there is nothing to cancel");
        }
        return portfolio.withAccount(d.account(), book -> {
            var held = book.reservations().stream().filter(r -> r.decisionId().equals(decisionId)).findFirst();
            if (held.isEmpty()) {
                String why = portfolio.store().tradeForDecisionId(decisionId).map(t -> "was filled by trade " + t.id())
                        .orElseGet(() -> "no longer holds a reservation ("
                                + portfolio.store().reservationRelease(decisionId).map(Enum::name).orElse("released") + ")");
                throw new ConflictException("decision " + decisionId + " " + why + "; it cannot be cancelled");
            }
            portfolio.cancel(book, held.get(), clock.instant());
            return d;
        });
    }

    /**
     * Records a close the caller carried out: all that is open, or part of it. A full close ends the trade in the
     * state of the exit instruction it carried out (CLOSED_SL, CLOSED_TP, CLOSED_TIME, CLOSED_BREAKER), or
     * CLOSED_MANUAL when none was outstanding. Closing a closed trade, or more than is open, is refused (409).
     */
    public Trade close(String tradeId, CloseRequest close) {
        Trade known = portfolio.store().trade(tradeId)
                .orElseThrow(() -> new NotFoundException("no trade " + tradeId));
        Instant at = close.timestamp().orElseGet(clock::instant);
        notAhead("timestamp", at);
        return portfolio.withAccount(known.account(), book -> {
            Trade t = portfolio.store().trade(tradeId).orElseThrow();
            if (t.state().isClosed()) {
                throw new ConflictException("trade " + tradeId + " is already " + t.state() + " (closed at "
                        + t.closedAt() + ", average exit " + t.exitPrice() + "); it cannot be closed again");
            }
            double quantity = close.quantity().orElse(t.openQuantity());
            if (quantity > t.openQuantity() * (1 + QUANTITY_TOLERANCE)) {
                throw new ConflictException("cannot close " + quantity + " of trade " + tradeId + ": only "
                        + t.openQuantity() + " of its " + t.quantity() + " is open; nothing was recorded");
            }
            if (at.isBefore(t.openedAt())) {
                throw new ConflictException("close time " + at + " is before the trade opened at " + t.openedAt());
            }
            double remaining = Math.max(0, java.math.BigDecimal.valueOf(t.openQuantity())
                    .subtract(java.math.BigDecimal.valueOf(quantity)).doubleValue());
            if (remaining <= t.quantity() * QUANTITY_TOLERANCE) {
                remaining = 0;
            }
            TradeState pending = t.progress().pendingExit();
            Trade after = t.withClose(Math.min(quantity, t.openQuantity()), close.price(), at, remaining,
                    pending != null ? pending : TradeState.CLOSED_MANUAL);
            portfolio.close(book, after, Math.min(quantity, t.openQuantity()), close.price(),
                    close.reason().orElse(null), at);
            // realized P&L and, on a final close, a new result: the governor measures both
            governor.refresh(registry.forAccountOrDefault(known.account()), book, book.advance(at));
            return after;
        });
    }

    /** A trade with its R-multiple, excursions, holding time and history. */
    public TradeDetail detail(String tradeId) {
        Trade t = portfolio.store().trade(tradeId).orElseThrow(() -> new NotFoundException("no trade " + tradeId));
        List<TradeDetail.Event> history = new ArrayList<>();
        audit.find(t.decisionId()).map(AuditRecord::decision).ifPresent(d -> history.add(new TradeDetail.Event(
                d.timestamp(), "APPROVED", TradeState.APPROVED, d.quantity(), d.entryPrice(), d.stopLoss(),
                null, null, null, null, d.policy())));
        history.add(new TradeDetail.Event(t.openedAt(), "OPEN", TradeState.OPEN, t.quantity(), t.entryPrice(),
                t.initialStop(), null, null, null, null, null));
        Instant last = t.openedAt();
        for (ExitInstruction i : exitLog.forTrade(tradeId)) {
            history.add(new TradeDetail.Event(i.timestamp(), i.action().name(), i.state(), i.quantity(), i.price(),
                    i.stopLoss(), i.reason(), i.rule(), i.code(), i.instructionId(), i.policy()));
            last = later(last, i.timestamp());
        }
        for (TradeClose c : portfolio.store().closes(tradeId)) {
            history.add(new TradeDetail.Event(c.at(), "CLOSED", c.stateAfter(), c.quantity(), c.price(), null,
                    c.reason(), null, null, null, null));
            last = later(last, c.at());
        }
        history.sort(java.util.Comparator.comparing(TradeDetail.Event::at));
        return TradeDetail.of(t, last, history);
    }

    /**
     * An account's trades, newest opened first (open ones, closed ones, or both), each with its R-multiple, its
     * excursions and its holding time; their histories are {@link #detail}'s.
     */
    public List<TradeDetail> trades(String account, Optional<Boolean> open, int limit) {
        return portfolio.store().trades(account, open, limit).stream()
                .map(t -> TradeDetail.of(t, t.openedAt(), null)).toList();
    }

    private static Instant later(Instant a, Instant b) {
        return b.isAfter(a) ? b : a;
    }

    private void notAhead(String field, Instant at) {
        try {
            registry.active().policy().portfolio().requireNotAhead(field, at, clock.instant());
        } catch (IllegalArgumentException e) {
            throw io.riskgate.order.InvalidRequestException.of(field, e.getMessage());
        }
    }

    /** The ATR the decision was sized with: the request's, or the one the engine computed from bars. */
    private static Double atrOf(AuditRecord record) {
        var atr = record.request() == null ? null : record.request().path("market").path("atr");
        if (atr != null && atr.isNumber() && atr.asDouble() > 0) {
            return atr.asDouble();
        }
        var a = record.decision().analytics();
        return a == null || a.computed() == null ? null : a.computed().get("atr");
    }

    private String assetOf(Decision d) {
        return portfolio.store().reservationAsset(d.decisionId()).orElse(d.symbol());
    }
}
