package io.riskgate.portfolio;

import io.riskgate.policy.Side;
import java.time.Instant;

/** An open position, created when a fill is reported against an approved decision. */
public record Position(String tradeId, String decisionId, String account, String symbol, String asset,
                       String strategy, Side side, double quantity, double entryPrice, double stopLoss,
                       double takeProfit, Instant openedAt) {

    /** Exposure the position holds: quantity x entry price. */
    public double notional() {
        return quantity * entryPrice;
    }
}
