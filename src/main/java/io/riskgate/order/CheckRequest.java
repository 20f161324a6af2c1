package io.riskgate.order;

import io.riskgate.base.Checks;
import io.riskgate.policy.Side;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A pre-trade check: may this account open this position, and how large? Built by {@link CheckRequestParser},
 * which reports every bad field at once; the compact constructor re-checks the invariants for in-process callers.
 *
 * @param equity when present, recorded as an equity snapshot before the check
 * @param entry,stopLoss,takeProfit the caller's own levels; when a stop is given the engine sizes from it
 * @param clientOrderId the caller's id for this order, unique per account: a retry with the same id and the same
 *        request returns the first decision instead of deciding (and reserving) again
 * @param reduceOnly the order only reduces an open position: the opposite side of one on the symbol, for at most
 *        its open quantity (docs/controls.md); it is judged by the market-access controls alone, so a breaker that
 *        refuses new risk lets it pass
 * @param quantity the caller's quantity, required with {@code reduceOnly} and accepted only with it (riskgate sizes
 *        new positions itself)
 */
public record CheckRequest(
        String account,
        String symbol,
        Side side,
        Optional<String> strategy,
        Signal signal,
        Market market,
        OptionalDouble equity,
        OptionalDouble entry,
        OptionalDouble stopLoss,
        OptionalDouble takeProfit,
        Optional<String> clientOrderId,
        boolean reduceOnly,
        OptionalDouble quantity) {

    /** A request for a new position, sized by riskgate. */
    public CheckRequest(String account, String symbol, Side side, Optional<String> strategy, Signal signal,
                        Market market, OptionalDouble equity, OptionalDouble entry, OptionalDouble stopLoss,
                        OptionalDouble takeProfit, Optional<String> clientOrderId) {
        this(account, symbol, side, strategy, signal, market, equity, entry, stopLoss, takeProfit, clientOrderId,
                false, OptionalDouble.empty());
    }

    public CheckRequest {
        Checks.matches("account", account, CheckRequestParser.ID_PATTERN);
        Checks.matches("symbol", symbol, CheckRequestParser.ID_PATTERN);
        strategy.ifPresent(s -> Checks.matches("strategy", s, "[a-z0-9_]{1,64}"));
        clientOrderId.ifPresent(c -> Checks.matches("clientOrderId", c, CheckRequestParser.ID_PATTERN));
        if (side == null || signal == null || market == null) {
            throw new IllegalArgumentException("side, signal and market are required");
        }
        equity.ifPresent(v -> Checks.positive("equity", v));
        quantity.ifPresent(v -> Checks.positive("quantity", v));
        if (reduceOnly != quantity.isPresent()) {
            throw new IllegalArgumentException(reduceOnly ? "a reduceOnly order needs its quantity"
                    : "quantity is accepted only with reduceOnly: riskgate sizes new positions itself");
        }
        entry.ifPresent(v -> Checks.positive("entry", v));
        stopLoss.ifPresent(v -> Checks.positive("stopLoss", v));
        takeProfit.ifPresent(v -> Checks.positive("takeProfit", v));
        double e = entry.orElse(market.price());
        if (stopLoss.isPresent() && side.sign() * (e - stopLoss.getAsDouble()) <= 0) {
            throw new IllegalArgumentException("a " + side + " stopLoss must be " + (side.sign() > 0 ? "below" : "above")
                    + " the entry " + e + ", was " + stopLoss.getAsDouble());
        }
        if (takeProfit.isPresent() && side.sign() * (takeProfit.getAsDouble() - e) <= 0) {
            throw new IllegalArgumentException("a " + side + " takeProfit must be " + (side.sign() > 0 ? "above"
                    : "below") + " the entry " + e + ", was " + takeProfit.getAsDouble());
        }
    }

    /** The entry price the decision uses: the caller's, else the market price. */
    public double entryPrice() {
        return entry.orElse(market.price());
    }

    /** The same request with another market (the engine's computed ATR and EMA filled in). */
    public CheckRequest withMarket(Market m) {
        return new CheckRequest(account, symbol, side, strategy, signal, m, equity, entry, stopLoss, takeProfit,
                clientOrderId, reduceOnly, quantity);
    }
}
