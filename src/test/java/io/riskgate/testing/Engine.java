package io.riskgate.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.decision.Decision;
import io.riskgate.facts.Adjustment;
import io.riskgate.lifecycle.FillRequest;
import io.riskgate.portfolio.Trade;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.sizing.Cap;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * A started runtime plus shorthand for rule tests: every call runs through the real engine (Drools rule base
 * compiled from rules/, H2, audit). Each test takes a fresh account so tests never share portfolio state.
 */
public final class Engine {

    public final MutableClock clock = new MutableClock(TestRuntime.T0);
    public final RiskgateRuntime rt;

    public Engine() {
        this.rt = TestRuntime.start(clock);
    }

    public Engine(Path policies, Path rules) {
        this.rt = TestRuntime.start(policies, rules, clock);
    }

    /** The shipped policies and rules, keeping account books in memory as {@code residency} says. */
    public Engine(io.riskgate.portfolio.Portfolio.Residency residency) {
        this.rt = TestRuntime.start(clock, residency);
    }

    /**
     * The shipped policy with the governor's four breakers switched off (copied under {@code dir}), for tests that
     * shape headroom by reporting a far smaller equity after opening positions: the governor would rightly read
     * 10,000 then 631.25 as a 94% loss and halt the account. The breakers have tests of their own.
     */
    public static Engine withoutBreakers(Path dir) {
        TestRuntime.copyRepoConfig(dir);
        Path yaml = dir.resolve("policies/default.yaml");
        try {
            java.nio.file.Files.writeString(yaml, java.nio.file.Files.readString(yaml)
                    .replaceAll("(daily_loss|weekly_loss|circuit_breaker|max_drawdown): +\\{enabled: true",
                            "$1: {enabled: false"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new Engine(dir.resolve("policies"), dir.resolve("rules"));
    }

    public static String freshAccount() {
        return "acct-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Seed 001's request on a fresh account. */
    public ObjectNode seed001() {
        return Requests.set(Requests.seed001(), "account", freshAccount());
    }

    public Decision check(ObjectNode request) {
        return rt.engine().check(request);
    }

    /** Approves seed 001's order on {@code account} for {@code symbol} and fills it at an arbitrary price. */
    public Trade openPosition(String account, String symbol, String strategy, double quantity, double fillPrice) {
        ObjectNode r = Requests.set(Requests.seed001(), "account", account);
        Requests.set(r, "symbol", symbol);
        if (strategy != null) {
            Requests.set(r, "strategy", strategy);
        }
        Decision d = check(r);
        if (!d.approved()) {
            throw new AssertionError("setup order was not approved: " + d.rejections());
        }
        return rt.trades().fill(new FillRequest(d.decisionId(), fillPrice, quantity, Optional.empty())).trade();
    }

    public static double cap(Decision d, String name) {
        return d.sizing().caps().stream().filter(c -> c.name().name().equals(name)).mapToDouble(Cap::notional)
                .findFirst().orElseThrow(() -> new AssertionError("no cap " + name + " in " + d.sizing().caps()));
    }

    public static Optional<Adjustment> adjustment(Decision d, String code) {
        return d.adjustments().stream().filter(a -> a.code().equals(code)).findFirst();
    }
}
