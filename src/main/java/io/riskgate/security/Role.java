package io.riskgate.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a caller may do (docs/security.md has the table per endpoint). A key or a token carries one or more roles.
 * <ul>
 * <li>{@code TRADER}: checks, fills, closes, cancels, instruction acknowledgements and reads, for the accounts its
 * credential names only.</li>
 * <li>{@code FEED}: market data in: marks, bars, and equity reports (for the accounts it names).</li>
 * <li>{@code OFFICER}: breaker trip/reset, policy assignment, reload, what-if, and every read.</li>
 * <li>{@code AUDITOR}: read-only: decisions, trades, accounts, policies, versions, diffs, breaker logs, events.</li>
 * <li>{@code ADMIN}: API keys.</li>
 * </ul>
 */
public enum Role {
    TRADER, FEED, OFFICER, AUDITOR, ADMIN;

    /** Spring Security's authority name, {@code ROLE_TRADER}. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** The role named {@code s} (any case), or empty. */
    public static Optional<Role> parse(String s) {
        if (s == null) {
            return Optional.empty();
        }
        String u = s.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.name().equals(u)).findFirst();
    }
}
