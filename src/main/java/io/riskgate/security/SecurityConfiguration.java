package io.riskgate.security;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter;

/**
 * Who may call what (the role table of docs/security.md). Secure by default: every endpoint needs a credential
 * except the liveness and readiness probes; an {@code /api/} endpoint without an entry here is denied to everyone,
 * so a new endpoint is closed until it is given its roles (a path that is no endpoint is a 404, a wrong method a
 * 405, for an authenticated caller). Account ownership (a TRADER only for the accounts its key
 * names) is checked by the controllers through {@link AccountAccess} once they know the account.
 * <p>
 * Credentials: riskgate API keys ({@code Authorization: Bearer rg_...}) always; OIDC bearer tokens when Spring's
 * resource server is configured ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri},
 * {@code jwk-set-uri} or {@code public-key-location}). No session, no cookie, no CSRF token: every request carries
 * its credential.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class SecurityConfiguration {

    /** The console's Content-Security-Policy (docs/security.md). */
    static final String CONSOLE_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";


    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);
    private static final String API = "/api/v1";

    @Bean
    @org.springframework.context.annotation.DependsOn("riskgateRuntime")
    ApiKeys apiKeys(DataSource dataSource, Clock clock,
                    @Value("${riskgate.security.bootstrap-key-file:./data/admin.key}") Path bootstrapFile,
                    io.riskgate.database.GroupCommit writes)
            throws IOException {
        // the runtime (riskgateRuntime) has migrated the schema (api_key is V8) before this runs; its group commit
        // (a bean) makes a key durable before it is answered. On a database several instances share, the keys are
        // read again at each of the instance sync's polls (config.RiskgateConfiguration)
        ApiKeys keys = new ApiKeys(dataSource, writes, clock);
        BootstrapAdminKey.ensure(keys, bootstrapFile);
        return keys;
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, ApiKeys keys, ObjectProvider<JwtDecoder> jwt,
                            @org.springframework.beans.factory.annotation.Qualifier("requestMappingHandlerMapping")
                            ObjectProvider<RequestMappingHandlerMapping> endpoints,
                            @Value("${riskgate.security.jwt.roles-claim:roles}") String rolesClaim,
                            @Value("${riskgate.security.jwt.accounts-claim:accounts}") String accountsClaim,
                            @Value("${riskgate.security.rate-limit.per-second:500}") long perSecond,
                            @Value("${riskgate.security.rate-limit.burst:1000}") long burst) throws Exception {
        JwtDecoder decoder = jwt.getIfAvailable();
        http.csrf(c -> c.disable())
                .cors(c -> c.disable())
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(r -> r.disable())
                .anonymous(a -> a.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // the console's files: scripts and styles from the jar only, calls to this origin only, nothing
                // framed from elsewhere (the replay report is framed from srcdoc, with its own inline style)
                .headers(h -> h.addHeaderWriter((req, res) -> {
                    if (path(req).startsWith("/console")) {
                        res.setHeader("Content-Security-Policy", CONSOLE_CSP);
                    }
                }))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((req, res, ex) -> ApiKeyFilter.unauthorized(req, res,
                                "send 'Authorization: Bearer <key>' with a riskgate API key"))
                        .accessDeniedHandler((req, res, ex) -> Problems.write(res, 403, "Forbidden",
                                ex.getMessage() == null || ex.getMessage().equals("Access Denied")
                                        ? "this credential's roles do not allow " + req.getMethod() + " "
                                        + path(req) : ex.getMessage(), path(req))))
                .authorizeHttpRequests(a -> a
                        // a request was authorized when it came in; its async continuation (the event stream)
                        // and its error page are the same request
                        .dispatcherTypeMatchers(jakarta.servlet.DispatcherType.ASYNC,
                                jakarta.servlet.DispatcherType.ERROR).permitAll()
                        .requestMatchers("/error").permitAll()
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/liveness",
                                "/actuator/health/readiness").permitAll()
                        // the console's page, script and style (issue 18): files with no data, which anyone may
                        // load; everything they show comes from the API, with the signed-in credential
                        .requestMatchers(HttpMethod.GET, "/console", "/console/", "/console/index.html",
                                "/console/console.js", "/console/console.css").permitAll()
                        // who the caller is (the console's navigation): any credential riskgate accepts
                        .requestMatchers(HttpMethod.GET, API + "/me").authenticated()
                        // trading
                        .requestMatchers(HttpMethod.POST, API + "/checks", API + "/trades", API + "/trades/*/close",
                                API + "/decisions/*/cancel", API + "/accounts/*/instructions/*/ack").hasRole("TRADER")
                        // market data in
                        .requestMatchers(HttpMethod.POST, API + "/marks", API + "/market/bars").hasRole("FEED")
                        .requestMatchers(HttpMethod.PUT, API + "/accounts/*/equity").hasRole("FEED")
                        // officers
                        .requestMatchers(HttpMethod.POST, API + "/accounts/*/breaker", API + "/policies/reload",
                                API + "/policies/what-if", API + "/policies/validate", API + "/firm/kill-switch",
                                API + "/accounts/*/locks/lift",
                                API + "/replays")
                        .hasRole("OFFICER")
                        .requestMatchers(HttpMethod.GET, API + "/replays", API + "/replays/*", API + "/replays/*/report",
                                API + "/replays/*/decisions", API + "/replays/*/compare")
                        .hasAnyRole("OFFICER", "AUDITOR")
                        .requestMatchers(HttpMethod.GET, API + "/firm/kill-switch", API + "/firm/limits")
                        .hasAnyRole("OFFICER", "AUDITOR")
                        .requestMatchers(HttpMethod.PUT, API + "/accounts/*/policy").hasRole("OFFICER")
                        // reads: a trader's own accounts (checked in the controller), officers and auditors all
                        .requestMatchers(HttpMethod.GET, API + "/decisions", API + "/decisions/*", API + "/trades/*",
                                API + "/accounts", API + "/accounts/*", API + "/accounts/*/state", API + "/accounts/*/breakers",
                                API + "/accounts/*/instructions", API + "/accounts/*/risk",
                                API + "/accounts/*/policy", API + "/accounts/*/locks", API + "/accounts/*/equity",
                                API + "/accounts/*/trades", API + "/events")
                        .hasAnyRole("TRADER", "OFFICER", "AUDITOR")
                        .requestMatchers(HttpMethod.GET, API + "/market/bars")
                        .hasAnyRole("TRADER", "FEED", "OFFICER", "AUDITOR")
                        .requestMatchers(HttpMethod.GET, API + "/policies/**").hasAnyRole("OFFICER", "AUDITOR")
                        // the audit chain: auditors only
                        .requestMatchers(HttpMethod.GET, API + "/audit/head", API + "/audit/verify",
                                API + "/audit/verify/*").hasRole("AUDITOR")
                        // retention removes records from the live store: administrators, not auditors
                        .requestMatchers(HttpMethod.POST, API + "/audit/exports").hasRole("ADMIN")
                        // keys
                        .requestMatchers(API + "/keys", API + "/keys/**").hasRole("ADMIN")
                        // anything else under /api is closed until it is given its roles above
                        // any other /api request: an endpoint without roles above is closed to everyone; a path or
                        // method that is no endpoint goes on to its 404 or 405 (reading the authentication first,
                        // so that no credential is still a 401)
                        .requestMatchers("/api/**").access((authentication, context) -> {
                            authentication.get();
                            return new org.springframework.security.authorization.AuthorizationDecision(
                                    !isEndpoint(endpoints.getObject(), context.getRequest()));
                        })
                        // actuator details and metrics, the OpenAPI description: any authenticated caller
                        .anyRequest().authenticated())
                .addFilterBefore(new ApiKeyFilter(keys, decoder != null), AbstractPreAuthenticatedProcessingFilter.class)
                .addFilterAfter(new RateLimitFilter(perSecond, burst), AuthorizationFilter.class);
        if (decoder != null) {
            DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();
            BearerTokenResolver notApiKeys = req -> {
                String t = bearer.resolve(req);
                return t == null || t.startsWith("rg_") ? null : t;
            };
            http.oauth2ResourceServer(o -> o.bearerTokenResolver(notApiKeys)
                    .authenticationEntryPoint((req, res, ex) -> ApiKeyFilter.unauthorized(req, res,
                            "the bearer token was refused: " + ex.getMessage()))
                    .jwt(j -> j.decoder(decoder).jwtAuthenticationConverter(new JwtCallers(rolesClaim,
                            accountsClaim))));
            log.info("OIDC bearer tokens accepted (roles claim '{}', accounts claim '{}'), beside API keys",
                    rolesClaim, accountsClaim);
        }
        return http.build();
    }

    /**
     * Requests the firewall refuses before anything else (a method such as TRACE, an encoded slash or dot segment in
     * the path): 405 for the method, else 400, as problem+json that quotes nothing of the request.
     */
    @Bean
    org.springframework.security.web.firewall.RequestRejectedHandler requestRejected() {
        java.util.Set<String> methods = java.util.Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH");
        return (request, response, rejected) -> {
            if (!methods.contains(request.getMethod())) {
                response.setHeader("Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH");
                Problems.write(response, 405, "Method not allowed", "riskgate does not answer this HTTP method",
                        null);
            } else {
                Problems.write(response, 400, "Bad request", "the request's path or headers were refused (an "
                        + "encoded slash, backslash, dot segment or control character)", null);
            }
        };
    }

    /** Whether a controller method answers this request's path and method. */
    static boolean isEndpoint(RequestMappingHandlerMapping endpoints, HttpServletRequest request) {
        try {
            return endpoints.getHandler(request) != null;
        } catch (Exception noneForThisMethodOrMedia) {
            return false;
        }
    }

    /** The request's path, cut to 200 characters: problem answers never echo long caller text. */
    static String path(HttpServletRequest request) {
        String p = request.getRequestURI();
        return p == null ? "" : p.length() <= 200 ? p : p.substring(0, 200) + "…";
    }
}
