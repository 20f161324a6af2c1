package io.riskgate.policy;

import java.util.List;
import java.util.stream.Collectors;

/** A policy (or a rule file it uses) was refused; carries every problem found, not just the first. */
public class PolicyException extends RuntimeException {

    private final List<PolicyProblem> problems;

    public PolicyException(List<PolicyProblem> problems) {
        super(problems.size() + " problem(s):\n" + problems.stream()
                .map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<PolicyProblem> problems() {
        return problems;
    }
}
