package io.riskgate.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** One in-process CLI run: its exit code and what it printed to stdout, line by line. */
record CliLines(int exitCode, List<String> lines) {

    /** Runs {@code riskgate ARGS} in this JVM, capturing stdout. */
    static CliLines run(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            int code = RiskgateCli.run(args);
            return new CliLines(code, o.toString(StandardCharsets.UTF_8).lines().toList());
        } finally {
            System.setOut(out);
        }
    }

    String lastLine() {
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    List<String> startingWith(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).toList();
    }
}
