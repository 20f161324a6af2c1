package io.riskgate.policy;

import java.util.Locale;

/** The rule file formats riskgate compiles: DRL, and decision tables as .drl.xlsx/.drl.xls/.drl.csv. */
public enum RuleFileKind {
    DRL, XLS, CSV;

    public static boolean isRuleFile(String name) {
        return of(name) != null;
    }

    /** The kind for a file name, or null when it is not a rule file. */
    public static RuleFileKind of(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".drl.xlsx") || n.endsWith(".drl.xls")) {
            return XLS;
        }
        if (n.endsWith(".drl.csv")) {
            return CSV;
        }
        return n.endsWith(".drl") ? DRL : null;
    }
}
