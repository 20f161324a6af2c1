package io.riskgate.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.decision.Decision;
import io.riskgate.governor.KillSwitches;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.Engine;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The firm's kill switch (rules/controls.drl KILL_SWITCH) on the live engine: firm-wide and per strategy, lifted by
 * a reset, and still in force after a restart. Seed 001's order, approved when no switch is tripped.
 */
class KillSwitchTest {

    private static ObjectNode order(String strategy) {
        ObjectNode o = Requests.set(Requests.seed001(), "account", Engine.freshAccount());
        return strategy == null ? o : Requests.set(o, "strategy", strategy);
    }

    @Test
    void theFirmWideSwitchRefusesEveryAccountsOrdersUntilReset() {
        Engine engine = new Engine();
        KillSwitches switches = engine.rt.killSwitches();
        assertThat(engine.check(order(null)).approved()).isTrue();

        switches.trip("ALL", "officer-1", "venue outage");

        Decision d = engine.check(order(null));
        assertThat(d.approved()).isFalse();
        assertThat(d.codes()).containsExactly("KILL_SWITCH");
        assertThat(d.rejections().get(0).message()).isEqualTo("the firm's kill switch ALL was tripped at "
                + engine.clock.instant() + " by officer-1 (venue outage): new orders on every account are refused "
                + "until an officer resets it");
        assertThat(engine.check(order("trend_following")).codes()).contains("KILL_SWITCH");

        assertThat(switches.reset("ALL", "officer-2", "venue back")).isTrue();
        assertThat(engine.check(order(null)).approved()).isTrue();
        assertThat(switches.reset("ALL", "officer-2", "again")).isFalse();
        assertThat(switches.events(10)).extracting(KillSwitches.Event::action).containsExactly("RESET", "TRIP");
    }

    @Test
    void aStrategysSwitchRefusesOnlyThatStrategysOrders() {
        Engine engine = new Engine();
        engine.rt.killSwitches().trip(KillSwitches.scope("trend_following"), "officer-1", "runaway algo");

        assertThat(engine.check(order("trend_following")).codes()).containsExactly("KILL_SWITCH");
        assertThat(engine.check(order("htf")).approved()).isTrue();
        assertThat(engine.check(order(null)).approved()).isTrue();
    }

    @Test
    void theSwitchHoldsWhateverRuleFilesThePolicyLists(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        TestRuntime.copyRepoConfig(dir, text -> text.replaceAll("\n  - controls\\.drl[^\n]*", ""));
        Engine engine = new Engine(dir.resolve("policies"), dir.resolve("rules"));
        assertThat(engine.rt.registry().active().policy().ruleFiles()).doesNotContain("controls.drl");

        engine.rt.killSwitches().trip("ALL", "officer-1", "venue outage");

        assertThat(engine.check(order(null)).codes()).containsExactly("KILL_SWITCH");
    }

    @Test
    void aTrippedSwitchIsStillInForceAfterARestart() {
        DataSource db = TestRuntime.memoryDatabase();
        MutableClock clock = new MutableClock(TestRuntime.T0);
        try (RiskgateRuntime rt = start(db, clock)) {
            rt.killSwitches().trip("ALL", "officer-1", "end of day");
        }
        try (RiskgateRuntime rt = start(db, clock)) {
            assertThat(rt.killSwitches().inForce()).extracting(KillSwitches.Switch::scope).containsExactly("ALL");
            assertThat(rt.engine().check(order(null)).codes()).containsExactly("KILL_SWITCH");
        }
    }

    private static RiskgateRuntime start(DataSource db, MutableClock clock) {
        return RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default", db, clock,
                new SimpleMeterRegistry());
    }
}
