package io.riskgate.policy;

/**
 * A gate written in the policy YAML instead of DRL (issue 6): a condition over the order's facts, with the code
 * and message an order it stops is rejected with. It compiles to a rule with the same metadata and audit as a
 * hand-written one.
 *
 * <pre>
 * gates:
 *   - code: NEWS_WIDE_SPREAD
 *     when: strategy == "news_driven" &amp;&amp; spreadBps &gt; 30
 *     message: news-driven orders need a spread of at most 30 bps
 * </pre>
 *
 * <p>The condition is checked against an allow-list and its DRL printed from its syntax tree by
 * {@link GateCondition}; the text of {@code when} never reaches the DRL. The rules layer
 * ({@code GateRules}) writes the rule around it; the gate above becomes
 * {@code $o : OrderFacts( ((strategy == "news_driven") && (spreadBps > 30)) )}.
 *
 * @param line the YAML line of {@code when}, where a refusal or a compile error is reported
 */
public record CustomGate(String code, String when, String message, String category, int index, int line) {

    /** What is wrong with a condition, or null when the allow-list accepts it (see {@link GateCondition}). */
    public static String problemWith(String when) {
        return GateCondition.check(when).problem();
    }
}
