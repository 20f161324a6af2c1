package io.riskgate.policy;

/**
 * Limits no policy may exceed, whatever an officer writes. They are deliberately not policy values
 * (seed 002: "hard-coded maximum limits"); a policy over them is refused at load, and the sizer clamps to them
 * again at run time so a decision table multiplier cannot push past them either.
 */
public final class HardCaps {

    /** Seed 003, best practices: "Never exceed 5% risk per trade". */
    public static final double MAX_RISK_PER_TRADE = 0.05;

    private HardCaps() {
    }
}
