package io.riskgate.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskgate.order.Echo;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The parts of riskgate's RFC 9457 answers that every writer shares: {@link ApiErrors} inside Spring MVC, and the
 * writers outside it (the {@code /error} page, Tomcat's error valve, the request size filter), which write the same
 * fields themselves: {@code type}, {@code title}, {@code status}, {@code detail} and, where known, {@code instance}.
 */
final class ProblemJson {

    static final String TYPE_BASE = "https://riskgate.io/problems/";
    static final String CONTENT_TYPE = MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    /** The longest detail an answer carries: a sentence, with a client's value quoted at most {@link Echo#MAX}. */
    static final int MAX_DETAIL = 2 * Echo.MAX + 200;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemJson() {
    }

    static URI type(int status) {
        return URI.create(TYPE_BASE + status);
    }

    /** The status's reason phrase as a title ("Not found"), or "Error" for a code HTTP does not name. */
    static String title(int status) {
        HttpStatus s = HttpStatus.resolve(status);
        if (s == null) {
            return "Error";
        }
        // sentence case, acronyms kept: "Not found", "HTTP version not supported"
        String[] words = s.getReasonPhrase().split(" ");
        for (int i = 1; i < words.length; i++) {
            if (!words[i].equals(words[i].toUpperCase(Locale.ROOT))) {
                words[i] = words[i].toLowerCase(Locale.ROOT);
            }
        }
        return String.join(" ", words);
    }

    /**
     * The request path as {@code instance}: the raw (still %-encoded) path, so always a valid URI reference; a path
     * longer than {@link Echo#MAX} is cut there (before an escape it would split).
     */
    static URI instance(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return null;
        }
        String p = rawPath.length() <= Echo.MAX ? rawPath : rawPath.substring(0, Echo.MAX);
        int escape = p.lastIndexOf('%');
        if (escape >= 0 && escape > p.length() - 3) {
            p = p.substring(0, escape);
        }
        try {
            return URI.create(p);
        } catch (IllegalArgumentException notAUri) {
            return null;
        }
    }

    /** The fields of a problem, in their usual order; {@code extra} ones (errors, maxBytes) after them. */
    static Map<String, Object> body(int status, String title, String detail, String rawPath,
                                    Map<String, Object> extra) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", type(status).toString());
        p.put("title", title);
        p.put("status", status);
        p.put("detail", Echo.cut(detail, MAX_DETAIL));
        URI instance = instance(rawPath);
        if (instance != null) {
            p.put("instance", instance.toString());
        }
        p.putAll(extra);
        return p;
    }

    /**
     * Writes a problem as the whole response: status, {@code Content-Type: application/problem+json}, the body. The
     * caller has checked that the response is not committed.
     */
    static void write(HttpServletResponse response, int status, String title, String detail, String rawPath,
                      Map<String, Object> extra) throws IOException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body(status, title, detail, rawPath, extra));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem of plain strings and numbers is always JSON", e);
        }
        response.setStatus(status);
        response.setContentType(CONTENT_TYPE);
        response.setContentLength(bytes.length);
        try {
            response.getOutputStream().write(bytes);
        } catch (IllegalStateException writerInUse) {
            // something called getWriter() before the error: write the same bytes as UTF-8 text
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write(new String(bytes, StandardCharsets.UTF_8));
        }
        response.flushBuffer();
    }
}
