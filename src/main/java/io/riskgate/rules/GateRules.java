package io.riskgate.rules;

import io.riskgate.policy.CustomGate;
import io.riskgate.policy.GateCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The DRL a policy's YAML gates ({@link CustomGate}) compile to: one rule per gate on the order's facts, with the
 * gate's code and category as metadata, its condition printed by {@link GateCondition} from the parsed tree.
 */
public final class GateRules {

    private static final String CODE = "[A-Z][A-Z0-9_]{0,63}";
    private static final String CATEGORY = "[a-z][a-z0-9_]{0,31}";

    private GateRules() {
    }

    /**
     * The DRL the policy's gates compile to, one rule per gate; {@link #lineOf} maps its lines back. Throws
     * IllegalArgumentException for a gate the loader would have refused (bad code, category or condition): nothing
     * of a refused gate is ever written into DRL.
     */
    public static String toDrl(String policyId, List<CustomGate> gates) {
        return render(policyId, gates, new ArrayList<>());
    }

    /** The gate whose rule holds DRL line {@code line} of {@link #toDrl}; empty when none does. */
    public static Optional<CustomGate> lineOf(List<CustomGate> gates, int line) {
        List<int[]> ranges = new ArrayList<>();
        render("", gates, ranges);
        for (int i = 0; i < gates.size(); i++) {
            if (line >= ranges.get(i)[0] && line <= ranges.get(i)[1]) {
                return Optional.of(gates.get(i));
            }
        }
        return Optional.empty();
    }

    /** Writes the DRL, recording each gate's first and last line (1-based) in {@code ranges}. */
    private static String render(String policyId, List<CustomGate> gates, List<int[]> ranges) {
        StringBuilder drl = new StringBuilder();
        drl.append("// generated from the gates of policy ").append(policyId.replaceAll("[^A-Za-z0-9_.-]", "_"))
                .append(": edit the policy YAML\n")
                .append("package io.riskgate.rules.custom;\n")
                .append("dialect \"mvel\"\n")
                .append("import io.riskgate.facts.OrderFacts;\n")
                .append("import io.riskgate.policy.Side;\n")
                .append("import io.riskgate.policy.Consensus;\n");
        for (CustomGate g : gates) {
            if (!g.code().matches(CODE) || !g.category().matches(CATEGORY)) {
                throw new IllegalArgumentException("gate " + g.index() + " has a code or category the loader refuses");
            }
            String constraint = GateCondition.toDrl(g.when());
            drl.append("\n// gate ").append(g.index()).append('\n');
            int start = lines(drl) + 1;
            drl.append("rule \"Gate ").append(g.code()).append("\"\n")
                    .append("    @code(").append(g.code()).append(") @category(").append(g.category()).append(")\n")
                    .append("when\n")
                    .append("    $o : OrderFacts( ").append(constraint).append(" )\n")
                    .append("then\n")
                    .append("    $o.reject(kcontext, \"").append(escape(g.message())).append("\");\n")
                    .append("end\n");
            ranges.add(new int[] {start, lines(drl)});
        }
        return drl.toString();
    }

    private static int lines(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            n += s.charAt(i) == '\n' ? 1 : 0;
        }
        return n;
    }

    /** A Java/MVEL string literal's body: backslash, quote and line breaks escaped, other controls dropped. */
    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (!Character.isISOControl(c)) {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
