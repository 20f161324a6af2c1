package io.riskgate.replay;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.riskgate.decision.Decision;
import io.riskgate.decision.PolicyRef;
import io.riskgate.errors.ConflictException;
import io.riskgate.exits.ExitAction;
import io.riskgate.exits.ExitInstruction;
import io.riskgate.governor.BreakerChange;
import io.riskgate.governor.EmergencyInstruction;
import io.riskgate.lifecycle.CloseRequest;
import io.riskgate.lifecycle.FillRequest;
import io.riskgate.market.Mark;
import io.riskgate.market.MarketBar;
import io.riskgate.market.MarketData;
import io.riskgate.policy.Side;
import io.riskgate.portfolio.EquitySnapshot;
import io.riskgate.portfolio.Trade;
import io.riskgate.runtime.RiskgateRuntime;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;

/**
 * A policy replayed over market history (docs/replay.md): bars and signals are fed in event time through the same
 * code as live trading — a {@link RiskgateRuntime} on an in-memory H2 database of its own, its clock the event's —
 * so a replayed order is decided exactly as the REST check of the same inputs at the same time.
 *
 * <p>Per bar close {@code T}, for the bars closing then: the fills waiting for their symbol's next open are made at
 * the open of the first bar that opens at or after their decision; the bars are stored; every symbol with open
 * trades is marked with its bar's close, high and low, and the exit instructions that close are carried out at their
 * price (a stop-out at the bar's open when the bar opened beyond the stop); the governor's emergency instructions are
 * carried out at the latest closes. Every signal timed before the next bar close is then checked at its time, priced
 * at its symbol's latest close, after the account's equity (cash after fees plus the open trades at their last
 * close) is reported as a broker's feed would; an approval is filled at that close
 * ({@link ReplaySettings.Fill#CLOSE}) or at the next bar's open. Slippage moves every fill and close against the
 * account; the fee is charged on each one's notional. While the account holds no trade and waits for no fill, bars
 * are stored in batches before the next event that reads them. A symbol is priced and marked by its shortest
 * interval's bars.
 */
public final class Replay {

    /** Reports progress: events done of all. */
    public interface Progress {
        void at(long done, long total);

        Progress NONE = (done, total) -> { };
    }

    /** What a replay decided and traded. */
    public record Result(PolicyRef policy, ReplaySettings settings, List<Decision> decisions, List<Trade> trades,
                         List<EquityPoint> equity, List<BreakerChange> breakers, List<String> notes, double fees,
                         long bars, long signals, long eventNanos) {
    }

    /** The account's equity at a bar close: cash after fees plus open trades at their last close. */
    public record EquityPoint(Instant at, double equity) {
    }

    private final RiskgateRuntime rt;
    private final EventClock clock;
    private final ReplaySettings settings;
    private final HikariDataSource pool;
    private final List<Decision> decisions = new ArrayList<>();
    private final Map<String, Trade> trades = new LinkedHashMap<>();
    private final List<EquityPoint> curve = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Double> lastClose = new HashMap<>();
    private final Map<String, ArrayDeque<MarketBar>> dayVolume = new HashMap<>();
    private final Map<String, List<Decision>> waitingForOpen = new HashMap<>();
    /** Per symbol, the shortest interval of its bars: the one that prices and marks it. */
    private final Map<String, String> drivingInterval = new HashMap<>();
    private double cash;
    private double fees;
    private double reported;

    private Replay(Path policies, Path rules, String policyId, ReplaySettings settings, Instant start,
                   HikariDataSource pool) {
        this.settings = settings;
        this.clock = new EventClock(start);
        this.pool = pool;
        this.rt = RiskgateRuntime.startReplay(policies, rules, policyId, pool, clock);
        this.cash = settings.equity();
    }

    /**
     * Replays {@code bars} and {@code signals} under the policy {@code policyId} of {@code policies} (rule files
     * from {@code rules}).
     */
    public static Result run(Path policies, Path rules, String policyId, List<MarketBar> bars,
                             List<ReplaySignal> signals, ReplaySettings settings, Progress progress) {
        return run(policies, rules, policyId, bars, signals, settings, progress, "replay-" + UUID.randomUUID());
    }

