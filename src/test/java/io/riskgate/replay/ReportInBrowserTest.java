package io.riskgate.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskgate.market.MarketBar;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay's report opened in a real browser, Debian's Chromium, headless, with no network: it renders its charts
 * (the SVG elements are in the DOM the browser built) and logs nothing to the console. {@code .ci/run} installs
 * Chromium and sets {@code RISKGATE_REQUIRE_BROWSER=1}, so in CI a missing browser fails the test; elsewhere the test
 * is skipped without one.
 */
class ReportInBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @BeforeAll
    static void browser() {
        if ("1".equals(System.getenv("RISKGATE_REQUIRE_BROWSER"))) {
            assertThat(CHROMIUM).as("Chromium (.ci/run installs Debian's package)").isExecutable();
        }
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM);
    }

    /** What Chromium printed: the DOM it built, and its log (console messages are its CONSOLE lines). */
    record Opened(String dom, String log) {
        List<String> console() {
            return log.lines().filter(l -> l.contains(":CONSOLE")).toList();
        }
    }

    static Opened open(Path html, Path dir) throws IOException, InterruptedException {
        Path dom = dir.resolve("dom.html");
        Path log = dir.resolve("chromium.log");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--user-data-dir=" + dir.resolve("profile"), "--enable-logging=stderr", "--v=0",
                "--dump-dom", html.toUri().toString())
                .redirectOutput(dom.toFile()).redirectError(log.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("Chromium finished").isTrue();
        return new Opened(Files.readString(dom, StandardCharsets.UTF_8), Files.readString(log));
    }

    @Test
    void theReportRendersItsChartsWithNoConsoleMessages(@TempDir Path dir) throws Exception {
        List<MarketBar> bars = ReplayTest.dailyBars("BRWUSDT");
        Replay.Result r = Replay.run(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default", bars,
                ReplayTest.everySeventh(bars), ReplaySettings.defaults(), Replay.Progress.NONE);
        ReplayOutput.write(r, dir.resolve("out"), RiskgateRuntime.jsonMapper());

        Opened o = open(dir.resolve("out/report.html"), dir);

        assertThat(o.console()).as("console messages").isEmpty();
        assertThat(o.dom()).contains("<h1>Replay of policy default version 1</h1>", r.policy().sha256(),
                "aria-label=\"equity curve from 10,000.00", "aria-label=\"rejections per rule code\"");
        assertThat(o.dom().split("<svg", -1).length - 1).as("charts in the DOM").isGreaterThanOrEqualTo(3);
    }

    @Test
    void aConsoleErrorWouldBeSeen(@TempDir Path dir) throws Exception {
        // the check above can fail: a page that logs an error is caught by the same reading of Chromium's log
        Path page = dir.resolve("error.html");
        Files.writeString(page, "<!DOCTYPE html><html><body><script>console.error('replay report broke')</script>"
                + "</body></html>");
        assertThat(open(page, dir).console()).singleElement().asString().contains("replay report broke");
    }
}
