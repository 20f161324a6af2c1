package io.riskgate.api;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.riskgate.errors.ConflictException;
import io.riskgate.errors.NotFoundException;
import io.riskgate.order.FieldProblem;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.policy.PolicyException;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Maps failures to RFC 9457 problem+json. A bad request lists every bad field under {@code errors}; a refused
 * policy lists every problem (file, path, line, message) under {@code problems}.
 */
@RestControllerAdvice
class ApiErrors {

    @ExceptionHandler(InvalidRequestException.class)
    ProblemDetail invalid(InvalidRequestException e) {
        return badRequest("The request has " + e.problems().size() + " invalid field(s)", e.problems());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        String field = "$";
        if (e.getCause() instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            field = m.getPathReference().replaceAll(".*\\[\"?", "").replaceAll("\"?]$", "");
        }
        String detail = e.getCause() instanceof InvalidFormatException f ? "cannot read value " + f.getValue()
                : e.getMostSpecificCause().getMessage();
        return badRequest("The request body is not valid JSON", List.of(new FieldProblem(field,
                detail == null ? "malformed JSON" : detail.lines().findFirst().orElse(detail))));
    }

    @ExceptionHandler({IllegalArgumentException.class, MethodArgumentTypeMismatchException.class,
            MissingServletRequestParameterException.class})
    ProblemDetail illegal(Exception e) {
        return badRequest("Invalid request", List.of(new FieldProblem("$", e.getMessage())));
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException e) {
        return problem(HttpStatus.CONFLICT, "Conflict with the current state", e.getMessage());
    }

    @ExceptionHandler(PolicyException.class)
    ProblemDetail policy(PolicyException e) {
        ProblemDetail p = problem(HttpStatus.UNPROCESSABLE_ENTITY, "Policy refused",
                e.problems().size() + " problem(s); the running policy set stays active");
        p.setProperty("problems", e.problems());
        return p;
    }

    private static ProblemDetail badRequest(String title, List<FieldProblem> errors) {
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, title, errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid; see errors");
        p.setProperty("errors", errors);
        return p;
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setTitle(title);
        p.setType(URI.create("https://riskgate.io/problems/" + status.value()));
        return p;
    }
}
