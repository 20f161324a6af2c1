package io.riskgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskgate.check.PreTradeEngine;
import io.riskgate.policy.PolicyLoader;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleInfo;
import io.riskgate.rules.RuleSetCompiler;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Guards the project's conventions across the tree: every rule code the default policy can produce has a test
 * and a line in the policy reference, and no DRL compares against a number written into the rule (thresholds
 * belong in the policy).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConventionsTest {

    private static final Path TESTS = Path.of("src/test/java");
    private static final Path REFERENCE = Path.of("docs/policy-reference.md");
    private Set<String> codes;

    @BeforeAll
    void catalog() {
        CompiledPolicy p = new RuleSetCompiler().compile(new PolicyLoader(TestRuntime.repoRules())
                .load(TestRuntime.repoPolicies().resolve("default.yaml")));
        codes = new TreeSet<>();
        p.rules().stream().map(RuleInfo::code).forEach(codes::add);
        codes.add(PreTradeEngine.NO_EQUITY);
        codes.add(PreTradeEngine.ENGINE_ERROR);
        RuleSetCompiler.release(p.container(), p.releaseId());
    }

    @Test
    void everyRuleCodeHasATest() throws IOException {
        String tests = readAll(TESTS, ".java", Path.of("src/test/java/io/riskgate/ConventionsTest.java"));
        List<String> untested = codes.stream().filter(c -> !Pattern.compile("\\b" + c + "\\b").matcher(tests).find())
                .toList();
        assertThat(untested).as("rule codes no test mentions").isEmpty();
    }

    @Test
    void everyRuleCodeHasALineInThePolicyReference() throws IOException {
        assertThat(REFERENCE).exists();
        String doc = Files.readString(REFERENCE);
        List<String> undocumented = codes.stream().filter(c -> !doc.contains("`" + c + "`")).toList();
        assertThat(undocumented).as("rule codes missing from " + REFERENCE).isEmpty();
    }

    @Test
    void noDrlComparesAgainstANumericLiteral() throws IOException {
        Pattern literal = Pattern.compile("(<|>|<=|>=|==|!=)\\s*-?\\d+(\\.\\d+)?\\b");
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.list(TestRuntime.repoRules())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".drl")).toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).replaceAll("\"[^\"]*\"", "\"\"").replaceAll("//.*", "");
                    Matcher m = literal.matcher(code);
                    if (m.find()) {
                        offenders.add(f.getFileName() + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertThat(offenders).as("thresholds belong in the policy, not in DRL").isEmpty();
    }

    private static String readAll(Path root, String suffix, Path exclude) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(suffix)).toList()) {
                if (!f.normalize().equals(exclude.normalize())) {
                    all.append(Files.readString(f)).append('\n');
                }
            }
        }
        return all.toString();
    }
}
