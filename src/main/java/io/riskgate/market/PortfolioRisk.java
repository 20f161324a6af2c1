package io.riskgate.market;

import io.riskgate.policy.Analytics;
import io.riskgate.policy.PortfolioLimits;
import io.riskgate.policy.Side;
import io.riskgate.portfolio.AccountBook;
import io.riskgate.portfolio.Position;
import io.riskgate.risk.Correlation;
import io.riskgate.risk.Estimate;
import io.riskgate.risk.HistoricalVar;
import io.riskgate.risk.ParametricVar;
import io.riskgate.risk.Returns;
import io.riskgate.risk.VarModel;
import io.riskgate.risk.VarResult;
import io.riskgate.risk.VarSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the analytics rules judge a new order by, measured from stored bars and the account's positions: its
 * correlation with every open position of another asset (before sizing), then the portfolio heat and VaR with the
 * sized order added. Plain numbers; the thresholds are the rules'.
 */
public final class PortfolioRisk {

    /**
     * The highest direction-adjusted correlation of the new order with an open position of another asset: a long
     * against a long (or a short against a short) counts the correlation as it is, a long against a short counts it
     * negated (a hedge). Pairs that could not be measured are listed in {@code unmeasured}.
     */
    public record CorrelationCheck(Double max, String with, int pairs, List<String> unmeasured) {

        public CorrelationCheck {
            unmeasured = List.copyOf(unmeasured);
        }

        public static final CorrelationCheck NONE = new CorrelationCheck(null, null, 0, List.of());
    }

    /**
     * Heat and VaR with the sized order added, both as fractions of equity. {@code var} is null when too few
     * aligned returns exist ({@code varNote} says why).
     */
    public record ExposureCheck(double heatPct, Double varPct, String varMethod, int observations, String varNote) {
    }

    private final MarketData market;

    public PortfolioRisk(MarketData market) {
        this.market = market;
    }

    public MarketData market() {
        return market;
    }

    public CorrelationCheck correlation(Analytics a, PortfolioLimits limits, String symbol, Side side,
                                        Collection<Position> positions, Instant asOf) {
        String asset = limits.assetOf(symbol);
        Double max = null;
        String with = null;
        int pairs = 0;
        List<String> unmeasured = new ArrayList<>();
        for (Position p : positions) {
            if (limits.assetOf(p.symbol()).equals(asset)) {
                continue; // one asset's positions are the concentration limit's business
            }
            Estimate<Double> c = market.correlation(symbol, p.symbol(), a.barInterval(), a.returnsWindow(),
                    Correlation.MIN_OBSERVATIONS, asOf);
            if (c.isReady()) {
                pairs++;
                double effective = c.orElseThrow() * side.sign() * p.side().sign();
                if (max == null || effective > max) {
                    max = effective;
                    with = p.symbol() + " (" + p.side() + ")";
                }
            } else {
                unmeasured.add(p.symbol() + ": " + c.unavailableReason().orElse("unavailable"));
            }
        }
        return new CorrelationCheck(max, with, pairs, unmeasured);
    }

    /**
     * Heat: every open position's risk to its stop (nothing once the stop is past the entry) plus the new order's,
     * over equity. VaR: the one-horizon loss of the positions (valued at their last price) and the new order, from
     * their aligned returns, over equity.
     */
    public ExposureCheck exposure(Analytics a, String symbol, Side side, double quantity, double entry,
                                  double riskAtStop, AccountBook book, double equity, Instant asOf) {
        double heat = riskAtStop + openRisk(book);
        Map<String, Double> notionals = signedNotionals(book);
        notionals.merge(symbol, side.sign() * quantity * entry, Double::sum);
        Map<String, double[]> returns = market.alignedReturns(notionals.keySet(), a.barInterval(), a.returnsWindow(),
                asOf);
        int n = returns.values().iterator().next().length;
        double[] pnl = new double[n];
        for (Map.Entry<String, Double> e : notionals.entrySet()) {
            double[] r = returns.get(e.getKey());
            for (int t = 0; t < n; t++) {
                pnl[t] += e.getValue() * r[t] / equity;
            }
        }
        String method = a.varMethod();
        VarModel model = method.equals("PARAMETRIC") ? new ParametricVar() : new HistoricalVar();
        if (n < VarModel.MIN_OBSERVATIONS) {
            return new ExposureCheck(heat / equity, null, method, n, "VaR needs " + VarModel.MIN_OBSERVATIONS
                    + " aligned returns of " + notionals.keySet() + " (" + a.barInterval() + "), had " + n);
        }
        Estimate<VarResult> v = model.estimate(Returns.of(pnl), new VarSpec(a.varConfidence(), a.varHorizonBars()));
        return v.isReady()
                ? new ExposureCheck(heat / equity, Math.max(0, v.orElseThrow().valueAtRisk()), method, n, null)
                : new ExposureCheck(heat / equity, null, method, n, v.unavailableReason().orElse("unavailable"));
    }