    /** As the public {@code run}, over the in-memory database {@code database}, dropped when the replay ends. */
    static Result run(Path policies, Path rules, String policyId, List<MarketBar> bars, List<ReplaySignal> signals,
                      ReplaySettings settings, Progress progress, String database) {
        List<MarketBar> byClose = new ArrayList<>(bars);
        byClose.sort(Comparator.comparing(Replay::closeTime).thenComparing(MarketBar::symbol));
        List<ReplaySignal> inTime = new ArrayList<>(signals);
        inTime.sort(Comparator.comparing(ReplaySignal::time)); // stable: signals at one time keep their order
        if (byClose.isEmpty()) {
            throw new IllegalArgumentException("a replay needs bars");
        }
        Instant start = byClose.get(0).openTime();
        HikariDataSource pool = pool(database);
        Replay r;
        try {
            r = new Replay(policies, rules, policyId, settings, start, pool);
        } catch (RuntimeException | Error e) {
            // a policy that does not compile, say: the database is dropped all the same
            drop(pool, e);
            throw e;
        }
        for (MarketBar b : byClose) {
            r.drivingInterval.merge(b.symbol(), b.interval(), (x, y) -> MarketData.duration(y)
                    .compareTo(MarketData.duration(x)) < 0 ? y : x);
        }
        Throwable failed = null;
        try {
            return r.replay(byClose, inTime, progress);
        } catch (RuntimeException | Error e) {
            failed = e;
            throw e;
        } finally {
            try {
                r.rt.close();
            } catch (RuntimeException e) {
                if (failed == null) {
                    failed = e;
                    throw e;
                }
                failed.addSuppressed(e);
            } finally {
                drop(pool, failed);
            }
        }
    }

    /**
     * The replay's in-memory database, pooled. H2 keeps 8 parsed statements a session by default, fewer than one
     * check runs: 256 spares it re-parsing. HikariCP, not H2's own pool: H2's rolls a connection back whenever it is
     * handed back, which empties that cache, so every statement was parsed again at every event.
     */
    private static HikariDataSource pool(String database) {
        HikariConfig pooled = new HikariConfig();
        pooled.setJdbcUrl("jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1;QUERY_CACHE_SIZE=256");
        pooled.setPoolName("replay");
        pooled.setMaximumPoolSize(4);
        pooled.setMinimumIdle(1);
        return new HikariDataSource(pooled);
    }

