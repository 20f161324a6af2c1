package io.riskgate.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskgate.policy.PolicyException;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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
        RuleSetRegistry r = new RuleSetRegistry(dir.resolve("policies"), dir.resolve("rules"), "default");
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
    void checksInFlightSeeEitherTheOldOrTheNewSetNeverAMix(@TempDir Path dir) throws Exception {
        RuleSetRegistry r = registry(TestRuntime.copyRepoConfig(dir));
        String oldSha = r.active().sha256();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> bad = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                CompiledPolicy p = r.active();
                // a published policy's rule base, bundle and sha always belong together
                if (!p.releaseId().getVersion().endsWith(p.sha256().substring(0, 16))) {
                    bad.set(p.releaseId() + " vs " + p.sha256());
                }
            }
        });
        reader.start();
        edit(dir.resolve("policies/default.yaml"), "min_confidence: 0.70", "min_confidence: 0.71");
        r.reload();
        stop.set(true);
        reader.join();
        assertThat(bad.get()).isNull();
        assertThat(r.active().sha256()).isNotEqualTo(oldSha);
    }

    @Test
    void refusesADirectoryWithoutTheDefaultPolicy(@TempDir Path dir) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        edit(dir.resolve("policies/default.yaml"), "id: default", "id: other");
        RuleSetRegistry r = new RuleSetRegistry(dir.resolve("policies"), dir.resolve("rules"), "default");
        assertThatThrownBy(r::reload).isInstanceOf(PolicyException.class)
                .hasMessageContaining("no policy with id 'default'");
    }
}
