package io.riskgate.governor;

import io.riskgate.base.Ids;
import io.riskgate.facts.AccountFacts;
import io.riskgate.facts.FiredRule;
import io.riskgate.facts.PositionFacts;
import io.riskgate.facts.Verdict;
import io.riskgate.governor.EmergencyInstruction.Kind;
import io.riskgate.policy.Governor;
import io.riskgate.portfolio.AccountBook;
import io.riskgate.portfolio.ActiveBreaker;
import io.riskgate.portfolio.GovernorState;
import io.riskgate.portfolio.Multiplier;
import io.riskgate.portfolio.Position;
import io.riskgate.portfolio.TradeResult;
import io.riskgate.portfolio.TradingState;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleEvaluator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The governor's step for one account at one event time, with no I/O: roll the day and week windows, expire
 * breakers whose window or cooldown ended, measure equity against the peak and the windows' opening equity, run
 * the governor rules, and apply what they said. The same state and inputs always give the same result, so a
 * replay of history behaves like live trading.
 *
 * <p>A breaker trips on crossing its limit, once: it is then disarmed until its condition clears, so it never
 * re-trips (nor re-issues its emergency instructions) on every later update, nor straight after its cooldown or an
 * officer's reset while the account is still beyond the limit.
 */
public final class GovernorEvaluator {

    /**
     * What the governor sees of an account at one event.
     *
     * @param volatilitySpikeSigma the largest distance, in standard deviations of its window, of an open symbol's
     *        latest return from the window's mean; NaN when not measurable
     * @param maxPairCorrelation the highest direction-adjusted correlation between two open positions of different
     *        assets; NaN when fewer than two or not measurable
     */
    public record Input(String account, Optional<Double> equity, Instant at, List<TradeResult> recentResults,
                        List<Position> positions, Map<String, Double> lastPrices, double volatilitySpikeSigma,
                        double maxPairCorrelation) {

        /** Without market-data measures (no bars). */
        public Input(String account, Optional<Double> equity, Instant at, List<TradeResult> recentResults,
                     List<Position> positions, Map<String, Double> lastPrices) {
            this(account, equity, at, recentResults, positions, lastPrices, Double.NaN, Double.NaN);
        }

        /**
         * The account as its book holds it at {@code at}, with the market measures {@code spikes} gives for its open
         * positions.
         */
        public static Input of(AccountBook book, Instant at, Spikes spikes) {
            Map<String, Double> prices = new HashMap<>();
            List<Position> positions = new ArrayList<>(book.positions());
            positions.forEach(p -> prices.put(p.tradeId(), book.lastPrice(p.tradeId())));
            Spikes.Measured m = spikes.measure(positions, at);
            return new Input(book.account(), book.markedEquity(), at, book.recentResults(), positions, prices,
                    m.volatilitySpikeSigma(), m.maxPairCorrelation());
        }
    }

    /** The market measures of the spike breakers: from stored bars live, from the scenario file in a scenario. */
    @FunctionalInterface
    public interface Spikes {

        record Measured(double volatilitySpikeSigma, double maxPairCorrelation) {
            public static final Measured NONE = new Measured(Double.NaN, Double.NaN);
        }

        Measured measure(List<Position> positions, Instant at);
    }

    /** The new state and what changed. */
    public record Update(GovernorState state, List<BreakerChange> changes, List<EmergencyInstruction> instructions,
                         List<GovernorEvent> events, List<FiredRule> fired) {
    }

    private GovernorEvaluator() {
    }

