package io.riskgate.policy;

/** How strongly the signal's models agree (seed 001: UNANIMOUS 4/4, STRONG 3/4+, WEAK, SPLIT). */
public enum Consensus { UNANIMOUS, STRONG, WEAK, SPLIT }
