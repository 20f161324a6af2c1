package io.riskgate.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskgate.market.MarketBar;
import io.riskgate.policy.Consensus;
import io.riskgate.policy.Side;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.Bars;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays through the shipped policy: the same inputs give byte-identical files, and the engine decides the
 * replayed orders (the REST parity is ReplayRestParityTest's).
 */
class ReplayTest {

    /** 400 daily bars of a random walk (1.5% a day) ending 2025-06-30, and a signal every 7th bar from bar 210. */
    static List<MarketBar> dailyBars(String symbol) {
        return Bars.daily(symbol, 50_000, Bars.randomReturns(2025, 399, 0.015), Instant.parse("2025-06-30T00:00:00Z"));
    }

    static List<ReplaySignal> everySeventh(List<MarketBar> bars) {
        List<ReplaySignal> out = new ArrayList<>();
        for (int i = 210; i < bars.size(); i += 7) {
            MarketBar b = bars.get(i);
            out.add(new ReplaySignal(b.openTime().plus(Duration.ofDays(1)), b.symbol(),
                    (i / 7) % 2 == 0 ? Side.LONG : Side.SHORT, null, Consensus.STRONG, 0.8, OptionalDouble.empty(),
                    OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty()));
        }
        return out;
    }

    @Test
    void theSameInputsGiveByteIdenticalFiles(@TempDir Path dir) throws IOException {
        List<MarketBar> bars = dailyBars("DETUSDT");
        List<ReplaySignal> signals = everySeventh(bars);
        for (String run : List.of("a", "b")) {
            Replay.Result r = Replay.run(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default", bars, signals,
                    ReplaySettings.defaults(), Replay.Progress.NONE);
            ReplayOutput.write(r, dir.resolve(run), RiskgateRuntime.jsonMapper());
        }
        for (String file : List.of("decisions.jsonl", "trades.csv", "equity.csv", "summary.json", "report.html")) {
            assertThat(Files.readAllBytes(dir.resolve("b").resolve(file))).as(file)
                    .isEqualTo(Files.readAllBytes(dir.resolve("a").resolve(file)));
        }
        // something was decided and traded: 28 signals (bars 210, 217, ... 399: (399 - 210) / 7 + 1)
        List<String> lines = Files.readAllLines(dir.resolve("a/decisions.jsonl"));
        assertThat(lines).hasSize(28);
        assertThat(lines.get(0)).startsWith("{\"decisionId\":\"d-000001\"");
        assertThat(Files.readAllLines(dir.resolve("a/trades.csv")).size()).isGreaterThan(1);
    }

    @Test
    void theDemoGivesByteIdenticalFilesTooWhereMessagesNameTradesAndDecisions(@TempDir Path dir) throws IOException {
        // the demo's week under the shipped policy reading five-minute bars: its stop-outs cool BTCUSD down, and
        // those refusals name the trade stopped out, which is renumbered like every id riskgate made
        TestRuntime.copyRepoConfig(dir.resolve("config"), text -> text.replaceFirst("bar_interval: 1d",
                "bar_interval: 5m"));
        List<MarketBar> bars = DemoData.bars();
        List<ReplaySignal> signals = DemoData.emaCross(bars, 12, 26, null);
        for (String run : List.of("a", "b")) {
            Replay.Result r = Replay.run(dir.resolve("config/policies"), dir.resolve("config/rules"), "default", bars,
                    signals, ReplaySettings.defaults(), Replay.Progress.NONE);
            ReplayOutput.write(r, dir.resolve(run), RiskgateRuntime.jsonMapper());
        }
        String decisions = Files.readString(dir.resolve("a/decisions.jsonl"));
        assertThat(decisions).contains("SYMBOL_COOLDOWN", "trade t-0000").doesNotContainPattern(
                "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        for (String file : List.of("decisions.jsonl", "trades.csv", "equity.csv", "summary.json", "report.html")) {
            assertThat(Files.readAllBytes(dir.resolve("b").resolve(file))).as(file)
                    .isEqualTo(Files.readAllBytes(dir.resolve("a").resolve(file)));
        }
    }

    @Test
    void theDemoReplaysRealHistoryAndTheControlsAndGovernorSpeak() {
        List<MarketBar> bars = DemoData.bars();
        // Bitstamp's 99,999 trades from 2013-11-25 00:00 to 12-01 16:02 fill 1,917 of the five-minute buckets
        assertThat(bars).hasSize(1_917);
        assertThat(bars.get(0).openTime()).isEqualTo(Instant.parse("2013-11-25T00:00:00Z"));
        List<ReplaySignal> signals = DemoData.emaCross(bars, 12, 26, null);
        assertThat(signals).isNotEmpty().allSatisfy(s -> assertThat(s.symbol()).isEqualTo(DemoData.SYMBOL));
    }

    @Test
    void aSignalBeforeAnyBarOfItsSymbolIsSkippedWithANote() {
        List<MarketBar> bars = dailyBars("EARLYUSDT").subList(0, 20);
        ReplaySignal early = new ReplaySignal(bars.get(0).openTime().minusSeconds(1), "EARLYUSDT", Side.LONG, null,
                Consensus.STRONG, 0.8, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
                OptionalDouble.empty());
        Replay.Result r = Replay.run(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default", bars,
                List.of(early), ReplaySettings.defaults(), Replay.Progress.NONE);
        assertThat(r.decisions()).isEmpty();
        assertThat(r.notes()).singleElement().asString().contains("no bar of EARLYUSDT closed by the signal's time");
        assertThat(r.equity()).hasSize(20);
    }

    @Test
    void aFinishedReplayLeavesNoDatabaseBehind() {
        // DB_CLOSE_DELAY=-1 keeps an in-memory H2 database until SHUTDOWN: a server running replay jobs kept every one
        List<MarketBar> bars = dailyBars("GONEUSDT").subList(0, 20);
        Replay.run(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default", bars, List.of(),
                ReplaySettings.defaults(), Replay.Progress.NONE, "replay-dropped-test");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:h2:mem:replay-dropped-test;IFEXISTS=TRUE").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("not found");
    }

    @Test
    void aReplayThatCannotStartLeavesNoDatabaseBehindEither() {
        // an unknown policy fails the replay's start, after its database was made: it is dropped all the same
        List<MarketBar> bars = dailyBars("NOSTARTUSDT").subList(0, 5);
        assertThatThrownBy(() -> Replay.run(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "no-such-policy",
                bars, List.of(), ReplaySettings.defaults(), Replay.Progress.NONE, "replay-no-start-test"))
                .hasMessageContaining("no-such-policy");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:h2:mem:replay-no-start-test;IFEXISTS=TRUE").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("not found");
    }
}
