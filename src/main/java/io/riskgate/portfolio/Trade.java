package io.riskgate.portfolio;

import io.riskgate.policy.Side;
import java.time.Instant;

/**
 * A trade as stored: opened by a fill against an approved decision, closed with an exit price.
 * {@code closedAt}, {@code exitPrice}, {@code realizedPnl} and {@code result} are null while it is open.
 */
public record Trade(String id, String decisionId, String account, String symbol, String asset, String strategy,
                    Side side, double quantity, double entryPrice, double stopLoss, double takeProfit,
                    Instant openedAt, TradeState state, Instant closedAt, Double exitPrice, Double realizedPnl,
                    TradeResult result) {

    public Position position() {
        return new Position(id, decisionId, account, symbol, asset, strategy, side, quantity, entryPrice, stopLoss,
                takeProfit, openedAt);
    }
}