    public static Update evaluate(CompiledPolicy policy, GovernorState s, Input in) {
        Governor g = policy.policy().governor();
        String account = in.account();
        Instant now = s.lastEventAt() == null || in.at().isAfter(s.lastEventAt()) ? in.at() : s.lastEventAt();
        List<BreakerChange> changes = new ArrayList<>();
        List<EmergencyInstruction> instructions = new ArrayList<>();
        List<GovernorEvent> events = new ArrayList<>();
        Double equity = in.equity().orElse(null);
        Double last = s.lastEquity() != null ? s.lastEquity() : equity;

        // windows: a new day (week) opens with the equity the account had when it began
        Instant dayStart = s.dayStart();
        Double dayOpen = s.dayOpenEquity();
        if (dayStart == null || g.dayStart(now).isAfter(dayStart)) {
            dayStart = g.dayStart(now);
            dayOpen = last;
        }
        Instant weekStart = s.weekStart();
        Double weekOpen = s.weekOpenEquity();
        boolean weeklyTarget = s.weeklyTargetReached();
        if (weekStart == null || g.weekStart(now).isAfter(weekStart)) {
            weekStart = g.weekStart(now);
            weekOpen = last;
            if (weeklyTarget) {
                events.add(GovernorEvent.of(account, now, "INFO", "WEEKLY_TARGET_RESET", "a new week began at "
                        + weekStart + ": the weekly target's preservation factor no longer applies", Map.of()));
            }
            weeklyTarget = false;
        }
        dayOpen = dayOpen == null ? equity : dayOpen;
        weekOpen = weekOpen == null ? equity : weekOpen;

        // breakers whose window or cooldown ended
        List<ActiveBreaker> breakers = new ArrayList<>();
        for (ActiveBreaker b : s.breakers()) {
            if (b.until() != null && !now.isBefore(b.until())) {
                changes.add(new BreakerChange(account, "CLEAR", b.code(), b.rule(), b.state(), null, null, now, null,
                        "ended at " + b.until(), "clock"));
                events.add(GovernorEvent.of(account, now, "INFO", "BREAKER_CLEARED", b.code() + " ended at "
                        + b.until(), Map.of("code", b.code())));
            } else {
                breakers.add(b);
            }
        }

        // measures
        Double peak = s.peakEquity();
        double drawdown = 0;
        double dailyLoss = 0;
        double weeklyLoss = 0;
        double weeklyGain = 0;
        boolean recovery = s.recovery();
        if (equity != null) {
            peak = peak == null ? equity : Math.max(peak, equity);
            drawdown = peak > 0 ? (peak - equity) / peak : 0;
            dailyLoss = dayOpen != null && dayOpen > 0 ? Math.max(0, (dayOpen - equity) / dayOpen) : 0;
            weeklyLoss = weekOpen != null && weekOpen > 0 ? Math.max(0, (weekOpen - equity) / weekOpen) : 0;
            weeklyGain = weekOpen != null && weekOpen > 0 ? (equity - weekOpen) / weekOpen : 0;
            if (!recovery && drawdown >= g.multipliers().recovery().drawdownPct()) {
                recovery = true;
                events.add(GovernorEvent.of(account, now, "WARNING", "RECOVERY_ENTERED", "drawdown "
                        + AccountFacts.pct(drawdown) + " from the peak " + peak + ": recovery mode",
                        Map.of("drawdownPct", drawdown, "peakEquity", peak)));
            } else if (recovery && equity >= peak) {
                recovery = false;
                events.add(GovernorEvent.of(account, now, "INFO", "RECOVERY_LEFT", "equity " + equity
                        + " is a new peak: recovery mode ends", Map.of("equity", equity)));
            }
            if (!weeklyTarget && weeklyGain >= g.multipliers().weeklyTarget().targetPct()) {
                weeklyTarget = true;
                events.add(GovernorEvent.of(account, now, "INFO", "WEEKLY_TARGET_REACHED", "the week is up "
                        + AccountFacts.pct(weeklyGain) + " (target "
                        + AccountFacts.pct(g.multipliers().weeklyTarget().targetPct())
                        + "): preservation mode until the week resets", Map.of("weeklyGainPct", weeklyGain)));
            }
        }
        int streak = 0;
        for (TradeResult r : in.recentResults()) {
            if (r != TradeResult.LOSS) {
                break;
            }
            streak++;
        }
        List<TradeResult> window = TradeResult.newest(in.recentResults(), g.multipliers().winRate().windowTrades());
        double winRate = TradeResult.winRate(window);

        // rules
        AccountFacts facts = new AccountFacts(g, account, equity == null ? 0 : equity, drawdown, dailyLoss,
                weeklyLoss, weeklyGain, streak, window.size(), winRate, recovery, weeklyTarget,
                in.volatilitySpikeSigma(), in.maxPairCorrelation());
        List<Object> all = new ArrayList<>();
        all.add(facts);
        List<PositionFacts> positions = new ArrayList<>();
        if (equity != null && equity > 0) {
            for (Position p : in.positions()) {
                Double price = in.lastPrices().get(p.tradeId());
                if (price != null && !price.isNaN()) {
                    PositionFacts pf = new PositionFacts(p, price, equity, g.positionLossLimitPct());
                    positions.add(pf);
                    all.add(pf);
                }
            }
        }
        Verdict verdict = new Verdict();
        RuleEvaluator.fireOn(policy, all, verdict);

        // trips: on crossing only
        Set<String> disarmed = new HashSet<>(s.disarmed());
        Set<String> beyond = new HashSet<>();
        List<String> liveTrades = in.positions().stream().map(Position::tradeId).toList();
        for (AccountFacts.Trip t : equity == null ? List.<AccountFacts.Trip>of() : facts.trips()) {
            beyond.add(t.code());
            boolean active = breakers.stream().anyMatch(b -> b.code().equals(t.code()));
            if (active || disarmed.contains(t.code())) {
                continue;
            }
            Instant until = switch (t.breaker().until()) {
                case WINDOW_END -> "week".equals(t.window()) ? g.nextWeek(now) : g.nextDay(now);
                case COOLDOWN -> now.plus(t.breaker().cooldown().orElseThrow());
                case RESET -> null;
            };
            breakers.add(new ActiveBreaker(t.code(), t.rule(), t.state(), t.measured(), t.limit(), now, until,
                    t.reason(), "rules"));
            disarmed.add(t.code());
            changes.add(new BreakerChange(account, "TRIP", t.code(), t.rule(), t.state(), t.measured(), t.limit(),
                    now, until, t.reason(), "rules"));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("code", t.code());
            data.put("measured", t.measured());
            data.put("limit", t.limit());
            data.put("state", t.state().name());
            if (until != null) {
                data.put("until", until.toString());
            }
            events.add(GovernorEvent.of(account, now, "CRITICAL", "BREAKER_TRIPPED", t.code() + ": " + t.reason()
                    + " -> " + t.state() + (until == null ? " until an officer resets it" : " until " + until), data));
            emergency(t.breaker().emergency(), g, account, liveTrades, t.code(), t.rule(), t.reason(), now)
                    .ifPresent(instructions::add);
        }
        disarmed.removeIf(code -> !beyond.contains(code));

        // position loss limit: one CLOSE per trade
        Set<String> lossClosed = new HashSet<>(s.positionLossClosed());
        lossClosed.retainAll(liveTrades);
        for (PositionFacts pf : positions) {
            if (pf.closeReason() != null && lossClosed.add(pf.getTradeId())) {
                instructions.add(new EmergencyInstruction(Ids.next(), account, Kind.CLOSE,
                        List.of(pf.getTradeId()), null, pf.code(), pf.rule(), pf.closeReason(), now, null, null));
            }
        }

        TradingState state = worst(breakers);
        if (state != s.state()) {
            events.add(stateChanged(account, now, s.state(), state, breakers));
        }
        List<Multiplier> multipliers = facts.multipliers();
        if (!codes(multipliers).equals(codes(s.multipliers()))) {
            events.add(GovernorEvent.of(account, now, "INFO", "MULTIPLIERS_CHANGED", "risk multipliers now "
                    + (multipliers.isEmpty() ? "none" : codes(multipliers)), Map.of("codes", codes(multipliers))));
        }
        for (EmergencyInstruction i : instructions) {
            events.add(GovernorEvent.of(account, now, "CRITICAL", "INSTRUCTION_ISSUED", i.kind() + " "
                    + i.tradeIds() + (i.fraction() == null ? "" : " x " + i.fraction()) + ": " + i.reason(),
                    Map.of("instructionId", i.instructionId(), "kind", i.kind(), "code", i.code())));
        }
        GovernorState next = new GovernorState(state, s.realizedSinceSnapshot(), peak, dayStart, dayOpen, weekStart,
                weekOpen, equity != null ? equity : s.lastEquity(), now, recovery, weeklyTarget, disarmed, lossClosed,
                breakers, multipliers, facts.stopTightening());
        return new Update(next, changes, instructions, events, verdict.fired());
    }

