package io.riskgate.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Maps an OIDC access token to a {@link Caller}: its roles from a claim (default {@code roles}, values such as
 * {@code OFFICER}; names riskgate does not know are ignored), its accounts from another (default
 * {@code accounts}), and its name from {@code preferred_username}, else {@code sub}. A token without any riskgate
 * role authenticates but may do nothing (403).
 */
final class JwtCallers implements Converter<Jwt, AbstractAuthenticationToken> {

    private final String rolesClaim;
    private final String accountsClaim;

    JwtCallers(String rolesClaim, String accountsClaim) {
        this.rolesClaim = rolesClaim;
        this.accountsClaim = accountsClaim;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String r : strings(jwt.getClaim(rolesClaim))) {
            Role.parse(r.startsWith("ROLE_") ? r.substring(5) : r).ifPresent(roles::add);
        }
        Set<String> accounts = new LinkedHashSet<>(strings(jwt.getClaim(accountsClaim)));
        String name = jwt.getClaimAsString("preferred_username");
        if (name == null || name.isBlank()) {
            name = jwt.getSubject();
        }
        String issuer = jwt.getIssuer() == null ? "token" : jwt.getIssuer().toString();
        return new CallerAuthentication(new Caller(name, "oidc:" + issuer, roles, accounts));
    }

    private static Collection<String> strings(Object claim) {
        if (claim instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        if (claim instanceof String s && !s.isBlank()) {
            return java.util.Arrays.stream(s.split("[,\\s]+")).filter(x -> !x.isBlank()).toList();
        }
        return java.util.List.of();
    }
}
