package io.riskgate.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import io.riskgate.policy.RuleFileKind;
import io.riskgate.rules.DecisionTableCells;
import io.riskgate.rules.DecisionTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What changed between two archived versions of a policy: each YAML key whose value changed (by key path, e.g.
 * {@code filters.min_confidence: 0.70 -> 0.75}), and a unified diff of each rule file that changed, decision
 * tables compared through the DRL they generate.
 */
public final class PolicyDiff {

    /** A YAML key path with its value before and after (null when absent on that side). */
    public record KeyChange(String key, String from, String to) {
    }

    /** A rule file added, removed or changed, with the unified diff of its DRL. */
    public record FileChange(String file, String change, List<String> diff) {
    }

    public record Result(String policyId, String from, String fromSha256, String to, String toSha256,
                         List<KeyChange> yaml, List<FileChange> rules) {
    }

    private static final YAMLMapper YAML = new YAMLMapper();

    private PolicyDiff() {
    }

    public static Result of(PolicyArchive.ArchivedPolicy a, PolicyArchive.ArchivedPolicy b) {
        Map<String, String> before = flatten(a.policyYaml());
        Map<String, String> after = flatten(b.policyYaml());
        List<KeyChange> keys = new ArrayList<>();
        TreeSet<String> all = new TreeSet<>(before.keySet());
        all.addAll(after.keySet());
        for (String k : all) {
            String x = before.get(k);
            String y = after.get(k);
            if (x == null ? y != null : !x.equals(y)) {
                keys.add(new KeyChange(k, x, y));
            }
        }
        Map<String, String> fa = drl(a);
        Map<String, String> fb = drl(b);
        TreeSet<String> files = new TreeSet<>(fa.keySet());
        files.addAll(fb.keySet());
        List<FileChange> rules = new ArrayList<>();
        for (String f : files) {
            String x = fa.get(f);
            String y = fb.get(f);
            if (x != null && x.equals(y)) {
                continue;
            }
            List<String> left = x == null ? List.of() : Arrays.asList(x.split("\r?\n", -1));
            List<String> right = y == null ? List.of() : Arrays.asList(y.split("\r?\n", -1));
            List<String> diff = UnifiedDiffUtils.generateUnifiedDiff(f + " (" + a.version() + ")",
                    f + " (" + b.version() + ")", left, DiffUtils.diff(left, right), 2);
            rules.add(new FileChange(f, x == null ? "added" : y == null ? "removed" : "changed", diff));
        }
        return new Result(a.id(), a.version(), a.sha256(), b.version(), b.sha256(), keys, rules);
    }

    /**
     * Each rule file as text: DRL as it is; a decision table as its rows (one line per row, label = value, as
     * {@code riskgate rules show} prints them), then the DRL they generate, so that a changed cell shows as a changed
     * row and a changed condition or action template as changed rules.
     */
    private static Map<String, String> drl(PolicyArchive.ArchivedPolicy p) {
        Map<String, String> out = new TreeMap<>();
        for (PolicyArchive.ArchivedFile f : p.ruleFiles()) {
            byte[] bytes = f.encoding().equals("base64") ? Base64.getDecoder().decode(f.content())
                    : f.content().getBytes(StandardCharsets.UTF_8);
            RuleFileKind kind = RuleFileKind.of(f.name());
            out.put(f.name(), kind == RuleFileKind.XLS || kind == RuleFileKind.CSV
                    ? "// rows\n" + rows(f.name(), bytes) + "// the DRL the rows generate\n"
                    + DecisionTables.toDrl(f.name(), bytes) : new String(bytes, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String rows(String name, byte[] bytes) {
        try {
            return DecisionTableCells.rowsAsText(name, bytes);
        } catch (IOException | RuntimeException e) {
            return "(the rows cannot be read: " + e.getMessage() + ")\n";
        }
    }

    /** YAML as key path -> scalar text: {@code portfolio.quote_currencies[1] -> USDC}. */
    static Map<String, String> flatten(String yaml) {
        Map<String, String> out = new TreeMap<>();
        try {
            flatten("", YAML.readTree(yaml), out);
        } catch (IOException e) {
            out.put("(yaml)", "unreadable: " + e.getMessage());
        }
        return out;
    }

    private static void flatten(String path, JsonNode n, Map<String, String> out) {
        if (n == null || n.isMissingNode()) {
            return;
        }
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                flatten(path + "[" + i + "]", n.get(i), out);
            }
        } else {
            out.put(path, n.asText());
        }
    }
}
