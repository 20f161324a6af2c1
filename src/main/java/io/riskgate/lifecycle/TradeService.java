package io.riskgate.lifecycle;

import io.riskgate.audit.AuditRecord;
import io.riskgate.audit.AuditStore;
import io.riskgate.check.Decision;
import io.riskgate.errors.ConflictException;
import io.riskgate.errors.NotFoundException;
import io.riskgate.portfolio.Portfolio;
import io.riskgate.portfolio.Trade;
import io.riskgate.portfolio.TradeResult;
import io.riskgate.portfolio.TradeState;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
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

    public TradeService(Portfolio portfolio, AuditStore audit, io.riskgate.rules.RuleSetRegistry registry,
                        Clock clock) {
        this.portfolio = portfolio;
        this.audit = audit;
        this.registry = registry;
        this.clock = clock;
    }

    public FillResult fill(FillRequest fill) {
        Decision d = audit.find(fill.decisionId()).map(AuditRecord::decision)
                .orElseThrow(() -> new NotFoundException("no decision " + fill.decisionId()));
        if (!d.approved()) {
            throw new ConflictException("decision " + d.decisionId() + " was " + d.outcome()
                    + " (" + String.join(", ", d.codes()) + "): only approved decisions can be filled");
        }
        if (fill.quantity() > d.quantity() * (1 + QUANTITY_TOLERANCE)) {
            throw new ConflictException("fill quantity " + fill.quantity() + " exceeds the approved quantity "
                    + d.quantity() + " of decision " + d.decisionId());
        }
        double maxDeviation = registry.active().policy().portfolio().maxFillDeviationPct();
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
            if (portfolio.store().reservationRelease(d.decisionId()).filter("CANCELLED"::equals).isPresent()) {
                throw new ConflictException("decision " + d.decisionId() + " was cancelled; it cannot be filled");
            }
            // late: the reservation has lapsed by this fill's time (or an earlier event already released it)
            portfolio.expire(book, book.advance(at));
            boolean late = book.reservations().stream().noneMatch(r -> r.decisionId().equals(d.decisionId()));
            if (late) {
                log.warn("fill for decision {} arrived after its reservation lapsed at {}; recording the position",
                        d.decisionId(), d.reservationExpiresAt());
            }
            Trade t = new Trade(UUID.randomUUID().toString(), d.decisionId(), d.account(), d.symbol(),
                    assetOf(d), d.strategy(), d.side(), fill.quantity(),
                    fill.fillPrice(), d.stopLoss(), d.takeProfit(), at, TradeState.OPEN, null, null, null, null);
            portfolio.open(book, t);
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
        return portfolio.withAccount(d.account(), book -> {
            var held = book.reservations().stream().filter(r -> r.decisionId().equals(decisionId)).findFirst();
            if (held.isEmpty()) {
                String why = portfolio.store().tradeForDecisionId(decisionId).map(t -> "was filled by trade " + t.id())
                        .orElseGet(() -> "no longer holds a reservation ("
                                + portfolio.store().reservationRelease(decisionId).orElse("released") + ")");
                throw new ConflictException("decision " + decisionId + " " + why + "; it cannot be cancelled");
            }
            portfolio.cancel(book, held.get(), clock.instant());
            return d;
        });
    }

    public Trade close(String tradeId, CloseRequest close) {
        Trade open = portfolio.store().trade(tradeId)
                .orElseThrow(() -> new NotFoundException("no trade " + tradeId));
        Instant at = close.timestamp().orElseGet(clock::instant);
        notAhead("timestamp", at);
        return portfolio.withAccount(open.account(), book -> {
            Trade t = portfolio.store().trade(tradeId).orElseThrow();
            if (t.state() != TradeState.OPEN) {
                throw new ConflictException("trade " + tradeId + " is already " + t.state() + " (closed at "
                        + t.closedAt() + " for " + t.exitPrice() + "); it cannot be closed again");
            }
            if (at.isBefore(t.openedAt())) {
                throw new ConflictException("close time " + at + " is before the trade opened at " + t.openedAt());
            }
            double pnl = t.side().sign() * (close.price() - t.entryPrice()) * t.quantity();
            Trade closed = new Trade(t.id(), t.decisionId(), t.account(), t.symbol(), t.asset(), t.strategy(),
                    t.side(), t.quantity(), t.entryPrice(), t.stopLoss(), t.takeProfit(), t.openedAt(),
                    TradeState.CLOSED, at, close.price(), pnl, TradeResult.of(pnl));
            portfolio.close(book, closed);
            return closed;
        });
    }

    private void notAhead(String field, Instant at) {
        try {
            registry.active().policy().portfolio().requireNotAhead(field, at, clock.instant());
        } catch (IllegalArgumentException e) {
            throw io.riskgate.order.InvalidRequestException.of(field, e.getMessage());
        }
    }

    private String assetOf(Decision d) {
        return portfolio.store().reservationAsset(d.decisionId()).orElse(d.symbol());
    }
}
