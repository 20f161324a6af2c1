package io.riskgate.portfolio;

import io.riskgate.policy.Controls;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An account's latest stop-outs (trades closed by their stop loss, {@link TradeState#CLOSED_SL}) and the locks they
 * put on new entries (controls.cooldown, controls.stoploss_guard; docs/controls.md), with the locks officers lifted.
 * Locks are worked out from the stop-outs' event times whenever asked, never stored: a replay of the same closes
 * locks the same symbols for the same time. At most {@link #KEPT} stop-outs are kept (a guard counts at most as
 * many); a book read from the store gets its account's latest back.
 */
public final class StopOuts {

    /** The cooldown's code: no new entry on a symbol for a while after a stop-out on it. */
    public static final String COOLDOWN = "SYMBOL_COOLDOWN";
    /** The stop-loss guard's code: too many stop-outs in a window lock the symbol, or the account. */
    public static final String GUARD = "STOPLOSS_GUARD";

    /** The most stop-outs kept, so the most a guard can count. */
    public static final int KEPT = Controls.MAX_COUNTED_STOP_LOSSES;

    /** A trade closed by its stop loss: which, on what symbol, when (event time). */
    public record StopOut(String tradeId, String symbol, Instant at) {
    }

    /**
     * A lock on new entries: its code, the symbol it covers (null: every symbol of the account), from when to when
     * (event time), and why.
     */
    public record Lock(String code, String symbol, Instant since, Instant until, String reason) {

        /** Whether the lock holds an order on {@code orderSymbol}. */
        public boolean covers(String orderSymbol) {
            return symbol == null || symbol.equalsIgnoreCase(orderSymbol);
        }

        /** Whether {@code lift} lifts this lock: same code and symbol, until no later than the lifted one's. */
        boolean liftedBy(Lift lift) {
            return lift.code().equals(code) && java.util.Objects.equals(lift.symbol(), symbol)
                    && !until.isAfter(lift.until());
        }
    }

    /**
     * An officer's lift of a lock (stored, with who and why): it lifts the lock it names and every earlier lock of
     * the same code on the same symbol; a stop-out after it locks again.
     */
    public record Lift(String code, String symbol, Instant until, String actor, String reason, Instant liftedAt) {
    }

    private final ArrayDeque<StopOut> stops = new ArrayDeque<>();
    private final List<Lift> lifts = new ArrayList<>();

    /** Records a stop-out (oldest first when a book is read). */
    void add(StopOut s) {
        stops.addLast(s);
        if (stops.size() > KEPT) {
            stops.removeFirst();
        }
    }

    /** Records an officer's lift. */
    void lift(Lift l) {
        lifts.add(l);
    }

    /** The lifts recorded, oldest first. */
    public List<Lift> lifts() {
        return List.copyOf(lifts);
    }

    /**
     * The locks {@code guards} put on the account at {@code at} (event time): in force (since <= at < until) and not
     * lifted, those ending last first.
     */
    public List<Lock> locks(Controls.Guards guards, Instant at) {
        List<Lock> out = new ArrayList<>();
        if (!guards.any() || stops.isEmpty()) {
            return out;
        }
        List<StopOut> inOrder = stops.stream().sorted(Comparator.comparing(StopOut::at)).toList();
        guards.cooldown().ifPresent(cooldown -> {
            Map<String, StopOut> latest = new HashMap<>();
            for (StopOut s : inOrder) {
                if (!s.at().isAfter(at)) {
                    latest.put(s.symbol().toUpperCase(Locale.ROOT), s);
                }
            }
            for (StopOut s : latest.values()) {
                add(out, new Lock(COOLDOWN, s.symbol(), s.at(), s.at().plus(cooldown), "trade " + s.tradeId()
                        + " on " + s.symbol() + " was stopped out at " + s.at() + "; controls.cooldown.after_stop_loss "
                        + cooldown + " holds new entries on it"), at);
            }
        });
        guards.stoplossGuard().ifPresent(g -> {
            if (g.scope() == Controls.LockScope.ACCOUNT) {
                guard(out, g, null, inOrder, at);
            } else {
                Map<String, List<StopOut>> bySymbol = new HashMap<>();
                for (StopOut s : inOrder) {
                    bySymbol.computeIfAbsent(s.symbol().toUpperCase(Locale.ROOT), k -> new ArrayList<>()).add(s);
                }
                bySymbol.values().forEach(list -> guard(out, g, list.get(0).symbol(), list, at));
            }
        });
        out.sort(Comparator.comparing(Lock::until).reversed().thenComparing(Lock::code));
        return out;
    }

    /** Of {@code locks} (ending last first), the first of {@code code} that holds {@code symbol}, if any. */
    public static Optional<Lock> locking(List<Lock> locks, String symbol, String code) {
        return locks.stream().filter(l -> l.code().equals(code) && l.covers(symbol)).findFirst();
    }

    /**
     * The guard's lock from {@code stops} (one symbol's, or all of them; oldest first): the latest stop-out by
     * {@code at} that was at least the guard's {@code max_stop_losses}-th within its window locks from its time.
     */
    private void guard(List<Lock> out, Controls.StoplossGuard g, String symbol, List<StopOut> stops, Instant at) {
        for (int i = stops.size() - 1; i >= g.maxStopLosses() - 1; i--) {
            StopOut last = stops.get(i);
            if (last.at().isAfter(at)) {
                continue;
            }
            StopOut first = stops.get(i - g.maxStopLosses() + 1);
            if (Duration.between(first.at(), last.at()).compareTo(g.window()) < 0) {
                add(out, new Lock(GUARD, symbol, last.at(), last.at().plus(g.lock()), g.maxStopLosses()
                        + " stop-outs " + (symbol == null ? "on the account" : "on " + symbol) + " from " + first.at()
                        + " to " + last.at() + ", within controls.stoploss_guard.window " + g.window()
                        + "; new entries are held for " + g.lock()), at);
                return; // the latest qualifying stop-out locks longest; the lift of it lifts the earlier ones too
            }
        }
    }

    /** Adds {@code lock} when it is in force at {@code at} and no lift covers it. */
    private void add(List<Lock> out, Lock lock, Instant at) {
        if (lock.since().isAfter(at) || !lock.until().isAfter(at)) {
            return;
        }
        for (Lift l : lifts) {
            if (lock.liftedBy(l)) {
                return;
            }
        }
        out.add(lock);
    }
}
