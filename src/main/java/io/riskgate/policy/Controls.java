package io.riskgate.policy;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * @param maxMarketDataAge how far the order's {@code market.timestamp} may lie behind the account's clock (the
 *        latest event time riskgate has seen for the account)
 * @param duplicateWindow how long an approved order, without a {@code clientOrderId}, makes the same order again a
 *        duplicate (same symbol, side, strategy and sized quantity)
 * @param guards the locks stop-outs put on a symbol or the account (freqtrade's CooldownPeriod, StoplossGuard)
 * @param firm limits over every account of the firm (15c3-5 (c)(1)(i) credit thresholds)
 * @param dailyRiskBudget the risk the trades opened in a governor day may add up to (seed 004's max_daily_risk)
 */
public record Controls(OrderSize orderSize, OrderRate orderRate, Optional<PriceCollar> priceCollar,
                       Optional<Duration> maxMarketDataAge, Optional<Duration> duplicateWindow, Guards guards,
                       Firm firm, Optional<RiskBudget> dailyRiskBudget) {

    /** No controls: what a policy without {@code controls:} has. */
    public static final Controls NONE = new Controls(OrderSize.NONE, OrderRate.NONE, Optional.empty(),
            Optional.empty(), Optional.empty(), Guards.NONE, Firm.NONE, Optional.empty());

    /** What a lock covers: the stopped-out symbol only, or every symbol of the account. */
    public enum LockScope { SYMBOL, ACCOUNT }

    /**
     * After {@code maxStopLosses} stop-outs within {@code window} (on one symbol, or on any symbol of the account,
     * as {@code scope} says), new entries are refused for {@code lock} from the last of them.
     */
    public record StoplossGuard(int maxStopLosses, Duration window, Duration lock, LockScope scope) {
    }

    /**
     * The locks stop-outs put: {@code cooldown} after any stop-out, on its symbol; the stop-loss guard after
     * several. Each absent when not used.
     */
    public record Guards(Optional<Duration> cooldown, Optional<StoplossGuard> stoplossGuard) {
        static final Guards NONE = new Guards(Optional.empty(), Optional.empty());

        /** True when either lock is configured. */
        public boolean any() {
            return cooldown.isPresent() || stoplossGuard.isPresent();
        }
    }

    /**
     * Firm-wide limits, summed over every account riskgate serves: the gross exposure (open positions' and
     * reservations' notional, in account currency), and the risk that trades opened today may put at their stops.
     */
    public record Firm(OptionalDouble maxGrossExposure, OptionalDouble maxDailyRisk) {
        static final Firm NONE = new Firm(OptionalDouble.empty(), OptionalDouble.empty());

        /** True when either firm limit is set. */
        public boolean any() {
            return maxGrossExposure.isPresent() || maxDailyRisk.isPresent();
        }
    }

    /**
     * The account's daily risk budget: the risk at the stop of the orders approved in the current governor day
     * (those whose reservation lapsed unfilled do not count), as a fraction of equity, may add up to
     * {@code maxPct}; an order is sized down to what is left.
     */
    public record RiskBudget(double maxPct) {
    }

    /**
     * The price collar: an order's price may lie at most {@code maxDeviationPct} from riskgate's own reference
     * (the symbol's latest mark or closed bar), which counts only when at most {@code maxReferenceAge} old;
     * {@code rejectWithoutReference}: no usable reference refuses the order (else the collar is skipped).
     */
    public record PriceCollar(double maxDeviationPct, Duration maxReferenceAge,
                              boolean rejectWithoutReference) {
    }

    /** The most stop-outs a stop-loss guard may count (an account book keeps this many of its latest). */
    public static final int MAX_COUNTED_STOP_LOSSES = 100;

    /** The most checks a throttle may count (an account book keeps this many of its latest). */
    public static final int MAX_COUNTED_CHECKS = 1_000;

    /** At most {@code maxChecks} checks decided in any {@code window} of event time. */
    public record Rate(int maxChecks, Duration window) {
    }

    /**
     * The order-rate throttle (FIA: message and order throttles): checks per account, and per strategy of an
     * account, in a sliding window of event time; each absent when not limited.
     */
    public record OrderRate(Optional<Rate> perAccount, Optional<Rate> perStrategy) {
        static final OrderRate NONE = new OrderRate(Optional.empty(), Optional.empty());
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
