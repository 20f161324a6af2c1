package io.riskgate.rules;

import io.riskgate.facts.Verdict;
import java.util.List;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;

/**
 * Fires a compiled rule base on facts, recording every fired rule, in order, in a {@link Verdict}.
 *
 * <p>A pre-trade decision runs as two phases of one short-lived {@link Session}: the order's facts first (the gates
 * reject, the decision tables set multipliers and strategy limits), then, once Java has sized the order from what
 * the first phase said, the sized order (the portfolio-limit rules). Rules decide; Java computes; nothing calls
 * back from inside a session.
 */
public final class RuleEvaluator {

    /**
     * A phase of one decision fires each rule at most once on its one fact; far more firings than that means a
     * rule loops (one that updates its own fact, say), and the decision fails closed instead of holding the
     * account's lock forever. An engine safety bound, not a risk threshold.
     */
    static final int MAX_FIRINGS_PER_PHASE = 10_000;

    private RuleEvaluator() {
    }

    /** Opens a session on {@code policy} whose fired rules go to {@code verdict}; close it when done. */
    public static Session open(CompiledPolicy policy, Verdict verdict) {
        return new Session(policy, verdict);
    }

    /** Fires the rule base once on a single fact (an exit's {@code ExitFacts}), recording the fired rules. */
    public static void fireOn(CompiledPolicy policy, Object fact, Verdict verdict) {
        fireOn(policy, List.of(fact), verdict);
    }

    /** Fires the rule base once on several facts, each matched on its own (single-pattern rules). */
    public static void fireOn(CompiledPolicy policy, List<?> facts, Verdict verdict) {
        try (Session session = open(policy, verdict)) {
            session.fire(facts);
        }
    }

    /** One short-lived rule session: insert facts phase by phase; disposed on close whatever happened. */
    public static final class Session implements AutoCloseable {

        private final KieSession session;

        private Session(CompiledPolicy policy, Verdict verdict) {
            session = policy.kieBase().newKieSession();
            session.addEventListener(new DefaultAgendaEventListener() {
                @Override
                public void afterMatchFired(AfterMatchFiredEvent event) {
                    verdict.fired(event.getMatch().getRule());
                }
            });
        }

        /** Inserts {@code fact} and fires every rule it (with the facts of earlier phases) activates. */
        public void fire(Object fact) {
            fire(List.of(fact));
        }

        /** Inserts the facts and fires, as one phase. */
        public void fire(List<?> facts) {
            facts.forEach(session::insert);
            check(session.fireAllRules(MAX_FIRINGS_PER_PHASE));
        }

        /** Inserts the facts and fires only the rules of {@code category} (their {@code @category}), as one phase. */
        public void fire(List<?> facts, String category) {
            facts.forEach(session::insert);
            check(session.fireAllRules(match -> category.equals(match.getRule().getMetaData().get("category")),
                    MAX_FIRINGS_PER_PHASE));
        }

        private static void check(int fired) {
            if (fired >= MAX_FIRINGS_PER_PHASE) {
                throw new IllegalStateException("rules fired " + fired + " times in one phase: a rule loops");
            }
        }

        @Override
        public void close() {
            session.dispose();
        }
    }
}
