package io.riskgate.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.audit.PolicyArchive;
import io.riskgate.check.PolicyCompiler;
import io.riskgate.policy.PolicyProblem;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The file watcher over a real registry compiled from a temporary copy of policies/ and rules/: an edit is
 * validated once the files have been quiet for the debounce (500 ms here), as actor "watcher", and told to the
 * listener as detected (valid) or refused; the policy in force never changes until an officer reloads. Only with
 * watch-activates does an edit go into force by itself. close() stops it. What the registry publishes, refuses or
 * detects is recorded by its listener, the hook the policy archive uses for the activation log.
 *
 * <p>The tests run at the same time (each has its own directory, registry and watcher): most of their time is the
 * quiet periods, spent waiting.
 */
@Execution(ExecutionMode.CONCURRENT)
class PolicyWatcherTest {

    static final Duration DEBOUNCE = Duration.ofMillis(500);

    /**
     * Long enough for a second reload to have happened if one were coming: the watcher polls every 1 s while idle
     * and reloads a debounce after the last event, so 1 s + 2 x 500 ms, plus a margin for a slow machine.
     */
    static final Duration QUIET = Duration.ofMillis(2_500);

    @TempDir
    Path dir;

    /** A change the registry's validation found and told its listener of. */
    record Detected(RuleSetRegistry.Validation validation, String actor, String reason) {
    }

    final List<RuleSetRegistry.ReloadResult> published = new CopyOnWriteArrayList<>();
    final List<Detected> detected = new CopyOnWriteArrayList<>();
    final List<String> refusedBy = new CopyOnWriteArrayList<>();
    final List<List<PolicyProblem>> refusedProblems = new CopyOnWriteArrayList<>();

    RuleSetRegistry registry;
    PolicyWatcher watcher;
    Thread watcherThread;

    /** A registry over {@code policies} and {@code rules}, loaded once, whose listener records into this test. */
    private RuleSetRegistry registry(Path policies, Path rules) {
        RuleSetRegistry r = new RuleSetRegistry(policies, rules, "default", PolicyCompiler.standard());
        r.setListener(new RuleSetRegistry.Listener() {
            @Override
            public void published(RuleSetRegistry.Snapshot snapshot, RuleSetRegistry.ReloadResult result) {
                published.add(result);
            }

            @Override
            public void refused(List<PolicyProblem> problems, String actor, String reason) {
                refusedBy.add(actor);
                refusedProblems.add(problems);
            }

            @Override
            public void detected(RuleSetRegistry.Validation validation, String actor, String reason) {
                detected.add(new Detected(validation, actor, reason));
            }
        });
        r.reload("startup", "test");
        published.clear();
        return r;
    }

