package io.riskgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskgate.check.PolicyCompiler;
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

    /** Where rule behaviour is tested: the rule and engine tests, not the API or CLI plumbing. */
    private static final List<Path> RULE_TESTS = List.of(Path.of("src/test/java/io/riskgate/rules"),
            Path.of("src/test/java/io/riskgate/check"), Path.of("src/test/java/io/riskgate/exits"),
            Path.of("src/test/java/io/riskgate/governor"), Path.of("src/test/java/io/riskgate/market"));
    private static final Path REFERENCE = Path.of("docs/policy-reference.md");
    private Set<String> codes;

    @BeforeAll
    void catalog() {
        CompiledPolicy p = PolicyCompiler.standard().compile(new PolicyLoader(TestRuntime.repoRules())
                .load(TestRuntime.repoPolicies().resolve("default.yaml")));
        codes = new TreeSet<>();
        p.rules().stream().map(RuleInfo::code).forEach(codes::add);
        codes.add(PreTradeEngine.NO_EQUITY);
        codes.add(PreTradeEngine.ENGINE_ERROR);
        codes.add(io.riskgate.check.CheckPipeline.KILL_SWITCH);
        RuleSetCompiler.release(p.container(), p.releaseId());
    }

    @Test
    void everyRuleCodeHasATestInTheRuleOrEngineTests() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path dir : RULE_TESTS) {
            all.append(readAll(dir, ".java"));
        }
        // a code only named in a comment ("// VAR_LIMIT needs bars") is not a test of it
        String tests = withoutComments(all.toString());
        List<String> untested = codes.stream().filter(c -> !Pattern.compile("\\b" + c + "\\b").matcher(tests).find())
                .toList();
        assertThat(untested).as("rule codes no test mentions").isEmpty();
    }

    @Test
    void aCodeNamedOnlyInACommentIsNotTested() {
        String src = """
                // VAR_LIMIT needs bars
                /* CORRELATION_TOO_HIGH too */ int x = 1; /** MAX_EXPOSURE in Javadoc */
                assertThat(d.codes()).contains("URL // KEPT_IN_STRING", "/* KEPT_TOO */"); char q = '"'; // GONE
                String t = \"""
                    // KEPT_IN_TEXT_BLOCK
                    \""";
                """;
        String code = withoutComments(src);
        assertThat(code).doesNotContain("VAR_LIMIT", "CORRELATION_TOO_HIGH", "MAX_EXPOSURE", "GONE")
                .contains("int x = 1;", "KEPT_IN_STRING", "KEPT_TOO", "char q = '\"';", "KEPT_IN_TEXT_BLOCK");
    }

    @Test
    void everyRuleCodeHasALineInThePolicyReference() throws IOException {
        assertThat(REFERENCE).exists();
        String doc = Files.readString(REFERENCE);
        List<String> undocumented = codes.stream().filter(c -> !doc.contains("`" + c + "`")).toList();
        assertThat(undocumented).as("rule codes missing from " + REFERENCE).isEmpty();
    }

    @Test
    void noDrlHoldsANumber() throws IOException {
        // any number in rule code, on either side of a comparison, in arithmetic or as an argument, is a threshold
        // that belongs in the policy; strings, comments and metadata are not rule code
        Pattern literal = Pattern.compile("(?<![A-Za-z0-9_$.])\\d+(\\.\\d+)?");
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.list(TestRuntime.repoRules())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".drl")).toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).replaceAll("\"[^\"]*\"", "\"\"").replaceAll("//.*", "")
                            .replaceAll("@\\w+\\([^)]*\\)", "");
                    Matcher m = literal.matcher(code);
                    if (m.find()) {
                        offenders.add(f.getFileName() + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertThat(offenders).as("thresholds belong in the policy, not in DRL").isEmpty();
    }

    /**
     * Java source with its comments blanked: {@code //} to the end of the line and block comments (Javadoc too),
     * but not the same characters inside a string, a text block or a char literal.
     */
    static String withoutComments(String java) {
        StringBuilder out = new StringBuilder(java.length());
        int i = 0;
        int n = java.length();
        while (i < n) {
            char c = java.charAt(i);
            if (java.startsWith("\"\"\"", i)) {
                int end = java.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end + 3;
                out.append(java, i, end);
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && java.charAt(j) != c && java.charAt(j) != '\n') {
                    j += java.charAt(j) == '\\' ? 2 : 1;
                }
                j = Math.min(j + 1, n);
                out.append(java, i, j);
                i = j;
            } else if (java.startsWith("//", i)) {
                int end = java.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (java.startsWith("/*", i)) {
                int end = java.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String readAll(Path root, String suffix) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(suffix)).toList()) {
                all.append(Files.readString(f)).append('\n');
            }
        }
        return all.toString();
    }
}
