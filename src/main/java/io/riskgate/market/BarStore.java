package io.riskgate.market;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** JDBC access to stored bars. Writes join the caller's transaction. */
public final class BarStore {

    private final JdbcTemplate jdbc;
    /** Writes a bar, replacing the stored one with its symbol, interval and open time. */
    private final String upsert;

    public BarStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.upsert = io.riskgate.database.Dialect.of(dataSource).upsert("market_bar",
                List.of("symbol", "bar_interval", "open_time"), List.of("symbol", "bar_interval", "open_time",
                        "open_price", "high_price", "low_price", "close_price", "volume", "recorded_at"));
    }

    void upsert(List<MarketBar> bars, Instant recordedAt) {
        List<Object[]> rows = new ArrayList<>(bars.size());
        for (MarketBar b : bars) {
            rows.add(new Object[] {b.symbol(), b.interval(), ts(b.openTime()), b.open(), b.high(), b.low(), b.close(),
                    b.volume(), ts(recordedAt)});
        }
        jdbc.batchUpdate(upsert, rows);
    }

    /** The latest {@code limit} bars of a symbol at an interval, oldest first. */
    /** Every symbol and interval with stored bars, as {@code SYMBOL|interval}. */
    public java.util.Set<String> seriesKeys() {
        return new java.util.HashSet<>(jdbc.query("SELECT DISTINCT symbol, bar_interval FROM market_bar",
                (rs, i) -> rs.getString(1) + "|" + rs.getString(2)));
    }

    public List<MarketBar> latest(String symbol, String interval, int limit) {
        List<MarketBar> newestFirst = jdbc.query("SELECT * FROM market_bar WHERE symbol = ? AND bar_interval = ? "
                + "ORDER BY open_time DESC LIMIT ?", BarStore::bar, symbol, interval, limit);
        List<MarketBar> out = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(out);
        return out;
    }

    /** The latest {@code limit} bars opened at or before {@code lastOpen}, oldest first. */
    public List<MarketBar> openedBy(String symbol, String interval, Instant lastOpen, int limit) {
        List<MarketBar> newestFirst = jdbc.query("SELECT * FROM market_bar WHERE symbol = ? AND bar_interval = ? "
                + "AND open_time <= ? ORDER BY open_time DESC LIMIT ?", BarStore::bar, symbol, interval,
                ts(lastOpen), limit);
        List<MarketBar> out = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(out);
        return out;
    }

    private static MarketBar bar(ResultSet rs, int row) throws SQLException {
        return new MarketBar(rs.getString("symbol"), rs.getString("bar_interval"),
                rs.getObject("open_time", OffsetDateTime.class).toInstant(), rs.getDouble("open_price"),
                rs.getDouble("high_price"), rs.getDouble("low_price"), rs.getDouble("close_price"),
                rs.getDouble("volume"));
    }

    private static OffsetDateTime ts(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
