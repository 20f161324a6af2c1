package io.riskgate.rules;

import io.riskgate.policy.RuleFileKind;
import java.io.ByteArrayInputStream;
import org.drools.decisiontable.InputType;
import org.drools.decisiontable.SpreadsheetCompiler;

/** Decision tables as DRL: what {@code riskgate rules show} prints and what the compiler actually builds. */
public final class DecisionTables {

    private DecisionTables() {
    }

    /** The DRL generated from a decision table's bytes; the file name tells XLS(X) from CSV. */
    public static String toDrl(String fileName, byte[] content) {
        RuleFileKind kind = RuleFileKind.of(fileName);
        if (kind != RuleFileKind.XLS && kind != RuleFileKind.CSV) {
            throw new IllegalArgumentException(fileName + " is not a decision table (.drl.xlsx, .drl.xls, .drl.csv)");
        }
        return new SpreadsheetCompiler().compile(new ByteArrayInputStream(content),
                kind == RuleFileKind.CSV ? InputType.CSV : InputType.XLS);
    }
}
