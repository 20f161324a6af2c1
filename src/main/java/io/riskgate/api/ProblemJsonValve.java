package io.riskgate.api;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Tomcat's error report, as problem+json instead of an HTML page: the answer to a request Tomcat refuses before
 * any servlet sees it (an illegal character in the request line or a header, an invalid %-escape in the path, a
 * header section over the limit). Errors inside the application are routed to {@link ErrorEndpoint} first; this
 * valve only writes what nothing else wrote.
 */
class ProblemJsonValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        try {
            response.resetBuffer();
            ProblemJson.write(response, status, ProblemJson.title(status), ErrorEndpoint.detail(status, null, null),
                    null, Map.of());
        } catch (IOException | IllegalStateException clientGone) {
            // nothing more can be told to this client
        }
    }

    /**
     * Puts the valve on Tomcat's host in place of every {@link ErrorReportValve}, Spring Boot's included (added by
     * a customizer that runs before this one: this one is ordered last).
     */
    static final class Installer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                // after an error the connection closes instead of reading the unused rest of the body
                context.getPipeline().addValve(new DropUnreadBodyValve());
                Container host = context.getParent();
                for (Valve v : host.getPipeline().getValves()) {
                    if (v instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(v);
                    }
                }
                host.getPipeline().addValve(new ProblemJsonValve());
                if (host instanceof StandardHost h) {
                    // the host adds a valve of this class at start unless one is there: ours is
                    h.setErrorReportValveClass(ProblemJsonValve.class.getName());
                }
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
