package io.riskgate.governor;

import io.riskgate.database.AccountVersions;
import io.riskgate.errors.ConflictException;
import io.riskgate.errors.NotFoundException;
import io.riskgate.policy.Governor;
import io.riskgate.portfolio.AccountBook;
import io.riskgate.portfolio.GovernorState;
import io.riskgate.portfolio.Portfolio;
import io.riskgate.portfolio.Position;
import io.riskgate.portfolio.TradingState;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleSetRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the governor on every event that can move an account's equity or clock (a check, an equity report, a mark,
 * a close) and on an officer's trip or reset; stores what changed with the event, or in its own transaction, and
 * streams the alerts after the commit. Always under the account's lock.
 */
public final class GovernorService {

    private static final Logger log = LoggerFactory.getLogger(GovernorService.class);

    private final RuleSetRegistry registry;
    private final Portfolio portfolio;
    private final GovernorStore store;
    private final EventBus bus;
    private final io.riskgate.market.PortfolioRisk risk;
    private final Clock clock;

    private final io.micrometer.core.instrument.MeterRegistry meters;

    /** Writes what the governor stores outside an account's own unit (its error alert), durably. */
    private final io.riskgate.database.GroupCommit tx;

    public GovernorService(RuleSetRegistry registry, Portfolio portfolio, GovernorStore store,
                           io.riskgate.database.GroupCommit tx, EventBus bus,
                           io.riskgate.market.PortfolioRisk risk, Clock clock,
                           io.micrometer.core.instrument.MeterRegistry meters) {
        this.tx = tx;
        this.meters = meters;
        this.risk = risk;
        this.registry = registry;
        this.portfolio = portfolio;
        this.store = store;
        this.bus = bus;
        this.clock = clock;
    }

    /** The accounts riskgate holds a governor state for, by id (the console's overview), at most {@code limit}. */
    public List<String> accounts(int limit) {
        return portfolio.store().accounts(limit);
    }

    public GovernorStore store() {
        return store;
    }

    /**
     * The stored events after {@code afterId} (of one account, if given), oldest first, at most {@code limit}, as
     * {@link GovernorStore#events} reads them, returned once they are durable: an event is readable from its batch's
     * commit, before its journal is synced, and a subscriber told of one a crash then took back would skip the
     * different event that takes its number after the restart.
     */
    public List<GovernorEvent> durableEvents(long afterId, Optional<String> account, int limit) {
        List<GovernorEvent> events = store.events(afterId, account, limit);
        tx.awaitDurable();
        return events;
    }

    public EventBus bus() {
        return bus;
    }

    /**
     * Evaluates the account at event time {@code at}: the new state and what changed, with nothing written, in the
     * book or the database. The caller stores the update (see {@link #persist}) with the state, which goes into the
     * book only once that commit succeeds. Call under the lock.
     */
    public GovernorEvaluator.Update evaluate(CompiledPolicy policy, AccountBook book, Instant at) {
        return GovernorEvaluator.evaluate(policy, book.governor(), GovernorEvaluator.Input.of(book, at, spikes(policy)));
    }

    /** The spike breakers' measures from stored bars, under the policy's analytics settings; none with no position. */
    public GovernorEvaluator.Spikes spikes(CompiledPolicy policy) {
        return (positions, at) -> {
            if (positions.isEmpty()) {
                return GovernorEvaluator.Spikes.Measured.NONE;
            }
            double[] m = risk.spikes(policy.policy().analytics(), policy.policy().portfolio(), positions, at);
            return new GovernorEvaluator.Spikes.Measured(m[0], m[1]);
        };
    }

    /** Writes what an update changed; joins the caller's transaction. Returns the events as stored (with ids). */
    public List<GovernorEvent> persist(GovernorEvaluator.Update u, String policySha) {
        Instant now = clock.instant();
        u.changes().forEach(c -> store.insertChange(c, policySha, now));
        for (EmergencyInstruction i : u.instructions()) {
            store.insertInstruction(i, policySha, now);
            if (i.kind() != EmergencyInstruction.Kind.REDUCE) {
                portfolio.store().markBreakerExit(i.tradeIds());
            }
        }
        List<GovernorEvent> stored = new ArrayList<>();
        u.events().forEach(e -> stored.add(store.insertEvent(e, now)));
        return stored;
    }

    /** Streams stored events to subscribers; call after the commit. */
    public void publish(List<GovernorEvent> events) {
        if (!events.isEmpty()) {
            events.forEach(e -> log.info("governor {} {} {}: {}", e.account(), e.level(), e.type(), e.message()));
            // this instance's own alerts (those relayed from other instances are counted there): breaker trips and
            // clears, instructions, recovery mode, by type and level
            events.forEach(e -> io.micrometer.core.instrument.Counter.builder("riskgate.governor.alerts")
                    .description("governor alerts this instance raised").tag("type", e.type())
                    .tag("level", e.level()).register(meters).increment());
            bus.publish(events);
        }
    }

