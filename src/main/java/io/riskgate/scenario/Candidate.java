package io.riskgate.scenario;

import io.riskgate.check.PolicyCompiler;
import io.riskgate.policy.PolicyBundle;
import io.riskgate.policy.PolicyException;
import io.riskgate.policy.PolicyLoader;
import io.riskgate.policy.PolicyProblem;
import io.riskgate.policy.RuleFileKind;
import io.riskgate.policy.RuleSource;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleSetCompiler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A candidate policy an officer previews (what-if) before activating it: compiled in memory, never published,
 * never archived, nothing written. It comes in one of three forms:
 * <ul>
 * <li>{@link #inline}: the YAML text sent with the request, compiled with the live rule files (the REST API never
 * passes rule files of its own: they are code; {@code ruleFiles} is for in-process callers that hold them);</li>
 * <li>{@link #inWorkspace}: a directory of the officers' workspace ({@link Workspace}), with the {@code rules}
 * directory beside it in the workspace, else the live rules;</li>
 * <li>{@link #directory}: any directory, for the CLI a user runs on their own machine, with its sibling rules
 * directory, else the given rules.</li>
 * </ul>
 * Every problem is thrown at once as a {@link PolicyException}, each message cut to {@value #MAX_MESSAGE}
 * characters.
 */
public final class Candidate {

    /** Letters, digits, '_', '.', '-', with a rule file extension (see {@link RuleFileKind}). */
    public static final String RULE_FILE_NAME = "[A-Za-z0-9_.-]{1,64}";

    /** Longest problem message returned: the candidate's own text may be quoted, not pages of it. */
    public static final int MAX_MESSAGE = 300;

    private final String policyId;
    private final Supplier<PolicyBundle> load;
    private final Function<String, String> describe;

    private Candidate(String policyId, Supplier<PolicyBundle> load, Function<String, String> describe) {
        this.policyId = policyId;
        this.load = load;
        this.describe = describe;
    }

    /** Whether {@code name} may name a rule file sent with an inline candidate. */
    public static boolean isRuleFileName(String name) {
        return name.matches(RULE_FILE_NAME) && RuleFileKind.isRuleFile(name) && !name.startsWith(".");
    }

    /**
     * The policy {@code yaml} (compiled byte for byte: its sha256 is that of a file with this text), with
     * {@code ruleFiles} (name to bytes) in front of the live rules. Its id must be {@code policyId}; every rule file
     * sent must be listed by the policy.
     */
    public static Candidate inline(String policyId, String yaml, Map<String, byte[]> ruleFiles, Path liveRules) {
        Map<String, byte[]> sent = new TreeMap<>(ruleFiles);
        sent.keySet().stream().filter(n -> !isRuleFileName(n)).findFirst().ifPresent(n -> {
            throw new IllegalArgumentException("not a rule file name: " + n);
        });
        RuleSource rules = RuleSource.overlay(sent, live(liveRules), "the files sent or the live rules directory");
        return new Candidate(policyId, () -> {
            PolicyBundle b = new PolicyLoader(rules).load(policyId + ".yaml", yaml.getBytes(StandardCharsets.UTF_8));
            List<PolicyProblem> problems = new ArrayList<>();
            if (!b.id().equals(policyId)) {
                problems.add(new PolicyProblem(b.source().toString(), "id", 0, "the candidate is policy '" + b.id()
                        + "' but the request names policyId '" + policyId + "': send the policyId of the YAML"));
            }
            sent.keySet().stream().filter(n -> !b.ruleFiles().containsKey(n)).forEach(n -> problems.add(
                    new PolicyProblem(n, "", 0, "sent with the candidate but not listed under its rules: list it or "
                            + "leave it out")));
            if (!problems.isEmpty()) {
                throw new PolicyException(problems);
            }
            return b;
        }, Function.identity());
    }

    /** The candidate {@code policyId} in a workspace directory, compiled with the workspace's rules beside it. */
    public static Candidate inWorkspace(Workspace.Location location, String policyId, Path liveRules) {
        RuleSource rules = location.ruleSource().orElseGet(() -> live(liveRules));
        return new Candidate(policyId, () -> fromDirectory(new PolicyLoader(rules), location.policies(), policyId,
                location.name()), location::relative);
    }

    /**
     * The candidate {@code policyId} in any {@code policies} directory, compiled with the rules directory beside it
     * if there is one, else {@code rules}: for the CLI, which reads the local user's own files.
     */
    public static Candidate directory(Path policies, String policyId, Path rules) {
        Path parent = policies.toAbsolutePath().normalize().getParent();
        Path sibling = parent == null ? null : parent.resolve("rules");
        Path use = sibling != null && Files.isDirectory(sibling) ? sibling : rules.toAbsolutePath().normalize();
        return new Candidate(policyId, () -> fromDirectory(new PolicyLoader(use), policies, policyId,
                policies.toString()), Function.identity());
    }

    /** The live rules, named as such rather than by the server's path. */
    private static RuleSource live(Path liveRules) {
        return RuleSource.directory(liveRules.toAbsolutePath().normalize(), "the live rules directory");
    }

    private static PolicyBundle fromDirectory(PolicyLoader loader, Path dir, String policyId, String name) {
        PolicyBundle bundle = loader.loadDirectory(dir).get(policyId);
        if (bundle == null) {
            throw new PolicyException(List.of(new PolicyProblem(name, "id", 0, "no policy '" + policyId
                    + "' in the candidate directory")));
        }
        return bundle;
    }

    public String policyId() {
        return policyId;
    }

    /**
     * Loads and compiles the candidate; the caller releases it ({@link RuleSetCompiler#release}).
     *
     * @throws PolicyException with every problem
     */
    public CompiledPolicy compile() {
        List<PolicyProblem> problems;
        try {
            return PolicyCompiler.standard().compile(load.get());
        } catch (PolicyException e) {
            problems = e.problems();
        } catch (RuntimeException | LinkageError | AssertionError e) {
            // as a reload reports it: a rule base Drools could not build is the candidate's problem, not a 500
            problems = List.of(new PolicyProblem(policyId + ".yaml", "", 0, "the rule base could not be built: " + e));
        }
        throw new PolicyException(problems.stream().map(p -> new PolicyProblem(describe.apply(p.file()), p.path(),
                p.line(), cut(describe.apply(p.message())))).toList());
    }

    private static String cut(String message) {
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...";
    }
}
