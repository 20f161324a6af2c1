package io.riskgate.decision;

/** How a check ended. Only APPROVED lets a trade through; FAILED means the engine could not decide (fail closed). */
public enum Outcome { APPROVED, REJECTED, FAILED }