    /**
     * The governor's spike measures over the open positions: the largest distance, in standard deviations of the
     * preceding returns of its window, of an open symbol's latest return from their mean (seed 003's 3 sigma), and
     * the highest direction-adjusted correlation between two positions of different assets (seed 003's 90%). NaN
     * when nothing can be measured.
     */
    public double[] spikes(Analytics a, PortfolioLimits limits, Collection<Position> positions, Instant asOf) {
        // cached per set of positions (symbol and side) and per bar data: recomputed only when a bar is posted or
        // closes, or the positions change, not on every check
        // the policy's quote currencies decide which positions share an asset (and are skipped as pairs)
        StringBuilder key = new StringBuilder(a.barInterval()).append('|').append(a.returnsWindow()).append('|')
                .append(limits.quoteCurrencies());
        new java.util.TreeSet<>(positions.stream().map(p -> p.symbol() + ":" + p.side()).toList())
                .forEach(k -> key.append('|').append(k));
        for (String symbol : new java.util.TreeSet<>(positions.stream().map(Position::symbol).toList())) {
            MarketData.Series s = market.closedBy(symbol, a.barInterval(), asOf);
            key.append('|').append(s.version()).append('@').append(s.lastOpen());
        }
        double[] cached = spikeCache.get(key.toString());
        if (cached != null) {
            return cached.clone();
        }
        double[] measured = measureSpikes(a, limits, positions, asOf);
        if (spikeCache.size() > 10_000) {
            spikeCache.clear();
        }
        spikeCache.put(key.toString(), measured.clone());
        return measured;
    }

    private final java.util.concurrent.ConcurrentHashMap<String, double[]> spikeCache =
            new java.util.concurrent.ConcurrentHashMap<>();

    private double[] measureSpikes(Analytics a, PortfolioLimits limits, Collection<Position> positions,
                                   Instant asOf) {
        double sigma = Double.NaN;
        java.util.Set<String> symbols = new java.util.TreeSet<>();
        positions.forEach(p -> symbols.add(p.symbol()));
        for (String symbol : symbols) {
            double[] r = market.alignedReturns(List.of(symbol), a.barInterval(), a.returnsWindow(), asOf).get(symbol);
            if (r.length < VarModel.MIN_OBSERVATIONS + 1) {
                continue;
            }
            double[] prior = java.util.Arrays.copyOf(r, r.length - 1);
            double mean = java.util.Arrays.stream(prior).average().orElse(0);
            double sd = new org.hipparchus.stat.descriptive.moment.StandardDeviation().evaluate(prior);
            if (sd > 0) {
                double z = Math.abs(r[r.length - 1] - mean) / sd;
                sigma = Double.isNaN(sigma) ? z : Math.max(sigma, z);
            }
        }
        double corr = Double.NaN;
        List<Position> list = new ArrayList<>(positions);
        for (int i = 0; i < list.size(); i++) {
            for (int j = i + 1; j < list.size(); j++) {
                Position p = list.get(i);
                Position q = list.get(j);
                if (limits.assetOf(p.symbol()).equals(limits.assetOf(q.symbol()))) {
                    continue;
                }
                Estimate<Double> c = market.correlation(p.symbol(), q.symbol(), a.barInterval(), a.returnsWindow(),
                        Correlation.MIN_OBSERVATIONS, asOf);
                if (c.isReady()) {
                    double effective = c.orElseThrow() * p.side().sign() * q.side().sign();
                    corr = Double.isNaN(corr) ? effective : Math.max(corr, effective);
                }
            }
        }
        return new double[] {sigma, corr};
    }