    /**
     * Drops the replay's database: {@code DB_CLOSE_DELAY=-1} keeps an in-memory H2 database for as long as the JVM
     * runs, so without {@code SHUTDOWN} every replay a server ran would stay in its heap.
     */
    private static void drop(HikariDataSource pool, Throwable failed) {
        String url = pool.getJdbcUrl();
        pool.close();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            IllegalStateException dropFailed = new IllegalStateException("cannot drop the replay's database: "
                    + e.getMessage(), e);
            if (failed == null) {
                throw dropFailed;
            }
            failed.addSuppressed(dropFailed); // the replay's own failure is the one to report
        }
    }

    private Result replay(List<MarketBar> bars, List<ReplaySignal> signals, Progress progress) {
        long total = bars.size() + signals.size();
        long done = 0;
        long started = System.nanoTime(); // how long the events took (reported, never decided on)
        rt.portfolio().reportEquity(new EquitySnapshot(settings.account(), settings.equity(), clock.instant()));
        reported = settings.equity();
        int b = 0;
        int s = 0;
        while (b < bars.size() || s < signals.size()) {
            Instant barClose = b < bars.size() ? closeTime(bars.get(b)) : Instant.MAX;
            if (s < signals.size() && signals.get(s).time().isBefore(barClose)) {
                signal(signals.get(s++));
                done++;
            } else {
                int end = b;
                while (end < bars.size() && closeTime(bars.get(end)).equals(barClose)) {
                    end++;
                }
                barsClosing(bars.subList(b, end), barClose);
                done += end - b;
                b = end;
            }
            if ((done & 1023) == 0 || done == total) {
                progress.at(done, total);
            }
        }
        store();
        List<Trade> finalTrades = trades.keySet().stream()
                .map(id -> rt.portfolio().store().trade(id).orElseThrow()).toList();
        List<BreakerChange> breakers = new ArrayList<>(rt.governor().store().changes(settings.account(), 10_000));
        java.util.Collections.reverse(breakers);
        return new Result(PolicyRef.of(rt.registry().forAccountOrDefault(settings.account())), settings,
                List.copyOf(decisions), finalTrades, List.copyOf(curve), breakers, List.copyOf(notes), fees,
                bars.size(), signals.size(), System.nanoTime() - started);
    }

    private static Instant closeTime(MarketBar b) {
        return b.openTime().plus(MarketData.duration(b.interval()));
    }

    /**
     * Bars stored in one batch later: while the account holds no trade and waits for no fill, a bar changes nothing
     * but the history, so consecutive ones are stored together before the next event that reads them (a signal, a
     * trade to mark, the end). Checks read exactly the bars closed by their time either way.
     */
    private final List<MarketBar> unstored = new ArrayList<>();

    private void store() {
        for (int i = 0; i < unstored.size(); i += MAX_BATCH) {
            rt.market().ingest(unstored.subList(i, Math.min(unstored.size(), i + MAX_BATCH)));
        }
        unstored.clear();
    }

    /** The most bars stored in one transaction. */
    private static final int MAX_BATCH = 10_000;

    /** The bars closing at {@code t}: fills at their open, stored, marks, closes, equity. */
    private void barsClosing(List<MarketBar> closing, Instant t) {
        clock.advance(t);
        if (waitingForOpen.isEmpty() && trades.values().stream().noneMatch(Replay::open)) {
            unstored.addAll(closing);
            closing.stream().filter(this::driving).forEach(bar -> known(bar, t));
            curve.add(new EquityPoint(t, equity()));
            return;
        }
        store();
        for (MarketBar bar : closing) {
            List<Decision> waiting = driving(bar) ? waitingForOpen.get(bar.symbol()) : null;
            if (waiting != null) {
                // the next open after the decision: a bar that opened before it (a signal between two closes) is not
                waiting.removeIf(d -> {
                    if (bar.openTime().isBefore(d.timestamp())) {
                        return false;
                    }
                    fill(d, bar.open(), bar.openTime());
                    return true;
                });
                if (waiting.isEmpty()) {
                    waitingForOpen.remove(bar.symbol());
                }
            }
        }
        rt.market().ingest(closing);
        for (MarketBar bar : closing) {
            if (!driving(bar)) {
                continue;
            }
            known(bar, t);
            if (trades.values().stream().anyMatch(x -> x.symbol().equals(bar.symbol()) && open(x))) {
                for (ExitInstruction i : rt.exits().mark(new Mark(bar.symbol(), bar.close(), bar.high(), bar.low(),
                        t))) {
                    if (i.action() == ExitAction.CLOSE || i.action() == ExitAction.CLOSE_PARTIAL) {
                        close(i.tradeId(), i.quantity(), gapped(i, bar), t, i.code());
                    }
                }
            }
        }
        emergencies(t);
        curve.add(new EquityPoint(t, equity()));
    }

    /**
     * Reports the account's equity (fees and slippage included, as a broker's feed would) when it changed since the
     * last report: before each check, so the order is sized from it. Between checks the governor values the open
     * trades from the marks itself.
     */
    private void reportEquity(Instant t) {
        double equity = equity();
        if (equity != reported) {
            rt.portfolio().reportEquity(new EquitySnapshot(settings.account(), equity, t));
            reported = equity;
        }
    }

    /**
     * The price a stop-out is carried out at: the stop, unless the bar opened beyond it (a gap, or a fill at an open
     * already past the stop), when nothing traded at the stop after the open and the open is the price.
     */
    private double gapped(ExitInstruction i, MarketBar bar) {
        Trade t = trades.get(i.tradeId());
        if (i.price() == null || t == null || !"STOP_LOSS_HIT".equals(i.code())) {
            return i.price() == null ? bar.close() : i.price();
        }
        boolean beyond = t.side() == Side.LONG ? bar.open() < i.price() : bar.open() > i.price();
        return beyond ? bar.open() : i.price();
    }

    /**
     * Whether {@code bar} is of the interval that prices its symbol: the shortest interval the replay has bars of for
     * it. Bars of longer intervals are stored (the policy may read them) but neither price nor mark the symbol.
     */
    private boolean driving(MarketBar bar) {
        return bar.interval().equals(drivingInterval.get(bar.symbol()));
    }

    /** A bar closed at {@code t}: its close is the symbol's price, its volume joins the last 24 hours'. */
    private void known(MarketBar bar, Instant t) {
        lastClose.put(bar.symbol(), bar.close());
        ArrayDeque<MarketBar> day = dayVolume.computeIfAbsent(bar.symbol(), k -> new ArrayDeque<>());
        day.addLast(bar);
        while (!day.isEmpty() && !closeTime(day.peekFirst()).isAfter(t.minus(Duration.ofDays(1)))) {
            day.removeFirst();
        }
    }

    /** The governor's emergency instructions (a breaker's CLOSE_ALL or REDUCE), carried out at the last closes. */
    private void emergencies(Instant t) {
        for (EmergencyInstruction e : rt.governor().instructions(settings.account(), true)) {
            for (String tradeId : e.tradeIds()) {
                Trade trade = trades.get(tradeId);
                if (trade != null && open(trade)) {
                    double q = e.fraction() == null ? trade.openQuantity() : trade.openQuantity() * e.fraction();
                    close(tradeId, q, lastClose.get(trade.symbol()), t, e.code());
                }
            }
            rt.governor().acknowledge(settings.account(), "replay", e.instructionId(),
                    Optional.of("carried out at the last closes"));
        }
    }

    /** A signal checked at its time, priced at its symbol's latest close; an approval filled as the settings say. */
    private void signal(ReplaySignal sig) {
        clock.advance(sig.time());
        store();
        Double price = lastClose.get(sig.symbol());
        if (price == null) {
            notes.add(sig.time() + " " + sig.symbol() + ": no bar of " + sig.symbol() + " closed by the signal's "
                    + "time, so no price to check it at: skipped");
            return;
        }
        reportEquity(sig.time());
        Decision d;
        try {
            d = rt.engine().check(checkOf(sig, price));
        } catch (io.riskgate.order.InvalidRequestException e) {
            notes.add(sig.time() + " " + sig.symbol() + ": the signal's check was refused as malformed, as "
                    + "POST /api/v1/checks would answer 400 (" + e.getMessage() + "): skipped");
            return;
        }
        decisions.add(d);
        if (d.approved()) {
            if (settings.fill() == ReplaySettings.Fill.CLOSE) {
                fill(d, price, sig.time());
            } else {
                waitingForOpen.computeIfAbsent(sig.symbol(), k -> new ArrayList<>()).add(d);
            }
        }
    }

    /** The check a signal makes, as its REST body would be. */
    private ObjectNode checkOf(ReplaySignal sig, double price) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("account", settings.account());
        c.put("symbol", sig.symbol());
        c.put("side", sig.side().name());
        if (sig.strategy() != null) {
            c.put("strategy", sig.strategy());
        }
        ObjectNode signal = c.putObject("signal");
        signal.put("consensus", sig.consensus().name());
        signal.put("confidence", sig.confidence());
        sig.strength().ifPresent(x -> signal.put("strength", x));
        ObjectNode market = c.putObject("market");
        market.put("price", price);
        sig.atr().ifPresent(x -> market.put("atr", x));
        sig.ema200().ifPresent(x -> market.put("ema200", x));
        market.put("volume24h", volume24h(sig.symbol()));
        market.put("spreadBps", settings.spreadBps());
        market.put("timestamp", sig.time().toString());
        sig.entry().ifPresent(x -> c.put("entry", x));
        sig.stopLoss().ifPresent(x -> c.put("stopLoss", x));
        sig.takeProfit().ifPresent(x -> c.put("takeProfit", x));
        return c;
    }

    /** The symbol's traded value over the bars of the last 24 hours: volume x close, summed. */
    private double volume24h(String symbol) {
        double v = 0;
        for (MarketBar b : dayVolume.getOrDefault(symbol, new ArrayDeque<>())) {
            v += b.volume() * b.close();
        }
        return v;
    }

    private void fill(Decision d, double price, Instant at) {
        double p = slipped(price, d.side(), true);
        try {
            Trade t = rt.trades().fill(new FillRequest(d.decisionId(), p, d.quantity(), Optional.of(at))).trade();
            trades.put(t.id(), t);
            charge(t.quantity() * p);
        } catch (ConflictException | IllegalArgumentException e) {
            notes.add(at + " " + d.symbol() + ": the fill of decision " + d.decisionId() + " at " + p
                    + " was refused (" + e.getMessage() + ")");
            try {
                rt.trades().cancel(d.decisionId());
            } catch (RuntimeException alreadyReleased) {
                // its reservation lapsed: nothing to release
            }
        }
    }

    private void close(String tradeId, double quantity, double price, Instant at, String why) {
        Trade before = trades.get(tradeId);
        double p = slipped(price, before.side(), false);
        Trade after = rt.trades().close(tradeId, new CloseRequest(p, OptionalDouble.of(Math.min(quantity,
                before.openQuantity())), Optional.of(why), Optional.of(at)));
        cash += before.side().sign() * (p - before.entryPrice()) * (before.openQuantity() - after.openQuantity());
        charge((before.openQuantity() - after.openQuantity()) * p);
        trades.put(tradeId, after);
    }

    private void charge(double notional) {
        double fee = notional * settings.feeBps() / 10_000;
        fees += fee;
        cash -= fee;
    }

    /** {@code price} moved against the account by the slippage: buying pays more, selling gets less. */
    private double slipped(double price, Side side, boolean opening) {
        boolean buying = (side == Side.LONG) == opening;
        double slip = settings.slippageBps() / 10_000;
        return buying ? price * (1 + slip) : price * (1 - slip);
    }

    private double equity() {
        double e = cash;
        for (Trade t : trades.values()) {
            if (open(t)) {
                e += t.side().sign() * (lastClose.getOrDefault(t.symbol(), t.entryPrice()) - t.entryPrice())
                        * t.openQuantity();
            }
        }
        return e;
    }

    private static boolean open(Trade t) {
        return !t.state().isClosed() && t.openQuantity() > 0;
    }
}
