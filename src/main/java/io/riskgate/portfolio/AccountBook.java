package io.riskgate.portfolio;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One account's live state in memory: latest equity, open positions and reservations. It is a write-through
 * copy of the database, loaded once and changed only under the account's lock after the database commit.
 */
public final class AccountBook {

    private final String account;
    private EquitySnapshot equity;
    private Instant clock = Instant.MIN;
    private final Map<String, Position> positions = new LinkedHashMap<>();
    private final Map<String, Reservation> reservations = new LinkedHashMap<>();
    /** Per live trade: {last price seen, reference price} for valuing it since the latest equity snapshot. */
    private final Map<String, double[]> valuations = new LinkedHashMap<>();
    private io.riskgate.portfolio.GovernorState governor = io.riskgate.portfolio.GovernorState.initial();
    /** Results of the latest closed trades, newest first (streak and win-rate rules). */
    private final java.util.ArrayDeque<TradeResult> results = new java.util.ArrayDeque<>();
    /** How many results are kept: the policy's win-rate window and losing streak are capped at it. */
    public static final int RESULTS_KEPT = 1_000;
    /** The latest decided checks' event times (the order-rate throttle). */
    private final RecentChecks recentChecks = new RecentChecks();
    /** The latest stop-outs and the locks officers lifted (controls.cooldown, controls.stoploss_guard). */
    private final StopOuts stopOuts = new StopOuts();

    /** The account's stored version this book was read or last written at (AccountVersions; 0 on H2). */
    private long version;
    /** Per symbol: the latest mark the account's live trades were priced at, as stored (account_mark). */
    private final Map<String, Marked> marks = new java.util.HashMap<>();

    /**
     * The latest mark an account's live trades on a symbol were priced at, as the account_mark table holds it.
     *
     * @param seq moved on by one at each such mark; a trade written at a lower sequence was priced by this mark if it
     *        was open by then and not marked later on its own (PortfolioStore.MARKED)
     */
    public record Marked(long seq, double price, Instant at) {
        /** No mark yet on the symbol: sequence 0, which no trade is below. */
        static final Marked NONE = new Marked(0, Double.NaN, null);
    }

    AccountBook(String account) {
        this.account = account;
    }

    long version() {
        return version;
    }

    void version(long version) {
        this.version = version;
    }

    /** The latest mark the account's live trades on {@code symbol} were priced at ({@link Marked#NONE} if none). */
    public Marked marked(String symbol) {
        return marks.getOrDefault(symbol, Marked.NONE);
    }

    void marked(String symbol, Marked m) {
        marks.put(symbol, m);
    }

    /** The account's latest decided checks and approvals, by event time. */
    public RecentChecks recentChecks() {
        return recentChecks;
    }

    /** The account's latest stop-outs, and the locks lifted. */
    public StopOuts stopOuts() {
        return stopOuts;
    }

    /**
     * The risk at the stop of the orders the account had approved since its governor day began (or all those kept,
     * before the governor first ran), those that lapsed unfilled excepted: its share of the daily risk budgets.
     */
    public double dailyRisk() {
        return recentChecks.riskSince(governor.dayStart());
    }

    /**
     * A book that exists only in memory, for previews (policy scenario tests, what-if): the given equity, open
     * positions valued at {@code lastPrices} (or their entry), and closed-trade results (newest first). Nothing of
     * it is ever stored.
     */

    public static AccountBook preview(String account, EquitySnapshot equity, List<Position> positions,
                                      Map<String, Double> lastPrices, List<TradeResult> results) {
        AccountBook b = new AccountBook(account);
        if (equity != null) {
            b.observe(equity);
            b.advance(equity.observedAt());
        }
        for (Position p : positions) {
            b.open(p);
            double price = lastPrices.getOrDefault(p.tradeId(), p.entryPrice());
            b.value(p.tradeId(), price, price);
        }
        for (int i = results.size() - 1; i >= 0; i--) {
            b.recordResult(results.get(i));
        }
        return b;
    }

    /**
     * A preview book's history for the controls (scenario tests): stop-outs and approvals, oldest first. Not for a
     * live book, whose history comes from the store and its own commits.
     */
    public AccountBook withHistory(List<StopOuts.StopOut> stops, List<RecentChecks.Approval> approvals) {
        stops.forEach(stopOuts::add);
        approvals.forEach(recentChecks::approved);
        return this;
    }

    public String account() {
        return account;
    }

    /**
     * Advances the account's event clock to {@code eventTime} if it is later, and returns the clock. The account's
     * time never runs backwards: a check timed ten minutes in the past neither releases reservations early nor gets
     * a reservation that lapses before the ones already held. Kept to the microsecond, as the databases store the
     * times it resumes from after a restart: a finer clock in memory would differ from the one read back.
     */
    public Instant advance(Instant eventTime) {
        clock = clockAt(eventTime);
        return clock;
    }

    /**
     * The clock {@link #advance} would leave for {@code eventTime}, without moving it: for a change whose writes may
     * still fail, which moves the clock only once they are stored.
     */
    public Instant clockAt(Instant eventTime) {
        Instant t = eventTime.equals(Instant.MIN) ? eventTime
                : eventTime.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        return t.isAfter(clock) ? t : clock;
    }

