package io.riskgate.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request body larger than its endpoint needs, with 413 problem+json naming the limit, before anything
 * parses it. A body that declares its length is refused unread; one that does not (chunked) is read through a
 * stream that fails one byte past the limit, so no request makes riskgate hold more than its limit.
 *
 * <p>The limits, one table ({@link Limits}, settable as {@code riskgate.request-size.*}):
 * <table>
 *   <tr><th>request</th><th>limit</th><th>default</th></tr>
 *   <tr><td>POST /api/v1/checks</td><td>checks</td><td>16 KB: a check is about 600 bytes</td></tr>
 *   <tr><td>POST /api/v1/market/bars</td><td>bars</td><td>4 MB: 10,000 bars (the batch maximum) of about
 *       150 bytes</td></tr>
 *   <tr><td>POST /api/v1/policies/what-if</td><td>what-if</td><td>2 MB: a policy's YAML sent inline</td></tr>
 *   <tr><td>POST /api/v1/policies/validate</td><td>what-if</td><td>the same: a candidate sent inline</td></tr>
 *   <tr><td>POST /api/v1/replays</td><td>replays</td><td>32 MB: 200,000 bars (the job maximum) of about 150
 *       bytes, and their signals</td></tr>
 *   <tr><td>every other request (fills, closes, marks, equity, breaker, acknowledgements, policy assignment and
 *       reload, ...)</td><td>other</td><td>8 KB: a few fields and a 500-character reason</td></tr>
 * </table>
 */
class RequestSizeLimits extends OncePerRequestFilter {

    static final String TITLE = "Request body too large";

    /** The limits, in bytes; {@code riskgate.request-size.checks=32KB} and so on. */
    @ConfigurationProperties("riskgate.request-size")
    record Limits(@DefaultValue("16KB") DataSize checks, @DefaultValue("4MB") DataSize bars,
                  @DefaultValue("2MB") DataSize whatIf, @DefaultValue("8KB") DataSize other,
                  @DefaultValue("32MB") DataSize replays) {

        Limits {
            for (DataSize d : List.of(checks, bars, whatIf, other, replays)) {
                if (d.toBytes() < 1) {
                    throw new IllegalArgumentException("riskgate.request-size limits must be at least 1 byte, was "
                            + d);
                }
            }
        }
    }

    /** One row: requests with this method and exactly this path may send at most {@code bytes}. */
    record Route(String method, String path, long bytes) {
    }

    private final List<Route> routes;
    private final long other;

    RequestSizeLimits(Limits limits) {
        this.routes = List.of(
                new Route("POST", "/api/v1/checks", limits.checks().toBytes()),
                new Route("POST", "/api/v1/market/bars", limits.bars().toBytes()),
                new Route("POST", "/api/v1/policies/what-if", limits.whatIf().toBytes()),
                new Route("POST", "/api/v1/policies/validate", limits.whatIf().toBytes()),
                new Route("POST", "/api/v1/replays", limits.replays().toBytes()));
        this.other = limits.other().toBytes();
    }

    /** The row a request falls under; every request not in the table falls under "other". */
    private Route limitOf(String method, String path) {
        for (Route r : routes) {
            if (r.method().equals(method) && r.path().equals(path)) {
                return r;
            }
        }
        return new Route(method, null, other);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // the servlet path is Tomcat's decoded and normalised path: /api/v1/./checks is /api/v1/checks here
        String path = request.getServletPath() + Objects.toString(request.getPathInfo(), "");
        Route limit = limitOf(request.getMethod(), path);
        if (request.getContentLengthLong() > limit.bytes()) {
            refuse(request, response, new BodyTooLargeException(limit));
            return;
        }
        try {
            chain.doFilter(new LimitedRequest(request, limit), response);
        } catch (BodyTooLargeException e) {
            // read by something outside Spring MVC's exception handling
            if (response.isCommitted()) {
                throw e;
            }
            response.reset();
            refuse(request, response, e);
        }
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, BodyTooLargeException e)
            throws IOException {
        ProblemJson.write(response, 413, TITLE, e.getMessage(), request.getRequestURI(),
                Map.of("maxBytes", e.limit()));
    }

    /** A body past its limit; an IOException, as a stream that breaks off is one to its reader. */
    static final class BodyTooLargeException extends IOException {

        private final long limit;

        BodyTooLargeException(Route route) {
            super("The request body is larger than " + route.bytes() + " bytes (" + human(route.bytes())
                    + "), the limit of " + (route.path() == null ? "this request"
                    : route.method() + " " + route.path()) + ".");
            this.limit = route.bytes();
        }

        long limit() {
            return limit;
        }

        private static String human(long bytes) {
            if (bytes % (1024 * 1024) == 0) {
                return bytes / (1024 * 1024) + " MiB";
            }
            return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
        }
    }

    /** The request with its body read through a {@link LimitedStream}. */
    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final Route limit;
        private ServletInputStream stream;
        private BufferedReader reader;

        LimitedRequest(HttpServletRequest request, Route limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedStream(super.getInputStream(), limit);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            if (reader == null) {
                Charset charset = getCharacterEncoding() == null ? StandardCharsets.UTF_8
                        : Charset.forName(getCharacterEncoding());
                reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
            }
            return reader;
        }
    }

    /** Passes at most limit + 1 bytes on from the client, and fails on that one byte too many. */
    private static final class LimitedStream extends ServletInputStream {

        private final ServletInputStream in;
        private final Route limit;
        private long count;

        LimitedStream(ServletInputStream in, Route limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            // never ask the client for more than one byte past the limit
            int n = in.read(b, off, (int) Math.min(len, limit.bytes() + 1 - count));
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) throws BodyTooLargeException {
            count += n;
            if (count > limit.bytes()) {
                throw new BodyTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
