package io.riskgate.cli;

import io.riskgate.policy.RuleFileKind;
import io.riskgate.rules.DecisionTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code riskgate rules show FILE}: the DRL a decision table compiles to (or a DRL file as is). */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "Work with rule files.",
        subcommands = RulesCommand.Show.class)
final class RulesCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print a rule file: a DRL file as it is; a decision table (.drl.xlsx, .drl.xls, .drl.csv) as "
                    + "its rows in plain text, then the DRL it compiles to, after any cell problems.")
    static final class Show implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(file)) {
                System.err.println("no such file: " + file);
                return 2;
            }
            RuleFileKind kind = RuleFileKind.of(file.getFileName().toString());
            if (kind == null) {
                System.err.println(file + " is not a rule file (.drl, .drl.xlsx, .drl.xls, .drl.csv)");
                return 2;
            }
            try {
                if (kind == RuleFileKind.DRL) {
                    System.out.print(Files.readString(file));
                    return 0;
                }
                String name = file.getFileName().toString();
                byte[] bytes = Files.readAllBytes(file);
                var problems = io.riskgate.rules.DecisionTableCells.problems(name, bytes);
                problems.forEach(p -> System.out.println("ERROR " + p));
                System.out.println("// rows");
                io.riskgate.rules.DecisionTableCells.rowsAsText(name, bytes).lines()
                        .forEach(l -> System.out.println("// " + l));
                if (!problems.isEmpty()) {
                    return 1;
                }
                System.out.print(DecisionTables.toDrl(name, bytes));
                return 0;
            } catch (RuntimeException e) {
                System.err.println(file + ": " + e.getMessage());
                return 1;
            }
        }
    }
}
