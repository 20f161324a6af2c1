package io.riskgate.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskgate.database.RowIds;
import io.riskgate.policy.PolicyBundle;
import io.riskgate.policy.PolicyProblem;
import io.riskgate.policy.RuleFileKind;
import io.riskgate.rules.CompiledPolicy;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Keeps every policy version that was ever in force, by sha256, with its exact YAML and rule files, and a log of
 * every reload (activated or refused, with the problems). With it, an audited decision's {@code policy.sha256}
 * answers "which thresholds and which rules decided this?" long after the files have changed.
 */
public final class PolicyArchive {

    /** A rule file as archived: text for DRL and CSV, base64 for spreadsheets. */
    public record ArchivedFile(String name, String encoding, String content) {
    }

    /** An archived policy version. */
    public record ArchivedPolicy(String sha256, String id, String version, String sourceFile, String policyYaml,
                                 List<ArchivedFile> ruleFiles, Instant firstLoadedAt) {
    }

    /**
     * One entry of the activation log: a reload, an assignment, or a change the file watcher found.
     *
     * @param outcome ACTIVATED, UNCHANGED, REMOVED, REFUSED, ASSIGNED, or DETECTED (a valid change of the files
     *        the watcher found, not in force)
     * @param actor who put it in force (an officer's name, "startup", "watcher"); {@code reason} why
     */
    public record Activation(long id, Instant occurredAt, String outcome, String policyId, String sha256,
                             String detail, String actor, String reason) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionOperations tx;
    private final ObjectMapper json;
    private final Clock clock;
    private final RowIds activationIds;
    /** PostgreSQL: a version another process archived meanwhile is kept, not a failure. H2 has one process. */
    private final String ifAbsent;

    /** {@code tx}: the service's writes (a group commit), so that an activation is durable before it is reported. */
    public PolicyArchive(DataSource dataSource, TransactionOperations tx, ObjectMapper json, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.activationIds = RowIds.of(dataSource, "policy_activation", "id");
        this.ifAbsent = io.riskgate.database.Dialect.of(dataSource) == io.riskgate.database.Dialect.POSTGRESQL
                ? " ON CONFLICT (sha256) DO NOTHING" : "";
    }

    /**
     * Archives each policy not archived yet and logs the reload: ACTIVATED per changed policy, REMOVED per policy
     * no longer in the directory, UNCHANGED when neither; all in one transaction.
     */
    public void activated(Collection<CompiledPolicy> policies, Collection<String> changed,
                          Collection<String> removed, String actor, String reason) {
        tx.executeWithoutResult(s -> record(policies, changed, removed, actor, reason));
    }

    private void record(Collection<CompiledPolicy> policies, Collection<String> changed, Collection<String> removed,
                        String actor, String reason) {
        Instant now = clock.instant();
        if (changed.isEmpty() && removed.isEmpty()) {
            log(now, "UNCHANGED", null, null, "reload found no changed policy", actor, reason);
        }
        removed.forEach(id -> log(now, "REMOVED", id, null, "policy file no longer in the policies directory", actor,
                reason));
        for (CompiledPolicy p : policies) {
            PolicyBundle b = p.bundle();
            Integer known = jdbc.queryForObject("SELECT COUNT(*) FROM policy_version WHERE sha256 = ?",
                    Integer.class, b.sha256());
            if (known == null || known == 0) {
                // instances starting together on one PostgreSQL database archive the same version at once: the
                // second insert finds the first's row and keeps it (the same sha256 is the same content)
                jdbc.update("INSERT INTO policy_version (sha256, policy_id, version, source_file, policy_yaml, "
                                + "rule_files_json, first_loaded_at) VALUES (?,?,?,?,?,?,?)" + ifAbsent, b.sha256(),
                        b.id(), b.version(), b.source().getFileName().toString(),
                        new String(b.policyBytes(), StandardCharsets.UTF_8), ruleFilesJson(b), ts(now));
            }
            if (changed.contains(b.id())) {
                log(now, "ACTIVATED", b.id(), b.sha256(), p.rules().size() + " rules, compiled in "
                        + p.compileMillis() + " ms", actor, reason);
            }
        }
    }

    /** Logs a refused reload with every problem, durably (through the group commit) before the refusal is answered. */
    public void refused(List<PolicyProblem> problems, String actor, String reason) {
        tx.executeWithoutResult(s -> log(clock.instant(), "REFUSED", null, null, problems.stream()
                .map(PolicyProblem::toString).reduce((a, b) -> a + "\n" + b).orElse(""), actor, reason));
    }

    /**
     * Records a valid change of the policy files that is not in force yet (the file watcher found it): outcome
     * DETECTED, one entry per changed policy (with the sha256 a reload would activate) and per removed one. An
     * officer's reload puts it in force.
     */
    public void detected(java.util.Map<String, String> changed, Collection<String> removed, String actor,
                         String reason) {
        tx.executeWithoutResult(s -> {
            Instant now = clock.instant();
            changed.forEach((id, sha) -> log(now, "DETECTED", id, sha, "valid, not in force: awaiting an officer's "
                    + "reload (POST /api/v1/policies/reload)", actor, reason));
            removed.forEach(id -> log(now, "DETECTED", id, null, "policy file removed, still in force: awaiting an "
                    + "officer's reload (POST /api/v1/policies/reload)", actor, reason));
        });
    }

