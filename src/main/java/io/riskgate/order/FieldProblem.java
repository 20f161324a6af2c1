package io.riskgate.order;

/**
 * One bad field of a request: its JSON path and what is wrong with it. Both are cut to a bounded length (a field
 * name is the client's own key, and a message quotes the client's value): an answer never grows with the request.
 */
public record FieldProblem(String field, String message) {

    /** The longest message kept: the rule (at most a line) and the value quoted at most {@link Echo#MAX} long. */
    public static final int MAX_MESSAGE = 2 * Echo.MAX + 100;

    public FieldProblem {
        field = Echo.cut(field, Echo.MAX);
        message = Echo.cut(message, MAX_MESSAGE);
    }
}
