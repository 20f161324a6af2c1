package io.riskgate.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** problem+json answers written by the security filters (401, 403, 429), shaped like the API's own. */
final class Problems {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    static void write(HttpServletResponse response, int status, String title, String detail, String instance)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "https://riskgate.io/problems/" + status);
        p.put("title", title);
        p.put("status", status);
        p.put("detail", detail);
        if (instance != null) {
            p.put("instance", instance);
        }
        response.setStatus(status);
        // the connection ends with a refusal: a body the client may still be sending is not read (see
        // DropUnreadBodyValve), and the client must not reuse the connection
        response.setHeader("Connection", "close");
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        JSON.writeValue(response.getOutputStream(), p);
    }
}
