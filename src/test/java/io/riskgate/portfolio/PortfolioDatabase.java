package io.riskgate.portfolio;

import io.riskgate.policy.Side;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.TestRuntime;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A riskgate database in H2 files under a test's directory, migrated as the service migrates it, with the
 * {@link PortfolioStore} over it and what the portfolio tests need around it: the decision rows reservations and
 * trades refer to, seed 001's trade and reservation, raw reads of single columns, and what an account's book holds
 * (to compare memory with what the database gives back).
 *
 * <p>Seed 001: equity 10,000, BTCUSDT at 50,000, ATR 1,500. The stop is 1.5 ATR = 2,250 below (47,750), so
 * 1R = 2,250; the target 3.75 ATR = 5,625 above (55,625). Risk 1% of 10,000 = 100 over 2,250 sizes 0.0444 BTC,
 * which the $500 position cap brings to 0.01 BTC: the 500 notional an approval reserves.
 */
final class PortfolioDatabase implements AutoCloseable {

    static final Instant T0 = TestRuntime.T0;

    final JdbcDataSource dataSource = new JdbcDataSource();
    final JdbcTemplate jdbc;
    final PortfolioStore store;
    final TransactionTemplate tx;

    /** Opens (creating) {@code dir}/riskgate.mv.db and applies the migrations. */
    PortfolioDatabase(Path dir) {
        // kept open between connections: the files are opened once per class, not once per statement
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("riskgate").toAbsolutePath() + ";DB_CLOSE_DELAY=-1");
        RiskgateRuntime.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        store = new PortfolioStore(dataSource, RiskgateRuntime.jsonMapper());
        tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @Override
    public void close() {
        jdbc.execute("SHUTDOWN");
    }

    static String freshAccount() {
        return "acct-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A symbol no other test uses: "BTC" becomes e.g. "BTCXAFXXBCDUSDT" (accountsTrading is per symbol). */
    static String freshSymbol(String base) {
        return base + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT).replaceAll("[^A-Z]", "X")
                + "USDT";
    }

    /** An approved decision decided at {@code decidedAt} (the account's clock resumes from it); returns its id. */
    String decision(String account, Instant decidedAt) {
        return decision(UUID.randomUUID().toString(), account, decidedAt);
    }

    /** An approved decision with the given id, as the audit writes it in a check's transaction. */
    String decision(String id, String account, Instant decidedAt) {
        jdbc.update("INSERT INTO decision (id, account, symbol, side, outcome, approved, quantity, notional, "
                        + "decided_at, recorded_at, request_json, decision_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                id, account, "BTCUSDT", "LONG", "APPROVED", true, 0.01, 500.0, PortfolioStore.ts(decidedAt),
                PortfolioStore.ts(decidedAt), "{}", "{}");
        return id;
    }

    /** Seed 001's long: 0.01 BTC filled at 50,000, stop 47,750, target 55,625, ATR 1,500. */
    static Trade seed001Trade(String decisionId, String account, String symbol, Instant openedAt) {
        return Trade.opened(UUID.randomUUID().toString(), decisionId, account, symbol, "BTC", null, Side.LONG, 0.01,
                50_000, 47_750, 55_625, 1_500.0, openedAt);
    }

    /** A decision's reservation of seed 001's 500 notional (0.01 x 50,000) on {@code symbol}'s asset BTC. */
    static Reservation reservation(String decisionId, String account, String symbol, Instant expiresAt) {
        return new Reservation(decisionId, account, symbol, "BTC", null, 500.0, expiresAt);
    }

    /** A filled seed 001 trade stored with its decision: the decision is decided at {@code openedAt}. */
    Trade storedTrade(String account, String symbol, Instant openedAt) {
        Trade t = seed001Trade(decision(account, openedAt), account, symbol, openedAt);
        store.insertTrade(t, 0);
        return t;
    }

    /** A reservation stored with its decision, decided at {@code decidedAt}. */
    Reservation storedReservation(String account, String symbol, Instant decidedAt, Instant expiresAt) {
        Reservation r = reservation(decision(account, decidedAt), account, symbol, expiresAt);
        store.insertReservation(r);
        return r;
    }

    /** Sets the trades' own last price, as a mark that wrote them would (mark_seq as it was). */
    void lastPrice(List<Trade> trades, double price) {
        trades.forEach(t -> jdbc.update("UPDATE trade SET last_price = ? WHERE id = ?", price, t.id()));
    }

    double tradeColumn(String tradeId, String column) {
        return jdbc.queryForObject("SELECT " + column + " FROM trade WHERE id = ?", Double.class, tradeId);
    }

    Optional<String> pendingExit(String tradeId) {
        return Optional.ofNullable(jdbc.queryForObject("SELECT pending_exit FROM trade WHERE id = ?", String.class,
                tradeId));
    }

    Optional<Instant> releasedAt(String decisionId) {
        List<Instant> at = jdbc.query("SELECT released_at FROM reservation WHERE decision_id = ?",
                (rs, i) -> PortfolioStore.instant(rs, "released_at"), decisionId);
        return at.isEmpty() ? Optional.empty() : Optional.ofNullable(at.get(0));
    }

    int count(String table, String account) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table + " WHERE account = ?", Integer.class, account);
    }

    /**
     * Everything an account's book holds but the governor's state (its writing is another piece of work's): the
     * equity snapshot, positions, reservations, each live trade's {last, reference} price, closed-trade results and
     * the event clock.
     */
    record Held(Optional<EquitySnapshot> equity, List<Position> positions, List<Reservation> reservations,
                Map<String, List<Double>> prices, List<TradeResult> results, Instant clock) {

        static Held of(AccountBook b) {
            Map<String, List<Double>> prices = new LinkedHashMap<>();
            b.positions().forEach(p -> prices.put(p.tradeId(), List.of(b.lastPrice(p.tradeId()),
                    b.refPrice(p.tradeId()))));
            // advancing to the earliest instant there is reads the clock without moving it
            return new Held(b.equity(), List.copyOf(b.positions()), List.copyOf(b.reservations()), prices,
                    b.recentResults(), b.advance(Instant.MIN));
        }
    }

    /** What the database gives back for the account, read as a restart would. */
    Held stored(String account) {
        return Held.of(store.load(account));
    }
}
