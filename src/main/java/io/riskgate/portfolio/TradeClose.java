package io.riskgate.portfolio;

import java.time.Instant;

/** One reported close of a trade: part of it or the rest, at a price, with the P&L it realized. */
public record TradeClose(Instant at, double quantity, double price, double pnl, double openAfter,
                         TradeState stateAfter, String reason) {
}
