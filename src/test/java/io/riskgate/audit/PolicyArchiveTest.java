package io.riskgate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskgate.decision.Decision;
import io.riskgate.policy.PolicyException;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every policy version in force is archived by sha256, and every reload is logged, activated or refused. */
class PolicyArchiveTest {

    @Test
    void aDecisionsShaLeadsBackToTheExactFilesThatDecidedIt(@TempDir Path dir) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        javax.sql.DataSource db = TestRuntime.memoryDatabase();
        RiskgateRuntime rt = RiskgateRuntime.start(dir.resolve("policies"), dir.resolve("rules"), "default", db,
                new MutableClock(TestRuntime.T0), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        Decision d = rt.engine().check(Requests.seed001());

        // the files change afterwards...
        Path policy = dir.resolve("policies/default.yaml");
        String original = Files.readString(policy);
        Files.writeString(policy, original.replace("min_confidence: 0.70", "min_confidence: 0.75"));
        rt.registry().reload();

        // ...and the decision's sha still yields the YAML and rule files as they were
        PolicyArchive.ArchivedPolicy a = rt.policyArchive().find(d.policy().sha256()).orElseThrow();
        assertThat(a.policyYaml()).isEqualTo(original);
        assertThat(a.version()).isEqualTo(d.policy().version());
        assertThat(a.ruleFiles()).extracting(PolicyArchive.ArchivedFile::name).containsExactly(
                "analytics.drl", "confidence-bands.drl.xlsx", "controls.drl", "drawdown-factors.drl.xlsx", "exits.drl",
                "gates.drl", "governor.drl", "portfolio.drl", "strategy-limits.drl.xlsx", "trailing-stops.drl.xlsx");
        PolicyArchive.ArchivedFile gates = a.ruleFiles().get(5);
        assertThat(gates.content()).isEqualTo(Files.readString(dir.resolve("rules/gates.drl")));
        PolicyArchive.ArchivedFile table = a.ruleFiles().get(1);
        assertThat(table.encoding()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(table.content()))
                .isEqualTo(Files.readAllBytes(dir.resolve("rules/confidence-bands.drl.xlsx")));
        assertThat(rt.policyArchive().find(rt.registry().active().sha256())).isPresent();

        // the archived copy edited with SQL (the gate loosened back) no longer hashes to the sha the decision names:
        // it is refused, not served as the policy that decided
        new org.springframework.jdbc.core.JdbcTemplate(db).update("UPDATE policy_version SET "
                + "policy_yaml = REPLACE(policy_yaml, 'min_confidence: 0.70', 'min_confidence: 0.60') WHERE sha256 = ?",
                d.policy().sha256());
        assertThatThrownBy(() -> rt.policyArchive().find(d.policy().sha256()))
                .isInstanceOf(io.riskgate.errors.ConflictException.class)
                .hasMessage("the archived policy " + d.policy().sha256() + " was changed in the store after it was "
                        + "archived: its YAML and rule files no longer hash to it");
        rt.close();
    }

    @Test
    void everyReloadIsLoggedActivatedOrRefused(@TempDir Path dir) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        RiskgateRuntime rt = TestRuntime.start(dir.resolve("policies"), dir.resolve("rules"),
                new MutableClock(TestRuntime.T0));
        Path policy = dir.resolve("policies/default.yaml");
        Files.writeString(policy, Files.readString(policy).replace("max_spread_bps: 50", "max_sprad_bps: 50"));
        long units = rt.commits().units();
        assertThatThrownBy(() -> rt.registry().reload()).isInstanceOf(PolicyException.class);
        // the refusal's record went through the group commit (one unit), durable before the refusal was answered
        assertThat(rt.commits().units()).isEqualTo(units + 1);

        List<PolicyArchive.Activation> log = rt.policyArchive().activations(10);
        assertThat(log).extracting(PolicyArchive.Activation::outcome).containsExactly("REFUSED", "ACTIVATED");
        assertThat(log.get(0).detail()).contains("filters.max_sprad_bps").contains("filters.max_spread_bps");
        assertThat(log.get(1).sha256()).isEqualTo(rt.registry().active().sha256());
        // a reload of unchanged files activates nothing, and is logged as such
        Files.writeString(policy, Files.readString(policy).replace("max_sprad_bps: 50", "max_spread_bps: 50"));
        rt.registry().reload();
        assertThat(rt.policyArchive().activations(10)).extracting(PolicyArchive.Activation::outcome)
                .containsExactly("UNCHANGED", "REFUSED", "ACTIVATED");
    }

    @Test
    void aRemovedPolicyIsLoggedAsRemoved(@TempDir Path dir) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        Path other = dir.resolve("policies/other.yaml");
        Files.writeString(other, Files.readString(dir.resolve("policies/default.yaml")).replace("id: default",
                "id: other"));
        RiskgateRuntime rt = TestRuntime.start(dir.resolve("policies"), dir.resolve("rules"),
                new MutableClock(TestRuntime.T0));
        Files.delete(other);
        rt.registry().reload();
        assertThat(rt.policyArchive().activations(1)).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo("REMOVED");
            assertThat(a.policyId()).isEqualTo("other");
        });
    }
}
