package io.riskgate.testing;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Issue 10's corpus of hostile YAML gate conditions, each with a fragment of the message it must be refused with.
 * Shared by the loader, compiler and CLI tests so that each path is tried with the same inputs.
 */
public final class HostileConditions {

    private HostileConditions() {
    }

    /** (condition, what the refusal says): code execution, static and qualified names, MVEL-only syntax, size. */
    public static Stream<Arguments> corpus() {
        return Stream.of(
                Arguments.of("symbol != null && java.lang.Runtime.getRuntime().exec(\"touch marker\") != null",
                        "method calls are not allowed"),
                Arguments.of("System.exit(0) == null", "method calls are not allowed"),
                Arguments.of("Class.forName(\"java.lang.Runtime\") != null", "method calls are not allowed"),
                Arguments.of("java.lang.Integer.MAX_VALUE > 0", "'java.lang.Integer.MAX_VALUE' is not allowed"),
                Arguments.of("Integer.MAX_VALUE > 0", "'Integer.MAX_VALUE' is not allowed"),
                Arguments.of("Class.forName(\"java.lang.\" + \"Runtime\") != null", "method calls are not allowed"),
                Arguments.of("(\"java.lang.\" + \"Runtime\") != null && symbol != null", "text cannot be joined"),
                Arguments.of("symbol == \"\\u0041\"", "unicode escapes (\\u0041) are not allowed"),
                // the escapes 0022 and 0029 are " and ): decoded, they would close the text and call exec
                Arguments.of("symbol == \"x\\u0022\\u0029 || java.lang.Runtime.getRuntime().exec(\\u0022touch m\")",
                        "unicode escapes (\\u0041) are not allowed"),
                Arguments.of("(symbol in list)", "MVEL projections (x in list) are not allowed"),
                Arguments.of("[1, 2] != null", "'[' is not allowed: inline lists and arrays"),
                Arguments.of("{\"a\": 1} != null", "'{' is not allowed: inline maps"),
                Arguments.of("new java.io.File(\"x\") != null", "creating objects (new ...) is not allowed"),
                Arguments.of("(int) spreadBps > 3", "casts are not allowed"),
                Arguments.of("spreadBps = 0", "assignments (=, +=, ...) are not allowed"),
                Arguments.of("def x = symbol", "MVEL-only syntax ('def') is not allowed"),
                Arguments.of("symbol with (x)", "MVEL-only syntax ('with') is not allowed"),
                Arguments.of("(s -> s) != null", "lambdas and method references are not allowed"),
                Arguments.of("(".repeat(5_000) + "spreadBps > 1" + ")".repeat(5_000),
                        "is 10013 characters long; a condition may have at most 1000"),
                Arguments.of("(".repeat(40) + "spreadBps > 1" + ")".repeat(40), "nests parentheses more than 32 deep"),
                Arguments.of("spreadBps > 1 && ".repeat(70) + "atr > 1", "a condition may have at most 1000"));
    }

    /**
     * Conditions that, pasted into MVEL, would create the file {@code MARKER} (replace it with a path first): by a
     * constructor and a call, through java.nio, by running {@code touch}, by reflection on a built class name, and
     * behind a unicode escape.
     */
    public static Stream<String> markers() {
        return Stream.of(
                "new java.io.File(\"MARKER\").createNewFile()",
                "java.nio.file.Files.createFile(java.nio.file.Paths.get(\"MARKER\")) != null",
                "symbol != null && java.lang.Runtime.getRuntime().exec(\"touch MARKER\").waitFor() == 0",
                "Class.forName(\"java.io.\" + \"File\").getConstructor(String.class).newInstance(\"MARKER\")"
                        + ".createNewFile()",
                "\\u006Eew java.io.File(\"MARKER\").createNewFile()");
    }
}
