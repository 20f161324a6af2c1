package io.riskgate.risk;

import io.riskgate.base.Checks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Return series of several symbols over the same periods (row t of every series is the same period), in the order
 * given. The input to correlation, portfolio VaR and the diversification ratio.
 *
 * <p>BTC prices 100, 110, 99 and ETH prices 10, 10.5, 10.5 align as BTC 0.10, -0.10 and ETH 0.05, 0.00.
 */
public final class AlignedReturns {

    private final List<String> symbols;
    private final Map<String, Returns> bySymbol;

    private AlignedReturns(Map<String, Returns> bySymbol) {
        this.bySymbol = bySymbol;
        this.symbols = List.copyOf(bySymbol.keySet());
    }

    /** Series by symbol, in the map's iteration order; at least one, all of the same length. */
    public static AlignedReturns of(Map<String, Returns> bySymbol) {
        if (bySymbol == null || bySymbol.isEmpty()) {
            throw new IllegalArgumentException("returns must hold at least one symbol");
        }
        Map<String, Returns> copy = new LinkedHashMap<>();
        int length = -1;
        String first = null;
        for (Map.Entry<String, Returns> e : bySymbol.entrySet()) {
            String symbol = Checks.notBlank("symbol", e.getKey());
            Returns r = e.getValue();
            if (r == null) {
                throw new IllegalArgumentException("returns of " + symbol + " must not be null");
            }
            if (length >= 0 && r.size() != length) {
                throw new IllegalArgumentException("returns must be aligned: " + first + " has " + length + ", "
                        + symbol + " has " + r.size());
            }
            if (length < 0) {
                length = r.size();
                first = symbol;
            }
            copy.put(symbol, r);
        }
        return new AlignedReturns(copy);
    }

    /** Simple returns of each symbol's prices (see {@link Returns#fromPrices}); all price series of one length. */
    public static AlignedReturns fromPrices(Map<String, double[]> pricesBySymbol) {
        Map<String, Returns> r = new LinkedHashMap<>();
        pricesBySymbol.forEach((symbol, prices) -> r.put(symbol, Returns.fromPrices(prices)));
        return of(r);
    }

    public List<String> symbols() {
        return symbols;
    }

    public int observations() {
        return bySymbol.get(symbols.get(0)).size();
    }

    public Returns returns(String symbol) {
        Returns r = bySymbol.get(symbol);
        if (r == null) {
            throw new IllegalArgumentException("no returns for " + symbol + "; have " + symbols);
        }
        return r;
    }

    /** Fails when any of {@code wanted} has no series here, naming every missing one. */
    void requireSymbols(List<String> wanted) {
        List<String> missing = new ArrayList<>();
        for (String s : wanted) {
            if (!bySymbol.containsKey(s)) {
                missing.add(s);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no returns for " + missing + "; have " + symbols);
        }
    }
}
