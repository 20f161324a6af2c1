package io.riskgate.replay;

import io.riskgate.market.MarketBar;
import io.riskgate.policy.Consensus;
import io.riskgate.policy.Side;
import io.riskgate.risk.indicators.Ema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The replay's demo: real market history and a signal source that is <b>a demo, not a strategy</b>.
 *
 * <p>The history is Bitstamp's BTC/USD trades from 2013-11-25 to 2013-12-01 (99,999 trades), shipped by the
 * {@code org.ta4j:ta4j-examples} artifact, aggregated here into five-minute OHLCV bars of symbol {@code BTCUSD}
 * (1,917 bars; five minutes without a trade have no bar). The signals are an EMA cross on the bars' closes: LONG
 * when the fast EMA crosses above the slow one, SHORT when it crosses below, with consensus STRONG and confidence
 * 0.75 — a way to feed the engine orders, with no claim to an edge.
 */
public final class DemoData {

    /** The symbol of the demo bars. */
    public static final String SYMBOL = "BTCUSD";
    private static final String TRADES = "/bitstamp_trades_from_20131125_usd.csv";

    private DemoData() {
    }

    /** The demo history as five-minute bars, oldest first. */
    public static List<MarketBar> bars() {
        try (InputStream in = DemoData.class.getResourceAsStream(TRADES)) {
            if (in == null) {
                throw new IllegalStateException(TRADES + " is not on the classpath (org.ta4j:ta4j-examples)");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            r.readLine(); // timestamp,price,amount
            List<MarketBar> bars = new ArrayList<>();
            long bucket = -1;
            double open = 0;
            double high = 0;
            double low = 0;
            double close = 0;
            double volume = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split(",");
                long t = Long.parseLong(f[0]);
                double price = Double.parseDouble(f[1]);
                double amount = Double.parseDouble(f[2]);
                long b = t - t % 300;
                if (b != bucket) {
                    if (bucket >= 0) {
                        bars.add(new MarketBar(SYMBOL, "5m", Instant.ofEpochSecond(bucket), open, high, low, close,
                                volume));
                    }
                    bucket = b;
                    open = price;
                    high = price;
                    low = price;
                    volume = 0;
                }
                high = Math.max(high, price);
                low = Math.min(low, price);
                close = price;
                volume += amount;
            }
            bars.add(new MarketBar(SYMBOL, "5m", Instant.ofEpochSecond(bucket), open, high, low, close, volume));
            return bars;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A demo signal at the close of every bar where the {@code fast}-bar EMA of closes crosses the {@code slow}-bar
     * one (each computed over the bars closed by then): LONG upwards, SHORT downwards.
     */
    public static List<ReplaySignal> emaCross(List<MarketBar> bars, int fast, int slow, String strategy) {
        List<ReplaySignal> out = new ArrayList<>();
        double[] closes = bars.stream().mapToDouble(MarketBar::close).toArray();
        int before = 0;
        for (int i = slow; i < closes.length; i++) {
            double[] known = java.util.Arrays.copyOf(closes, i + 1);
            double f = new Ema(fast).latest(known).orElseThrow().value();
            double s = new Ema(slow).latest(known).orElseThrow().value();
            int side = Double.compare(f, s);
            if (before != 0 && side != 0 && side != before) {
                MarketBar b = bars.get(i);
                out.add(new ReplaySignal(b.openTime().plus(io.riskgate.market.MarketData.duration(b.interval())),
                        b.symbol(), side > 0 ? Side.LONG : Side.SHORT, strategy, Consensus.STRONG, 0.75,
                        OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
                        OptionalDouble.empty()));
            }
            before = side == 0 ? before : side;
        }
        return out;
    }
}
