package io.riskgate.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer rg_...} with an {@link ApiKeys} key. A credential that is sent but
 * does not authenticate is answered 401 at once (never treated as anonymous). Other bearer tokens pass on to the
 * OIDC resource server when one is configured, and are refused here otherwise.
 */
final class ApiKeyFilter extends OncePerRequestFilter {

    private final ApiKeys keys;
    private final boolean oidc;

    ApiKeyFilter(ApiKeys keys, boolean oidc) {
        this.keys = keys;
        this.oidc = oidc;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        String token = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        if (token != null && token.startsWith("rg_")) {
            Optional<Caller> caller = keys.authenticate(token);
            if (caller.isEmpty()) {
                unauthorized(request, response, "the API key is unknown, revoked or expired");
                return;
            }
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(new CallerAuthentication(caller.get()));
            SecurityContextHolder.setContext(context);
            chain.doFilter(request, response);
            return;
        }
        if (token != null && oidc) {
            chain.doFilter(request, response);
            return;
        }
        unauthorized(request, response, token == null
                ? "send 'Authorization: Bearer <key>' with a riskgate API key"
                : "only riskgate API keys (rg_...) are accepted: no OIDC issuer is configured");
    }

    static void unauthorized(HttpServletRequest request, HttpServletResponse response, String detail)
            throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"riskgate\"");
        Problems.write(response, 401, "Authentication required", detail, SecurityConfiguration.path(request));
    }
}
