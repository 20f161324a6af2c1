package io.riskgate.order;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Reads fields of a JSON object, collecting a {@link FieldProblem} for each bad one instead of stopping at the
 * first, and rejecting unknown fields (a misspelt {@code stoploss} must not be silently ignored before a trade).
 */
public final class JsonFields {

    private final List<FieldProblem> problems;
    private final String prefix;
    private final JsonNode node;

    public JsonFields(JsonNode node, String prefix, List<FieldProblem> problems) {
        this.node = node;
        this.prefix = prefix;
        this.problems = problems;
    }

    public static JsonFields root(JsonNode node, List<FieldProblem> problems) {
        if (node == null || !node.isObject()) {
            problems.add(new FieldProblem("$", "request body must be a JSON object"));
        } else {
            namesAreText(node, "", problems);
        }
        return new JsonFields(node, "", problems);
    }

    /**
     * Every field name in the body is Unicode text (a value is checked where it is read, {@link #optionalText}): a
     * name is kept with the request in the audit (a model's vote, an unknown field's problem) as a value is.
     */
    private static void namesAreText(JsonNode node, String path, List<FieldProblem> problems) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                int broken = unpairedSurrogate(e.getKey());
                if (broken >= 0) {
                    // named with the half pair escaped: the name itself cannot be written back as UTF-8
                    String name = e.getKey().substring(0, broken) + String.format(Locale.ROOT, "\\u%04X",
                            (int) e.getKey().charAt(broken)) + "...";
                    problems.add(new FieldProblem((path.isEmpty() ? "" : path + ".") + name, String.format(
                            Locale.ROOT, "is a field name that is not Unicode text (an unpaired surrogate, U+%04X)",
                            (int) e.getKey().charAt(broken))));
                } else {
                    String at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                    namesAreText(e.getValue(), at, problems);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                namesAreText(node.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    public boolean present() {
        return node != null && node.isObject();
    }

    public String path(String field) {
        return prefix.isEmpty() ? field : prefix + "." + field;
    }

    public void problem(String field, String message) {
        problems.add(new FieldProblem(path(field), message));
    }

    private JsonNode get(String field) {
        if (!present()) {
            return null;
        }
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    public boolean has(String field) {
        return get(field) != null;
    }

    /** A required number within {@code range} (see {@link Bounds}). */
    public double number(String field, Bounds.Range range) {
        OptionalDouble v = optionalNumber(field, range);
        requirePresent(field);
        return v.orElse(Double.NaN);
    }

    /** An optional number within {@code range} (see {@link Bounds}). */
    public OptionalDouble optionalNumber(String field, Bounds.Range range) {
        JsonNode v = numberNode(field);
        if (v == null) {
            return OptionalDouble.empty();
        }
        double d = v.asDouble();
        String violation = range.violation(d);
        if (violation != null) {
            problem(field, violation + ", was " + Echo.of(v.asText()));
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(d);
    }

    /**
     * A required finite number with a lower bound only (inclusive unless {@code strict}): for counts and settings
     * that check their own upper bound. Prices, quantities and amounts take a {@link Bounds.Range}.
     */
    public double number(String field, double min, boolean strict) {
        OptionalDouble v = optionalNumber(field, min, strict);
        requirePresent(field);
        return v.orElse(Double.NaN);
    }

    public OptionalDouble optionalNumber(String field, double min, boolean strict) {
        JsonNode v = numberNode(field);
        if (v == null) {
            return OptionalDouble.empty();
        }
        double d = v.asDouble();
        if (!Double.isFinite(d)) {
            problem(field, "must be a finite number, was " + Echo.of(v.asText()));
            return OptionalDouble.empty();
        }
        if (strict ? d <= min : d < min) {
            problem(field, "must be " + (strict ? "> " : ">= ") + Bounds.Range.plain(min) + ", was "
                    + Echo.of(v.asText()));
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(d);
    }

    /** The field's node when it is a number; null (with a problem when it is something else) otherwise. */
    private JsonNode numberNode(String field) {
        JsonNode v = get(field);
        if (v != null && !v.isNumber()) {
            problem(field, "must be a number, was " + Echo.of(v));
            return null;
        }
        return v;
    }

    private void requirePresent(String field) {
        if (get(field) == null && present()) {
            problem(field, "is required");
        }
    }

    public Optional<String> optionalText(String field, String pattern) {
        JsonNode v = get(field);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            problem(field, "must be a non-empty string, was " + Echo.of(v));
            return Optional.empty();
        }
        String s = v.asText().trim();
        int broken = unpairedSurrogate(s);
        if (broken >= 0) {
            // not Unicode text: UTF-8 cannot hold it, so the audit's hash, an export's line and any reader would see
            // something else than was sent
            problem(field, String.format(Locale.ROOT, "must be Unicode text, but holds an unpaired surrogate (U+%04X) "
                    + "at character %d", (int) s.charAt(broken), broken + 1));
            return Optional.empty();
        }
        if (pattern != null && !s.matches(pattern)) {
            problem(field, "must match " + pattern + ", was '" + Echo.of(s) + "'");
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /**
     * Where {@code s} holds a surrogate that is not half of a pair, or -1 (JSON's {@code \\uD800} escapes can send
     * one).
     */
    static int unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    public String text(String field, String pattern) {
        Optional<String> v = optionalText(field, pattern);
        if (get(field) == null && present()) {
            problem(field, "is required");
        }
        return v.orElse(null);
    }

    public <E extends Enum<E>> E enumValue(String field, Class<E> type) {
        Optional<String> v = optionalText(field, null);
        if (get(field) == null && present()) {
            problem(field, "is required, one of " + names(type));
            return null;
        }
        if (v.isEmpty()) {
            return null;
        }
        try {
            return Enum.valueOf(type, v.get().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problem(field, "must be one of " + names(type) + ", was '" + Echo.of(v.get()) + "'");
            return null;
        }
    }

    public Optional<Instant> optionalInstant(String field) {
        Optional<String> v = optionalText(field, null);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        Instant at;
        try {
            at = Instant.parse(v.get());
        } catch (DateTimeParseException e) {
            try {
                at = java.time.OffsetDateTime.parse(v.get()).toInstant();
            } catch (DateTimeParseException e2) {
                problem(field, "must be an ISO-8601 instant such as 2026-11-21T10:00:00Z, was '" + Echo.of(v.get())
                        + "'");
                return Optional.empty();
            }
        }
        if (at.isBefore(Bounds.EARLIEST) || at.isAfter(Bounds.LATEST)) {
            problem(field, "must be between " + Bounds.EARLIEST + " and " + Bounds.LATEST + ", was " + Echo.of(v.get()));
            return Optional.empty();
        }
        return Optional.of(at);
    }

    public JsonFields object(String field, boolean required) {
        JsonNode v = get(field);
        if (v == null) {
            if (required && present()) {
                problem(field, "is required");
            }
            return new JsonFields(null, path(field), problems);
        }
        if (!v.isObject()) {
            problem(field, "must be an object, was " + Echo.of(v));
            return new JsonFields(null, path(field), problems);
        }
        return new JsonFields(v, path(field), problems);
    }

    public JsonNode raw(String field) {
        return get(field);
    }

    /** Reports fields not in {@code known}. */
    public void rejectUnknown(Set<String> known) {
        if (!present()) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f) && unpairedSurrogate(f) < 0) { // such a name is refused already (root)
                problem(f, "unknown field (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    private static <E extends Enum<E>> String names(Class<E> type) {
        List<String> n = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            n.add(e.name());
        }
        return String.join("|", n);
    }
}
