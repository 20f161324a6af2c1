package io.riskgate.policy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A mapping in a policy file, read key by key. Every read that fails records a problem (with the key path and
 * the line SnakeYAML gives) and returns a neutral value so reading goes on: one pass reports every problem.
 * {@link #finish()} reports the keys nobody asked for, so a misspelt key is an error, never silently ignored.
 */
final class YamlSection {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(s|m|h|d)");

    private final String file;
    private final String path;
    private final Node node;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> read = new LinkedHashSet<>();
    private final List<PolicyProblem> problems;
    /** Line of every key path in the file, shared by all sections of it: cross-key problems point at a line too. */
    private final Map<String, Integer> lines;
    /** Key paths that already have a problem: checks across keys stay quiet about them. */
    private final Set<String> bad;

    YamlSection(String file, String path, Node node, List<PolicyProblem> problems) {
        this(file, path, node, problems, new java.util.HashMap<>(), new java.util.HashSet<>());
    }

    private YamlSection(String file, String path, Node node, List<PolicyProblem> problems,
                        Map<String, Integer> lines, Set<String> bad) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.problems = problems;
        this.lines = lines;
        this.bad = bad;
        if (node instanceof MappingNode mapping) {
            for (NodeTuple t : mapping.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode s)) {
                    // never printed: a key built of aliases can expand to gigabytes as text
                    problem(t.getKeyNode(), key("?"), "a key must be plain text, not a "
                            + t.getKeyNode().getNodeId().name().toLowerCase(java.util.Locale.ROOT));
                    continue;
                }
                String key = s.getValue();
                lines.putIfAbsent(key(key), t.getKeyNode().getStartMark().getLine() + 1);
                if (entries.putIfAbsent(key, t) != null) {
                    problem(t.getKeyNode(), key(key), "duplicate key");
                }
            }
        } else if (node != null) {
            problem(node, path, "must be a mapping of key: value");
        }
    }

    String path() {
        return path;
    }

    Set<String> keys() {
        return entries.keySet();
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    private String key(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Records a problem at a node, or, when {@code at} is null, at the line where {@code keyPath} is written. */
    void problem(Node at, String keyPath, String message) {
        int line = at != null ? at.getStartMark().getLine() + 1 : lines.getOrDefault(keyPath, 0);
        bad.add(keyPath);
        problems.add(new PolicyProblem(file, keyPath, line, message));
    }

    private Node value(String key, boolean required) {
        read.add(key);
        NodeTuple t = entries.get(key);
        if (t == null) {
            if (required) {
                problem(node, key(key), "is required");
            }
            return null;
        }
        return t.getValueNode();
    }

    private Optional<String> scalar(String key, boolean required) {
        Node v = value(key, required);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof ScalarNode s && !s.getValue().isBlank()) {
            return Optional.of(s.getValue().trim());
        }
        problem(v, key(key), "must be a single value");
        return Optional.empty();
    }

    String text(String key) {
        return scalar(key, true).orElse("");
    }

    String text(String key, String fallback) {
        return scalar(key, false).orElse(fallback);
    }

    /** A number in [min, max]; 0.5% is written 0.005, as in seed 001. */
    double number(String key, double min, double max) {
        return number(key, min, max, true).orElse(min);
    }

    /** A number above 0 and at most {@code max}: a multiple, a fraction or a count of R that cannot be zero. */
    double positive(String key, double max) {
        double v = number(key, 0, max);
        if (v == 0 && has(key) && valid(key(key))) {
            problem(entries.get(key).getValueNode(), key(key), "must be above 0, was " + scalar(key, true).orElse(""));
        }
        return v;
    }

    /** Marks a key as handled (already reported) so {@link #finish()} does not report it again as unknown. */
    void ignore(String key) {
        read.add(key);
    }

    OptionalDouble optionalNumber(String key, double min, double max) {
        return number(key, min, max, false);
    }

    private OptionalDouble number(String key, double min, double max, boolean required) {
        Optional<String> raw = scalar(key, required);
        if (raw.isEmpty()) {
            return OptionalDouble.empty();
        }
        Node at = entries.get(key).getValueNode();
        double v;
        try {
            v = Double.parseDouble(raw.get().replace("_", ""));
        } catch (NumberFormatException e) {
            problem(at, key(key), "must be a number, was '" + raw.get() + "'");
            return OptionalDouble.empty();
        }
        if (!Double.isFinite(v) || v < min || v > max) {
            problem(at, key(key), (max == Double.MAX_VALUE ? "must be at least " + fmt(min)
                    : "must be between " + fmt(min) + " and " + fmt(max)) + ", was " + raw.get());
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(v);
    }

    int integer(String key, int min, int max) {
        Optional<String> raw = scalar(key, true);
        if (raw.isEmpty()) {
            return min;
        }
        Node at = entries.get(key).getValueNode();
        try {
            int v = Integer.parseInt(raw.get().replace("_", ""));
            if (v < min || v > max) {
                problem(at, key(key), "must be a whole number between " + min + " and " + max + ", was " + v);
                return min;
            }
            return v;
        } catch (NumberFormatException e) {
            problem(at, key(key), "must be a whole number, was '" + raw.get() + "'");
            return min;
        }
    }

    boolean bool(String key) {
        Optional<String> raw = scalar(key, true);
        if (raw.isEmpty()) {
            return false;
        }
        String v = raw.get().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        problem(entries.get(key).getValueNode(), key(key), "must be true or false, was '" + raw.get() + "'");
        return false;
    }

    /** A duration above zero and at most {@code max}: 30s, 5m, 4h, 1d, or ISO-8601 such as PT5M. */
    Duration duration(String key, Duration max) {
        Optional<String> raw = scalar(key, true);
        if (raw.isEmpty()) {
            return Duration.ZERO;
        }
        String v = raw.get();
        Matcher m = SHORT_DURATION.matcher(v.toLowerCase(Locale.ROOT));
        try {
            Duration d;
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } else {
                d = Duration.parse(v);
            }
            if (d.isNegative() || d.isZero()) {
                problem(entries.get(key).getValueNode(), key(key), "must be longer than zero, was " + v);
            } else if (d.compareTo(max) > 0) {
                problem(entries.get(key).getValueNode(), key(key), "must be at most " + max + ", was " + v);
            }
            return d;
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            problem(entries.get(key).getValueNode(), key(key),
                    "must be a duration such as 30s, 5m, 4h, 1d or PT5M, was '" + v + "'");
            return Duration.ZERO;
        }
    }

    List<String> textList(String key) {
        Node v = value(key, true);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof SequenceNode seq)) {
            problem(v, key(key), "must be a list, e.g. [A, B]");
            return out;
        }
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            lines.putIfAbsent(key(key) + "[" + i + "]", item.getStartMark().getLine() + 1);
            if (item instanceof ScalarNode s && !s.getValue().isBlank()) {
                out.add(s.getValue().trim());
            } else {
                problem(item, key(key) + "[" + i + "]", "must be a single value");
            }
        }
        return out;
    }

    /** A list of mappings (may be absent): each item a section with path {@code key[i]}. */
    List<YamlSection> optionalList(String key) {
        Node v = value(key, false);
        List<YamlSection> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof SequenceNode seq)) {
            problem(v, key(key), "must be a list of entries (- code: ...)");
            return out;
        }
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            lines.putIfAbsent(key(key) + "[" + i + "]", item.getStartMark().getLine() + 1);
            out.add(new YamlSection(file, key(key) + "[" + i + "]", item, problems, lines, bad));
        }
        return out;
    }

    /** The line where {@code key} of this section is written (0 when absent). */
    int lineOf(String key) {
        return lines.getOrDefault(key(key), lines.getOrDefault(path, 0));
    }

    YamlSection section(String key) {
        return new YamlSection(file, key(key), value(key, true), problems, lines, bad);
    }

    Optional<YamlSection> optionalSection(String key) {
        Node v = value(key, false);
        return v == null ? Optional.empty() : Optional.of(new YamlSection(file, key(key), v, problems, lines, bad));
    }

    /** True when none of these key paths has a problem yet: a check across them would only repeat it. */
    boolean valid(String... keyPaths) {
        for (String k : keyPaths) {
            if (bad.contains(k)) {
                return false;
            }
        }
        return true;
    }

    /** Reports every key present but never read: unknown keys are errors. */
    void finish() {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (!read.contains(e.getKey())) {
                problem(e.getValue().getKeyNode(), key(e.getKey()), "unknown key (known here: "
                        + String.join(", ", read) + ")");
            }
        }
    }

    static String fmt(double v) {
        if (v == Double.MAX_VALUE) {
            return "any";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
