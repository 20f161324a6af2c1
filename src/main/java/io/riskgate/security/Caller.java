package io.riskgate.security;

import java.util.EnumSet;
import java.util.Set;

/**
 * The authenticated principal of one request: who (the name every officer action records as its actor), with which
 * credential, in which roles, for which accounts.
 *
 * @param name       the key's holder ({@code exec-engine-1}, {@code j.smith}) or the token's user
 * @param credential which credential proved it: {@code key:<id>} or {@code oidc:<issuer>}
 * @param accounts   the accounts a TRADER or FEED credential is limited to; {@code *} stands for every account
 */
public record Caller(String name, String credential, Set<Role> roles, Set<String> accounts) {

    public static final String ALL_ACCOUNTS = "*";

    public Caller {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a caller has a name");
        }
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        accounts = Set.copyOf(accounts);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** Whether the credential names {@code account} (or every account). */
    public boolean names(String account) {
        return accounts.contains(ALL_ACCOUNTS) || accounts.contains(account);
    }

    /** Officers and auditors read every account; anyone else only the accounts the credential names. */
    public boolean mayRead(String account) {
        return has(Role.OFFICER) || has(Role.AUDITOR) || names(account);
    }

    /** Whether reads are firm-wide (no account filter needed). */
    public boolean readsAllAccounts() {
        return has(Role.OFFICER) || has(Role.AUDITOR) || accounts.contains(ALL_ACCOUNTS);
    }
}