    /** Every open position's risk to its stop: the heat before a new order, in account currency. */
    private static double openRisk(AccountBook book) {
        return book.positions().stream().mapToDouble(Position::riskToStop).sum();
    }

    /** Each open symbol's signed notional (short negative) at its last price, else its entry. */
    private static Map<String, Double> signedNotionals(AccountBook book) {
        Map<String, Double> notionals = new LinkedHashMap<>();
        for (Position p : book.positions()) {
            double price = book.lastPrice(p.tradeId());
            notionals.merge(p.symbol(), p.side().sign() * p.quantity() * (Double.isNaN(price) ? p.entryPrice() : price),
                    Double::sum);
        }
        return notionals;
    }

    /** The account's portfolio risk now: VaR and ES (both methods), heat, correlations, concentration. */
    public AccountRisk accountRisk(Analytics a, AccountBook book, Double equity, Instant asOf) {
        List<String> notes = new ArrayList<>();
        Map<String, Double> notionals = signedNotionals(book);
        double risk = openRisk(book);
        List<String> symbols = new ArrayList<>(notionals.keySet());
        if (symbols.isEmpty() || equity == null || equity <= 0) {
            notes.add(symbols.isEmpty() ? "no open positions" : "no equity known");
            return new AccountRisk(book.account(), equity, asOf, a.barInterval(), 0, Map.of(), null, symbols, Map.of(),
                    null, null, null, null, null, notes);
        }
        Map<String, double[]> aligned = market.alignedReturns(symbols, a.barInterval(), a.returnsWindow(), asOf);
        int n = aligned.get(symbols.get(0)).length;
        Map<String, io.riskgate.risk.Returns> bySymbol = new LinkedHashMap<>();
        aligned.forEach((k, v) -> bySymbol.put(k, Returns.of(v)));
        io.riskgate.risk.Exposures exposures = new io.riskgate.risk.Exposures(equity, notionals.entrySet().stream()
                .map(e -> new io.riskgate.risk.Exposure(e.getKey(), e.getValue())).toList());
        Map<String, AccountRisk.VarFigure> var = new LinkedHashMap<>();
        VarSpec spec = new VarSpec(a.varConfidence(), a.varHorizonBars());
        Map<String, Map<String, Double>> correlation = new LinkedHashMap<>();
        Double ratio = null;
        if (n >= VarModel.MIN_OBSERVATIONS) {
            io.riskgate.risk.AlignedReturns returns = io.riskgate.risk.AlignedReturns.of(bySymbol);
            for (VarModel model : List.of(new HistoricalVar(), new ParametricVar())) {
                new io.riskgate.risk.PortfolioVar(model).estimate(exposures, returns, spec).asOptional().ifPresent(r -> {
                    VarResult d = r.diversified();
                    var.put(d.method().name(), new AccountRisk.VarFigure(spec.confidence(), spec.horizon(),
                            d.valueAtRisk(), d.expectedShortfall(), d.valueAtRisk() * equity,
                            d.expectedShortfall() * equity));
                });
            }
            if (symbols.size() > 1) {
                io.riskgate.risk.Correlation.pearson(returns).asOptional().ifPresentOrElse(m -> {
                    for (String x : m.symbols()) {
                        Map<String, Double> row = new LinkedHashMap<>();
                        m.symbols().forEach(y -> row.put(y, m.get(x, y)));
                        correlation.put(x, row);
                    }
                }, () -> notes.add("correlation needs " + Correlation.MIN_OBSERVATIONS + " aligned returns, had " + n));
                ratio = io.riskgate.risk.Diversification.ratio(exposures, returns).asOptional()
                        .map(io.riskgate.risk.Diversification.DiversificationRatio::ratio).orElse(null);
            }
        } else {
            notes.add("VaR needs " + VarModel.MIN_OBSERVATIONS + " aligned returns of " + symbols + " ("
                    + a.barInterval() + "), had " + n);
        }
        var c = io.riskgate.risk.Diversification.concentration(exposures);
        return new AccountRisk(book.account(), equity, asOf, a.barInterval(), n, var, risk / equity, symbols,
                correlation, c.herfindahl(), c.effectivePositions(), c.largestSymbol(), c.largestShareOfGross(), ratio,
                notes);
    }
}
