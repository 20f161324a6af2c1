package io.riskgate.order;

import java.util.List;
import java.util.stream.Collectors;

/** A malformed request; carries every bad field. Nothing has been reserved or stored when it is thrown. */
public class InvalidRequestException extends RuntimeException {

    private final List<FieldProblem> problems;

    /** At most this many problems are listed; the rest are counted (a 2 MB bar batch once listed 480,000). */
    public static final int MAX_LISTED = 100;

    public InvalidRequestException(List<FieldProblem> problems) {
        this(capped(problems), true);
    }

    private InvalidRequestException(List<FieldProblem> problems, boolean capped) {
        super(problems.stream().map(p -> p.field() + ": " + p.message()).collect(Collectors.joining("; ")));
        this.problems = problems;
    }

    private static List<FieldProblem> capped(List<FieldProblem> problems) {
        if (problems.size() <= MAX_LISTED) {
            return List.copyOf(problems);
        }
        List<FieldProblem> out = new java.util.ArrayList<>(problems.subList(0, MAX_LISTED));
        out.add(new FieldProblem("$", "and " + (problems.size() - MAX_LISTED) + " more problems not listed: fix "
                + "these first"));
        return List.copyOf(out);
    }

    public static InvalidRequestException of(String field, String message) {
        return new InvalidRequestException(List.of(new FieldProblem(field, message)));
    }

    public List<FieldProblem> problems() {
        return problems;
    }
}
