package io.riskgate.api;

import io.riskgate.order.Echo;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The {@code /error} page, in place of Spring Boot's: every error that a filter, the servlet container or
 * {@code sendError} raises outside Spring MVC's exception handling ends here and is answered as problem+json, with
 * the same fields as {@link ApiErrors}' answers and no exception text.
 */
@Controller
class ErrorEndpoint implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        // asked for directly, /error is just a path that has no endpoint
        int status = code instanceof Integer c && c >= 400 ? c : 404;
        String path = uri instanceof String s ? s : request.getRequestURI();
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        ProblemJson.write(response, status, ProblemJson.title(status), detail(status, request.getMethod(), path),
                status == 400 ? null : path, Map.of());
    }

    /**
     * What an error with only a status to go by says. A 400 raised by the container itself (a malformed request
     * line, header or %-escape) quotes nothing of the request.
     */
    static String detail(int status, String method, String path) {
        return switch (status) {
            case 400 -> "The request could not be read: its request line, a header or a %-escape in its path is "
                    + "malformed. Nothing was processed.";
            case 404 -> path == null ? "There is no such endpoint." : noEndpoint(method, path);
            case 405 -> (method == null ? "This method" : Echo.of(method)) + " is not allowed"
                    + (path == null ? "." : " on " + Echo.of(path) + ".");
            case 413 -> "The request body is too large.";
            case 414 -> "The request line is too long.";
            case 431 -> "The request headers are too large.";
            case 500 -> "riskgate failed to answer this request; the failure is logged.";
            case 503 -> "riskgate cannot take requests now; retry later.";
            default -> ProblemJson.title(status) + ".";
        };
    }

    static String noEndpoint(String method, String path) {
        return "No endpoint answers " + (method == null || method.isEmpty() ? "" : Echo.of(method) + " ")
                + Echo.of(path) + ". The API is under /api/v1; GET /v3/api-docs describes it.";
    }
}
