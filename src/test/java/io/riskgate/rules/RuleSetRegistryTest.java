package io.riskgate.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskgate.check.PolicyCompiler;
import io.riskgate.decision.Decision;
import io.riskgate.policy.PolicyException;
import io.riskgate.testing.Engine;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot reload: off to the side, atomic, refused whole with every problem, unchanged policies reused. */
class RuleSetRegistryTest {

    private static void edit(Path file, String from, String to) throws IOException {
        String s = Files.readString(file);
        assertThat(s).contains(from);
        Files.writeString(file, s.replace(from, to));
    }

    private static RuleSetRegistry registry(Path dir) {
        RuleSetRegistry r = new RuleSetRegistry(dir.resolve("policies"), dir.resolve("rules"), "default",
                PolicyCompiler.standard());
        r.reload();
        return r;
    }

    @Test
    void reloadOfUnchangedFilesReusesTheCompiledRuleBase(@TempDir Path dir) {
        RuleSetRegistry r = registry(TestRuntime.copyRepoConfig(dir));
        CompiledPolicy before = r.active();
        RuleSetRegistry.ReloadResult result = r.reload();
        assertThat(result.unchanged()).containsExactly("default");
        assertThat(result.compiled()).isEmpty();
        assertThat(r.active()).isSameAs(before);
    }

    @Test
    void reloadSwapsInAnEditedPolicyWithANewSha(@TempDir Path dir) throws IOException {
        RuleSetRegistry r = registry(TestRuntime.copyRepoConfig(dir));
        CompiledPolicy before = r.active();
        edit(dir.resolve("policies/default.yaml"), "min_confidence: 0.70", "min_confidence: 0.72");
        RuleSetRegistry.ReloadResult result = r.reload();
        assertThat(result.compiled()).containsExactly("default");
        assertThat(r.active().sha256()).isNotEqualTo(before.sha256());
        assertThat(r.active().policy().filters().minConfidence()).isEqualTo(0.72);
    }

    @Test
    void editingOnlyARuleFileChangesTheSha(@TempDir Path dir) throws IOException {
        RuleSetRegistry r = registry(TestRuntime.copyRepoConfig(dir));
        String before = r.active().sha256();
        Files.writeString(dir.resolve("rules/gates.drl"), Files.readString(dir.resolve("rules/gates.drl"))
                + "\n// reviewed 2026-11-21\n");
        r.reload();
        assertThat(r.active().sha256()).isNotEqualTo(before);
    }

    @Test
    void aRefusedReloadListsEveryProblemAndKeepsTheRunningSet(@TempDir Path dir) throws IOException {
        RuleSetRegistry r = registry(TestRuntime.copyRepoConfig(dir));
        CompiledPolicy before = r.active();
        edit(dir.resolve("policies/default.yaml"), "max_spread_bps: 50", "max_spread_bps: 50\n  max_sprad: 3");
        edit(dir.resolve("policies/default.yaml"), "max_risk_pct: 0.015", "max_risk_pct: 0.06");
        assertThatThrownBy(r::reload).isInstanceOf(PolicyException.class)
                .satisfies(e -> assertThat(((PolicyException) e).problems())
                        .extracting(p -> p.path())
                        .contains("filters.max_sprad", "sizing.max_risk_pct"));
        assertThat(r.active()).isSameAs(before);
    }

    @Test
    void aRuleFileThatNoLongerCompilesIsRefusedWithItsLine(@TempDir Path dir) throws IOException {
        RuleSetRegistry r = registry(TestRuntime.copyRepoConfig(dir));
        CompiledPolicy before = r.active();
        edit(dir.resolve("rules/portfolio.drl"), "then\n    $s.reject(kcontext, \"reward:risk \"",
                "then\n    $s.reject(kcontext, \"reward:risk \" +");
        assertThatThrownBy(r::reload).isInstanceOf(PolicyException.class)
                .satisfies(e -> assertThat(((PolicyException) e).problems())
                        .anySatisfy(p -> assertThat(p.file()).isEqualTo("portfolio.drl")));
        assertThat(r.active()).isSameAs(before);
    }

    @Test
    void checksDuringAReloadDecideEntirelyUnderTheSetTheyRecord(@TempDir Path dir) throws Exception {
        TestRuntime.copyRepoConfig(dir);
        Engine engine = new Engine(dir.resolve("policies"), dir.resolve("rules"));
        String oldSha = engine.rt.registry().active().sha256();
        // confidence 0.75: approved under min_confidence 0.70, rejected (LOW_CONFIDENCE) under 0.80
        List<Decision> decisions = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        Thread checker = new Thread(() -> {
            while (!stop.get()) {
                decisions.add(engine.check(engine.seed001()));
            }
        });
        checker.start();
        while (decisions.size() < 5) {
            Thread.onSpinWait();
        }
        edit(dir.resolve("policies/default.yaml"), "min_confidence: 0.70", "min_confidence: 0.80");
        edit(dir.resolve("policies/default.yaml"), "high_volatility_min_confidence: 0.80",
                "high_volatility_min_confidence: 0.85");
        engine.rt.registry().reload();
        String newSha = engine.rt.registry().active().sha256();
        int before = decisions.size();
        while (decisions.size() < before + 5) {
            Thread.onSpinWait();
        }
        stop.set(true);
        checker.join();

        assertThat(newSha).isNotEqualTo(oldSha);
        List<Decision> all;
        synchronized (decisions) {
            all = new ArrayList<>(decisions);
        }
        assertThat(all).extracting(d -> d.policy().sha256()).contains(oldSha, newSha);
        for (Decision d : all) {
            if (d.policy().sha256().equals(oldSha)) {
                assertThat(d.approved()).as("decided under the old policy").isTrue();
            } else {
                assertThat(d.policy().sha256()).isEqualTo(newSha);
                assertThat(d.codes()).as("decided under the new policy").containsExactly("LOW_CONFIDENCE");
            }
        }
    }

    @Test
    void refusesADirectoryWithoutTheDefaultPolicy(@TempDir Path dir) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        edit(dir.resolve("policies/default.yaml"), "id: default", "id: other");
        RuleSetRegistry r = new RuleSetRegistry(dir.resolve("policies"), dir.resolve("rules"), "default",
                PolicyCompiler.standard());
        assertThatThrownBy(r::reload).isInstanceOf(PolicyException.class)
                .hasMessageContaining("no policy with id 'default'");
    }
}
