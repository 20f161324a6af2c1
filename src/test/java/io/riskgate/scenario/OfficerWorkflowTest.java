package io.riskgate.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.audit.AuditQuery;
import io.riskgate.audit.PolicyArchive;
import io.riskgate.audit.PolicyDiff;
import io.riskgate.decision.Decision;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The officer's loop end to end (issue 6's acceptance): copy the default policy into the workspace, raise
 * min_confidence from 0.70 to 0.75, run the candidate's scenario tests, preview it on the last 100 audited decisions
 * (the ones with confidence in [0.70, 0.75) flip, LOW_CONFIDENCE named), copy it in and activate it with who and
 * why, and see the next decision carry the new version and sha256; the archive keeps both versions and the diff
 * names the key.
 */
class OfficerWorkflowTest {

    @Test
    void editTestPreviewActivateAndAudit(@TempDir Path live, @TempDir Path work) throws IOException {
        TestRuntime.copyRepoConfig(live);
        MutableClock clock = new MutableClock(TestRuntime.T0);
        RiskgateRuntime rt = RiskgateRuntime.start(live.resolve("policies"), live.resolve("rules"), "default",
                TestRuntime.memoryDatabase(), clock, new SimpleMeterRegistry());
        String before = rt.registry().active().sha256();

        // 100 audited decisions, confidence 0.500, 0.505, ... 0.995 (each on its own account): 0.70 and above pass
        for (int i = 0; i < 100; i++) {
            ObjectNode r = Requests.set(Requests.seed001(), "account", "wf-" + i);
            Requests.set(r, "signal.confidence", (500 + 5 * i) / 1000.0);
            rt.engine().check(r);
        }

        // 1. the candidate: a copy in the officers' workspace (work) with min_confidence 0.75, version 2
        Path q3 = TestRuntime.copyRepoConfig(work.resolve("q3"));
        Path yaml = q3.resolve("policies/default.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("version: \"1\"", "version: \"2\"")
                .replace("min_confidence: 0.70", "min_confidence: 0.75"));

        // 2. its scenario tests: the officer's own, at the new boundary
        Path tests = q3.resolve("policies/tests");
        Files.walk(tests).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        Files.createDirectories(tests);
        Files.writeString(tests.resolve("confidence.yaml"), ScenarioRunnerTest.HEAD + """
                  - name: 0.75 is now enough
                    expect: {approved: true, quantity: 0.01}
                  - name: 0.7499 is not
                    order: {signal: {confidence: 0.7499}}
                    expect: {approved: false, codes: [LOW_CONFIDENCE]}
                """);
        ScenarioRunner.Report tested = new ScenarioRunner(q3.resolve("policies"), q3.resolve("rules")).run(tests);
        assertThat(tested.failures()).isEmpty();
        assertThat(tested.passed()).isEqualTo(2);

        // 3. what-if on the last 100 decisions, the candidate named by its path in the workspace:
        // 0.700 ... 0.745 (10 of them) flip to LOW_CONFIDENCE
        Candidate candidate = Candidate.inWorkspace(new Workspace(work).resolve("q3/policies"), "default",
                live.resolve("rules"));
        WhatIf.Report preview = WhatIf.preview(candidate, new AuditQuery(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0, 100),
                () -> new WhatIf.Replay(rt.audit(), rt.market(), clock, rt.json()));
        assertThat(preview.evaluated()).isEqualTo(100);
        assertThat(preview.changed()).isEqualTo(10);
        assertThat(preview.changes()).allSatisfy(c -> {
            assertThat(c.before().name()).isEqualTo("APPROVED");
            assertThat(c.afterCodes()).containsExactly("LOW_CONFIDENCE");
            assertThat(c.causedBy()).containsExactly("LOW_CONFIDENCE");
        });
        assertThat(preview.candidate().version()).isEqualTo("2");

        // 4. activate: the candidate replaces the live file; the reload records who and why
        Files.copy(yaml, live.resolve("policies/default.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        rt.registry().reload("officer-anna", "raise min confidence to 0.75 after the Q3 review");
        String after = rt.registry().active().sha256();
        assertThat(after).isNotEqualTo(before);

        // 5. the next decision carries the new version and sha256
        ObjectNode next = Requests.set(Requests.seed001(), "account", "wf-next");
        Requests.set(next, "signal.confidence", 0.72);
        Decision d = rt.engine().check(next);
        assertThat(d.codes()).containsExactly("LOW_CONFIDENCE");
        assertThat(d.policy().version()).isEqualTo("2");
        assertThat(d.policy().sha256()).isEqualTo(after);

        // 6. the archive: both versions, who activated the new one and why, and the diff names the key
        List<PolicyArchive.PolicyVersion> versions = rt.policyArchive().versions("default");
        assertThat(versions).extracting(PolicyArchive.PolicyVersion::version).containsExactly("2", "1");
        assertThat(versions.get(0).activations()).extracting(PolicyArchive.Activation::actor,
                PolicyArchive.Activation::reason)
                .containsExactly(org.assertj.core.api.Assertions.tuple("officer-anna",
                        "raise min confidence to 0.75 after the Q3 review"));
        PolicyDiff.Result diff = PolicyDiff.of(rt.policyArchive().version("default", "1").orElseThrow(),
                rt.policyArchive().version("default", "2").orElseThrow());
        assertThat(diff.yaml()).extracting(PolicyDiff.KeyChange::key, PolicyDiff.KeyChange::from,
                PolicyDiff.KeyChange::to).containsExactlyInAnyOrder(
                org.assertj.core.api.Assertions.tuple("version", "1", "2"),
                org.assertj.core.api.Assertions.tuple("filters.min_confidence", "0.7", "0.75"));
        assertThat(diff.rules()).isEmpty();
    }

    @Test
    void anAccountAssignedToAnotherPolicyIsDecidedByIt(@TempDir Path live) throws IOException {
        TestRuntime.copyRepoConfig(live);
        Path strict = live.resolve("policies/strict.yaml");
        Files.writeString(strict, Files.readString(live.resolve("policies/default.yaml"))
                .replace("id: default", "id: strict").replace("min_confidence: 0.70", "min_confidence: 0.80"));
        RiskgateRuntime rt = RiskgateRuntime.start(live.resolve("policies"), live.resolve("rules"), "default",
                TestRuntime.memoryDatabase(), new MutableClock(TestRuntime.T0), new SimpleMeterRegistry());
        rt.accountPolicies().assign("acct-strict", "strict", "officer-ben", "new desk, stricter signals");

        ObjectNode r = Requests.set(Requests.seed001(), "account", "acct-strict"); // confidence 0.75
        Decision d = rt.engine().check(r);
        assertThat(d.codes()).containsExactly("LOW_CONFIDENCE");
        assertThat(d.policy().id()).isEqualTo("strict");
        // other accounts keep the default
        assertThat(rt.engine().check(Requests.set(Requests.seed001(), "account", "acct-other")).approved()).isTrue();
        // an assignment to a policy that is not loaded fails the account's checks closed
        rt.accountPolicies().assign("acct-gone", "nonexistent", "officer-ben", "typo");
        Decision gone = rt.engine().check(Requests.set(Requests.seed001(), "account", "acct-gone"));
        assertThat(gone.codes()).containsExactly("ENGINE_ERROR");
        assertThat(gone.rejections().get(0).message()).contains("nonexistent");
        assertThat(rt.audit().find(gone.decisionId())).as("the refusal is audited").isPresent();
    }
}
