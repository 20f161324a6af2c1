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

    /**
     * What the position loses if its stop is hit: |entry - stop| x quantity on the losing side, nothing once the
     * stop is past the entry (seed 001: 0.01 BTC from 50,000 to a 47,750 stop risks 22.50). Summed over an
     * account's positions, over equity, it is the portfolio heat (seed 003).
     */
    public double riskToStop() {
        return Math.max(0, side().sign() * (entryPrice() - stopLoss())) * quantity();
    }
}
