package io.riskgate.lifecycle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.riskgate.decision.PolicyRef;
import io.riskgate.portfolio.Trade;
import io.riskgate.portfolio.TradeState;
import java.util.List;

/**
 * A trade as {@code GET /api/v1/trades/{id}} shows it: the stored trade, its realized R-multiple, its maximum
 * favourable and adverse excursions in price and in R, how long it has been held (event time), and its history.
 *
 * @param rMultiple realized P&L over the initial risk (1R x filled quantity); null before the first close. A long
 *        of 0.01 from 50,000 with a 47,750 stop closed at 54,500 made 45 on 22.50 risked: +2R
 * @param holdingTime ISO-8601 duration from the fill to the close, or to the last event seen while open
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TradeDetail(@JsonUnwrapped Trade trade, Double rMultiple, Excursion mfe, Excursion mae,
                          String holdingTime, double holdingHours, List<Event> history) {

    /**
     * The trade's figures: R-multiple, excursions from its best and worst prices, and the time held from the fill
     * to the close, or while open to the latest of {@code lastSeen} and its last mark; {@code history} may be null.
     */
    static TradeDetail of(Trade t, java.time.Instant lastSeen, List<Event> history) {
        java.time.Instant last = lastSeen;
        if (t.progress().lastMarkAt() != null && t.progress().lastMarkAt().isAfter(last)) {
            last = t.progress().lastMarkAt();
        }
        java.time.Instant end = t.closedAt() != null ? t.closedAt() : last;
        double r = t.riskPerUnit();
        int sign = t.side().sign();
        double mfe = Math.max(0, sign * (t.progress().bestPrice() - t.entryPrice()));
        double mae = Math.max(0, sign * (t.entryPrice() - t.progress().worstPrice()));
        java.time.Duration held = java.time.Duration.between(t.openedAt(), end);
        return new TradeDetail(t, t.realizedR(), new Excursion(mfe, r == 0 ? 0 : mfe / r),
                new Excursion(mae, r == 0 ? 0 : mae / r), held.toString(), held.toMillis() / 3_600_000.0, history);
    }

    /** An excursion from the entry: its size in price (never negative) and in R. */
    public record Excursion(double price, double r) {
    }

    /**
     * One step of the trade's life: APPROVED (the decision), OPEN (the fill), each exit instruction (MOVE_STOP,
     * CLOSE_PARTIAL, CLOSE, ERROR) and each reported close (CLOSED), in event-time order.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Event(java.time.Instant at, String event, TradeState state, Double quantity, Double price,
                        Double stopLoss, String reason, String rule, String code, String instructionId,
                        PolicyRef policy) {
    }
}
