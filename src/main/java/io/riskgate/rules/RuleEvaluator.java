package io.riskgate.rules;

import io.riskgate.facts.OrderFacts;
import io.riskgate.facts.SizedOrder;
import io.riskgate.facts.Verdict;

import java.util.function.Function;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;

/**
 * Runs one decision through a compiled rule base in two phases on one short-lived session:
 * <ol>
 *   <li>insert the {@link OrderFacts}: the gates reject, the decision tables set multipliers and strategy limits;</li>
 *   <li>Java sizes the order from what phase 1 said (the {@code sizer} callback: rules decide, Java computes);</li>
 *   <li>insert the {@link SizedOrder}: the portfolio-limit rules judge the sized position.</li>
 * </ol>
 * The listener records every fired rule in order. The session is disposed whatever happens.
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

    private static void fire(KieSession session) {
        int fired = session.fireAllRules(MAX_FIRINGS_PER_PHASE);
        if (fired >= MAX_FIRINGS_PER_PHASE) {
            throw new IllegalStateException("rules fired " + fired + " times in one phase: a rule loops");
        }
    }

    /**
     * Fires the rule base once on a single fact (an exit's {@code ExitFacts}), recording every fired rule in
     * {@code verdict}. The session is disposed whatever happens.
     */
    public static void fireOn(CompiledPolicy policy, Object fact, Verdict verdict) {
        fireOn(policy, java.util.List.of(fact), verdict);
    }

    /** Fires the rule base once on several facts, each matched on its own (single-pattern rules). */
    public static void fireOn(CompiledPolicy policy, java.util.List<?> facts, Verdict verdict) {
        KieSession session = policy.kieBase().newKieSession();
        try {
            session.addEventListener(listener(verdict));
            facts.forEach(session::insert);
            fire(session);
        } finally {
            session.dispose();
        }
    }

    private static DefaultAgendaEventListener listener(Verdict verdict) {
        return new DefaultAgendaEventListener() {
            @Override
            public void afterMatchFired(AfterMatchFiredEvent event) {
                verdict.fired(event.getMatch().getRule());
            }
        };
    }

    public static SizedOrder evaluate(CompiledPolicy policy, OrderFacts facts, Verdict verdict,
                                      Function<OrderFacts, SizedOrder> sizer) {
        KieSession session = policy.kieBase().newKieSession();
        try {
            session.addEventListener(listener(verdict));
            session.insert(facts);
            fire(session);
            SizedOrder sized = sizer.apply(facts);
            if (sized != null) {
                session.insert(sized);
                fire(session);
            }
            return sized;
        } finally {
            session.dispose();
        }
    }
}
