package io.riskgate.policy;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Market-access controls (the policy's {@code controls:} section): limits that stop orders no signal should ever
 * produce, whatever the gates think of the signal. A policy without the section has none of them.
 *
 * @param orderSize the largest order, in base units and in account currency, by default and per symbol (fat
 *        fingers: SEC Rule 15c3-5 (c)(1)(ii) "erroneous orders ... that exceed appropriate price or size
 *        parameters")
 * @param orderRate how many checks an account, and a strategy of it, may have decided in a window of event time
 * @param priceCollar how far an order's price may lie from riskgate's own latest price of the symbol
 */
public record Controls(OrderSize orderSize, OrderRate orderRate, java.util.Optional<PriceCollar> priceCollar) {

    /** No controls: what a policy without {@code controls:} has. */
    public static final Controls NONE = new Controls(OrderSize.NONE, OrderRate.NONE, java.util.Optional.empty());

    /**
     * The price collar: an order's price may lie at most {@code maxDeviationPct} from riskgate's own reference
     * (the symbol's latest mark or closed bar), which counts only when at most {@code maxReferenceAge} old;
     * {@code rejectWithoutReference}: no usable reference refuses the order (else the collar is skipped).
     */
    public record PriceCollar(double maxDeviationPct, java.time.Duration maxReferenceAge,
                              boolean rejectWithoutReference) {
    }

    /** The most checks a throttle may count (an account book keeps this many of its latest). */
    public static final int MAX_COUNTED_CHECKS = 1_000;

    /** At most {@code maxChecks} checks decided in any {@code window} of event time. */
    public record Rate(int maxChecks, java.time.Duration window) {
    }

    /**
     * The order-rate throttle (FIA: message and order throttles): checks per account, and per strategy of an
     * account, in a sliding window of event time; each absent when not limited.
     */
    public record OrderRate(java.util.Optional<Rate> perAccount, java.util.Optional<Rate> perStrategy) {
        static final OrderRate NONE = new OrderRate(java.util.Optional.empty(), java.util.Optional.empty());
    }

    /**
     * Upper bounds on one order: its quantity in the symbol's base unit and its notional in account currency;
     * absent bounds are empty.
     */
    public record Limit(OptionalDouble maxQuantity, OptionalDouble maxNotional) {
        static final Limit NONE = new Limit(OptionalDouble.empty(), OptionalDouble.empty());

        /** This limit's bounds, each falling back to {@code defaults}' where this one has none. */
        Limit over(Limit defaults) {
            return new Limit(maxQuantity.isPresent() ? maxQuantity : defaults.maxQuantity,
                    maxNotional.isPresent() ? maxNotional : defaults.maxNotional);
        }
    }

    /**
     * The order-size limit for every symbol ({@code defaults}) and the symbols with their own
     * ({@code symbols}, keyed in upper case): a symbol's key replaces the default's, a key it omits falls back.
     */
    public record OrderSize(Limit defaults, Map<String, Limit> symbols) {
        static final OrderSize NONE = new OrderSize(Limit.NONE, Map.of());

        public OrderSize {
            symbols = Map.copyOf(symbols);
        }

        /** The limit an order on {@code symbol} is held to (upper and lower case alike). */
        public Limit limitFor(String symbol) {
            Limit own = symbols.get(symbol.toUpperCase(Locale.ROOT));
            return own == null ? defaults : own.over(defaults);
        }
    }
}
