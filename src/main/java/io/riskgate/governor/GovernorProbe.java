package io.riskgate.governor;

import io.riskgate.policy.Side;
import io.riskgate.portfolio.GovernorState;
import io.riskgate.portfolio.Position;
import io.riskgate.portfolio.TradeResult;
import io.riskgate.portfolio.TradingState;
import io.riskgate.rules.CompiledPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a policy's governor rules over sample accounts before the policy is activated: equity from its peak down
 * to 2.5% of it in 2.5% steps, with and without a losing streak and an open position, so a table row that
 * throws (a stop tightening below 1, a negative factor) is refused at load instead of met on a live account.
 */
public final class GovernorProbe {

    private GovernorProbe() {
    }

    public static List<String> problems(CompiledPolicy policy) {
        Set<String> out = new LinkedHashSet<>();
        Position p = new Position("probe", "probe", "probe", "PROBEUSDT", "PROBE", null, Side.LONG, 0.01, 50_000,
                47_750, 55_625, Instant.EPOCH);
        List<TradeResult> losses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            losses.add(TradeResult.LOSS);
        }
        for (int step = 0; step <= 39; step++) {
            double equity = 10_000 * (1 - step * 0.025);
            GovernorState s = new GovernorState(TradingState.ACTIVE, 0, 10_000.0, Instant.EPOCH, 10_000.0,
                    Instant.EPOCH, 10_000.0, 10_000.0, Instant.EPOCH, false, false, Set.of(), Set.of(), List.of(),
                    List.of(), 1);
            for (List<TradeResult> results : List.of(List.<TradeResult>of(), losses)) {
                try {
                    GovernorEvaluator.evaluate(policy, s, new GovernorEvaluator.Input("probe", Optional.of(equity),
                            Instant.EPOCH.plusSeconds(60), results, List.of(p), Map.of("probe", 45_000.0)));
                } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
                    Throwable t = e;
                    while (t.getCause() != null && t.getCause() != t) {
                        t = t.getCause();
                    }
                    out.add("a governor rule fails on an account " + Math.round(step * 2.5 * 10) / 10.0
                            + "% below its peak: " + (t.getMessage() == null ? t.toString() : t.getMessage()));
                }
            }
        }
        return List.copyOf(out);
    }
}
