package io.riskgate.scenario;

import io.riskgate.policy.PolicyException;
import io.riskgate.policy.PolicyLoader;
import io.riskgate.policy.PolicyProblem;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleSetCompiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A candidate policy an officer previews (what-if) before activating it: compiled, never published, never
 * archived. Given as a policies directory (its {@code rules} sibling, or the live rules) or as inline YAML
 * (compiled against the live rules).
 */
public final class Candidate {

    private Candidate() {
    }

    /**
     * @param directory a policies directory holding the candidate, or null
     * @param yaml the candidate's YAML text, or null
     * @param rules the rules directory to compile against
     */
    public static CompiledPolicy compile(Path directory, String yaml, String policyId, Path rules) {
        if ((directory == null) == (yaml == null)) {
            throw new PolicyException(List.of(new PolicyProblem("candidate", "", 0,
                    "give the candidate as a directory or as inline yaml (one of the two)")));
        }
        PolicyLoader loader = new PolicyLoader(rules.toAbsolutePath().normalize());
        if (directory != null) {
            var bundle = loader.loadDirectory(directory).get(policyId);
            if (bundle == null) {
                throw new PolicyException(List.of(new PolicyProblem(directory.toString(), "id", 0,
                        "no policy '" + policyId + "' in the candidate directory")));
            }
            return new RuleSetCompiler().compile(bundle);
        }
        try {
            Path dir = Files.createTempDirectory("riskgate-candidate");
            Path file = dir.resolve(policyId + ".yaml");
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
            try {
                return new RuleSetCompiler().compile(loader.load(file));
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rules directory beside a candidate policies directory, if it has one, else {@code fallback}. */
    public static Path rulesBeside(Path policies, Path fallback) {
        Path parent = policies.toAbsolutePath().normalize().getParent();
        Path sibling = parent == null ? null : parent.resolve("rules");
        return sibling != null && Files.isDirectory(sibling) ? sibling : fallback;
    }
}
