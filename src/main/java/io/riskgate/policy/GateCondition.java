package io.riskgate.policy;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.DoubleLiteralExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.NullLiteralExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The condition of a YAML gate ({@code gates[i].when}), checked against an allow-list and turned into the DRL
 * constraint of the gate's rule. The condition's text never reaches the DRL: it is parsed into a syntax tree with
 * JavaParser's expression parser, every node is checked, and the constraint is printed from the tree by this class,
 * which only prints the constructs below. A deny-list of words could not do this: the constraint is MVEL, and MVEL
 * runs any method, constructor or static field it is given ({@code java.lang.Runtime.getRuntime().exec(...)} ran at
 * validation), however it is spelt.
 *
 * <p>The grammar a condition may use, and nothing else:
 * <pre>
 * condition  := or
 * or         := and ( "||" and )*
 * and        := not ( "&amp;&amp;" not )*
 * not        := "!" not | "(" or ")" | comparison | membership | yes/no field
 * comparison := value ( "==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=" ) value
 * membership := field ".in(" literal ( "," literal )* ")"        e.g. symbol.in("BTCUSDT", "ETHUSDT")
 * value      := value ( "+" | "-" | "*" | "/" ) value | "-" value | "(" value ")"
 *             | field | number | "text" | true | false | null | Side.LONG | Consensus.STRONG | ...
 * </pre>
 * {@link #FIELDS} lists the fields and their types. Types are checked: {@code <}, {@code >} and arithmetic
 * take numbers; {@code ==} and {@code !=} take two values of one type ({@code null} only against text, e.g.
 * {@code strategy != null}); {@code &&}, {@code ||} and {@code !} take conditions. A condition must read
 * at least one field.
 *
 * <p><b>Membership.</b> DRL's {@code symbol in ("A", "B")} and MVEL's {@code (x in list)} are not Java, so they
 * would need a rewrite of the text before parsing, which is where injections hide. {@code field.in(a, b, ...)} is a
 * Java method-call expression whose shape is checked in the tree: the receiver is a field, the name is {@code in},
 * every argument a literal (or constant) of the field's type. It is printed as {@code (field == a || field == b)},
 * so the engine never sees a call. It is the only call-shaped expression accepted.
 *
 * <p>Before parsing, the raw text is refused when it is longer than {@value #MAX_LENGTH} characters, nests brackets
 * deeper than {@value #MAX_NESTING}, holds a unicode escape (&#92;u0041, which Java would decode before
 * parsing) or any of {@code [ ] { } ' ; ` @ $ # \} or a comment outside double-quoted text; that keeps the parser
 * away from inputs that could exhaust its stack and gives clear messages for MVEL-only syntax. Example:
 * {@code strategy == "news_driven" && spreadBps > maxSpreadBps * 0.5} becomes
 * {@code ((strategy == "news_driven") && (spreadBps > (maxSpreadBps * 0.5)))}.
 */
public final class GateCondition {

    /** Longest condition accepted, in characters. */
    public static final int MAX_LENGTH = 1000;
    /** Deepest nesting of parentheses accepted. */
    public static final int MAX_NESTING = 32;
    /** Deepest syntax tree accepted (operators inside operators); long {@code &&} chains count too. */
    public static final int MAX_DEPTH = 100;
    /** Most values in one {@code field.in(...)}. */
    public static final int MAX_LIST = 50;
    /** Longest text literal, in characters. */
    public static final int MAX_TEXT = 200;

    /** What a field or literal holds; two sides of {@code ==} must agree. */
    public enum Type {
        NUMBER("a number"), TEXT("text"), YES_NO("yes/no"), SIDE("a side"), CONSENSUS("a consensus"),
        NULL("null");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * The order's facts a gate may read, by the name a condition uses, in the order the policy reference lists them.
     * Each is a getter of {@code io.riskgate.facts.OrderFacts} ({@code spreadBps} is {@code getSpreadBps()}); a test
     * holds the two together. Left out on purpose: what has no literal to compare with ({@code timestamp},
     * {@code tradingState}: use {@code accountActive}), {@code long}/{@code short} (Java keywords: use
     * {@code side == Side.LONG}), lists and free text built by riskgate, and everything that is not a fact.
     */
    public static final Map<String, Type> FIELDS = fields(
            // the order
            "account", Type.TEXT, "symbol", Type.TEXT, "asset", Type.TEXT, "side", Type.SIDE,
            "strategy", Type.TEXT, "strategyKnown", Type.YES_NO,
            // the signal
            "consensus", Type.CONSENSUS, "confidence", Type.NUMBER, "strength", Type.NUMBER,
            // the market
            "price", Type.NUMBER, "entry", Type.NUMBER, "entryDeviation", Type.NUMBER, "atr", Type.NUMBER,
            "atrRatio", Type.NUMBER, "ema200", Type.NUMBER, "volume24h", Type.NUMBER, "spreadBps", Type.NUMBER,
            "highVolatility", Type.YES_NO,
            // the account
            "openTrades", Type.NUMBER, "openPositions", Type.NUMBER, "reservedTrades", Type.NUMBER,
            "accountActive", Type.YES_NO,
            // the policy's thresholds
            "minConfidence", Type.NUMBER, "highVolatilityMinConfidence", Type.NUMBER, "maxAtrRatio", Type.NUMBER,
            "highVolatilityAtrRatio", Type.NUMBER, "minVolume24h", Type.NUMBER, "maxSpreadBps", Type.NUMBER,
            "maxEntryDeviationPct", Type.NUMBER, "maxConcurrentTrades", Type.NUMBER,
            "maxCorrelationLimit", Type.NUMBER, "maxPortfolioHeatPct", Type.NUMBER, "maxVarPct", Type.NUMBER);

    /** The enum constants a condition may name, by class: {@code Side.LONG}, {@code Consensus.STRONG}, ... */
    public static final Map<String, List<String>> CONSTANTS = Map.of(
            "Side", Arrays.stream(Side.values()).map(Enum::name).toList(),
            "Consensus", Arrays.stream(Consensus.values()).map(Enum::name).toList());

    private static final String ALLOWED = "a gate compares the order's fields (symbol, strategy, side, spreadBps, "
            + "confidence, ...) with numbers, \"text\", true/false, null and Side.LONG, Consensus.STRONG, ... using "
            + "== != < <= > >=, && || !, + - * /, parentheses and field.in(...)";
    private static final Pattern NUMBER = Pattern.compile("(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern PARSE_TOKEN =
            Pattern.compile("Encountered unexpected token: (\"(?:[^\"\\\\]|\\\\.)*\")");
    private static final Pattern PARSE_COLUMN = Pattern.compile("column (\\d+)");
    private static final Pattern WORD = Pattern.compile("(?<![.\\w])(in|with|def|function|matches|contains|"
            + "memberOf|soundslike|excludes|str|not|and|or|long|short)(?!\\w)");

    private GateCondition() {
    }

    /**
     * A condition checked: the DRL constraint printed from its tree, or why it is refused.
     *
     * @param constraint the constraint to put in {@code OrderFacts( ... )}; null when refused
     * @param problem what is not allowed and what is; null when accepted
     */
    public record Result(String constraint, String problem) {

        public boolean accepted() {
            return problem == null;
        }
    }

    /** Checks {@code when} and prints its DRL constraint; never throws on any input. */
    public static Result check(String when) {
        try {
            scan(when);
            Expression tree = parse(when);
            Printer printer = new Printer();
            Term t = printer.term(tree, 0);
            String constraint = printer.condition(t, tree);
            if (!printer.readsAField) {
                throw new Refused("reads none of the order's fields, so it would refuse every order or none: "
                        + ALLOWED);
            }
            return new Result(constraint, null);
        } catch (Refused r) {
            return new Result(null, r.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            // the scan keeps the parser's recursion shallow; this is the belt behind it
            return new Result(null, "cannot be read (" + e.getClass().getSimpleName() + "): " + ALLOWED);
        }
    }

    /** The DRL constraint of an accepted condition; throws IllegalArgumentException with the reason otherwise. */
    public static String toDrl(String when) {
        Result r = check(when);
        if (!r.accepted()) {
            throw new IllegalArgumentException("gate condition refused: " + r.problem());
        }
        return r.constraint();
    }

    // ---- before parsing: what the text may hold at all ----

    private static void scan(String when) {
        if (when.length() > MAX_LENGTH) {
            throw new Refused("is " + when.length() + " characters long; a condition may have at most " + MAX_LENGTH
                    + ": split it into several gates");
        }
        if (when.contains("\\u")) {
            throw new Refused("unicode escapes (\\u0041) are not allowed: write the character itself");
        }
        if (when.matches("(?s).*[\u201C\u201D\u201E\u2018\u2019].*")) {
            throw new Refused("holds typographic quotes (“ ” ‘ ’), e.g. pasted from a document: retype them as "
                    + "plain double quotes \"");
        }
        if (when.contains("\"\"\"")) {
            throw new Refused("text blocks (\"\"\") are not allowed: write text in double quotes on one line");
        }
        int depth = 0;
        boolean inText = false;
        for (int i = 0; i < when.length(); i++) {
            char c = when.charAt(i);
            if (inText) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inText = false;
                } else if (Character.isISOControl(c)) {
                    throw new Refused("text in double quotes may not hold a line break or control character");
                }
                continue;
            }
            switch (c) {
                case '"' -> inText = true;
                case '(' -> {
                    if (++depth > MAX_NESTING) {
                        throw new Refused("nests parentheses more than " + MAX_NESTING + " deep: split it into "
                                + "several gates");
                    }
                }
                case ')' -> {
                    if (--depth < 0) {
                        throw new Refused("has a ')' without its '('");
                    }
                }
                case '[', ']' -> throw new Refused("'" + c + "' is not allowed: inline lists and arrays ([1, 2]), "
                        + "indexes and MVEL projections are not part of a gate; test membership with "
                        + "symbol.in(\"BTCUSDT\", \"ETHUSDT\")");
                case '{', '}' -> throw new Refused("'" + c + "' is not allowed: inline maps ({\"a\": 1}) and blocks "
                        + "are not part of a gate, which is one condition");
                case '\'' -> throw new Refused("single quotes are not allowed: write text in double quotes, "
                        + "e.g. strategy == \"news_driven\"");
                case ';' -> throw new Refused("';' is not allowed: a gate is one condition, not statements");
                case '/' -> {
                    if (i + 1 < when.length() && (when.charAt(i + 1) == '/' || when.charAt(i + 1) == '*')) {
                        throw new Refused("comments are not allowed in a condition: put them on a YAML comment "
                                + "line of their own");
                    }
                }
                case '`', '@', '$', '#', '\\', '?', ':', '~', '%', '^', '|', '&' -> {
                    if ((c == '|' || c == '&') && i + 1 < when.length() && when.charAt(i + 1) == c) {
                        i++; // || and &&
                    } else if (c == '?' || c == ':') {
                        throw new Refused("'" + c + "' is not allowed: the ternary ?:, labels and method references "
                                + "(::) are not part of a gate; combine conditions with && and ||");
                    } else {
                        throw new Refused("'" + c + "' is not allowed outside double-quoted text: " + ALLOWED);
                    }
                }
                default -> {
                    if (c > 126 || (c < 32 && c != '\t' && c != '\n' && c != '\r')) {
                        throw new Refused(String.format(Locale.ROOT, "the character U+%04X is not allowed outside "
                                + "double-quoted text: field names and operators are plain ASCII", (int) c));
                    }
                }
            }
        }
        if (inText) {
            throw new Refused("has text without its closing double quote");
        }
        if (depth != 0) {
            throw new Refused("has a '(' without its ')'");
        }
    }

    private static Expression parse(String when) {
        // an own parser and configuration: StaticJavaParser's configuration is JVM-wide and Drools sets it too
        ParserConfiguration config = new ParserConfiguration()
                .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17)
                .setPreprocessUnicodeEscapes(false)
                .setAttributeComments(false)
                .setStoreTokens(false);
        ParseResult<Expression> r = new JavaParser(config).parseExpression(when);
        if (r.isSuccessful() && r.getResult().isPresent()) {
            return r.getResult().get();
        }
        String detail = r.getProblems().isEmpty() ? "" : r.getProblem(0).getMessage();
        Matcher token = PARSE_TOKEN.matcher(detail);
        Matcher column = PARSE_COLUMN.matcher(detail);
        String where = (token.find() ? " at " + token.group(1) : "") + (column.find() ? " (column " + column.group(1)
                + ")" : "");
        String hint = hint(when);
        throw new Refused("is not a condition riskgate can read" + where + ": " + (hint != null ? hint : ALLOWED));
    }

    /** Why a text that does not parse probably does not (MVEL and DRL habits, said plainly), or null. */
    private static String hint(String when) {
        Matcher m = WORD.matcher(when.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\""));
        if (!m.find()) {
            return null;
        }
        return switch (m.group(1)) {
            case "in", "not" -> "DRL's 'in'/'not in' lists and MVEL projections (x in list) are not allowed; test "
                    + "membership with symbol.in(\"BTCUSDT\", \"ETHUSDT\") or !symbol.in(...)";
            case "with", "def", "function" -> "MVEL-only syntax ('" + m.group(1) + "') is not allowed: " + ALLOWED;
            case "and", "or" -> "write && and || instead of 'and' and 'or'";
            case "long", "short" -> "'long' and 'short' are Java words: write side == Side.LONG or "
                    + "side == Side.SHORT";
            default -> "the DRL operator '" + m.group(1) + "' is not allowed: compare with == and != and test "
                    + "membership with field.in(...)";
        };
    }

    // ---- the tree: every node kind checked, the constraint printed from it ----

    /** A checked sub-expression: its type, its DRL, and whether it is a bare yes/no field or a literal. */
    private record Term(Type type, String drl, boolean bareField, boolean literal) {
    }

    private static final class Printer {

        boolean readsAField;

        /** The term as a condition: a bare yes/no field becomes {@code (field == true)}; literals are refused. */
        String condition(Term t, Expression at) {
            if (t.type() != Type.YES_NO) {
                throw new Refused("'" + shown(at) + "' is " + t.type() + ", not a condition: compare it, e.g. "
                        + "spreadBps > 30 or strategy == \"news_driven\"");
            }
            if (t.literal()) {
                throw new Refused("true and false alone are not conditions: compare a yes/no field with them, e.g. "
                        + "highVolatility == false");
            }
            return t.bareField() ? "(" + t.drl() + " == true)" : t.drl();
        }

        Term term(Expression e, int depth) {
            if (depth > MAX_DEPTH) {
                throw new Refused("is nested more than " + MAX_DEPTH + " operators deep: split it into several gates");
            }
            if (e instanceof EnclosedExpr en) {
                return term(en.getInner(), depth + 1);
            }
            if (e instanceof BinaryExpr b) {
                return binary(b, depth);
            }
            if (e instanceof UnaryExpr u) {
                return unary(u, depth);
            }
            if (e instanceof NameExpr n) {
                return name(n.getNameAsString());
            }
            if (e instanceof FieldAccessExpr f) {
                return constant(f);
            }
            if (e instanceof MethodCallExpr m) {
                return membership(m);
            }
            if (e instanceof IntegerLiteralExpr || e instanceof DoubleLiteralExpr) {
                return new Term(Type.NUMBER, number(e.toString()), false, true);
            }
            if (e instanceof StringLiteralExpr s) {
                return new Term(Type.TEXT, text(s), false, true);
            }
            if (e instanceof BooleanLiteralExpr b) {
                return new Term(Type.YES_NO, Boolean.toString(b.getValue()), false, true);
            }
            if (e instanceof NullLiteralExpr) {
                return new Term(Type.NULL, "null", false, true);
            }
            throw new Refused(refusal(e));
        }

        private Term binary(BinaryExpr b, int depth) {
            BinaryExpr.Operator op = b.getOperator();
            switch (op) {
                case AND, OR -> {
                    String l = condition(term(b.getLeft(), depth + 1), b.getLeft());
                    String r = condition(term(b.getRight(), depth + 1), b.getRight());
                    return new Term(Type.YES_NO, "(" + l + " " + op.asString() + " " + r + ")", false, false);
                }
                case EQUALS, NOT_EQUALS -> {
                    Term l = term(b.getLeft(), depth + 1);
                    Term r = term(b.getRight(), depth + 1);
                    boolean nullable = l.type() == Type.NULL && r.type() == Type.TEXT
                            || r.type() == Type.NULL && l.type() == Type.TEXT;
                    if (l.type() != r.type() && !nullable || l.type() == Type.NULL && r.type() == Type.NULL) {
                        throw new Refused("'" + shown(b) + "' compares " + l.type() + " with " + r.type()
                                + ": both sides of " + op.asString() + " must be of one kind (null only with text, "
                                + "e.g. strategy != null)");
                    }
                    // Drools reads "a == (b == c)" as "a == b == c": a yes/no side must be a field or true/false
                    for (Term t : List.of(l, r)) {
                        if (t.type() == Type.YES_NO && !t.bareField() && !t.literal()) {
                            throw new Refused("'" + shown(b) + "' compares a condition with " + op.asString()
                                    + ": compare yes/no fields with true or false only, and combine conditions with "
                                    + "&&, || and ! (e.g. highVolatility && symbol == \"ETHUSDT\")");
                        }
                    }
                    return new Term(Type.YES_NO, "(" + l.drl() + " " + op.asString() + " " + r.drl() + ")", false,
                            false);
                }
                case LESS, LESS_EQUALS, GREATER, GREATER_EQUALS -> {
                    Term l = numeric(b.getLeft(), op, depth);
                    Term r = numeric(b.getRight(), op, depth);
                    return new Term(Type.YES_NO, "(" + l.drl() + " " + op.asString() + " " + r.drl() + ")", false,
                            false);
                }
                case PLUS, MINUS, MULTIPLY, DIVIDE -> {
                    Term l = numeric(b.getLeft(), op, depth);
                    Term r = numeric(b.getRight(), op, depth);
                    if (op == BinaryExpr.Operator.DIVIDE && r.literal() && new BigDecimal(r.drl()).signum() == 0) {
                        throw new Refused("'" + shown(b) + "' divides by 0");
                    }
                    return new Term(Type.NUMBER, "(" + l.drl() + " " + op.asString() + " " + r.drl() + ")", false,
                            false);
                }
                default -> throw new Refused("the operator " + op.asString() + " is not allowed: " + ALLOWED);
            }
        }

        private Term numeric(Expression e, BinaryExpr.Operator op, int depth) {
            Term t = term(e, depth + 1);
            if (t.type() != Type.NUMBER) {
                throw new Refused("'" + shown(e) + "' is " + t.type() + ", but " + op.asString() + " takes numbers"
                        + (t.type() == Type.TEXT && op == BinaryExpr.Operator.PLUS
                                ? " (text cannot be joined)" : "")
                        + (t.type() == Type.TEXT ? ": compare text with == or !=" : ""));
            }
            return t;
        }

        private Term unary(UnaryExpr u, int depth) {
            switch (u.getOperator()) {
                case LOGICAL_COMPLEMENT -> {
                    return new Term(Type.YES_NO, "!(" + condition(term(u.getExpression(), depth + 1),
                            u.getExpression()) + ")", false, false);
                }
                case MINUS -> {
                    Term t = numeric(u.getExpression(), BinaryExpr.Operator.MINUS, depth);
                    if (t.literal()) {
                        String v = t.drl().startsWith("-") ? t.drl().substring(1) : "-" + t.drl();
                        return new Term(Type.NUMBER, v, false, true);
                    }
                    return new Term(Type.NUMBER, "(0 - " + t.drl() + ")", false, false);
                }
                case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT ->
                        throw new Refused("'" + shown(u) + "' changes a value (++, --): not allowed, " + ALLOWED);
                default -> throw new Refused("the unary operator " + u.getOperator().asString() + " is not allowed: "
                        + ALLOWED);
            }
        }

        private Term name(String name) {
            Type t = FIELDS.get(name);
            if (t != null) {
                readsAField = true;
                return new Term(t, name, t == Type.YES_NO, false);
            }
            for (Map.Entry<String, List<String>> c : CONSTANTS.entrySet()) {
                if (c.getKey().equals(name) || c.getValue().contains(name)) {
                    String example = c.getKey() + "." + c.getValue().get(0);
                    throw new Refused("'" + name + "' is not a value: name a constant with its class, e.g. "
                            + example);
                }
            }
            throw new Refused("'" + name + "' is not a field a gate may read" + didYouMean(name) + "; the fields are "
                    + String.join(", ", FIELDS.keySet()));
        }

        private Term constant(FieldAccessExpr f) {
            if (f.getScope() instanceof NameExpr scope) {
                List<String> names = CONSTANTS.get(scope.getNameAsString());
                if (names != null && names.contains(f.getNameAsString())) {
                    Type t = scope.getNameAsString().equals("Side") ? Type.SIDE : Type.CONSENSUS;
                    return new Term(t, scope.getNameAsString() + "." + f.getNameAsString(), false, true);
                }
                if (names != null) {
                    throw new Refused("'" + shown(f) + "' is not a constant: " + scope.getNameAsString() + " has "
                            + String.join(", ", names));
                }
            }
            throw new Refused("'" + shown(f) + "' is not allowed: qualified names, static fields and field access "
                    + "are not part of a gate; the only dotted names are the constants Side.LONG, Side.SHORT, "
                    + "Consensus.UNANIMOUS, Consensus.STRONG, Consensus.WEAK, Consensus.SPLIT");
        }

        /** {@code field.in(a, b)}: printed as {@code (field == a || field == b)}; every other call is refused. */
        private Term membership(MethodCallExpr m) {
            boolean shape = m.getNameAsString().equals("in") && m.getTypeArguments().isEmpty()
                    && m.getScope().filter(s -> s instanceof NameExpr).isPresent();
            if (!shape) {
                String name = m.getNameAsString();
                String field = name.matches("(get|is)[A-Z]\\w*") && m.getArguments().isEmpty()
                        ? Character.toLowerCase(name.charAt(name.startsWith("is") ? 2 : 3))
                        + name.substring(name.startsWith("is") ? 3 : 4) : null;
                String hint = field != null && FIELDS.containsKey(field) ? " (write " + field + ", not " + name
                        + "())" : name.equals("isLong") || name.equals("isShort")
                        ? " (write side == Side." + name.substring(2).toUpperCase(Locale.ROOT) + ")" : "";
                throw new Refused("method calls are not allowed" + hint + ": " + ALLOWED);
            }
            String fieldName = ((NameExpr) m.getScope().get()).getNameAsString();
            Term field = name(fieldName);
            int n = m.getArguments().size();
            if (n == 0 || n > MAX_LIST) {
                throw new Refused(fieldName + ".in(...) takes 1 to " + MAX_LIST + " values, had " + n);
            }
            List<String> alternatives = new ArrayList<>();
            for (Expression a : m.getArguments()) {
                Term v = term(a, 1);
                if (!v.literal() || v.type() != field.type()) {
                    throw new Refused(fieldName + ".in(...) takes values of its kind (" + field.type() + "): '"
                            + shown(a) + "' is " + (v.literal() ? v.type() : "not a literal value"));
                }
                alternatives.add(fieldName + " == " + v.drl());
            }
            return new Term(Type.YES_NO, "(" + String.join(" || ", alternatives) + ")", false, false);
        }

    }

    /** A number literal in plain decimal: 30, 0.5, 1e9 (printed 1000000000.0); hex, octal, suffixes refused. */
    private static String number(String source) {
        if (!NUMBER.matcher(source).matches()) {
            throw new Refused("'" + source + "' is not allowed: write numbers in decimal, e.g. 30, 0.5 or 1e9 "
                    + "(no hex, underscores or L/d/f suffixes)");
        }
        boolean integral = !source.contains(".") && !source.contains("e") && !source.contains("E");
        BigDecimal v = new BigDecimal(source);
        if (v.abs().compareTo(BigDecimal.TEN.pow(15)) >= 0) {
            throw new Refused("'" + source + "' is too large: numbers in a gate are below 1e15");
        }
        if (integral && v.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0) {
            return v.toBigInteger().toString();
        }
        String plain = v.toPlainString();
        if (plain.length() > 40) {
            throw new Refused("'" + source + "' has too many digits (at most 40)");
        }
        return plain.contains(".") ? plain : plain + ".0";
    }

    /**
     * A text literal re-escaped for DRL. The only escapes read are \" and \\ (no octal, \n, \t, ...), so a value
     * can never spell a unicode escape; control and format characters are refused; \ and " are escaped again.
     */
    private static String text(StringLiteralExpr s) {
        String raw = s.getValue();
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) == '\\') {
                char next = i + 1 < raw.length() ? raw.charAt(i + 1) : ' ';
                if (next != '"' && next != '\\') {
                    throw new Refused("text may use only the escapes \\\" and \\\\, had \\" + next);
                }
                i++;
            }
        }
        String value = s.asString();
        if (value.length() > MAX_TEXT) {
            throw new Refused("text of " + value.length() + " characters is too long (at most " + MAX_TEXT + ")");
        }
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                throw new Refused(String.format(Locale.ROOT, "text may not hold the control character U+%04X",
                        (int) c));
            }
            if (c == '\\' || c == '"') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    /** Why a node kind outside the grammar is refused, in an officer's words. */
    private static String refusal(Expression e) {
        String what;
        if (e.isObjectCreationExpr()) {
            what = "creating objects (new ...) is not allowed";
        } else if (e.isCastExpr()) {
            what = "casts are not allowed";
        } else if (e.isAssignExpr()) {
            what = "assignments (=, +=, ...) are not allowed (compare with ==)";
        } else if (e.isLambdaExpr() || e.isMethodReferenceExpr()) {
            what = "lambdas and method references are not allowed";
        } else if (e.isInstanceOfExpr()) {
            what = "instanceof is not allowed";
        } else if (e.isConditionalExpr()) {
            what = "the ternary ?: is not allowed";
        } else if (e.isArrayAccessExpr() || e.isArrayCreationExpr() || e.isArrayInitializerExpr()) {
            what = "arrays are not allowed";
        } else if (e.isClassExpr() || e.isTypeExpr()) {
            what = "class literals and types are not allowed";
        } else if (e.isThisExpr() || e.isSuperExpr()) {
            what = "this and super are not allowed";
        } else if (e.isCharLiteralExpr()) {
            what = "character literals are not allowed (write text in double quotes)";
        } else if (e.isTextBlockLiteralExpr()) {
            what = "text blocks are not allowed";
        } else if (e.isLongLiteralExpr()) {
            what = "'" + e + "' is not allowed (write numbers without the L suffix)";
        } else {
            what = "'" + shown(e) + "' (" + e.getClass().getSimpleName().replace("Expr", "") + ") is not allowed";
        }
        return what + ": " + ALLOWED;
    }

    /** A node as the officer wrote it, cut short. */
    private static String shown(Expression e) {
        String s = e.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    private static String didYouMean(String name) {
        String best = null;
        int bestDistance = 3;
        for (String f : FIELDS.keySet()) {
            int d = f.equalsIgnoreCase(name) ? 0 : distance(f.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = f;
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean " + best + "?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1,
                        prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static Map<String, Type> fields(Object... nameAndType) {
        Map<String, Type> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndType.length; i += 2) {
            m.put((String) nameAndType[i], (Type) nameAndType[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** A refusal, with the officer's message; no stack trace, it is not a bug. */
    private static final class Refused extends RuntimeException {

        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
