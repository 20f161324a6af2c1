package io.riskgate.policy;

import java.time.Duration;
import java.util.List;

/**
 * Account-level limits (seed 001 "Global Risk Settings", seed 000 asset concentration) and how long an approved
 * but unfilled decision keeps its reservation.
 *
 * @param maxFillDeviationPct how far a reported fill price may lie from the decision's entry: the position's
 *        exposure is valued at the fill, so a fill far off (a unit error, a stale decision) would break the limits
 * @param maxEventLead how far ahead of riskgate's clock an event (check, equity report, fill, close) may be
 *        timed: a far-future timestamp would pin the latest equity and run the account's clock ahead
 * @param quoteCurrencies suffixes stripped from a symbol to find its asset: BTCUSDT and BTC/USDT:USDT are both BTC
 */
public record PortfolioLimits(
        int maxConcurrentTrades,
        double maxExposurePct,
        double maxAssetConcentrationPct,
        Duration reservationTtl,
        double maxFillDeviationPct,
        Duration maxEventLead,
        List<String> quoteCurrencies) {

    public PortfolioLimits {
        // longest first, so BUSD is stripped before USD whatever order the policy lists them in
        quoteCurrencies = quoteCurrencies.stream()
                .sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList();
    }

    /**
     * Throws {@code IllegalArgumentException} naming {@code field} when {@code eventTime} is more than
     * {@link #maxEventLead()} ahead of {@code now}. Past times are always allowed: replays feed history.
     */
    public void requireNotAhead(String field, java.time.Instant eventTime, java.time.Instant now) {
        if (eventTime.isAfter(now.plus(maxEventLead))) {
            throw new IllegalArgumentException(field + " " + eventTime + " is more than " + maxEventLead
                    + " ahead of riskgate's clock " + now + " (portfolio.max_event_lead)");
        }
    }

    /**
     * The asset a symbol trades, so one asset's concentration cannot be split by spelling: the part before the
     * first separator ({@code / - _ : .}), less a quote-currency suffix. BTCUSDT, BTC/USDT:USDT, BTC-USDT,
     * BTC_USDT and BTCUSDT.P are all BTC.
     */
    public String assetOf(String symbol) {
        String s = symbol.toUpperCase(java.util.Locale.ROOT);
        for (int i = 1; i < s.length(); i++) {
            if ("/-_:.".indexOf(s.charAt(i)) >= 0) {
                s = s.substring(0, i);
                break;
            }
        }
        for (String quote : quoteCurrencies) {
            if (s.length() > quote.length() && s.endsWith(quote)) {
                return s.substring(0, s.length() - quote.length());
            }
        }
        return s;
    }
}
