package io.riskgate.api;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * After an error answer (401, 403, 413, any 4xx or 5xx), the connection is closed instead of Tomcat reading the
 * rest of a body nobody will use. Without it, a client that declares a long body and sends it a byte every few
 * seconds holds a worker thread after its 401 for as long as it likes, and 200 such clients, with no credential,
 * stop the service (found by an attacker's review).
 */
final class DropUnreadBodyValve extends ValveBase {

    DropUnreadBodyValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        if (response.getStatus() >= 400 && hasBody && !request.isAsyncStarted()) {
            // the client must know the connection ends, or it would reuse it: say so while the answer is open;
            // an answer already sent without saying so keeps its connection (and Tomcat reads the rest as usual)
            if (!response.isCommitted()) {
                response.setHeader("Connection", "close");
            }
            if ("close".equalsIgnoreCase(response.getHeader("Connection"))) {
                // the answer completed first (a chunked one with its last chunk), then the rest is not read
                response.finishResponse();
                request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
            }
        }
    }
}
