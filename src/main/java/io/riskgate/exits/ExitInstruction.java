package io.riskgate.exits;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.riskgate.decision.PolicyRef;
import io.riskgate.facts.FiredRule;
import io.riskgate.portfolio.TradeState;
import java.time.Instant;
import java.util.List;

/**
 * An instruction the exit rules give the caller for one trade, returned by {@code POST /api/v1/marks} and audited
 * with the rules that fired and the policy version.
 *
 * @param quantity the quantity to close (CLOSE_PARTIAL, CLOSE); the open quantity for MOVE_STOP
 * @param stopLoss the stop in force after this instruction
 * @param price the level that triggered it: the stop or target hit, the partial take-profit level, the market
 *        price for a time exit; null for MOVE_STOP and ERROR
 * @param rule the name of the rule that decided it; {@code code} its code
 * @param state the trade's state after it
 * @param firedRules every rule that fired for this trade on this mark, in order (some proposals lose: a stop hit
 *        beats a take-profit in the same bar)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExitInstruction(String instructionId, String tradeId, String account, String symbol,
                              ExitAction action, double quantity, double stopLoss, Double price, String reason,
                              String rule, String code, TradeState state, Instant timestamp, PolicyRef policy,
                              List<FiredRule> firedRules) {

    public ExitInstruction {
        firedRules = List.copyOf(firedRules);
    }
}
