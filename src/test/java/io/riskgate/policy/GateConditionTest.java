package io.riskgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GateCondition}: the allow-list of a YAML gate's {@code when}. Accepted conditions print the exact DRL below
 * (rules.CustomGatesTest runs each through the engine); everything else is refused with a message that says what is
 * not allowed. The hostile table is the corpus of issue 10: calls, static and qualified names, built class names,
 * unicode escapes, MVEL-only syntax, object creation, assignments, deep nesting and long text.
 */
class GateConditionTest {

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("strategy == \"news_driven\" && spreadBps > 30",
                        "((strategy == \"news_driven\") && (spreadBps > 30))"),
                Arguments.of("(spreadBps > 30)", "(spreadBps > 30)"),
                // && binds tighter than ||, as in Java; the printed parentheses keep it so
                Arguments.of("spreadBps > 1 || spreadBps < 0 && atr > 2",
                        "((spreadBps > 1) || ((spreadBps < 0) && (atr > 2)))"),
                Arguments.of("side == Side.SHORT", "(side == Side.SHORT)"),
                Arguments.of("Consensus.WEAK != consensus", "(Consensus.WEAK != consensus)"),
                Arguments.of("highVolatility", "(highVolatility == true)"),
                Arguments.of("!highVolatility", "!((highVolatility == true))"),
                Arguments.of("highVolatility == false", "(highVolatility == false)"),
                Arguments.of("strategy != null", "(strategy != null)"),
                Arguments.of("null == strategy", "(null == strategy)"),
                Arguments.of("spreadBps >= -5", "(spreadBps >= -5)"),
                Arguments.of("- -5 < spreadBps", "(5 < spreadBps)"),
                Arguments.of("-atr < -1600", "((0 - atr) < -1600)"),
                Arguments.of("spreadBps + 5 > 20 - 1 * 2 / 4", "((spreadBps + 5) > (20 - ((1 * 2) / 4)))"),
                // numbers are printed in plain decimal; above the int range as a double
                Arguments.of("volume24h < 1e9", "(volume24h < 1000000000.0)"),
                Arguments.of("volume24h < 5000000000", "(volume24h < 5000000000.0)"),
                Arguments.of("atrRatio > .03", "(atrRatio > 0.03)"),
                Arguments.of("atrRatio > 3e-2", "(atrRatio > 0.03)"),
                Arguments.of("openTrades >= 007", "(openTrades >= 7)"),
                // text is re-escaped from its value: \" and \\ survive, other escapes are refused (below)
                Arguments.of("symbol == \"a\\\"b\\\\c\"", "(symbol == \"a\\\"b\\\\c\")"),
                Arguments.of("strategy == \"news driven: it's (fine)\"", "(strategy == \"news driven: it's (fine)\")"),
                // membership is printed as ==s, never as a call
                Arguments.of("symbol.in(\"BTCUSDT\", \"ETHUSDT\")",
                        "(symbol == \"BTCUSDT\" || symbol == \"ETHUSDT\")"),
                Arguments.of("!side.in(Side.LONG)", "!((side == Side.LONG))"),
                Arguments.of("openTrades.in(0, -1)", "(openTrades == 0 || openTrades == -1)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void acceptsAndPrintsFromTheTree(String when, String drl) {
        GateCondition.Result r = GateCondition.check(when);
        assertThat(r.problem()).isNull();
        assertThat(r.constraint()).isEqualTo(drl);
        assertThat(GateCondition.toDrl(when)).isEqualTo(drl);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.riskgate.testing.HostileConditions#corpus")
    void refusesIssue10sHostileCorpus(String when, String message) {
        refusesTheHostileCorpus(when, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.riskgate.testing.HostileConditions#markers")
    void refusesEveryConditionThatWouldCreateAFile(String when) {
        assertThat(GateCondition.check(when.replace("MARKER", "/tmp/marker")).accepted()).isFalse();
    }

    /** More of the same kind: each refused, with what is not allowed in the message. */
    static Stream<Arguments> hostile() {
        return Stream.of(
                Arguments.of("System.out == null", "'System.out' is not allowed"),
                Arguments.of("Runtime == null", "'Runtime' is not a field a gate may read"),
                Arguments.of("(\"java.lang.\" + \"Runtime\") != null", "text cannot be joined"),
                Arguments.of("Class.forName(\"java.lang.\" + \"Runtime\").getMethods() != null",
                        "method calls are not allowed"),
                // the escapes 0029 and 0022 are ) and ": decoded, they would close the text and call exec
                Arguments.of("symbol == \"x\\u0022\\u0029 || java.lang.Runtime.getRuntime().exec(\\u0022touch m\")",
                        "unicode escapes"),
                Arguments.of("\\u0053ystem.exit(0) == null", "unicode escapes"),
                Arguments.of("symbol in (\"BTCUSDT\", \"ETHUSDT\")", "'in'/'not in' lists"),
                Arguments.of("new java.io.File(\"x\").createNewFile()", "method calls are not allowed"),
                Arguments.of("(int) spreadBps > 3", "casts are not allowed"),
                Arguments.of("(Object) symbol != null", "casts are not allowed"),
                Arguments.of("(spreadBps = 0) == 0", "assignments (=, +=, ...) are not allowed"),
                Arguments.of("spreadBps += 1", "assignments (=, +=, ...) are not allowed"),
                Arguments.of("openTrades++ > 1", "changes a value (++, --)"),
                Arguments.of("--openTrades > 1", "changes a value (++, --)"),
                Arguments.of("def x = 1", "MVEL-only syntax ('def')"),
                Arguments.of("symbol with (x)", "MVEL-only syntax ('with')"),
                Arguments.of("((java.util.function.Supplier) () -> 1) != null", "casts are not allowed"),
                Arguments.of("String::valueOf != null",
                        "':' is not allowed: the ternary ?:, labels and method references"),
                Arguments.of("symbol instanceof String", "instanceof is not allowed"),
                Arguments.of("spreadBps > 1 ? true : false", "the ternary ?:, labels and method references (::)"),
                Arguments.of("String.class != null", "class literals and types are not allowed"),
                Arguments.of("this.symbol == \"A\"", "'this.symbol' is not allowed"),
                Arguments.of("this == null", "this and super are not allowed"),
                Arguments.of("symbol == 'A'", "single quotes are not allowed"),
                Arguments.of("symbol == \"\"\"\n    A\"\"\"", "text blocks (\"\"\") are not allowed"),
                Arguments.of("symbol == \"a\\tb\"", "text may use only the escapes \\\" and \\\\, had \\t"),
                // \\134 is an octal backslash: the value would begin with a unicode escape
                Arguments.of("symbol == \"\\134u0041\"", "text may use only the escapes"),
                Arguments.of("symbol == \"a\u200Bb\"", "text may not hold the control character U+200B"),
                Arguments.of("symbol matches \"B.*\"", "the DRL operator 'matches' is not allowed"),
                Arguments.of("spreadBps > 30 ) then System.exit(0); end rule \"x\" when OrderFacts(",
                        "has a ')' without its '('"),
                Arguments.of("spreadBps > 30 // drop the rest", "comments are not allowed"),
                Arguments.of("spreadBps > 30 /* x */", "comments are not allowed"),
                Arguments.of("$o.reject(null, \"x\") == null", "'$' is not allowed"),
                Arguments.of("@interface", "'@' is not allowed"),
                Arguments.of("spreadBps > 1; System.exit(0)", "';' is not allowed"),
                Arguments.of("spreadBps % 2 == 0", "'%' is not allowed"),
                Arguments.of("spreadBps > 1 & atr > 1", "'&' is not allowed"),
                Arguments.of("spreadBps > 10L", "'10L' is not allowed"),
                Arguments.of("spreadBps > 0x1F", "write numbers in decimal"),
                Arguments.of("spreadBps > 1_000", "write numbers in decimal"),
                Arguments.of("spreadBps > 1e300", "is too large"),
                Arguments.of("\u0455ymbol == \"A\"", "U+0455 is not allowed"), // Cyrillic look-alike s
                Arguments.of("symbol == \u201CBTCUSDT\u201D", "typographic quotes"),
                Arguments.of("isLong()", "method calls are not allowed (write side == Side.LONG)"),
                Arguments.of("getSpreadBps() > 30",
                        "method calls are not allowed (write spreadBps, not getSpreadBps())"),
                Arguments.of("symbol.in(java.lang.Runtime.getRuntime())", "method calls are not allowed"),
                Arguments.of("symbol.equals(\"A\")", "method calls are not allowed"),
                Arguments.of("\"A\".in(\"A\")", "method calls are not allowed"),
                Arguments.of("symbol.in(strategy)", "takes values of its kind (text): 'strategy' is not a literal"),
                Arguments.of("symbol.in()", "takes 1 to 50 values, had 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void refusesMoreHostileConditions(String when, String message) {
        refusesTheHostileCorpus(when, message);
    }

    private static void refusesTheHostileCorpus(String when, String message) {
        GateCondition.Result r = GateCondition.check(when);
        assertThat(r.constraint()).isNull();
        assertThat(r.problem()).contains(message);
        assertThatThrownBy(() -> GateCondition.toDrl(when)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    /** Wrong types and non-conditions: each with its own message. */
    static Stream<Arguments> mistyped() {
        return Stream.of(
                Arguments.of("symbol > \"A\"", "'symbol' is text, but > takes numbers: compare text with == or !="),
                Arguments.of("spreadBps == \"30\"", "compares a number with text"),
                Arguments.of("side == null", "compares a side with null"),
                Arguments.of("null == null", "compares null with null"),
                Arguments.of("confidence == true", "compares a number with yes/no"),
                // Drools would read these as "highVolatility == symbol == ..." (an attacker's review found them)
                Arguments.of("highVolatility == (symbol == \"ETHUSDT\")", "compares a condition with =="),
                Arguments.of("accountActive != (price > 1)", "compares a condition with !="),
                Arguments.of("(spreadBps > 1) == true", "compares a condition with =="),
                Arguments.of("side == Consensus.STRONG", "compares a side with a consensus"),
                Arguments.of("highVolatility + 1 > 2", "'highVolatility' is yes/no, but + takes numbers"),
                Arguments.of("spreadBps && atr > 1", "'spreadBps' is a number, not a condition"),
                Arguments.of("spreadBps", "'spreadBps' is a number, not a condition"),
                Arguments.of("true", "true and false alone are not conditions"),
                Arguments.of("1 == 1", "reads none of the order's fields"),
                Arguments.of("spreadBps / 0 > 1", "divides by 0"),
                Arguments.of("LONG == side", "'LONG' is not a value: name a constant with its class, e.g. Side.LONG"),
                Arguments.of("Side.UP == side", "'Side.UP' is not a constant: Side has LONG, SHORT"),
                Arguments.of("spreadBp > 30", "'spreadBp' is not a field a gate may read (did you mean spreadBps?)"),
                Arguments.of("timestamp == null", "'timestamp' is not a field a gate may read"),
                Arguments.of("long", "'long' and 'short' are Java words: write side == Side.LONG"),
                Arguments.of("symbol.in(\"A\", 3)", "symbol.in(...) takes values of its kind (text): '3' is a number"),
                Arguments.of("spreadBps > 30 and atr > 1", "write && and || instead of 'and' and 'or'"),
                Arguments.of("spreadBps > 30 foo", "is not a condition riskgate can read at \"foo\" (column 16)"),
                Arguments.of("symbol == \"A", "has text without its closing double quote"),
                Arguments.of("(spreadBps > 1", "has a '(' without its ')'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistyped")
    void refusesWhatIsNotAConditionOverTheFieldsWithItsReason(String when, String message) {
        assertThat(GateCondition.check(when).problem()).contains(message);
    }

    @Test
    void everyRefusalOfAKindOfSyntaxSaysWhatIsAllowed() {
        assertThat(GateCondition.check("System.exit(0) == null").problem()).isEqualTo("method calls are not "
                + "allowed: a gate compares the order's fields (symbol, strategy, side, spreadBps, confidence, ...) "
                + "with numbers, \"text\", true/false, null and Side.LONG, Consensus.STRONG, ... using "
                + "== != < <= > >=, && || !, + - * /, parentheses and field.in(...)");
    }

    @Test
    void fiveThousandNestedParenthesesAreRefusedQuicklyWithoutReachingTheParser() {
        String deep = "(".repeat(5_000) + "spreadBps > 1" + ")".repeat(5_000);
        GateCondition.Result r = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(1),
                () -> GateCondition.check(deep));
        assertThat(r.problem()).contains("a condition may have at most 1000");
        // within the length limit, the nesting limit answers: 32 levels pass, 33 do not
        String at32 = "(".repeat(32) + "spreadBps > 1" + ")".repeat(32);
        String at33 = "(".repeat(33) + "spreadBps > 1" + ")".repeat(33);
        assertThat(GateCondition.check(at32).constraint()).isEqualTo("(spreadBps > 1)");
        assertThat(GateCondition.check(at33).problem()).isEqualTo("nests parentheses more than 32 deep: split it "
                + "into several gates");
        // an unclosed run is refused at its 33rd parenthesis
        assertThat(GateCondition.check("(".repeat(900)).problem()).startsWith("nests parentheses");
    }

    @Test
    void deepOperatorChainsAreRefusedWithoutAStackOverflow() {
        String nots = "!".repeat(980) + "highVolatility";
        assertThat(GateCondition.check(nots).problem()).isEqualTo("is nested more than 100 operators deep: split "
                + "it into several gates");
        String minus = "-".repeat(980) + "atr > 1"; // "--" parses as decrements: refused as such
        assertThat(GateCondition.check(minus).problem()).isNotNull();
        // 100 operators is the limit: 99 negations of one comparison pass
        assertThat(GateCondition.check("!".repeat(99) + "highVolatility").accepted()).isTrue();
    }

    @Test
    void aConditionOfMoreThan1000CharactersIsRefused() {
        String at1000 = "spreadBps > 1" + " ".repeat(1_000 - 13);
        assertThat(GateCondition.check(at1000).accepted()).isTrue();
        assertThat(GateCondition.check(at1000 + " ").problem()).isEqualTo("is 1001 characters long; a condition "
                + "may have at most 1000: split it into several gates");
        String longChain = "spreadBps > 1 && ".repeat(80) + "atr > 1";
        assertThat(GateCondition.check(longChain).problem()).contains("a condition may have at most 1000");
    }

    @Test
    void membershipTakesAtMostFiftyValues() {
        String fifty = "openTrades.in(" + "1, ".repeat(49) + "1)";
        String fiftyOne = "openTrades.in(" + "1, ".repeat(50) + "1)";
        assertThat(GateCondition.check(fifty).accepted()).isTrue();
        assertThat(GateCondition.check(fiftyOne).problem()).isEqualTo("openTrades.in(...) takes 1 to 50 values, "
                + "had 51");
    }

    /** Guard: every field and constant a gate may read is named in the policy reference's gates section. */
    @Test
    void everyAllowedNameIsDocumentedInThePolicyReference() throws IOException {
        String doc = Files.readString(Path.of("docs/policy-reference.md"));
        String section = doc.substring(doc.indexOf("### `gates`"), doc.indexOf("## The hard cap"));
        for (String field : GateCondition.FIELDS.keySet()) {
            assertThat(section).as(field).contains("`" + field + "`");
        }
        GateCondition.CONSTANTS.forEach((type, names) -> names.forEach(n ->
                assertThat(section).as(type + "." + n).contains(type + "." + n)));
    }

    /**
     * Guard: the conditions the docs show as accepted are, with the constraints the policy reference prints for
     * them (its table of `when` and constraint).
     */
    @Test
    void theDocumentedExamplesAreAcceptedAsDocumented() throws IOException {
        String guide = Files.readString(Path.of("docs/risk-officer-guide.md"));
        String accepted = guide.substring(guide.indexOf("Some examples that are accepted:"));
        accepted = accepted.substring(accepted.indexOf("```yaml") + 7, accepted.indexOf("```", accepted.indexOf(
                "```yaml") + 7));
        List<String> conditions = accepted.lines().map(String::strip).filter(l -> l.startsWith("when: "))
                .map(l -> l.substring("when: ".length())).toList();
        assertThat(conditions).hasSize(5);
        conditions.forEach(c -> assertThat(GateCondition.check(c).problem()).as(c).isNull());

        String reference = Files.readString(Path.of("docs/policy-reference.md"));
        String table = reference.substring(reference.indexOf("| `when` | constraint |"));
        table = table.substring(0, table.indexOf("\n\n"));
        List<String> rows = table.lines().skip(2).toList();
        assertThat(rows).hasSize(5);
        for (String row : rows) {
            // | `when` | `constraint` |, with \| for | inside a cell
            String[] cells = row.replace("\\|", "\u0000").split("\\|");
            String when = cells[1].strip().replaceAll("^`|`$", "").replace('\u0000', '|');
            String drl = cells[2].strip().replaceAll("^`|`$", "").replace('\u0000', '|');
            assertThat(GateCondition.check(when).constraint()).as(when).isEqualTo(drl);
        }
    }
}
