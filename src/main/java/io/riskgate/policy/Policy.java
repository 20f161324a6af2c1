package io.riskgate.policy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A risk policy as loaded from {@code policies/<id>.yaml}: typed, validated and immutable.
 *
 * @param ruleFiles rule files (DRL and decision tables) under the rules directory that this policy uses
 */
public record Policy(
        String id,
        String version,
        String description,
        List<String> ruleFiles,
        Filters filters,
        Sizing sizing,
        PortfolioLimits portfolio,
        Exits exits,
        Governor governor,
        Analytics analytics,
        List<CustomGate> gates,
        Map<String, StrategyProfile> strategies,
        Controls controls) {

    public Policy {
        ruleFiles = List.copyOf(ruleFiles);
        strategies = Map.copyOf(strategies);
        gates = List.copyOf(gates);
    }

    public Optional<StrategyProfile> strategy(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(strategies.get(name));
    }

    /**
     * The sizer an order of {@code strategy} (null: none) is sized by: the strategy's own, else the policy's
     * {@code sizing.sizer}; empty when the ATR risk budget sizes it. An undeclared strategy has none of its own.
     */
    public Optional<SizerSpec> sizerFor(String strategy) {
        return strategy(strategy).flatMap(StrategyProfile::sizer).or(sizing::sizer);
    }
}