    /** Records an account's assignment to a policy in the activation log (outcome ASSIGNED). */
    public void assigned(String account, String policyId, String sha256, String actor, String reason) {
        log(clock.instant(), "ASSIGNED", policyId, sha256, "account " + account, actor, reason);
    }

    public Optional<ArchivedPolicy> find(String sha256) {
        return jdbc.query("SELECT * FROM policy_version WHERE sha256 = ?", this::archived, sha256).stream()
                .findFirst();
    }

    /** The latest reloads, newest first. */
    public List<Activation> activations(int limit) {
        return jdbc.query("SELECT * FROM policy_activation ORDER BY id DESC LIMIT ?", this::activation, limit);
    }

    private Activation activation(ResultSet rs, int row) throws SQLException {
        return new Activation(rs.getLong("id"), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                rs.getString("outcome"), rs.getString("policy_id"), rs.getString("sha256"), rs.getString("detail"),
                rs.getString("actor"), rs.getString("reason"));
    }

    /** Every version of a policy ever loaded, newest first, each with its activations (when, who, why). */
    public List<PolicyVersion> versions(String policyId) {
        List<PolicyVersion> out = new java.util.ArrayList<>();
        // newest first: by the latest time it was put in force, then by when it was first loaded
        jdbc.query("SELECT v.sha256, v.version, v.source_file, v.first_loaded_at, (SELECT MAX(a.id) FROM "
                + "policy_activation a WHERE a.sha256 = v.sha256 AND a.outcome IN ('ACTIVATED', 'ASSIGNED')) "
                + "AS last_activation FROM policy_version v "
                + "WHERE v.policy_id = ? ORDER BY last_activation DESC NULLS LAST, v.first_loaded_at DESC", rs -> {
                    String sha = rs.getString("sha256");
                    out.add(new PolicyVersion(policyId, rs.getString("version"), sha, rs.getString("source_file"),
                            rs.getObject("first_loaded_at", OffsetDateTime.class).toInstant(),
                            jdbc.query("SELECT * FROM policy_activation WHERE sha256 = ? AND outcome IN "
                                    + "('ACTIVATED', 'ASSIGNED') ORDER BY id", this::activation, sha)));
                }, policyId);
        return out;
    }

    /** One archived version of a policy, by its sha256 or its version string (the latest loaded with it). */
    public Optional<ArchivedPolicy> version(String policyId, String shaOrVersion) {
        return jdbc.query("SELECT * FROM policy_version WHERE policy_id = ? AND (sha256 = ? OR version = ?) "
                + "ORDER BY CASE WHEN sha256 = ? THEN 0 ELSE 1 END, first_loaded_at DESC LIMIT 1", this::archived,
                policyId, shaOrVersion, shaOrVersion, shaOrVersion).stream().findFirst();
    }

    /** A version of a policy with every time it was put in force. */
    public record PolicyVersion(String policyId, String version, String sha256, String sourceFile,
                                Instant firstLoadedAt, List<Activation> activations) {
    }

    private void log(Instant at, String outcome, String id, String sha, String detail, String actor, String reason) {
        jdbc.update("INSERT INTO policy_activation (id, occurred_at, outcome, policy_id, sha256, detail, actor, "
                + "reason) VALUES (?,?,?,?,?,?,?,?)", activationIds.next(), ts(at), outcome, id, sha, detail, actor, reason);
    }

    private String ruleFilesJson(PolicyBundle b) {
        Map<String, ArchivedFile> files = new LinkedHashMap<>();
        b.ruleFiles().forEach((name, bytes) -> files.put(name, RuleFileKind.of(name) == RuleFileKind.XLS
                ? new ArchivedFile(name, "base64", Base64.getEncoder().encodeToString(bytes))
                : new ArchivedFile(name, "utf-8", new String(bytes, StandardCharsets.UTF_8))));
        try {
            return json.writeValueAsString(files.values());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ArchivedPolicy archived(ResultSet rs, int row) throws SQLException {
        try {
            List<ArchivedFile> files = List.of(json.readValue(rs.getString("rule_files_json"),
                    ArchivedFile[].class));
            String sha = rs.getString("sha256");
            String yaml = rs.getString("policy_yaml");
            // the sha256 a decision's chained record names is checked against the copy served for it
            if (!sha.equals(sha256(yaml, files))) {
                throw new io.riskgate.errors.ConflictException("the archived policy " + sha + " was changed in the "
                        + "store after it was archived: its YAML and rule files no longer hash to it");
            }
            return new ArchivedPolicy(sha, rs.getString("policy_id"), rs.getString("version"),
                    rs.getString("source_file"), yaml, files,
                    rs.getObject("first_loaded_at", OffsetDateTime.class).toInstant());
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable archived policy: " + e.getMessage(), e);
        }
    }

    /** The sha256 of an archived copy, as {@link io.riskgate.policy.PolicyLoader#sha256} took it of the files. */
    private static String sha256(String yaml, List<ArchivedFile> files) {
        Map<String, byte[]> rules = new LinkedHashMap<>();
        for (ArchivedFile f : files) {
            rules.put(f.name(), "base64".equals(f.encoding()) ? Base64.getDecoder().decode(f.content())
                    : f.content().getBytes(StandardCharsets.UTF_8));
        }
        return io.riskgate.policy.PolicyLoader.sha256(yaml.getBytes(StandardCharsets.UTF_8), rules);
    }

    private static OffsetDateTime ts(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
