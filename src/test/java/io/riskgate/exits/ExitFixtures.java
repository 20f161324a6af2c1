package io.riskgate.exits;

import io.riskgate.check.PolicyCompiler;
import io.riskgate.market.Mark;
import io.riskgate.policy.PolicyLoader;
import io.riskgate.policy.Side;
import io.riskgate.portfolio.Trade;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.UnaryOperator;

/** Compiled policies and seed 001 trades for the exit tests, without a database. */
final class ExitFixtures {

    static final Instant T0 = TestRuntime.T0;

    private ExitFixtures() {
    }

    /** The shipped default policy, compiled. */
    static CompiledPolicy defaultPolicy() {
        return PolicyCompiler.standard().compile(new PolicyLoader(TestRuntime.repoRules())
                .load(TestRuntime.repoPolicies().resolve("default.yaml")));
    }

    /** The shipped policy with its YAML edited, compiled from a copy under {@code dir}. */
    static CompiledPolicy editedPolicy(Path dir, UnaryOperator<String> edit) {
        TestRuntime.copyRepoConfig(dir);
        Path yaml = dir.resolve("policies/default.yaml");
        try {
            Files.writeString(yaml, edit.apply(Files.readString(yaml)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return PolicyCompiler.standard().compile(new PolicyLoader(dir.resolve("rules")).load(yaml));
    }

    /**
     * Seed 001's trade: 0.01 BTC from 50,000 with ATR 1,500, stop 1.5 ATR away (47,750 long, 52,250 short) so
     * 1R = 2,250, target 3.75 ATR away (55,625 long, 44,375 short). Strategy null: no percentage trail.
     */
    static Trade seed001(Side side) {
        int s = side.sign();
        return Trade.opened("t-" + side, "d-" + side, "acc", "BTCUSDT", "BTC", null, side, 0.01, 50_000,
                50_000 - s * 2_250, 50_000 + s * 5_625, 1_500.0, T0);
    }

    /** A trade of a seed 002 strategy with its percentage stop ({@code stopPct}) and a 2.5 R target. */
    static Trade strategyTrade(String strategy, Side side, double stopPct) {
        int s = side.sign();
        double r = 50_000 * stopPct;
        return Trade.opened("t-" + strategy, "d-" + strategy, "acc", "BTCUSDT", "BTC", strategy, side, 0.01, 50_000,
                50_000 - s * r, 50_000 + s * 2.5 * r, 1_500.0, T0);
    }

    static Mark at(double price, long minutes) {
        return Mark.at("BTCUSDT", price, T0.plusSeconds(minutes * 60));
    }

    static Mark bar(double price, double high, double low, long minutes) {
        return new Mark("BTCUSDT", price, high, low, T0.plusSeconds(minutes * 60));
    }
}