    /**
     * An officer ({@code actor}, as the breaker log records them) trips the account with a reason: audited like a
     * rule's trip, cleared only by a reset.
     */
    public static Update officerTrip(GovernorState s, String account, String actor, Instant at, String reason,
                                     TradingState to, Governor.Emergency emergency, Governor g,
                                     List<String> liveTrades) {
        List<ActiveBreaker> breakers = new ArrayList<>(s.breakers());
        breakers.removeIf(b -> b.code().equals(OFFICER_CODE));
        breakers.add(new ActiveBreaker(OFFICER_CODE, "officer", to, null, null, at, null, reason, actor));
        List<GovernorEvent> events = new ArrayList<>();
        events.add(GovernorEvent.of(account, at, "CRITICAL", "BREAKER_TRIPPED", OFFICER_CODE + " by " + actor + ": "
                + reason + " -> " + to + " until an officer resets it", Map.of("code", OFFICER_CODE, "state", to.name(),
                "actor", actor)));
        List<EmergencyInstruction> instructions = new ArrayList<>();
        emergency(emergency, g, account, liveTrades, OFFICER_CODE, "officer", reason, at).ifPresent(instructions::add);
        TradingState state = worst(breakers);
        if (state != s.state()) {
            events.add(stateChanged(account, at, s.state(), state, breakers));
        }
        for (EmergencyInstruction i : instructions) {
            events.add(GovernorEvent.of(account, at, "CRITICAL", "INSTRUCTION_ISSUED", i.kind() + " " + i.tradeIds()
                    + ": " + reason, Map.of("instructionId", i.instructionId(), "kind", i.kind())));
        }
        return new Update(with(s, state, breakers), List.of(new BreakerChange(account, "TRIP", OFFICER_CODE, "officer",
                to, null, null, at, null, reason, actor)), instructions, events, List.of());
    }

