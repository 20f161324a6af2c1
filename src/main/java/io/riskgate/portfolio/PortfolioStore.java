package io.riskgate.portfolio;

import io.riskgate.database.AccountVersions;
import io.riskgate.database.RowIds;
import io.riskgate.policy.Side;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** JDBC access to equity snapshots, reservations and trades. Writes join the caller's transaction. */
public final class PortfolioStore {

    /**
     * The closed states as an SQL list, ('CLOSED_TP', ...): a trade is live when its state is not in it. Not
     * {@code LIKE 'CLOSED%'}: H2 parses and plans a statement with LIKE again at every execution, which made the
     * reads of a mark over 250 accounts a tenth of its CPU.
     */
    private static final String CLOSED = java.util.Arrays.stream(TradeState.values()).filter(TradeState::isClosed)
            .map(s -> "'" + s.name() + "'").collect(java.util.stream.Collectors.joining(", ", "(", ")"));
    /**
     * Whether live trade {@code t} was priced by {@code m}, its account's latest mark on its symbol (account_mark,
     * V23), since its row was last written: the row's sequence is past the trade's (the mark came after the write),
     * the trade was open by the mark's time and not marked later on its own (else the exit rules skipped it: a trade
     * written with a later mark, when the row was not moved, and a delayed mark that moved it after). Such a trade's
     * last price and last mark time are the row's. The one definition, for every read of a trade ({@link #TRADES})
     * and for {@link #rebaseRefPrices}. Times compare to the microsecond in the database; marks and fills keep no
     * finer time (Mark, Trade.opened), so the exit rules compare the same way.
     */
    static final String MARKED = "(m.seq > t.mark_seq AND m.marked_at >= t.opened_at AND (t.last_mark_at IS NULL "
            + "OR t.last_mark_at <= m.marked_at) AND t.state NOT IN " + CLOSED + ")";
    /** A trade (alias t) with its last price and last mark time as they stand: price_now, marked_at_now. */
    private static final String TRADES = "SELECT t.*, CASE WHEN " + MARKED + " THEN m.price ELSE t.last_price END "
            + "AS price_now, CASE WHEN " + MARKED + " THEN m.marked_at ELSE t.last_mark_at END AS marked_at_now "
            + "FROM trade t LEFT JOIN account_mark m ON m.account = t.account AND m.symbol = t.symbol";
    /** An account's live trades, as {@link #TRADES} reads them (the account the one parameter). */
    private static final String LIVE_TRADES = TRADES + " WHERE t.account = ? AND t.state NOT IN " + CLOSED;

    private final JdbcTemplate jdbc;
    /** Writes an account's governor state, replacing the one before. */
    private final String saveGovernor;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final RowIds equityIds;
    private final RowIds closeIds;
    private final RowIds liftIds;
    private final AccountVersions versions;
    private final FirmShares firmShares;

