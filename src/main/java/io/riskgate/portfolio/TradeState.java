package io.riskgate.portfolio;

/** Where a trade is in its life. The exit-policy states (breakeven, partial, trailing) build on these. */
public enum TradeState { OPEN, CLOSED }
