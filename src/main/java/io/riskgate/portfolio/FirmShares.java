package io.riskgate.portfolio;

import io.riskgate.database.AccountVersions;
import io.riskgate.database.Dialect;
import io.riskgate.database.SharedLocks;
import io.riskgate.policy.Controls;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The firm limits (controls.firm) shared by several riskgate processes on one PostgreSQL database: every account's
 * share in {@code firm_share} (V20). An approval under a firm limit {@link #claim claims} its account's share in its
 * own write's transaction, under a transaction lock held to its commit (the audit chain's: {@link SharedLocks}), against the sum of every other account's
 * stored share; so approvals of different processes can never together pass a limit. After every use of an account
 * its share as its book now stands is {@link #publish published} (a close or a lapse gives room back). Each process's
 * {@link FirmLedger} is read again from the table about once a second (runtime.InstanceSync) and after a refused
 * claim, so its decisions size to the room other processes left.
 *
 * <p>On H2 there is nothing to share ({@link #NONE}): one process's ledger is the firm's.
 */
public final class FirmShares {

    private static final Logger log = LoggerFactory.getLogger(FirmShares.class);

    /** One process: its ledger is the firm (H2). */
    public static final FirmShares NONE = new FirmShares(null);

    private static final String UPSERT = Dialect.POSTGRESQL.upsert("firm_share", java.util.List.of("account"),
            java.util.List.of("account", "gross_exposure", "daily_risk"));

    private final JdbcTemplate jdbc;
    /** What this process last wrote of each account's share (not read back: a rolled-back claim is rewritten). */
    private final Map<String, double[]> written = new ConcurrentHashMap<>();

    private FirmShares(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    static FirmShares of(DataSource dataSource) {
        return Dialect.of(dataSource) == Dialect.POSTGRESQL ? new FirmShares(new JdbcTemplate(dataSource)) : NONE;
    }

    /** Whether the firm limits are shared with other processes. */
    public boolean shared() {
        return jdbc != null;
    }

    /**
     * At start: the shares of accounts the table does not hold yet (a database from before V20) as {@code ledger}
     * computed them from the store, then the ledger set to the table's (other processes may have written since).
     */
    void bootstrap(FirmLedger ledger) {
        if (jdbc == null) {
            return;
        }
        ledger.shares().forEach((account, share) -> jdbc.update("INSERT INTO firm_share (account, gross_exposure, "
                + "daily_risk) VALUES (?, ?, ?) ON CONFLICT (account) DO NOTHING", account, share[0], share[1]));
        refresh(ledger);
    }

    /** Sets {@code ledger}'s shares to the stored ones. */
    public void refresh(FirmLedger ledger) {
        if (jdbc == null) {
            return;
        }
        jdbc.query("SELECT account, gross_exposure, daily_risk FROM firm_share", rs -> {
            ledger.publish(rs.getString(1), rs.getDouble(2), rs.getDouble(3));
        });
    }

    /**
     * In an approval's transaction: the account's share becomes {@code grossExposure} and {@code dailyRisk} if that
     * keeps the firm within {@code limits} counting every other account's stored share (a share that does not grow
     * is always granted); otherwise {@link RoomTaken}, and the approval's write fails before it commits.
     */
    public void claim(String account, double grossExposure, double dailyRisk, Controls.Firm limits) {
        if (jdbc == null) {
            return;
        }
        if (!limits.any()) {
            write(account, grossExposure, dailyRisk); // no limit of its own to check: its share counts for others
            return;
        }
        // under the lock held to the commit (the group commit's, taken first in its batch): the next claim, in any
        // process, sums this one's share
        if (SharedLocks.current() == null) {
            jdbc.query(SharedLocks.chainLock(), rs -> { });
        }
        double[] sums = jdbc.query("SELECT COALESCE(SUM(CASE WHEN account <> ? THEN gross_exposure END), 0), "
                + "COALESCE(SUM(CASE WHEN account <> ? THEN daily_risk END), 0), "
                + "COALESCE(SUM(CASE WHEN account = ? THEN gross_exposure END), 0), "
                + "COALESCE(SUM(CASE WHEN account = ? THEN daily_risk END), 0) FROM firm_share", rs -> {
                    rs.next();
                    return new double[] {rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)};
                }, account, account, account, account);
        double[] others = {sums[0], sums[1]};
        double[] own = {sums[2], sums[3]};
        boolean exposureOk = limits.maxGrossExposure().isEmpty() || grossExposure <= own[0]
                || others[0] + grossExposure <= limits.maxGrossExposure().getAsDouble();
        boolean riskOk = limits.maxDailyRisk().isEmpty() || dailyRisk <= own[1]
                || others[1] + dailyRisk <= limits.maxDailyRisk().getAsDouble();
        if (!exposureOk || !riskOk) {
            throw new RoomTaken(account);
        }
        write(account, grossExposure, dailyRisk);
    }

    /**
     * After a use of the account, holding its lock across processes: its share as its book now stands, written when it
     * differs from what this process last wrote (a close, a lapse, a cancel or a new governor day give room back; a
     * fill at another price than the order's moves it a little either way). Approvals, the only way a share grows by
     * more, wrote theirs in their own transaction ({@link #claim}). A failure is logged, not thrown: the use is done,
     * and the next one writes it again.
     */
    void publish(String account, double grossExposure, double dailyRisk) {
        if (jdbc == null) {
            return;
        }
        double[] last = written.get(account);
        if (last != null && grossExposure == last[0] && dailyRisk == last[1]) {
            return; // unchanged: no write (each one is a commit of its own)
        }
        try {
            write(account, grossExposure, dailyRisk);
        } catch (RuntimeException e) {
            written.remove(account);
            log.warn("could not store account {}'s share of the firm limits: {}", account, e.toString());
        }
    }

    private void write(String account, double grossExposure, double dailyRisk) {
        jdbc.update(UPSERT, account, grossExposure, dailyRisk);
        written.put(account, new double[] {grossExposure, dailyRisk});
    }

    /**
     * Another process's approvals took the firm's room this approval was decided on: it is decided again on the
     * stored shares ({@code Portfolio.withAccount}), smaller or refused by the firm limit's rule.
     */
    public static final class RoomTaken extends AccountVersions.Stale {
        RoomTaken(String account) {
            super(account, "the firm limits' room was taken by other riskgate processes while account '" + account
                    + "''s order was decided");
        }
    }
}