    public PortfolioStore(DataSource dataSource, com.fasterxml.jackson.databind.ObjectMapper json) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.saveGovernor = io.riskgate.database.Dialect.of(dataSource).upsert("governor_state", List.of("account"),
                List.of("account", "state_json", "updated_at"));
        this.json = json;
        this.equityIds = RowIds.of(dataSource, "equity_snapshot", "id");
        this.closeIds = RowIds.of(dataSource, "trade_close", "id");
        this.liftIds = RowIds.of(dataSource, "lock_lift", "id");
        this.versions = AccountVersions.of(dataSource);
        this.firmShares = FirmShares.of(dataSource);
    }

    /** The firm limits' shares, stored when several processes share the database. */
    public FirmShares firmShares() {
        return firmShares;
    }

    /** The accounts' versions, compared by every write when several processes share the database. */
    public AccountVersions versions() {
        return versions;
    }

    static OffsetDateTime ts(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static Double nullableDouble(ResultSet rs, String col) throws SQLException {
        double v = rs.getDouble(col);
        return rs.wasNull() ? null : v;
    }

    /** Reads an account's state from the database. */
    AccountBook load(String account) {
        AccountBook book = new AccountBook(account);
        // first: the state read after it is at least as new (AccountVersions.read)
        book.version(versions.read(account));
        // the account's event clock resumes from the latest event time stored for it: decisions, fills, closes,
        // marks, equity snapshots, and (below) the governor's last measure, which a batch of bars may have moved
        for (String sql : List.of("SELECT MAX(decided_at) AS t FROM decision WHERE account = ?",
                "SELECT MAX(opened_at) AS t FROM trade WHERE account = ?",
                "SELECT MAX(closed_at) AS t FROM trade WHERE account = ?",
                "SELECT MAX(c.closed_at) AS t FROM trade_close c JOIN trade r ON r.id = c.trade_id WHERE r.account = ?",
                "SELECT MAX(last_mark_at) AS t FROM trade WHERE account = ?",
                "SELECT MAX(marked_at) AS t FROM account_mark WHERE account = ?",
                "SELECT MAX(observed_at) AS t FROM equity_snapshot WHERE account = ?")) {
            jdbc.query(sql, rs -> {
                Instant t = instant(rs, "t");
                if (t != null) {
                    book.advance(t);
                }
            }, account);
        }
        // the latest decided checks, oldest first, for the order-rate throttle (not those it refused itself)
        List<Object[]> checks = jdbc.query("SELECT d.decided_at, d.strategy FROM decision d WHERE d.account = ? "
                        + "AND NOT EXISTS (SELECT 1 FROM decision_code r WHERE r.decision_id = d.id "
                        + "AND r.code = ?) ORDER BY d.decided_at DESC LIMIT " + RecentChecks.KEPT,
                (rs, i) -> new Object[] {instant(rs, "decided_at"), rs.getString("strategy")}, account,
                RecentChecks.THROTTLED);
        for (int i = checks.size() - 1; i >= 0; i--) {
            book.recentChecks().add((Instant) checks.get(i)[0], (String) checks.get(i)[1]);
        }
        // the latest approvals of new positions, oldest first, at the account's clock when approved, for the
        // duplicate-order control and the daily risk budgets; and the reduce-only approvals still holding
        List<Object[]> approvals = jdbc.query("SELECT a.*, r.release_reason FROM approval a LEFT JOIN reservation r "
                        + "ON r.decision_id = a.decision_id WHERE a.account = ? AND NOT a.reduce_only "
                        + "ORDER BY a.approved_at DESC LIMIT " + RecentChecks.KEPT,
                (rs, i) -> new Object[] {new RecentChecks.Approval(rs.getString("decision_id"),
                        instant(rs, "approved_at"), rs.getString("symbol"), Side.valueOf(rs.getString("side")),
                        rs.getString("strategy"), rs.getDouble("quantity"), rs.getDouble("risk_at_stop")),
                        rs.getString("release_reason")}, account);
        for (int i = approvals.size() - 1; i >= 0; i--) {
            RecentChecks.Approval a = (RecentChecks.Approval) approvals.get(i)[0];
            book.recentChecks().approved(a);
            if (approvals.get(i)[1] != null && LAPSED.contains(approvals.get(i)[1])) {
                book.recentChecks().lapse(a.decisionId());
            }
        }
        // the latest stop-outs, oldest first, and the locks officers lifted (controls.cooldown, stoploss_guard)
        List<StopOuts.StopOut> stops = jdbc.query("SELECT id, symbol, stopped_out_at FROM trade WHERE account = ? "
                        + "AND state = 'CLOSED_SL' ORDER BY stopped_out_at DESC LIMIT " + StopOuts.KEPT,
                (rs, i) -> new StopOuts.StopOut(rs.getString("id"), rs.getString("symbol"),
                        instant(rs, "stopped_out_at")), account);
        for (int i = stops.size() - 1; i >= 0; i--) {
            book.stopOuts().add(stops.get(i));
        }
        jdbc.query("SELECT * FROM lock_lift WHERE account = ? ORDER BY id", rs -> {
            book.stopOuts().lift(new StopOuts.Lift(rs.getString("code"), rs.getString("symbol"),
                    instant(rs, "lock_until"), rs.getString("actor"), rs.getString("reason"),
                    instant(rs, "lifted_at")));
        }, account);
        jdbc.query("SELECT equity, observed_at FROM equity_snapshot WHERE account = ? "
                        + "ORDER BY observed_at DESC, id DESC LIMIT 1",
                rs -> {
                    book.observe(new EquitySnapshot(account, rs.getDouble("equity"), instant(rs, "observed_at")));
                }, account);
        // the live trades, each valued from its last price as it stands (its own, or its account's latest mark's)
        jdbc.query(LIVE_TRADES + " ORDER BY t.opened_at", rs -> {
            Trade t = trade(rs, 0);
            book.open(t.position());
            book.value(t.id(), rs.getDouble("price_now"), rs.getDouble("ref_price"));
        }, account);
        jdbc.query("SELECT symbol, seq, price, marked_at FROM account_mark WHERE account = ?", rs -> {
            book.marked(rs.getString("symbol"), new AccountBook.Marked(rs.getLong("seq"), rs.getDouble("price"),
                    instant(rs, "marked_at")));
        }, account);
        List<Trade> closed = closedTrades(account, AccountBook.RESULTS_KEPT);
        for (int i = closed.size() - 1; i >= 0; i--) {
            if (closed.get(i).result() != null) {
                book.recordResult(closed.get(i).result());
            }
        }
        jdbc.query("SELECT state_json FROM governor_state WHERE account = ?", rs -> {
            try {
                book.governor(json.readValue(rs.getString(1), io.riskgate.portfolio.GovernorState.class));
                if (book.governor().lastEventAt() != null) {
                    book.advance(book.governor().lastEventAt());
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("the governor state of account " + account + " is unreadable", e);
            }
        }, account);
        jdbc.query("SELECT * FROM reservation WHERE account = ? AND released_at IS NULL ORDER BY expires_at",
                rs -> {
                    book.reserve(new Reservation(rs.getString("decision_id"), account, rs.getString("symbol"),
                            rs.getString("asset"), rs.getString("strategy"), rs.getDouble("notional"),
                            instant(rs, "expires_at")));
                }, account);
        // the reduce-only approvals still holding part of a position, less what closes reported since carried out
        Instant now = book.clock();
        List<RecentChecks.Reduction> holding = jdbc.query("SELECT * FROM approval WHERE account = ? AND reduce_only "
                        + "AND expires_at > ? ORDER BY approved_at", (rs, i) -> new RecentChecks.Reduction(
                        instant(rs, "approved_at"), rs.getString("symbol"),
                        Side.valueOf(rs.getString("side")), rs.getDouble("quantity"), instant(rs, "expires_at")),
                account, ts(now.equals(Instant.MIN) ? Instant.EPOCH : now));
        if (!holding.isEmpty()) {
            holding.forEach(book.recentChecks()::reducing);
            jdbc.query("SELECT c.quantity, c.closed_at, t.symbol, t.side FROM trade_close c JOIN trade t "
                    + "ON t.id = c.trade_id WHERE t.account = ? AND c.closed_at >= ? ORDER BY c.closed_at, c.id",
                    rs -> {
                        book.recentChecks().reduced(rs.getString("symbol"), Side.valueOf(rs.getString("side")),
                                rs.getDouble("quantity"), instant(rs, "closed_at"));
                    }, account, ts(holding.get(0).at()));
        }
        return book;
    }

    /** Release reasons of a reservation that never reached the market. */
    private static final java.util.Set<String> LAPSED = java.util.Set.of(ReservationRelease.EXPIRED.name(),
            ReservationRelease.CANCELLED.name());

    /**
     * Records an approval at the account's clock {@code at}; a reduce-only one holds its position quantity until
     * {@code expiresAt} (null otherwise).
     */
    public void insertApproval(RecentChecks.Approval a, String account, boolean reduceOnly, Instant expiresAt) {
        jdbc.update("INSERT INTO approval (decision_id, account, approved_at, symbol, side, strategy, quantity, "
                + "risk_at_stop, reduce_only, expires_at) VALUES (?,?,?,?,?,?,?,?,?,?)", a.decisionId(), account,
                ts(a.at()), a.symbol(), a.side().name(), a.strategy(), a.quantity(), a.riskAtStop(), reduceOnly,
                ts(expiresAt));
    }

    void insertLift(String account, StopOuts.Lift l) {
        jdbc.update("INSERT INTO lock_lift (id, account, code, symbol, lock_until, actor, reason, lifted_at) "
                + "VALUES (?,?,?,?,?,?,?,?)", liftIds.next(), account, l.code(), l.symbol(), ts(l.until()), l.actor(),
                l.reason(), ts(l.liftedAt()));
    }

    /**
     * Every account's share of the firm limits as stored: open trades' and live reservations' notional, and the
     * risk at the stop of the approvals since its governor day began that did not lapse unfilled.
     */
    FirmLedger firmLedger() {
        FirmLedger ledger = FirmLedger.empty();
        Map<String, double[]> shares = new java.util.HashMap<>();
        jdbc.query("SELECT account, SUM(open_quantity * entry_price) AS n FROM trade WHERE state NOT IN " + CLOSED + " "
                + "GROUP BY account", rs -> {
            shares.computeIfAbsent(rs.getString("account"), a -> new double[2])[0] += rs.getDouble("n");
        });
        jdbc.query("SELECT account, SUM(notional) AS n FROM reservation WHERE released_at IS NULL GROUP BY account",
                rs -> {
                    shares.computeIfAbsent(rs.getString("account"), a -> new double[2])[0] += rs.getDouble("n");
                });
        jdbc.query("SELECT account, state_json FROM governor_state", rs -> {
            Instant dayStart;
            try {
                dayStart = json.readValue(rs.getString("state_json"), GovernorState.class).dayStart();
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("the governor state of account " + rs.getString("account")
                        + " is unreadable", e);
            }
            if (dayStart != null) {
                Double risk = jdbc.queryForObject("SELECT SUM(a.risk_at_stop) FROM approval a LEFT JOIN reservation r "
                        + "ON r.decision_id = a.decision_id WHERE a.account = ? AND a.approved_at >= ? "
                        + "AND (r.release_reason IS NULL OR r.release_reason NOT IN ('EXPIRED', 'CANCELLED'))",
                        Double.class, rs.getString("account"), ts(dayStart));
                shares.computeIfAbsent(rs.getString("account"), a -> new double[2])[1] += risk == null ? 0 : risk;
            }
        });
        shares.forEach((account, share) -> ledger.publish(account, share[0], share[1]));
        return ledger;
    }

    void insertEquity(EquitySnapshot s, String source, Instant recordedAt) {
        jdbc.update("INSERT INTO equity_snapshot (id, account, equity, observed_at, recorded_at, source) "
                + "VALUES (?, ?, ?, ?, ?, ?)", equityIds.next(), s.account(), s.equity(), ts(s.observedAt()), ts(recordedAt), source);
    }

    void insertReservation(Reservation r) {
        jdbc.update("INSERT INTO reservation (decision_id, account, symbol, asset, strategy, notional, expires_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)", r.decisionId(), r.account(), r.symbol(), r.asset(),
                r.strategy(), r.notional(), ts(r.expiresAt()));
    }

    void releaseReservation(String decisionId, Instant at, ReservationRelease reason) {
        jdbc.update("UPDATE reservation SET released_at = ?, release_reason = ? "
                + "WHERE decision_id = ? AND released_at IS NULL", ts(at), reason.name(), decisionId);
    }

    /** Why a decision's reservation was released, empty while it still holds. */
    public Optional<ReservationRelease> reservationRelease(String decisionId) {
        return jdbc.queryForList("SELECT release_reason FROM reservation WHERE decision_id = ? "
                + "AND released_at IS NOT NULL", String.class, decisionId).stream().findFirst()
                .map(ReservationRelease::valueOf);
    }

    /** The asset an approved decision reserved against. */
    public Optional<String> reservationAsset(String decisionId) {
        return jdbc.queryForList("SELECT asset FROM reservation WHERE decision_id = ?", String.class, decisionId)
                .stream().findFirst();
    }

    /**
     * Stores a new trade, valued at its entry; {@code markSeq}: its account's latest mark sequence on the symbol (a
     * mark applied before this fill, which did not price the trade: AccountBook.Marked).
     */
    void insertTrade(Trade t, long markSeq) {
        jdbc.update("INSERT INTO trade (id, decision_id, account, symbol, asset, strategy, side, quantity, "
                        + "open_quantity, entry_price, initial_stop, stop_loss, take_profit, atr, opened_at, state, "
                        + "best_price, worst_price, last_price, ref_price, mark_seq) "
                        + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                t.id(), t.decisionId(), t.account(), t.symbol(), t.asset(), t.strategy(), t.side().name(),
                t.quantity(), t.openQuantity(), t.entryPrice(), t.initialStop(), t.stopLoss(), t.takeProfit(),
                t.atr(), ts(t.openedAt()), t.state().name(), t.progress().bestPrice(), t.progress().worstPrice(),
                t.entryPrice(), t.entryPrice(), markSeq);
    }

    /**
     * A mark's writes for trades whose stored row must say it: each trade's exit state (stop, state, best and worst
     * price, when it was last marked, the steps taken), its last price and the account's mark sequence it stands at,
     * one statement per trade, sent as one batch. Trades the mark priced but did not change are not written: they
     * take the account's mark row ({@link #saveMark}, {@link #MARKED}).
     */
    void updateMarked(List<Trade> trades, java.util.function.ToDoubleFunction<Trade> price, long markSeq,
                      java.util.Map<String, Long> lastInstruction) {
        if (!trades.isEmpty()) {
            jdbc.batchUpdate("UPDATE trade SET stop_loss = ?, state = ?, best_price = ?, worst_price = ?, "
                    + "last_mark_at = ?, breakeven_done = ?, partial_done = ?, trailing_active = ?, pending_exit = ?, "
                    + "last_price = ?, mark_seq = ?, last_instruction_seq = COALESCE(CAST(? AS BIGINT), "
                    + "last_instruction_seq) WHERE id = ?", trades.stream().map(t -> {
                        ExitProgress p = t.progress();
                        return new Object[] {t.stopLoss(), t.state().name(), p.bestPrice(), p.worstPrice(),
                                ts(p.lastMarkAt()), p.breakeven(), p.partial(), p.trailing(),
                                p.pendingExit() == null ? null : p.pendingExit().name(), price.applyAsDouble(t),
                                markSeq, lastInstruction.get(t.id()), t.id()};
                    }).toList());
        }
        // an instruction for a trade the mark did not otherwise write (an ERROR for a trade the rules could not
        // evaluate, when the account's row does not move): its latest place is kept too, or its walk would skip it
        java.util.Set<String> written = new java.util.HashSet<>();
        trades.forEach(t -> written.add(t.id()));
        lastInstruction.forEach((trade, seq) -> {
            if (!written.contains(trade)) {
                jdbc.update("UPDATE trade SET last_instruction_seq = ? WHERE id = ?", seq, trade);
            }
        });
    }

    /** The account's latest mark on a symbol ({@code first}: the account has no row for it yet). */
    void saveMark(String account, String symbol, AccountBook.Marked m, boolean first) {
        if (first) {
            jdbc.update("INSERT INTO account_mark (account, symbol, seq, price, marked_at) VALUES (?,?,?,?,?)",
                    account, symbol, m.seq(), m.price(), ts(m.at()));
        } else {
            jdbc.update("UPDATE account_mark SET seq = ?, price = ?, marked_at = ? WHERE account = ? AND symbol = ?",
                    m.seq(), m.price(), ts(m.at()), account, symbol);
        }
    }

    /** After a new equity snapshot, every live trade is valued from its last price (as it stands) on. */
    void rebaseRefPrices(String account) {
        jdbc.update("UPDATE trade t SET ref_price = COALESCE((SELECT m.price FROM account_mark m WHERE "
                + "m.account = t.account AND m.symbol = t.symbol AND " + MARKED + "), t.last_price) "
                + "WHERE t.account = ? AND t.state NOT IN " + CLOSED, account);
    }

    /** The last price of each of an account's live trades, as it stands, by trade id. */
    public Map<String, Double> lastPrices(String account) {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        jdbc.query(LIVE_TRADES + " ORDER BY t.opened_at, t.id", rs -> {
            out.put(rs.getString("id"), rs.getDouble("price_now"));
        }, account);
        return out;
    }

    /** Stores the governor's state of an account (one row per account). */
    public void saveGovernor(String account, io.riskgate.portfolio.GovernorState state, Instant at) {
        saveGovernor(account, governorJson(account, state), at);
    }

    /** Stores a governor state written by {@link #governorJson} (on the caller's thread, before the unit). */
    public void saveGovernor(String account, String stateJson, Instant at) {
        jdbc.update(saveGovernor, account, stateJson, ts(at));
    }

    /** The governor state as it is stored. */
    public String governorJson(String account, io.riskgate.portfolio.GovernorState state) {
        try {
            return json.writeValueAsString(state);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the governor state of " + account, e);
        }
    }

    /**
     * Marks live trades as to be closed by a breaker's emergency instruction: their close, when reported, ends
     * them CLOSED_BREAKER. Trades with an exit already outstanding keep it.
     */
    public void markBreakerExit(List<String> tradeIds) {
        for (String id : tradeIds) {
            jdbc.update("UPDATE trade SET pending_exit = 'CLOSED_BREAKER' WHERE id = ? AND pending_exit IS NULL "
                    + "AND state NOT IN " + CLOSED, id);
        }
    }

    /** Live trades named by an acknowledged emergency instruction go back under the exit rules. */
    public void clearBreakerExit(List<String> tradeIds) {
        for (String id : tradeIds) {
            jdbc.update("UPDATE trade SET pending_exit = NULL WHERE id = ? AND pending_exit = 'CLOSED_BREAKER' "
                    + "AND state NOT IN " + CLOSED, id);
        }
    }


    /** Writes what a mark changed: the stop, the state and the exit progress. Joins the caller's transaction. */
    public void updateExitState(Trade t) {
        ExitProgress p = t.progress();
        jdbc.update("UPDATE trade SET stop_loss = ?, state = ?, best_price = ?, worst_price = ?, last_mark_at = ?, "
                        + "breakeven_done = ?, partial_done = ?, trailing_active = ?, pending_exit = ? WHERE id = ?",
                t.stopLoss(), t.state().name(), p.bestPrice(), p.worstPrice(), ts(p.lastMarkAt()), p.breakeven(),
                p.partial(), p.trailing(), p.pendingExit() == null ? null : p.pendingExit().name(), t.id());
    }

    /** Records one close (partial or final) and the trade as it stands after it. */
    void closeTrade(Trade after, double quantity, double price, String reason, Instant at, Instant recordedAt) {
        closeTrade(after, quantity, price, reason, at, recordedAt,
                after.state() == TradeState.CLOSED_SL ? at : null);
    }

    /** As above; {@code stoppedOutAt}: the account's clock when a stop-out was reported (null for other closes). */
    void closeTrade(Trade after, double quantity, double price, String reason, Instant at, Instant recordedAt,
                    Instant stoppedOutAt) {
        // a final close keeps the mark time as it stands (a closed trade no longer takes its account's mark row,
        // MARKED); a partial one leaves the trade's own columns as they were, the row still pricing it
        jdbc.update("UPDATE trade SET open_quantity = ?, state = ?, closed_at = ?, exit_price = ?, realized_pnl = ?, "
                        + "result = ?, pending_exit = ?, stopped_out_at = ?, last_mark_at = CASE WHEN ? THEN ? "
                        + "ELSE last_mark_at END WHERE id = ?",
                after.openQuantity(), after.state().name(), ts(after.closedAt()), after.exitPrice(),
                after.realizedPnl(), after.result() == null ? null : after.result().name(),
                after.progress().pendingExit() == null ? null : after.progress().pendingExit().name(),
                ts(stoppedOutAt), after.state().isClosed(), ts(after.progress().lastMarkAt()), after.id());
        jdbc.update("INSERT INTO trade_close (id, trade_id, closed_at, recorded_at, quantity, price, pnl, "
                        + "open_after, state_after, reason) VALUES (?,?,?,?,?,?,?,?,?,?)", closeIds.next(), after.id(), ts(at), ts(recordedAt),
                quantity, price, after.side().sign() * (price - after.entryPrice()) * quantity, after.openQuantity(),
                after.state().name(), reason);
    }

    /** The closes of a trade in time order. */
    public List<TradeClose> closes(String tradeId) {
        return jdbc.query("SELECT * FROM trade_close WHERE trade_id = ? ORDER BY closed_at, id",
                (rs, i) -> new TradeClose(instant(rs, "closed_at"), rs.getDouble("quantity"), rs.getDouble("price"),
                        rs.getDouble("pnl"), rs.getDouble("open_after"), TradeState.valueOf(rs.getString("state_after")),
                        rs.getString("reason")), tradeId);
    }

    /** Accounts holding a live trade on {@code symbol}: the ones a mark on that symbol concerns. */
    public List<String> accountsTrading(String symbol) {
        return jdbc.queryForList("SELECT DISTINCT account FROM trade WHERE symbol = ? AND state NOT IN " + CLOSED + " "
                + "ORDER BY account", String.class, symbol);
    }

    /** An account's live trades on {@code symbol}, oldest first. */
    public List<Trade> liveTrades(String account, String symbol) {
        return liveTrades(account, symbol, new java.util.HashMap<>());
    }

    /**
     * An account's live trades on {@code symbol}, oldest first; puts into {@code lastInstructions} the place
     * ({@code seq}) of each one's latest exit instruction, for those that have one (read in the same query: a mark
     * links its new instructions to them without looking each trade up again).
     */
    public List<Trade> liveTrades(String account, String symbol, Map<String, Long> lastInstructions) {
        return jdbc.query(TRADES + " WHERE t.account = ? AND t.symbol = ? AND t.state NOT IN " + CLOSED + " "
                + "ORDER BY t.opened_at, t.id", (rs, row) -> {
                    Trade t = trade(rs, row);
                    long last = rs.getLong("last_instruction_seq");
                    if (!rs.wasNull()) {
                        lastInstructions.put(t.id(), last);
                    }
                    return t;
                }, account, symbol);
    }

    public Optional<Trade> trade(String id) {
        return jdbc.query(TRADES + " WHERE t.id = ?", PortfolioStore::trade, id).stream().findFirst();
    }

    public Optional<Trade> tradeForDecisionId(String decisionId) {
        return jdbc.query(TRADES + " WHERE t.decision_id = ?", PortfolioStore::trade, decisionId).stream()
                .findFirst();
    }

    /** Closed trades of an account, newest first: the raw material of streak rules. */
    /**
     * The latest {@code limit} equity snapshots of an account, oldest first, each with the peak reported up to it
     * (the snapshots before the window count) and its drawdown from that peak.
     */
    public List<EquityPoint> equityHistory(String account, int limit) {
        List<Object[]> rows = jdbc.query("SELECT equity, observed_at, source FROM equity_snapshot WHERE account = ? "
                        + "ORDER BY observed_at DESC, id DESC LIMIT ?",
                (rs, i) -> new Object[] {rs.getDouble("equity"), instant(rs, "observed_at"), rs.getString("source")},
                account, limit);
        List<EquityPoint> points = new ArrayList<>(rows.size());
        if (rows.isEmpty()) {
            return points;
        }
        Double before = jdbc.queryForObject("SELECT MAX(equity) FROM equity_snapshot WHERE account = ? "
                + "AND observed_at < ?", Double.class, account, ts((Instant) rows.get(rows.size() - 1)[1]));
        double peak = before == null ? Double.NEGATIVE_INFINITY : before;
        for (int i = rows.size() - 1; i >= 0; i--) {
            double equity = (double) rows.get(i)[0];
            peak = Math.max(peak, equity);
            points.add(new EquityPoint((Instant) rows.get(i)[1], equity, (String) rows.get(i)[2], peak,
                    peak > 0 ? (peak - equity) / peak : 0));
        }
        return points;
    }

    /** An account's trades, newest opened first: the open ones ({@code open}), the closed ones, or both (empty). */
    public List<Trade> trades(String account, Optional<Boolean> open, int limit) {
        String state = open.map(o -> o ? " AND t.state NOT IN " + CLOSED : " AND t.state IN " + CLOSED).orElse("");
        return jdbc.query(TRADES + " WHERE t.account = ?" + state + " ORDER BY t.opened_at DESC, t.id DESC LIMIT ?",
                PortfolioStore::trade, account, limit);
    }

    public List<Trade> closedTrades(String account, int limit) {
        return jdbc.query(TRADES + " WHERE t.account = ? AND t.state IN " + CLOSED + " "
                + "ORDER BY t.closed_at DESC, t.id DESC LIMIT ?", PortfolioStore::trade, account, limit);
    }

    private static Trade trade(ResultSet rs, int row) throws SQLException {
        String result = rs.getString("result");
        String pending = rs.getString("pending_exit");
        ExitProgress progress = new ExitProgress(rs.getDouble("best_price"), rs.getDouble("worst_price"),
                instant(rs, "marked_at_now"), rs.getBoolean("breakeven_done"), rs.getBoolean("partial_done"),
                rs.getBoolean("trailing_active"), pending == null ? null : TradeState.valueOf(pending));
        return new Trade(rs.getString("id"), rs.getString("decision_id"), rs.getString("account"),
                rs.getString("symbol"), rs.getString("asset"), rs.getString("strategy"),
                Side.valueOf(rs.getString("side")), rs.getDouble("quantity"), rs.getDouble("open_quantity"),
                rs.getDouble("entry_price"), rs.getDouble("initial_stop"), rs.getDouble("stop_loss"),
                rs.getDouble("take_profit"), nullableDouble(rs, "atr"), instant(rs, "opened_at"),
                TradeState.valueOf(rs.getString("state")), progress, instant(rs, "closed_at"),
                nullableDouble(rs, "exit_price"), nullableDouble(rs, "realized_pnl"),
                result == null ? null : TradeResult.valueOf(result));
    }

    /** The accounts with a governor state (every account that was checked or given an equity), by id, at most limit. */
    public java.util.List<String> accounts(int limit) {
        return jdbc.queryForList("SELECT account FROM governor_state ORDER BY account LIMIT ?", String.class, limit);
    }
}
