package io.riskgate.portfolio;

import io.riskgate.policy.Controls;
import java.util.HashMap;
import java.util.Map;

/**
 * Every account's share of the firm-wide limits (controls.firm; docs/controls.md): its gross exposure (open
 * positions' and reservations' notional) and the risk at the stop of the orders it had approved in its governor
 * day. An account's share is published from its book after every use under its lock; an approval under a firm
 * limit {@link #claim claims} its share first, atomically against every other account's, so that accounts deciding
 * at the same time can never together pass a limit. Read from the store at start, so the limits survive restarts.
 */
public final class FirmLedger {

    /** The firm's totals outside one account: what that account's order is measured against. */
    public record Others(double grossExposure, double dailyRisk) {
    }

    /** A ledger of no accounts: previews (scenario tests, what-if) measure the firm as their one account. */
    public static FirmLedger empty() {
        return new FirmLedger();
    }

    private final Map<String, double[]> shares = new HashMap<>();
    private double exposure;
    private double risk;

    /** The firm outside {@code account}. */
    public synchronized Others others(String account) {
        double[] own = shares.get(account);
        return own == null ? new Others(exposure, risk) : new Others(exposure - own[0], risk - own[1]);
    }

    /** Sets the account's share: what its book now holds. */
    public synchronized void publish(String account, double grossExposure, double dailyRisk) {
        double[] own = shares.computeIfAbsent(account, a -> new double[2]);
        exposure += grossExposure - own[0];
        risk += dailyRisk - own[1];
        own[0] = grossExposure;
        own[1] = dailyRisk;
    }

    /**
     * Sets the account's share to what it holds with an approval, if that keeps the firm within {@code firm}'s
     * limits (a share that does not grow is always granted); false, and nothing changed, when it would not.
     */
    public synchronized boolean claim(String account, double grossExposure, double dailyRisk, Controls.Firm firm) {
        double[] own = shares.getOrDefault(account, new double[2]);
        boolean exposureOk = firm.maxGrossExposure().isEmpty() || grossExposure <= own[0]
                || exposure - own[0] + grossExposure <= firm.maxGrossExposure().getAsDouble();
        boolean riskOk = firm.maxDailyRisk().isEmpty() || dailyRisk <= own[1]
                || risk - own[1] + dailyRisk <= firm.maxDailyRisk().getAsDouble();
        if (!exposureOk || !riskOk) {
            return false;
        }
        publish(account, grossExposure, dailyRisk);
        return true;
    }

    /** Every account's share: {gross exposure, daily risk}, a copy. */
    synchronized Map<String, double[]> shares() {
        Map<String, double[]> copy = new HashMap<>();
        shares.forEach((account, share) -> copy.put(account, share.clone()));
        return copy;
    }

    /** The firm's gross exposure and daily risk over every account. */
    public synchronized Others totals() {
        return new Others(exposure, risk);
    }
}
