package io.riskgate.policy;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A gate written in the policy YAML instead of DRL (issue 6): a condition over the order's facts, in the MVEL of a
 * rule's pattern, with the code and message an order it stops is rejected with. It compiles to a rule with the same
 * metadata and audit as a hand-written one.
 *
 * <pre>
 * gates:
 *   - code: NEWS_WIDE_SPREAD
 *     when: strategy == "news_driven" &amp;&amp; spreadBps &gt; 30
 *     message: news-driven orders need a spread of at most 30 bps
 * </pre>
 *
 * @param line the YAML line of {@code when}, where a compile error is reported
 */
public record CustomGate(String code, String when, String message, String category, int index, int line) {

    /** Words and characters a condition may not hold: they would end the pattern and write rule code. */
    private static final Pattern FORBIDDEN = Pattern.compile("[;{}\\n\\r`]|\\b(then|end|rule|import|eval|modify|"
            + "insert|retract|delete|kcontext|drools)\\b");

    /** What is wrong with a condition, or null: kept to one pattern over the order's facts. */
    public static String problemWith(String when) {
        var m = FORBIDDEN.matcher(when.toLowerCase(Locale.ROOT));
        if (m.find()) {
            return "may not contain '" + m.group().trim() + "': a gate is one condition over the order's facts, "
                    + "e.g. strategy == \"news_driven\" && spreadBps > 30";
        }
        int depth = 0;
        for (char c : when.toCharArray()) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0) {
                break;
            }
        }
        return depth == 0 ? null : "has unbalanced parentheses";
    }

    /** The DRL the policy's gates compile to, one rule per gate; {@link #lineOf} maps its lines back. */
    public static String toDrl(String policyId, List<CustomGate> gates) {
        StringBuilder drl = new StringBuilder();
        drl.append("// generated from the gates of policy ").append(policyId).append(": edit the policy YAML\n")
                .append("package io.riskgate.rules.custom;\n")
                .append("dialect \"mvel\"\n")
                .append("import io.riskgate.rules.OrderFacts;\n")
                .append("import io.riskgate.policy.Side;\n")
                .append("import io.riskgate.policy.Consensus;\n");
        for (CustomGate g : gates) {
            drl.append("\n// gate ").append(g.index()).append('\n')
                    .append("rule \"Gate ").append(g.code()).append("\"\n")
                    .append("    @code(").append(g.code()).append(") @category(").append(g.category()).append(")\n")
                    .append("when\n")
                    .append("    $o : OrderFacts( ").append(g.when()).append(" )\n")
                    .append("then\n")
                    .append("    $o.reject(kcontext, \"").append(escape(g.message())).append("\");\n")
                    .append("end\n");
        }
        return drl.toString();
    }

    /** The gate whose rule holds DRL line {@code line} of {@link #toDrl}; empty when none does. */
    public static java.util.Optional<CustomGate> lineOf(List<CustomGate> gates, int line) {
        int at = 6;
        for (CustomGate g : gates) {
            int start = at + 1;
            at += 9;
            if (line >= start && line <= at) {
                return java.util.Optional.of(g);
            }
        }
        return java.util.Optional.empty();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
