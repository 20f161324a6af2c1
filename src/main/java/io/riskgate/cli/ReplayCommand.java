package io.riskgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskgate.market.BarsParser;
import io.riskgate.market.MarketBar;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.policy.PolicyException;
import io.riskgate.replay.DemoData;
import io.riskgate.replay.Replay;
import io.riskgate.replay.ReplayOutput;
import io.riskgate.replay.ReplaySettings;
import io.riskgate.replay.ReplaySignal;
import io.riskgate.replay.SignalsParser;
import io.riskgate.runtime.RiskgateRuntime;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code riskgate replay}: a policy replayed over market history and signals, through the same engine as live
 * trading, on an in-memory database of its own (docs/replay.md). Writes decisions, trades, the equity curve, a
 * summary and an HTML report into {@code --out}. Exit 0 done, 2 bad input, 3 could not run.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay a policy over bars and signals (or --demo) and write its decisions, trades and "
                + "report.%nExit 0 done, 2 bad input, 3 could not run (an invalid policy).")
final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--bars", description = "bars: CSV (" + BarsParser.CSV_HEADER + ") or the JSON of "
            + "POST /api/v1/market/bars; repeat for more files")
    List<Path> bars = new ArrayList<>();

    @Option(names = "--signals", description = "signals: CSV (time,symbol,side,consensus,confidence[,strategy,"
            + "strength,entry,stop_loss,take_profit]) or a JSON array")
    Path signals;

    @Option(names = "--demo", description = "the demo: Bitstamp BTC/USD 5-minute bars of 2013-11-25 to 12-01 (from "
            + "org.ta4j:ta4j-examples) and DEMO signals from an EMA 12/26 cross (no strategy: a way to feed orders); "
            + "the policy is replayed with analytics.bar_interval set to 5m to match the bars")
    boolean demo;

    @picocli.CommandLine.Mixin
    PolicySource source;

    @Option(names = "--equity", defaultValue = "10000", description = "starting equity (default: ${DEFAULT-VALUE})")
    double equity;

    @Option(names = "--fill", defaultValue = "next-open",
            description = "where approvals fill: close (the signal bar's close) or next-open (default: ${DEFAULT-VALUE})")
    String fill;

    @Option(names = "--slippage-bps", defaultValue = "5", description = "slippage per fill and close, bps "
            + "(default: ${DEFAULT-VALUE})")
    double slippageBps;

    @Option(names = "--fee-bps", defaultValue = "10", description = "fee per fill and close, bps of notional "
            + "(default: ${DEFAULT-VALUE})")
    double feeBps;

    @Option(names = "--spread-bps", defaultValue = "5", description = "spread every check reports, bps "
            + "(default: ${DEFAULT-VALUE})")
    double spreadBps;

    @Option(names = "--account", defaultValue = "replay", description = "account id (default: ${DEFAULT-VALUE})")
    String account;

    @Option(names = "--out", defaultValue = "replay-out", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--compare-policy", description = "compare mode: also replay this policy id (of "
            + "--compare-policies) over the same history and signals; writes a/, b/ and compare.html")
    String comparePolicy;

    @Option(names = "--compare-policies", description = "the second policy's directory (default: --policies)")
    Path comparePolicies;

    @Override
    public Integer call() throws IOException {
        try {
            return replay();
        } finally {
            temporary.forEach(ReplayCommand::delete); // the demo's policy copy, whatever the outcome
        }
    }

    private Integer replay() throws IOException {
        ObjectMapper json = RiskgateRuntime.jsonMapper();
        ReplaySettings settings;
        List<MarketBar> history = new ArrayList<>();
        List<ReplaySignal> orders = new ArrayList<>();
        Path policyDir = source.policiesDir();
        try {
            settings = new ReplaySettings(account, equity, switch (fill.toLowerCase(Locale.ROOT)) {
                case "close" -> ReplaySettings.Fill.CLOSE;
                case "next-open", "next_open" -> ReplaySettings.Fill.NEXT_OPEN;
                default -> throw new IllegalArgumentException("--fill must be close or next-open, was " + fill);
            }, slippageBps, feeBps, spreadBps);
            if (demo) {
                history.addAll(DemoData.bars());
                orders.addAll(DemoData.emaCross(history, 12, 26, null));
                policyDir = demoPolicies(policyDir);
                System.err.println("demo: " + history.size() + " five-minute bars of " + DemoData.SYMBOL + " and "
                        + orders.size() + " DEMO signals (EMA 12/26 cross); policy '" + source.policy + "' with "
                        + "analytics.bar_interval 5m");
            }
            for (Path b : bars) {
                history.addAll(b.toString().endsWith(".json") ? BarsParser.json(json.readTree(b.toFile()),
                        Integer.MAX_VALUE) : BarsParser.csv(reader(b), b.getFileName().toString()));
            }
            if (signals != null) {
                orders.addAll(signals.toString().endsWith(".json") ? SignalsParser.json(json.readTree(
                        signals.toFile()), signals.getFileName().toString())
                        : SignalsParser.csv(reader(signals), signals.getFileName().toString()));
            }
            if (history.isEmpty()) {
                throw new IllegalArgumentException("give --bars (and --signals), or --demo");
            }
        } catch (InvalidRequestException e) {
            System.err.println("bad input, nothing replayed:");
            e.problems().forEach(p -> System.err.println("  " + p.field() + ": " + p.message()));
            return 2;
        } catch (IllegalArgumentException | IOException e) {
            // an unreadable or malformed file is bad input, as a bad field is
            System.err.println("bad input, nothing replayed: " + e.getMessage());
            return 2;
        }
        Replay.Result result;
        Replay.Result second = null;
        try {
            result = replay(policyDir, source.policy, history, orders, settings);
            if (comparePolicy != null) {
                Path other = comparePolicies == null ? policyDir : comparePolicies.toAbsolutePath().normalize();
                second = replay(demo && comparePolicies != null ? demoPolicies(other) : other, comparePolicy, history,
                        orders, settings);
            }
        } catch (PolicyException e) {
            System.err.println("the policy is invalid; nothing was replayed\n" + e.getMessage());
            return RiskgateCli.EXIT_CANNOT_RUN;
        }
        if (second != null) {
            ReplayOutput.write(result, out.resolve("a"), json);
            ReplayOutput.write(second, out.resolve("b"), json);
            io.riskgate.replay.ReplayCompare.Comparison c = io.riskgate.replay.ReplayCompare.of(result, second);
            io.riskgate.replay.ReplayCompare.write(c, out, json);
            System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(java.util.Map.of(
                    "orders", c.orders(), "decidedDifferently", c.differences().size(),
                    "a", c.summaryA(), "b", c.summaryB())));
            System.err.println("comparison: " + out.resolve("compare.html").toAbsolutePath());
            return 0;
        }
        ReplayOutput.write(result, out, json);
        ReplayOutput.Summary s = ReplayOutput.summary(result);
        System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(s));
        System.err.println("report: " + out.resolve("report.html").toAbsolutePath());
        return 0;
    }

    private Replay.Result replay(Path policyDir, String id, List<MarketBar> history, List<ReplaySignal> orders,
                                 ReplaySettings settings) {
        long started = System.nanoTime();
        Replay.Result r = Replay.run(policyDir, source.rulesDir(), id, history, orders, settings,
                new ProgressBar());
        System.err.printf(Locale.ROOT, "%n%s: replayed %d bars and %d signals in %.1f s (the events %.2f s: %.0f "
                        + "events/s)%n", id, r.bars(), r.signals(), (System.nanoTime() - started) / 1e9,
                r.eventNanos() / 1e9, (r.bars() + r.signals()) / (r.eventNanos() / 1e9));
        return r;
    }

    private static Reader reader(Path p) throws IOException {
        return Files.newBufferedReader(p, StandardCharsets.UTF_8);
    }

    /** The demo's policy copies, deleted when the replay is done. */
    private final List<Path> temporary = new ArrayList<>();

    private static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** A copy of the policy directory whose policies read five-minute bars, for the demo's history. */
    private Path demoPolicies(Path dir) throws IOException {
        Path copy = Files.createTempDirectory("riskgate-demo-policies");
        temporary.add(copy);
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.writeString(copy.resolve(f.getFileName()), Files.readString(f)
                        .replaceFirst("(?m)^(\\s*bar_interval:\\s*)\\S+", "$15m"));
            }
        }
        return copy;
    }

    /** A progress bar on stderr, redrawn in place. */
    private static final class ProgressBar implements Replay.Progress {
        @Override
        public void at(long done, long total) {
            int width = 40;
            int filled = (int) (width * done / Math.max(1, total));
            System.err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total
                    + " events");
        }
    }
}
