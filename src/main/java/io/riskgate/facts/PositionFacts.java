package io.riskgate.facts;

import io.riskgate.portfolio.Position;
import org.kie.api.runtime.rule.RuleContext;

/**
 * One open position as the governor sees it: its open P&L at the last price against the account's equity before
 * that loss (seed 003's position loss limit). A long of 0.01 BTC from 50,000 marked at 20,000 has lost 300; the
 * account, 10,000 before it, now shows 9,700: 300 / (9,700 + 300) = 3% of equity.
 *
 * @param equity the account's equity now, this position's open loss included
 */
public final class PositionFacts {

    private final Position position;
    private final double lastPrice;
    private final double equity;
    private final double limitPct;
    private String closeReason;
    private String rule;
    private String code;

    public PositionFacts(Position position, double lastPrice, double equity, double limitPct) {
        this.position = position;
        this.lastPrice = lastPrice;
        this.equity = equity;
        this.limitPct = limitPct;
    }

    public String getTradeId() { return position.tradeId(); }
    public String getSymbol() { return position.symbol(); }
    public String getStrategy() { return position.strategy(); }
    public double getLastPrice() { return lastPrice; }
    /** Open P&L at the last price: negative when losing. */
    public double getOpenPnl() { return position.side().sign() * (lastPrice - position.entryPrice()) * position.quantity(); }
    /** The open loss as a share of the equity before it: loss / (equity + loss); 0 when the position is winning. */
    public double getLossPct() {
        double loss = Math.max(0, -getOpenPnl());
        return equity + loss > 0 ? loss / (equity + loss) : 0;
    }
    public double getPositionLossLimitPct() { return limitPct; }

    public void close(RuleContext ctx) {
        rule = ctx.getRule().getName();
        code = Verdict.code(ctx.getRule());
        closeReason = "open loss " + String.format(java.util.Locale.ROOT, "%.2f", -getOpenPnl()) + " on "
                + position.symbol() + " is " + AccountFacts.pct(getLossPct()) + " of equity, above the position loss "
                + "limit " + AccountFacts.pct(limitPct);
    }

    public String closeReason() {
        return closeReason;
    }

    public String rule() {
        return rule;
    }

    public String code() {
        return code;
    }

    public Position position() {
        return position;
    }
}
