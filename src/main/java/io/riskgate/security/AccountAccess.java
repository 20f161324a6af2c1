package io.riskgate.security;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Ownership checks the controllers make once they know which account a request touches (the path, the body, or
 * the decision or trade it names). The role check per endpoint is {@link SecurityConfiguration}'s; this adds
 * "and only for the accounts the credential names". Each throws {@link AccessDeniedException} (403).
 */
public final class AccountAccess {

    private AccountAccess() {
    }

    /** The caller of the current request. */
    public static Caller caller() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        if (a instanceof CallerAuthentication c) {
            return c.caller();
        }
        throw new AccessDeniedException("no authenticated caller");
    }

    /** Trading (checks, fills, closes, cancels, acknowledgements): the credential must name the account. */
    public static void requireTrading(String account) {
        Caller c = caller();
        if (!c.has(Role.TRADER) || !c.names(account)) {
            throw denied(c, account);
        }
    }

    /** Market data for an account (equity reports): the FEED credential must name the account. */
    public static void requireFeeding(String account) {
        Caller c = caller();
        if (!c.has(Role.FEED) || !c.names(account)) {
            throw denied(c, account);
        }
    }

    /** Reading an account's records: officers and auditors read every account, others those they name. */
    public static void requireReading(String account) {
        Caller c = caller();
        if (!c.mayRead(account)) {
            throw denied(c, account);
        }
    }

    /**
     * Reading a record named by its id (a decision, a trade): as {@link #requireReading(String)}, but a refusal does
     * not name the record's account, which a caller holding only the id is not to learn.
     */
    public static void requireReadingRecord(String account, String record) {
        Caller c = caller();
        if (!c.mayRead(account)) {
            throw hidden(c, record);
        }
    }

    /** Trading on a record named by its id (a fill of a decision, a close of a trade), its account not named. */
    public static void requireTradingRecord(String account, String record) {
        Caller c = caller();
        if (!c.has(Role.TRADER) || !c.names(account)) {
            throw hidden(c, record);
        }
    }

    private static AccessDeniedException hidden(Caller c, String record) {
        return new AccessDeniedException("credential of '" + c.name() + "' may not do this for this " + record
                + ": it is not of an account the credential names");
    }

    /**
     * A read across accounts (a decision search, the event stream): without an account, only a firm-wide reader
     * may ask; with one, it must be readable.
     */
    public static void requireReading(java.util.Optional<String> account) {
        Caller c = caller();
        if (account.isPresent()) {
            requireReading(account.get());
        } else if (!c.readsAllAccounts()) {
            throw new AccessDeniedException("name one of your accounts (?account=" + c.accounts().stream().sorted()
                    .findFirst().orElse("...") + "): this credential does not read every account");
        }
    }

    private static AccessDeniedException denied(Caller c, String account) {
        String shown = account == null ? "null" : account.length() > 64 ? account.substring(0, 64) + "…" : account;
        return new AccessDeniedException("credential of '" + c.name() + "' may not do this for account '" + shown
                + "'");
    }
}