    /**
     * Evaluates and stores in its own transaction, then streams. Call under the lock, after an event that is
     * already stored (an equity report, a mark, a close): a governor failure does not undo it. The failure is
     * logged and alerted (GOVERNOR_ERROR), the governor state stays as it was, and the account's next check, which
     * runs the governor first, fails closed (ENGINE_ERROR) while the fault lasts.
     */
    public Optional<GovernorEvaluator.Update> refresh(CompiledPolicy policy, AccountBook book, Instant at) {
        try {
            GovernorEvaluator.Update u = evaluate(policy, book, at);
            if (u.state().equals(book.governor()) && u.changes().isEmpty() && u.instructions().isEmpty()
                    && u.events().isEmpty()) {
                // nothing to store: no batch to join and no fsync to wait for (a quiet mark on every account)
                return Optional.of(u);
            }
            List<List<GovernorEvent>> stored = new ArrayList<>(1);
            portfolio.saveGovernor(book, u.state(), () -> stored.add(persist(u, policy.sha256())));
            publish(stored.get(0));
            return Optional.of(u);
        } catch (AccountVersions.Stale stale) {
            // another process wrote the account since its book was read: the book was dropped, the event before
            // this is stored, and the account's next check runs the governor first, on what is stored
            log.info("governor update on account {} at {} not stored: {}", book.account(), at, stale.getMessage());
            return Optional.empty();
        } catch (RuntimeException | Error e) {
            log.error("governor failed on account {} at {}; its state is unchanged", book.account(), at, e);
            try {
                // through the group commit: durable before it is streamed, and its bus event with it
                GovernorEvent stored = tx.execute(s -> store.insertEvent(GovernorEvent.of(book.account(), at,
                        "CRITICAL", "GOVERNOR_ERROR", "the governor could not evaluate the account (" + e + "); new "
                                + "checks fail closed until it can", Map.of()), clock.instant()));
                publish(List.of(stored));
            } catch (RuntimeException again) {
                log.error("governor error on account {} could not be stored either", book.account(), again);
            }
            return Optional.empty();
        }
    }

    /**
     * What {@link #measure} found inside a unit of work, for {@link #measured} after its commit: the update (its
     * state goes into the book only then) and its stored events, or the failure of the evaluation.
     */
    public static final class Measured {
        private GovernorEvaluator.Update update;
        /** The update's state as stored, when it differs from the book's. */
        private String stateJson;
        private List<GovernorEvent> stored = List.of();
        private RuntimeException failure;
    }

    /**
     * {@link #refresh} with a caller's unit of work (a mark's), in two steps: {@link #measure} evaluates the book as
     * the caller changed it, on the caller's thread, before the unit; {@link #store} writes the update with the
     * caller's writes, in the unit, on the group commit's writer, which is left only the SQL. An evaluation that
     * fails leaves the caller's writes alone (they commit) and is handled by {@link #measured} as {@link #refresh}
     * handles it. Call under the lock.
     */
    public void measure(CompiledPolicy policy, AccountBook book, Instant at, Measured into) {
        try {
            into.update = evaluate(policy, book, at);
            if (!into.update.state().equals(book.governor())) {
                into.stateJson = portfolio.store().governorJson(book.account(), into.update.state());
            }
        } catch (RuntimeException e) {
            into.update = null;
            into.failure = e;
        }
    }

    /** Writes what {@link #measure} found, in the caller's unit. Call under the lock. */
    public void store(CompiledPolicy policy, AccountBook book, Measured m) {
        if (m.update == null) {
            return;
        }
        if (m.stateJson != null) {
            portfolio.store().saveGovernor(book.account(), m.stateJson, clock.instant());
        }
        m.stored = persist(m.update, policy.sha256());
    }

    /** After the unit of {@link #store} committed: the new state into the book, the events to the stream. */
    public void measured(CompiledPolicy policy, AccountBook book, Instant at, Measured m) {
        if (m.failure != null) {
            // as refresh does: logged, alerted (GOVERNOR_ERROR), the state unchanged, new checks fail closed
            refresh(policy, book, at);
            return;
        }
        if (m.update != null) {
            book.governor(m.update.state());
            publish(m.stored);
        }
    }

    /** An account's governor state now (read-only: breakers expire by event time, on the account's next event). */
    public AccountGovernorView view(String account) {
        return portfolio.withAccount(account, book -> view(book));
    }

    private AccountGovernorView view(AccountBook book) {
        GovernorState s = book.governor();
        Double equity = book.markedEquity().orElse(null);
        double daily = 0;
        double weekly = 0;
        double fromPeak = 0;
        double gain = 0;
        if (equity != null) {
            daily = lossFrom(s.dayOpenEquity(), equity);
            weekly = lossFrom(s.weekOpenEquity(), equity);
            fromPeak = s.peakEquity() == null ? 0 : lossFrom(Math.max(s.peakEquity(), equity), equity);
            gain = s.weekOpenEquity() == null || s.weekOpenEquity() <= 0 ? 0
                    : (equity - s.weekOpenEquity()) / s.weekOpenEquity();
        }
        long open = store.instructions(book.account(), true).size();
        return new AccountGovernorView(book.account(), s.state(), s.breakers(), equity, s.peakEquity(),
                new AccountGovernorView.Drawdown(daily, weekly, fromPeak, gain, s.dayStart(), s.dayOpenEquity(),
                        s.weekStart(), s.weekOpenEquity()), s.recovery(), s.weeklyTargetReached(), s.multipliers(),
                s.stopTightening(), open, s.lastEventAt(), limits(book.account()));
    }

