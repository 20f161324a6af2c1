package io.riskgate.decision;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.riskgate.facts.Adjustment;
import io.riskgate.facts.FiredRule;
import io.riskgate.facts.Rejection;
import io.riskgate.order.CheckRequest;
import io.riskgate.policy.Side;
import io.riskgate.sizing.SizingResult;
import java.time.Instant;
import java.util.List;

/**
 * The answer to a pre-trade check, as returned to the caller and stored in the audit.
 *
 * <p>The price levels are boxed because this record is the JSON contract: they are absent (null) when the engine
 * could not size the order at all ({@code NO_EQUITY}, {@code ENGINE_ERROR}). On a rejection they show what the
 * order would have been, with quantity 0, so the audit explains the numbers the rules judged.
 *
 * @param equity the account equity the decision sized from (the latest snapshot by event time)
 * @param timestamp the event time the decision was taken at
 * @param firedRules rule names in firing order; {@code firedRuleDetails} adds each rule's code and category
 * @param reservationExpiresAt when an approved decision's reservation lapses if it is not filled
 * @param accountState the account as the decision saw it (null on ENGINE_ERROR decisions)
 * @param reduceOnly true for a reduce-only order (docs/controls.md): approved for the caller's quantity, it holds
 *        no reservation and is not filled as a new position; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Decision(
        String decisionId,
        Outcome outcome,
        boolean approved,
        String account,
        String symbol,
        Side side,
        String strategy,
        String clientOrderId,
        double quantity,
        double notional,
        Double entryPrice,
        Double stopLoss,
        Double takeProfit,
        Double riskAmount,
        Double riskPct,
        Double equity,
        Double rewardRisk,
        List<Rejection> rejections,
        List<Adjustment> adjustments,
        List<String> firedRules,
        List<FiredRule> firedRuleDetails,
        PolicyRef policy,
        Instant timestamp,
        Instant reservationExpiresAt,
        AccountState accountState,
        SizingResult sizing,
        String error,
        OrderAnalytics analytics,
        Boolean reduceOnly) {

    public Decision {
        rejections = List.copyOf(rejections);
        adjustments = List.copyOf(adjustments);
        firedRules = List.copyOf(firedRules);
        firedRuleDetails = List.copyOf(firedRuleDetails);
    }

    /** The rejection codes, in order. */
    public List<String> codes() {
        return rejections.stream().map(Rejection::code).toList();
    }

    /**
     * A decision taken before any sizing: {@code NO_EQUITY} (REJECTED) or {@code ENGINE_ERROR} (FAILED). Quantity
     * 0, no price levels, the one rejection that says why.
     */
    public static Decision unsized(String id, Outcome outcome, CheckRequest request, Rejection why, PolicyRef policy,
                                   Instant timestamp, AccountState accountState, String error) {
        if (outcome == Outcome.APPROVED) {
            throw new IllegalArgumentException("an unsized decision cannot be approved");
        }
        return new Decision(id, outcome, false, request.account(), request.symbol(), request.side(),
                request.strategy().orElse(null), request.clientOrderId().orElse(null), 0, 0, null, null, null, null,
                null, null, null, List.of(why), List.of(), List.of(), List.of(), policy, timestamp, null,
                accountState, null, error, null, request.reduceOnly() ? Boolean.TRUE : null);
    }
}
