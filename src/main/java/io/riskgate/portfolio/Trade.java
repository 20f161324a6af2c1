package io.riskgate.portfolio;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.riskgate.policy.Side;
import java.time.Instant;

/**
 * A trade as stored: opened by a fill against an approved decision, moved through the exit stages by marks, closed
 * (partly or wholly) by reported closes.
 *
 * <p>R is the initial risk per unit, |entry - initial stop|: a long filled at 50,000 with a 47,750 stop has
 * 1R = 2,250, so closing 0.01 at 54,500 realizes 0.01 x 4,500 = 45, which is +2R of the 22.50 risked.
 *
 * @param quantity the filled quantity; {@code openQuantity} is what is still open after partial closes
 * @param stopLoss the stop in force now; {@code initialStop} the one the trade was opened with
 * @param atr the ATR the decision was sized with (the ATR trail's unit), null if unknown
 * @param exitPrice the quantity-weighted price of the closes so far, null before the first
 * @param realizedPnl P&L of the closes so far, null before the first
 * @param result WIN, LOSS or FLAT once the trade is wholly closed
 */
public record Trade(String id, String decisionId, String account, String symbol, String asset, String strategy,
                    Side side, double quantity, double openQuantity, double entryPrice, double initialStop,
                    double stopLoss, double takeProfit, Double atr, Instant openedAt, TradeState state,
                    ExitProgress progress, Instant closedAt, Double exitPrice, Double realizedPnl,
                    TradeResult result) {

    /**
     * A trade opened by a fill, at {@code openedAt} to the microsecond: what the databases store, so that the exit
     * rules in memory and a mark row's pricing in SQL (PortfolioStore.MARKED) compare the same times.
     */
    public static Trade opened(String id, String decisionId, String account, String symbol, String asset,
                               String strategy, Side side, double quantity, double entryPrice, double stopLoss,
                               double takeProfit, Double atr, Instant openedAt) {
        return new Trade(id, decisionId, account, symbol, asset, strategy, side, quantity, quantity, entryPrice,
                stopLoss, stopLoss, takeProfit, atr, openedAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS),
                TradeState.OPEN, ExitProgress.atEntry(entryPrice),
                null, null, null, null);
    }

    /** The same trade after a mark: a new stop, state and progress. */
    public Trade withExitState(double newStop, TradeState newState, ExitProgress newProgress) {
        return new Trade(id, decisionId, account, symbol, asset, strategy, side, quantity, openQuantity, entryPrice,
                initialStop, newStop, takeProfit, atr, openedAt, newState, newProgress, closedAt, exitPrice,
                realizedPnl, result);
    }

    /**
     * The same trade after closing {@code closed} units at {@code price}: P&L accumulates, the exit price is the
     * quantity-weighted average of the closes. {@code finalState} is used when nothing stays open.
     */
    public Trade withClose(double closed, double price, Instant at, double remaining, TradeState finalState) {
        double pnl = side.sign() * (price - entryPrice) * closed;
        double closedBefore = quantity - openQuantity;
        double avgExit = exitPrice == null ? price : (exitPrice * closedBefore + price * closed)
                / (closedBefore + closed);
        double total = (realizedPnl == null ? 0 : realizedPnl) + pnl;
        boolean done = remaining <= 0;
        ExitProgress p = done ? new ExitProgress(progress.bestPrice(), progress.worstPrice(), progress.lastMarkAt(),
                progress.breakeven(), progress.partial(), progress.trailing(), null) : progress;
        return new Trade(id, decisionId, account, symbol, asset, strategy, side, quantity, remaining, entryPrice,
                initialStop, stopLoss, takeProfit, atr, openedAt, done ? finalState : state, p, done ? at : null,
                avgExit, total, done ? TradeResult.of(total) : null);
    }

    /** Initial risk per unit, |entry - initial stop| (1R). */
    @JsonIgnore
    public double riskPerUnit() {
        return Math.abs(entryPrice - initialStop);
    }

    /**
     * Realized P&L in R: the closes' P&L over the initial risk of the whole filled quantity (1R x quantity); null
     * before the first close.
     */
    @JsonIgnore
    public Double realizedR() {
        double risk = riskPerUnit() * quantity;
        return realizedPnl == null || risk == 0 ? null : realizedPnl / risk;
    }

    public Position position() {
        return new Position(id, decisionId, account, symbol, asset, strategy, side, openQuantity, entryPrice, stopLoss,
                takeProfit, openedAt);
    }
}