    private AccountGovernorView.BreakerLimits limits(String account) {
        CompiledPolicy policy = registry.forAccountOrDefault(account);
        return AccountGovernorView.BreakerLimits.of(policy.id(), policy.policy().governor().breakers());
    }

    private static double lossFrom(Double reference, double equity) {
        return reference == null || reference <= 0 ? 0 : Math.max(0, (reference - equity) / reference);
    }

    /**
     * An officer trips ({@code TRIP}: the account goes to {@code state}, HALTED by default, with the emergency
     * protocol asked for) or resets ({@code RESET}: every active breaker, or the one named) the account, with a
     * reason. Audited in the breaker log, with {@code actor} (the officer's authenticated name), and streamed.
     */
    public AccountGovernorView officer(String account, String actor, String action, String reason,
                                       Optional<TradingState> state, Optional<Governor.Emergency> emergency,
                                       Optional<String> code) {
        CompiledPolicy policy = registry.forAccountOrDefault(account);
        return portfolio.withAccount(account, book -> {
            // an officer's action happens now, by riskgate's clock; it does not move the account's event clock
            Instant at = clock.instant();
            GovernorEvaluator.Update u;
            if (action.equals("TRIP")) {
                book.governor().breakers().stream().filter(b -> b.code().equals(GovernorEvaluator.OFFICER_CODE))
                        .findFirst().ifPresent(b -> {
                            throw new ConflictException("account " + account + " is already tripped by an officer ("
                                    + b.state() + " since " + b.trippedAt() + ": " + b.reason() + "); RESET it first");
                        });
                u = GovernorEvaluator.officerTrip(book.governor(), account, actor, at, reason,
                        state.orElse(TradingState.HALTED), emergency.orElse(Governor.Emergency.NONE),
                        policy.policy().governor(), book.positions().stream().map(Position::tradeId).toList());
            } else {
                if (book.governor().breakers().stream().noneMatch(b -> code.isEmpty() || code.get().equals(b.code()))) {
                    throw new ConflictException("account " + account + " has no active breaker"
                            + code.map(c -> " " + c).orElse("") + " to reset (state " + book.governor().state() + ")");
                }
                u = GovernorEvaluator.officerReset(book.governor(), account, actor, at, reason, code);
            }
            List<List<GovernorEvent>> stored = new ArrayList<>(1);
            portfolio.saveGovernor(book, u.state(), () -> stored.add(persist(u, policy.sha256())));
            publish(stored.get(0));
            return view(book);
        });
    }

    /** An account's emergency instructions, newest first; only the open ones when {@code open}. */
    public List<EmergencyInstruction> instructions(String account, boolean open) {
        return store.instructions(account, open);
    }

    /**
     * Acknowledges an emergency instruction (once: a second acknowledgement is a 409); the alert event names
     * {@code actor}, who acknowledged it.
     */
    public EmergencyInstruction acknowledge(String account, String actor, String id, Optional<String> note) {
        return portfolio.withAccount(account, book -> {
            EmergencyInstruction i = store.instruction(account, id)
                    .orElseThrow(() -> new NotFoundException("no instruction " + id + " on account " + account));
            if (i.acknowledged()) {
                throw new ConflictException("instruction " + id + " was already acknowledged at " + i.acknowledgedAt());
            }
            Instant at = clock.instant();
            GovernorEvent e = GovernorEvent.of(account, at, "INFO", "INSTRUCTION_ACKNOWLEDGED", i.kind() + " "
                    + i.tradeIds() + " acknowledged by " + actor + note.map(n -> ": " + n).orElse(""),
                    Map.of("instructionId", id, "actor", actor));
            List<GovernorEvent> stored = new ArrayList<>(1);
            portfolio.saveGovernor(book, book.governor(), () -> {
                store.acknowledge(id, at, note.orElse(null));
                // trades still open after the instruction was handled go back under the exit rules
                portfolio.store().clearBreakerExit(i.tradeIds());
                stored.add(store.insertEvent(e, at));
            });
            publish(stored);
            return store.instruction(account, id).orElseThrow();
        });
    }

    /**
     * After a batch of bars: every account holding one of {@code symbols} is measured again (the spike breakers),
     * at the account's own clock advanced to {@code at}.
     */
    public void barsPosted(java.util.Set<String> symbols, Instant at) {
        java.util.Set<String> accounts = new java.util.TreeSet<>();
        symbols.forEach(s -> accounts.addAll(portfolio.store().accountsTrading(s)));
        for (String account : accounts) {
            try {
                CompiledPolicy policy = registry.forAccountOrDefault(account);
                portfolio.withAccount(account, book -> refresh(policy, book, book.advance(at)));
            } catch (RuntimeException e) {
                // the bars are stored; this account's next event runs the governor again
                log.error("governor could not measure account {} after a batch of bars", account, e);
            }
        }
    }
}