    /**
     * Starts the watcher on the copy (the registry loaded first) and finds its thread by name; {@code activates}
     * as riskgate.policies.watch-activates.
     */
    private void start(boolean activates) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        registry = registry(dir.resolve("policies"), dir.resolve("rules"));
        watch(dir.resolve("policies"), dir.resolve("rules"), activates);
    }

    private void watch(Path policies, Path rules, boolean activates) throws IOException {
        // one test at a time between the two looks at the threads: the new one is this test's
        synchronized (PolicyWatcherTest.class) {
            Set<Thread> before = watcherThreads();
            watcher = new PolicyWatcher(registry, policies, rules, DEBOUNCE, activates);
            List<Thread> mine = watcherThreads().stream().filter(t -> !before.contains(t)).toList();
            assertThat(mine).hasSize(1);
            watcherThread = mine.get(0);
        }
    }

    private static Set<Thread> watcherThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("riskgate-policy-watcher")).collect(Collectors.toSet());
    }

    @AfterEach
    void stop() throws IOException {
        if (watcher != null) {
            watcher.close();
        }
    }

    private Path policy() {
        return dir.resolve("policies/default.yaml");
    }

    /** The shipped policy with min_confidence set to {@code value} (0.70 shipped). */
    private static String withMinConfidence(String value) throws IOException {
        String shipped = Files.readString(TestRuntime.repoPolicies().resolve("default.yaml"));
        assertThat(shipped).contains("min_confidence: 0.70");
        return shipped.replace("min_confidence: 0.70", "min_confidence: " + value);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void anEditIsDetectedOnceAsTheWatcherAndThePolicyInForceStays() throws Exception {
        start(false);
        CompiledPolicy before = registry.active();

        Files.writeString(policy(), withMinConfidence("0.72"));

        await("a detected change", () -> !detected.isEmpty());
        Thread.sleep(QUIET.toMillis());
        assertThat(detected).hasSize(1);
        Detected d = detected.get(0);
        assertThat(d.actor()).isEqualTo("watcher");
        assertThat(d.reason()).isEqualTo("files changed: default.yaml");
        assertThat(d.validation().changed()).containsOnlyKeys("default");
        assertThat(d.validation().changed().get("default")).matches("[0-9a-f]{64}").isNotEqualTo(before.sha256());
        assertThat(d.validation().removed()).isEmpty();
        // validated, not published: the same compiled policy decides, at 0.70
        assertThat(published).isEmpty();
        assertThat(refusedBy).isEmpty();
        assertThat(registry.active()).isSameAs(before);
        assertThat(registry.active().policy().filters().minConfidence()).isEqualTo(0.70);

        // an officer's reload puts it in force, with the sha the watcher reported, as the officer
        RuleSetRegistry.ReloadResult r = registry.reload("officer-anna", "raise min confidence to 0.72");
        assertThat(r.actor()).isEqualTo("officer-anna");
        assertThat(r.compiled()).containsExactly("default");
        assertThat(registry.active().sha256()).isEqualTo(d.validation().changed().get("default"));
        assertThat(registry.active().policy().filters().minConfidence()).isEqualTo(0.72);
    }

    @Test
    void aSaveThatChangesNothingIsNotReported() throws Exception {
        start(false);
        CompiledPolicy before = registry.active();

        Files.writeString(policy(), withMinConfidence("0.70"));
        Thread.sleep(QUIET.toMillis());

        assertThat(detected).isEmpty();
        assertThat(refusedBy).isEmpty();
        assertThat(registry.active()).isSameAs(before);
    }

    @Test
    void withWatchActivatesAnEditIsPutInForceOnceAsTheWatcher() throws Exception {
        start(true);
        String before = registry.active().sha256();

        Files.writeString(policy(), withMinConfidence("0.72"));

        await("a reload", () -> !published.isEmpty());
        Thread.sleep(QUIET.toMillis());
        assertThat(published).hasSize(1);
        RuleSetRegistry.ReloadResult r = published.get(0);
        assertThat(r.actor()).isEqualTo("watcher");
        assertThat(r.reason()).isEqualTo("files changed: default.yaml");
        assertThat(r.compiled()).containsExactly("default");
        assertThat(registry.active().sha256()).isNotEqualTo(before);
        assertThat(registry.active().policy().filters().minConfidence()).isEqualTo(0.72);
        assertThat(refusedBy).isEmpty();
        assertThat(detected).isEmpty();
    }

    @Test
    void aBurstOfEditsLongerThanTheDebounceIsValidatedOnceWithTheLastOne() throws Exception {
        start(false);
        Path gates = dir.resolve("rules/gates.drl");
        String drl = Files.readString(gates);

        // 8 saves 150 ms apart span 1,050 ms, twice the 500 ms debounce, but no gap reaches it: one validation,
        // once the burst is over, of the last values (min_confidence 0.78, and a comment in gates.drl)
        for (int i = 1; i <= 8; i++) {
            Files.writeString(policy(), withMinConfidence("0.7" + i));
            Thread.sleep(150);
        }
        Files.writeString(gates, drl + "\n// reviewed 2026-11-21\n");

        await("a detected change", () -> !detected.isEmpty());
        Thread.sleep(QUIET.toMillis());
        assertThat(detected).hasSize(1);
        assertThat(detected.get(0).actor()).isEqualTo("watcher");
        assertThat(detected.get(0).reason()).isEqualTo("files changed: default.yaml, gates.drl");
        // the reported sha is that of the last saves: an officer's reload now activates exactly it
        String reported = detected.get(0).validation().changed().get("default");
        registry.reload("officer-anna", "burst reviewed");
        assertThat(registry.active().sha256()).isEqualTo(reported);
        assertThat(registry.active().policy().filters().minConfidence()).isEqualTo(0.78);
        assertThat(registry.active().bundle().ruleFiles().get("gates.drl")).isEqualTo(Files.readAllBytes(gates));
    }

    @Test
    void aBrokenEditIsRefusedThePolicyInForceStaysAndTheNextEditIsValidated() throws Exception {
        start(false);
        CompiledPolicy before = registry.active();

        // max_drawdown_pct is not a filters key
        Files.writeString(policy(), withMinConfidence("0.70\n  max_drawdown_pct: 0.03"));

        await("a refused validation", () -> !refusedBy.isEmpty());
        Thread.sleep(QUIET.toMillis());
        assertThat(refusedBy).containsExactly("watcher");
        assertThat(refusedProblems.get(0)).extracting(PolicyProblem::path).containsExactly("filters.max_drawdown_pct");
        assertThat(published).isEmpty();
        assertThat(detected).isEmpty();
        assertThat(registry.active()).isSameAs(before);

        // the officer fixes the file: the watcher validates again
        Files.writeString(policy(), withMinConfidence("0.73"));
        await("a detected change", () -> !detected.isEmpty());
        assertThat(detected.get(0).validation().changed()).containsOnlyKeys("default");
        assertThat(registry.active()).isSameAs(before);
    }

    @Test
    void closeStopsTheWatcher() throws Exception {
        start(false);
        CompiledPolicy before = registry.active();

        watcher.close();
        watcherThread.join(5_000);

        assertThat(watcherThread.isAlive()).isFalse();
        Files.writeString(policy(), withMinConfidence("0.74"));
        Thread.sleep(QUIET.toMillis());
        assertThat(published).isEmpty();
        assertThat(detected).isEmpty();
        assertThat(refusedBy).isEmpty();
        assertThat(registry.active()).isSameAs(before);
    }

    @Test
    void policiesAndRulesInOneDirectoryAreWatchedOnce() throws Exception {
        // default.yaml beside its rule files (the scenario tests directory is left out: it is not a policy)
        TestRuntime.copyRepoConfig(dir.resolve("copy"));
        Path one = Files.createDirectories(dir.resolve("one"));
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Stream.concat(Files.list(dir.resolve("copy/policies")),
                Files.list(dir.resolve("copy/rules")))) {
            s.filter(Files::isRegularFile).forEach(files::add);
        }
        for (Path f : files) {
            Files.copy(f, one.resolve(f.getFileName()));
        }
        registry = registry(one, one);

        watch(one, one, false);
        Files.writeString(one.resolve("default.yaml"), withMinConfidence("0.72"));

        await("a detected change", () -> !detected.isEmpty());
        Thread.sleep(QUIET.toMillis());
        assertThat(detected).hasSize(1);
        assertThat(detected.get(0).validation().changed()).containsOnlyKeys("default");
    }

    /**
     * Issue 10's race, end to end through the activation log: an officer copies a candidate into policies/ and
     * reloads with a reason. The watcher only records DETECTED, so the officer's reload is the activation, and the
     * version history names the officer, not "watcher".
     */
    @Test
    void theOfficersReloadAfterACopyIsTheActivationTheArchiveRecords() throws Exception {
        TestRuntime.copyRepoConfig(dir);
        RiskgateRuntime rt = RiskgateRuntime.start(dir.resolve("policies"), dir.resolve("rules"), "default",
                TestRuntime.memoryDatabase(), new MutableClock(TestRuntime.T0), new SimpleMeterRegistry());
        registry = rt.registry();
        String before = registry.active().sha256();
        watch(dir.resolve("policies"), dir.resolve("rules"), false);

        Files.writeString(policy(), withMinConfidence("0.75").replace("version: \"1\"", "version: \"2\""));
        await("DETECTED in the activation log", () -> rt.policyArchive().activations(1).get(0).outcome()
                .equals("DETECTED"));

        PolicyArchive.Activation seen = rt.policyArchive().activations(1).get(0);
        assertThat(seen.actor()).isEqualTo("watcher");
        assertThat(seen.policyId()).isEqualTo("default");
        assertThat(seen.reason()).isEqualTo("files changed: default.yaml");
        assertThat(seen.detail()).contains("not in force").contains("POST /api/v1/policies/reload");
        assertThat(registry.active().sha256()).isEqualTo(before);
        assertThat(registry.active().policy().filters().minConfidence()).isEqualTo(0.70);
        assertThat(rt.policyArchive().versions("default")).extracting(PolicyArchive.PolicyVersion::version)
                .containsExactly("1");

        rt.registry().reload("officer-anna", "Q3 review: raise min confidence to 0.75");

        assertThat(registry.active().sha256()).isEqualTo(seen.sha256());
        PolicyArchive.Activation activation = rt.policyArchive().activations(1).get(0);
        assertThat(activation.outcome()).isEqualTo("ACTIVATED");
        assertThat(activation.actor()).isEqualTo("officer-anna");
        List<PolicyArchive.PolicyVersion> versions = rt.policyArchive().versions("default");
        assertThat(versions).extracting(PolicyArchive.PolicyVersion::version).containsExactly("2", "1");
        assertThat(versions.get(0).activations()).extracting(PolicyArchive.Activation::outcome,
                PolicyArchive.Activation::actor, PolicyArchive.Activation::reason).containsExactly(
                org.assertj.core.api.Assertions.tuple("ACTIVATED", "officer-anna",
                        "Q3 review: raise min confidence to 0.75"));
    }
}
