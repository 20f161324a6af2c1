package io.riskgate.database;

/**
 * The transaction locks processes sharing a PostgreSQL database take in their batches. There is one, so that no two
 * batches can wait for each other in opposite orders (the accounts' own locks are never wanted by two processes at
 * once: AccountVersions).
 */
public final class SharedLocks {

    /**
     * Held from a batch's first decision linked to the audit chain, or first claim on the firm limits, to its commit:
     * the chain's head and the firm's shares are read under it ("rg-chain" in ASCII).
     */
    public static final long CHAIN = 0x72672D636861696EL;

    private SharedLocks() {
    }

    /** The statement that takes {@link #CHAIN} in the current transaction. */
    public static String chainLock() {
        return "SELECT pg_advisory_xact_lock(" + CHAIN + ")";
    }
}