    /**
     * An officer ({@code actor}) clears breakers (all, or the one with {@code code}) with a reason. A rule's breaker
     * stays disarmed until its condition clears, so the reset holds while the account is still beyond the limit.
     */
    public static Update officerReset(GovernorState s, String account, String actor, Instant at, String reason,
                                      Optional<String> code) {
        List<ActiveBreaker> kept = new ArrayList<>();
        List<BreakerChange> changes = new ArrayList<>();
        List<GovernorEvent> events = new ArrayList<>();
        for (ActiveBreaker b : s.breakers()) {
            if (code.isPresent() && !code.get().equals(b.code())) {
                kept.add(b);
            } else {
                changes.add(new BreakerChange(account, "CLEAR", b.code(), b.rule(), b.state(), null, null, at, null,
                        reason, actor));
                events.add(GovernorEvent.of(account, at, "INFO", "BREAKER_CLEARED", b.code() + " reset by " + actor
                        + ": " + reason, Map.of("code", b.code(), "actor", actor)));
            }
        }
        TradingState state = worst(kept);
        if (state != s.state()) {
            events.add(stateChanged(account, at, s.state(), state, kept));
        }
        return new Update(with(s, state, kept), changes, List.of(), events, List.of());
    }

    /** The code of an officer's trip. */
    public static final String OFFICER_CODE = "OFFICER_HALT";

    private static Optional<EmergencyInstruction> emergency(Governor.Emergency e, Governor g, String account,
                                                            List<String> trades, String code, String rule,
                                                            String reason, Instant at) {
        if (trades.isEmpty()) {
            return Optional.empty(); // nothing open: nothing to close or reduce
        }
        return switch (e) {
            case NONE -> Optional.empty();
            case CLOSE_ALL -> Optional.of(new EmergencyInstruction(Ids.next(), account,
                    Kind.CLOSE_ALL, trades, null, code, rule, reason, at, null, null));
            case REDUCE -> Optional.of(new EmergencyInstruction(Ids.next(), account, Kind.REDUCE,
                    trades, g.emergencyReduceFraction(), code, rule, reason, at, null, null));
        };
    }

    private static GovernorState with(GovernorState s, TradingState state, List<ActiveBreaker> breakers) {
        return new GovernorState(state, s.realizedSinceSnapshot(), s.peakEquity(), s.dayStart(), s.dayOpenEquity(),
                s.weekStart(), s.weekOpenEquity(), s.lastEquity(), s.lastEventAt(), s.recovery(),
                s.weeklyTargetReached(), s.disarmed(), s.positionLossClosed(), breakers, s.multipliers(),
                s.stopTightening());
    }

    private static TradingState worst(List<ActiveBreaker> breakers) {
        TradingState t = TradingState.ACTIVE;
        for (ActiveBreaker b : breakers) {
            t = t.worst(b.state());
        }
        return t;
    }

    private static GovernorEvent stateChanged(String account, Instant at, TradingState from, TradingState to,
                                              List<ActiveBreaker> breakers) {
        String level = to == TradingState.HALTED ? "CRITICAL" : to == TradingState.REDUCING ? "WARNING" : "INFO";
        return GovernorEvent.of(account, at, level, "STATE_CHANGED", "trading state " + from + " -> " + to
                + (breakers.isEmpty() ? "" : " (" + breakers.stream().map(ActiveBreaker::code).toList() + ")"),
                Map.of("from", from.name(), "to", to.name()));
    }

    /** Each multiplier as CODE x factor: a change of factor (the drawdown table stepping) is a change too. */
    private static List<String> codes(List<Multiplier> ms) {
        return ms.stream().map(m -> m.code() + " x " + m.factor()).sorted().toList();
    }
}
