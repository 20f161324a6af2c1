package io.riskgate.rules;

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

    private RuleEvaluator() {
    }

    public static SizedOrder evaluate(CompiledPolicy policy, OrderFacts facts, Verdict verdict,
                                      Function<OrderFacts, SizedOrder> sizer) {
        KieSession session = policy.kieBase().newKieSession();
        try {
            session.addEventListener(new DefaultAgendaEventListener() {
                @Override
                public void afterMatchFired(AfterMatchFiredEvent event) {
                    verdict.fired(event.getMatch().getRule());
                }
            });
            session.insert(facts);
            session.fireAllRules();
            SizedOrder sized = sizer.apply(facts);
            if (sized != null) {
                session.insert(sized);
                session.fireAllRules();
            }
            return sized;
        } finally {
            session.dispose();
        }
    }
}
