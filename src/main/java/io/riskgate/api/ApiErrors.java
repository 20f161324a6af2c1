package io.riskgate.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.riskgate.errors.ConflictException;
import io.riskgate.errors.NotFoundException;
import io.riskgate.order.Echo;
import io.riskgate.order.FieldProblem;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.policy.PolicyException;
import jakarta.servlet.http.HttpServletRequest;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Maps every failure inside Spring MVC to RFC 9457 problem+json. A bad request lists every bad field under
 * {@code errors} ({@code field}, {@code message}); a refused policy lists every problem (file, path, line, message)
 * under {@code problems}. Spring's own failures (unknown path, wrong method, media types, unreadable JSON, a bad
 * query parameter) get the same shape through {@link ResponseEntityExceptionHandler}, with riskgate's own wording:
 * an answer names no Java class or method, quotes a client's value at most {@link Echo#MAX} characters long, and
 * never repeats the parser's internal messages.
 */
@RestControllerAdvice
class ApiErrors extends ResponseEntityExceptionHandler {

    /** A fully-qualified Java name (java.lang.String, com.fasterxml...JsonNode): shown by its simple name. */
    private static final Pattern QUALIFIED = Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.){2,}([A-Z][A-Za-z0-9_$]*)");

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<Object> invalid(InvalidRequestException e, WebRequest request) {
        return answer(badRequest("The request has " + e.problems().size() + " invalid field(s)", e.problems()),
                new HttpHeaders(), request);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Object> illegal(IllegalArgumentException e, WebRequest request) {
        return answer(badRequest("Invalid request", List.of(new FieldProblem("$", clean(e.getMessage())))),
                new HttpHeaders(), request);
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<Object> notFound(NotFoundException e, WebRequest request) {
        // "no decision ID": the id is the client's path segment, up to the 8 KB header limit long
        return answer(problem(HttpStatus.NOT_FOUND, Echo.cut(e.getMessage(), Echo.MAX + 100)), new HttpHeaders(),
                request);
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<Object> conflict(ConflictException e, WebRequest request) {
        return answer(problem(HttpStatus.CONFLICT, "Conflict with the current state", e.getMessage()),
                new HttpHeaders(), request);
    }

    @ExceptionHandler(PolicyException.class)
    ResponseEntity<Object> policy(PolicyException e, WebRequest request) {
        ProblemDetail p = problem(HttpStatus.UNPROCESSABLE_ENTITY, "Policy refused",
                e.problems().size() + " problem(s); the running policy set stays active");
        p.setProperty("problems", e.problems());
        return answer(p, new HttpHeaders(), request);
    }

    /** A body that grew past its endpoint's limit while a handler read it (no Content-Length, or a wrong one). */
    @ExceptionHandler(RequestSizeLimits.BodyTooLargeException.class)
    ResponseEntity<Object> tooLarge(RequestSizeLimits.BodyTooLargeException e, WebRequest request) {
        return answer(tooLargeProblem(e), new HttpHeaders(), request);
    }

    // ---- Spring MVC's own failures, reworded

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        Optional<RequestSizeLimits.BodyTooLargeException> tooLarge = cause(ex,
                RequestSizeLimits.BodyTooLargeException.class);
        if (tooLarge.isPresent()) {
            return answer(tooLargeProblem(tooLarge.get()), headers, request);
        }
        if (ex.getCause() == null || isEndOfInputAtStart(ex.getCause())) {
            // Spring's own text names the controller method: say what is missing instead
            return answer(badRequest("The request body is missing", List.of(new FieldProblem("$",
                    "the request needs a JSON object as its body"))), headers, request);
        }
        return answer(badRequest("The request body is not valid JSON", List.of(unreadable(ex.getCause()))), headers,
                request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
                                                        HttpStatusCode status, WebRequest request) {
        String name = ex instanceof MethodArgumentTypeMismatchException m ? m.getName() : ex.getPropertyName();
        Class<?> type = ex instanceof MethodArgumentTypeMismatchException m
                ? m.getParameter().nestedIfOptional().getNestedParameterType() : ex.getRequiredType();
        return answer(badRequest("Invalid request", List.of(new FieldProblem(name == null ? "$" : name,
                "must be " + expected(type) + ", was '" + Echo.of(ex.getValue()) + "'"))), headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
                                                                          HttpHeaders headers,
                                                                          HttpStatusCode status,
                                                                          WebRequest request) {
        return answer(badRequest("Invalid request", List.of(new FieldProblem(ex.getParameterName(),
                "is required"))), headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
                                                                    HttpStatusCode status, WebRequest request) {
        return answer(noEndpoint(request), headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleNoHandlerFoundException(NoHandlerFoundException ex, HttpHeaders headers,
                                                                   HttpStatusCode status, WebRequest request) {
        return answer(noEndpoint(request), headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException ex,
                                                                         HttpHeaders headers,
                                                                         HttpStatusCode status,
                                                                         WebRequest request) {
        String allowed = ex.getSupportedMethods() == null ? "none"
                : String.join(", ", ex.getSupportedMethods());
        return answer(problem(HttpStatus.METHOD_NOT_ALLOWED, Echo.of(ex.getMethod())
                + " is not allowed on " + Echo.of(path(request)) + " (allowed: " + allowed + ")"), headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
                                                                     HttpHeaders headers, HttpStatusCode status,
                                                                     WebRequest request) {
        String detail = ex.getContentType() == null
                ? "The request has no Content-Type: send the body as application/json"
                : "Content-Type '" + Echo.of(ex.getContentType()) + "' is not supported: send application/json";
        return answer(problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, detail), headers,
                request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(HttpMediaTypeNotAcceptableException ex,
                                                                      HttpHeaders headers, HttpStatusCode status,
                                                                      WebRequest request) {
        String offered = ex.getSupportedMediaTypes().isEmpty() ? "application/json"
                : ex.getSupportedMediaTypes().stream().map(MediaType::toString).collect(Collectors.joining(", "));
        String asked = request.getHeader(HttpHeaders.ACCEPT);
        return answer(problem(HttpStatus.NOT_ACCEPTABLE, "This answer is available as "
                + Echo.of(offered) + ", not as the Accept header asks" + (asked == null ? "" : " ('"
                + Echo.of(asked) + "')")), headers, request);
    }

    /**
     * Every other failure {@link ResponseEntityExceptionHandler} knows (a missing header, a bad path variable,
     * an async timeout, ...): its status and reason phrase, and Spring's detail with Java names cut down.
     */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
                                                          WebRequest request) {
        ProblemDetail p = body instanceof ProblemDetail d ? d : ProblemDetail.forStatus(status);
        p.setTitle(ProblemJson.title(status.value()));
        p.setDetail(clean(p.getDetail() == null ? ProblemJson.title(status.value()) : p.getDetail()));
        p.setInstance(null);
        return answer(p, headers, request);
    }

    // ---- building the answers

    private static ResponseEntity<Object> answer(ProblemDetail p, HttpHeaders headers, WebRequest request) {
        p.setType(ProblemJson.type(p.getStatus()));
        p.setDetail(Echo.cut(p.getDetail(), ProblemJson.MAX_DETAIL));
        if (p.getInstance() == null && request instanceof NativeWebRequest n
                && n.getNativeRequest() instanceof HttpServletRequest r) {
            p.setInstance(ProblemJson.instance(r.getRequestURI()));
        }
        // set here, not negotiated: an Accept header that excludes it (a 406) still gets problem+json
        return ResponseEntity.status(p.getStatus()).headers(headers).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(p);
    }

    private static ProblemDetail badRequest(String title, List<FieldProblem> errors) {
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, title, errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid; see errors");
        p.setProperty("errors", errors);
        return p;
    }

    private static ProblemDetail problem(HttpStatus status, String detail) {
        return problem(status, ProblemJson.title(status.value()), detail);
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setTitle(title);
        return p;
    }

    private static ProblemDetail noEndpoint(WebRequest request) {
        String method = request instanceof NativeWebRequest n && n.getNativeRequest() instanceof HttpServletRequest r
                ? r.getMethod() : "";
        return problem(HttpStatus.NOT_FOUND, ErrorEndpoint.noEndpoint(method, path(request)));
    }

    private static ProblemDetail tooLargeProblem(RequestSizeLimits.BodyTooLargeException e) {
        ProblemDetail p = problem(HttpStatus.PAYLOAD_TOO_LARGE, RequestSizeLimits.TITLE, e.getMessage());
        p.setProperty("maxBytes", e.limit());
        return p;
    }

    private static String path(WebRequest request) {
        return request instanceof NativeWebRequest n && n.getNativeRequest() instanceof HttpServletRequest r
                ? r.getRequestURI() : "";
    }

    /** What a query parameter or header of {@code type} must look like, in words. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "a valid value";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 instant such as 2026-11-21T10:00:00Z";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining("|"));
        }
        return "a valid value";
    }

    // ---- unreadable JSON, told without the parser's internals

    private static boolean isEndOfInputAtStart(Throwable cause) {
        return cause instanceof JsonMappingException m && m.getOriginalMessage() != null
                && m.getOriginalMessage().startsWith("No content to map due to end-of-input");
    }

    /**
     * The field and what is wrong, from Jackson's exception: the JSON path it stopped at, where (line and column),
     * and riskgate's own words for the common cases. Jackson's message itself is only used cut to its first
     * clause, without its "[Source: ...]" location or any Java name.
     */
    private static FieldProblem unreadable(Throwable cause) {
        if (!(cause instanceof JsonProcessingException j)) {
            return new FieldProblem("$", "could not be read");
        }
        String field = field(j);
        String original = j.getOriginalMessage() == null ? "" : j.getOriginalMessage();
        String what;
        if (j instanceof StreamConstraintsException) {
            what = "holds a number, string or nesting too large for a request";
        } else if (original.startsWith("Duplicate field '")) {
            String key = original.substring("Duplicate field '".length(), Math.max("Duplicate field '".length(),
                    original.lastIndexOf('\'')));
            field = field.equals("$") ? key : field.endsWith("." + key) || field.equals(key) ? field
                    : field + "." + key;
            what = "appears twice: a key may appear once in an object";
        } else if (j instanceof JsonEOFException) {
            what = "ends too early: the JSON is incomplete";
        } else if (j instanceof JsonMappingException) {
            what = "has the wrong type";
        } else {
            what = "is malformed JSON: " + firstClause(original);
        }
        JsonLocation at = j.getLocation();
        if (at != null && at.getLineNr() > 0) {
            what += " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        }
        return new FieldProblem(field, what);
    }

    /** The JSON path where the parser stopped, as riskgate names fields ("market.price", "bars[3].open"). */
    private static String field(JsonProcessingException j) {
        if (j instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    b.append(b.isEmpty() ? "" : ".").append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    b.append('[').append(r.getIndex()).append(']');
                }
            }
            return b.isEmpty() ? "$" : b.toString();
        }
        if (j.getProcessor() instanceof JsonParser p) {
            JsonStreamContext context = p.getParsingContext();
            if (context != null) {
                return path(context.pathAsPointer());
            }
        }
        return "$";
    }

    private static String path(JsonPointer pointer) {
        StringBuilder b = new StringBuilder();
        for (JsonPointer p = pointer; p != null && !p.matches(); p = p.tail()) {
            if (p.getMatchingIndex() >= 0 && p.getMatchingProperty().chars().allMatch(Character::isDigit)) {
                b.append('[').append(p.getMatchingIndex()).append(']');
            } else {
                b.append(b.isEmpty() ? "" : ".").append(p.getMatchingProperty());
            }
        }
        return b.isEmpty() ? "$" : b.toString();
    }

    /**
     * Jackson's message up to its location: "Unexpected character ('}' (code 125)): expected a value", without
     * " (for Object starting at [Source: ...])" or a `StreamReadFeature` name.
     */
    private static String firstClause(String message) {
        String m = message.lines().findFirst().orElse("");
        for (String cut : List.of(" (start marker at", " (for ", " at [Source", "[Source:")) {
            int i = m.indexOf(cut);
            if (i >= 0) {
                m = m.substring(0, i);
            }
        }
        return Echo.cut(clean(m.replaceAll("`[^`]*`", "").strip()), Echo.MAX);
    }

    /** A framework's or a domain check's message with every Java name shortened to its simple name. */
    private static String clean(String message) {
        if (message == null) {
            return "";
        }
        return Echo.cut(QUALIFIED.matcher(message).replaceAll("$1"), ProblemJson.MAX_DETAIL);
    }

    private static <T extends Throwable> Optional<T> cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }
}