    /** The account's event clock: the latest event time seen for it ({@link Instant#MIN} before any). */
    public Instant clock() {
        return clock;
    }

    public Optional<EquitySnapshot> equity() {
        return Optional.ofNullable(equity);
    }

    /**
     * Keeps the snapshot with the latest event time: a late, older snapshot does not replace a newer one. A new
     * snapshot becomes the base of {@link #markedEquity()}: every live trade is valued from its last price on, and
     * nothing is realized since it yet.
     */
    boolean observe(EquitySnapshot s) {
        if (equity == null || !s.observedAt().isBefore(equity.observedAt())) {
            equity = s;
            valuations.values().forEach(v -> v[1] = v[0]);
            governor = governor.withSnapshotTaken();
            return true;
        }
        return false;
    }

    /**
     * The account's equity now: the latest snapshot, plus what closes realized since it, plus each live trade's
     * move from its reference price (its price when the snapshot was taken, or its fill) to its last mark. Seed
     * 001's long of 0.01 BTC at 50,000 marked at 49,000 after a 10,000 snapshot: 10,000 - 10 = 9,990. Empty while
     * no snapshot is known.
     */
    public Optional<Double> markedEquity() {
        if (equity == null) {
            return Optional.empty();
        }
        double e = equity.equity() + governor.realizedSinceSnapshot();
        for (Position p : positions.values()) {
            double[] v = valuations.get(p.tradeId());
            if (v != null) {
                e += p.side().sign() * (v[0] - v[1]) * p.quantity();
            }
        }
        return Optional.of(e);
    }

    /** The last price seen for a live trade (its fill until marked). */
    public double lastPrice(String tradeId) {
        double[] v = valuations.get(tradeId);
        return v == null ? Double.NaN : v[0];
    }

    /** The price a live trade is valued from since the latest snapshot. */
    public double refPrice(String tradeId) {
        double[] v = valuations.get(tradeId);
        return v == null ? Double.NaN : v[1];
    }

    void value(String tradeId, double lastPrice, double refPrice) {
        valuations.put(tradeId, new double[] {lastPrice, refPrice});
    }

    void mark(String tradeId, double price) {
        double[] v = valuations.get(tradeId);
        if (v != null) {
            v[0] = price;
        }
    }

    /** Results of the latest closed trades, newest first. */
    public List<TradeResult> recentResults() {
        return List.copyOf(results);
    }

    /** A trade closed for good: its result joins the front. Also used at load, oldest first. */
    void recordResult(TradeResult r) {
        results.addFirst(r);
        while (results.size() > RESULTS_KEPT) {
            results.removeLast();
        }
    }

    public io.riskgate.portfolio.GovernorState governor() {
        return governor;
    }

    /** Replaces the governor's state. Call under the account's lock, with the change stored in the same step. */
    public void governor(io.riskgate.portfolio.GovernorState state) {
        governor = state;
    }

    public Collection<Position> positions() {
        return Collections.unmodifiableCollection(positions.values());
    }

    public Collection<Reservation> reservations() {
        return Collections.unmodifiableCollection(reservations.values());
    }

    void open(Position p) {
        positions.put(p.tradeId(), p);
    }

    void close(String tradeId) {
        positions.remove(tradeId);
        valuations.remove(tradeId);
    }

    void reserve(Reservation r) {
        reservations.put(r.decisionId(), r);
    }

    /** A reservation filled: the position takes its place. */
    void release(String decisionId) {
        reservations.remove(decisionId);
    }

    /** A reservation expired or cancelled unfilled: its approval no longer counts against the daily risk. */
    void lapse(String decisionId) {
        reservations.remove(decisionId);
        recentChecks.lapse(decisionId);
    }

    /** Reservations whose time-to-live has run out at {@code now} (event time). */
    List<Reservation> expiredAt(Instant now) {
        List<Reservation> out = new ArrayList<>();
        for (Reservation r : reservations.values()) {
            if (!now.isBefore(r.expiresAt())) {
                out.add(r);
            }
        }
        return out;
    }

    /** Open positions' notional plus reserved notional. */
    public double exposure() {
        double sum = 0;
        for (Position p : positions.values()) {
            sum += p.notional();
        }
        for (Reservation r : reservations.values()) {
            sum += r.notional();
        }
        return sum;
    }

    public double assetExposure(String asset) {
        double sum = 0;
        for (Position p : positions.values()) {
            if (p.asset().equals(asset)) {
                sum += p.notional();
            }
        }
        for (Reservation r : reservations.values()) {
            if (r.asset().equals(asset)) {
                sum += r.notional();
            }
        }
        return sum;
    }

    public double strategyExposure(String strategy) {
        double sum = 0;
        for (Position p : positions.values()) {
            if (Objects.equals(p.strategy(), strategy)) {
                sum += p.notional();
            }
        }
        for (Reservation r : reservations.values()) {
            if (Objects.equals(r.strategy(), strategy)) {
                sum += r.notional();
            }
        }
        return sum;
    }
}
