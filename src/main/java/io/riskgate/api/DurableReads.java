package io.riskgate.api;

import io.riskgate.database.GroupCommit;
import io.riskgate.runtime.RiskgateRuntime;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * A read is answered only once what it read is durable. On an H2 file a batch is readable by other connections from
 * its commit, one journal sync before it is durable: a decision, an emergency instruction or a breaker read in that
 * moment could be gone after a crash, and an operator may already have acted on it. So every {@code GET} under
 * {@code /api/v1/} waits, after its handler has read and before its body is written, for everything committed so far
 * to be durable ({@link GroupCommit#awaitDurable}: an empty unit through the writer, answered after every earlier
 * batch's sync; no wait where commits are durable by themselves, on PostgreSQL and in memory). The event stream
 * is left out: its publisher sends only what is durable. When the writer is stopped or broken the read is answered
 * 503, not with what may not survive.
 */
@ControllerAdvice
final class DurableReads implements ResponseBodyAdvice<Object> {

    private final GroupCommit commits;

    DurableReads(RiskgateRuntime runtime) {
        this.commits = runtime.commits();
    }

    /**
     * Waits for everything committed so far to be durable; when the writer is stopped or has lost durability
     * (riskgate halts, or must be restarted), what was read may not survive and is not given out: 503, the cause
     * logged and not sent.
     */
    static void awaitDurable(GroupCommit commits) {
        try {
            commits.awaitDurable();
        } catch (IllegalStateException e) {
            org.slf4j.LoggerFactory.getLogger(DurableReads.class).warn("a read was refused: {}", e.getMessage());
            throw new org.springframework.web.server.ResponseStatusException(
                    org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE,
                    "what was read cannot be made durable now: riskgate is stopping or must be restarted");
        }
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
                                  Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
                                  ServerHttpResponse response) {
        if (request.getMethod() != HttpMethod.GET || body instanceof org.springframework.http.ProblemDetail) {
            return body; // a write's answer is durable already; an error's body shows nothing stored
        }
        String path = request instanceof org.springframework.http.server.ServletServerHttpRequest servlet
                // decoded, as the handler was matched: an encoded "/api/%761/" must not skip the wait
                ? org.springframework.web.util.UrlPathHelper.defaultInstance.getPathWithinApplication(
                        servlet.getServletRequest())
                : request.getURI().getPath();
        if (path.startsWith("/api/v1/") && !path.equals("/api/v1/events")) {
            awaitDurable(commits);
        }
        return body;
    }
}
