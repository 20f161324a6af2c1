package io.riskgate.api;

import static io.riskgate.testing.Requests.seed001;
import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.riskgate.security.Role;
import io.riskgate.testing.TestKeys;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console in a real browser (issue 18): Debian's chromium, headless, driven by Selenium through Debian's
 * chromium-driver, against a real server. The server reads a private copy of the shipped policies and rules, so
 * that one journey can put a second version of the policy in force and read the difference. A failing journey leaves
 * a screenshot in {@code target/console-screenshots}; the browser's console must stay free of errors. Each page a
 * journey reaches is also saved to {@code target/console-pages} (docs/console.md's pictures come from there).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "riskgate.events.heartbeat=500ms")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    static final Path CONFIG = io.riskgate.testing.ServerConfig.copyOfRepoConfig("riskgate-console-");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        io.riskgate.testing.ServerConfig.register(registry, CONFIG, "riskgate-console");
    }

    @AfterAll
    static void deleteCopy() throws IOException {
        io.riskgate.testing.ServerConfig.delete(CONFIG);
    }

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.riskgate.security.ApiKeys keys;

    private WebDriver browser;

    @BeforeAll
    void startBrowser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            if ("1".equals(System.getenv("RISKGATE_REQUIRE_BROWSER"))) {
                throw new IllegalStateException("chromium and chromium-driver are required: .ci/run installs them");
            }
            Assumptions.abort("Debian's chromium and chromium-driver are not installed");
        }
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build(), options);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    /** Saves the page as it is now to target/console-pages/{name}.png. */
    private void snapshot(String name) throws IOException {
        Path dir = Path.of("target/console-pages");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private Object script(String js) {
        return ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(js);
    }

    /** Runs a journey; on failure its screenshot goes to target/console-screenshots/{name}.png. */
    private void journey(String name, ThrowingRunnable steps) throws Exception {
        // the browser's log so far belongs to the journeys before this one
        browser.manage().logs().get(LogType.BROWSER);
        try {
            steps.run();
        } catch (Throwable failed) {
            Path dir = Path.of("target/console-screenshots");
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            throw failed;
        }
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                // a refused sign-in is the API's 401, which the browser logs as a failed request
                .filter(e -> !(name.equals("refused") && e.getMessage().contains("401")))
                // nor is the 403 a trader's key gets for another account's decision
                .filter(e -> !(name.equals("trader") && e.getMessage().contains("403")))
                // nor the 422 of a candidate refused with its problems
                .filter(e -> !(name.equals("candidate") && e.getMessage().contains("422")))
                .toList();
        assertThat(errors).as("the browser console's errors").isEmpty();
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private void signIn(String credential) {
        // the journey before left its credential in the tab: signed out first, so the page opens on the form
        if (browser.getCurrentUrl().startsWith("http://localhost:" + port)) {
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        }
        browser.get("http://localhost:" + port + "/console");
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("credential"))).sendKeys(credential);
        browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
    }

    @Test
    void anAuditorOpensARefusedDecisionAndReadsTheRuleThatBlockedIt() throws Exception {
        // seed 001's order at confidence 0.6: below the policy's 0.70, refused with LOW_CONFIDENCE
        String account = "console-" + UUID.randomUUID().toString().substring(0, 8);
        HttpApi trader = new HttpApi(port, TestKeys.superuser(keys));
        trader.check(set(set(seed001(), "account", account), "signal.confidence", 0.6));
        String auditor = TestKeys.key(keys, Set.of(Role.AUDITOR), Set.of());

        journey("auditor", () -> {
            signIn(auditor);
            waiting().until(ExpectedConditions.elementToBeClickable(By.id("nav-decisions"))).click();
            waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("f-account"))).sendKeys(account);
            new Select(browser.findElement(By.id("f-outcome"))).selectByValue("REJECTED");
            browser.findElement(By.id("f-search")).click();
            waiting().until(ExpectedConditions.elementToBeClickable(By.linkText("Why?"))).click();
            String why = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("rejections"))).getText();
            assertThat(why).contains("LOW_CONFIDENCE").contains("0.6");
            assertThat(browser.findElement(By.id("outcome")).getText()).isEqualTo("REJECTED");
            assertThat(browser.findElement(By.id("policy")).getText()).contains("default").contains("sha256");
            // an auditor changes nothing: the page offers no action
            assertThat(browser.findElements(By.cssSelector("#view button"))).isEmpty();
            // the audit chain's status, verified for the auditor
            waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("chain"), "Intact"));
            snapshot("decision");
        });
    }

    @Test
    void aCredentialTheApiRefusesIsRefusedAtSignIn() throws Exception {
        journey("refused", () -> {
            signIn("rg_notakey000_" + "x".repeat(43));
            String error = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-error")))
                    .getText();
            assertThat(error).contains("not accepted");
        });
    }

    @Test
    void aTraderCannotOpenAnotherAccountsDecisionAndTheApiRefusesItToo() throws Exception {
        String mine = "console-own-" + UUID.randomUUID().toString().substring(0, 8);
        String theirs = "console-other-" + UUID.randomUUID().toString().substring(0, 8);
        HttpApi superuser = new HttpApi(port, TestKeys.superuser(keys));
        String other = superuser.check(set(seed001(), "account", theirs)).path("decisionId").asText();
        String trader = TestKeys.key(keys, Set.of(Role.TRADER), Set.of(mine));
        // the API's own answer to that key
        assertThat(new HttpApi(port, trader).get("/api/v1/decisions/" + other).status()).isEqualTo(403);

        journey("trader", () -> {
            signIn(trader);
            waiting().until(ExpectedConditions.elementToBeClickable(By.id("nav-decisions"))).click();
            // its search without an account is refused by the API (a trader reads only its own accounts): said so
            waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#results [role=alert]")));
            waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("f-account")));
            browser.get("http://localhost:" + port + "/console/index.html#/decision/" + other);
            String refused = waiting().until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("#view [role=alert]"))).getText();
            assertThat(refused).contains("may not");
            // nothing of the decision is shown: the API answered only its refusal
            assertThat(browser.findElements(By.id("rejections"))).isEmpty();
            assertThat(browser.findElements(By.id("outcome"))).isEmpty();
            // nor another account's page
            browser.get("http://localhost:" + port + "/console/index.html#/account/" + theirs);
            waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#view [role=alert]"),
                    "may not"));
            assertThat(browser.findElements(By.id("account-state"))).isEmpty();
            assertThat(browser.findElements(By.id("actions"))).isEmpty();
            // and a trader's navigation has no policies or replays
            assertThat(browser.findElement(By.id("nav-policies")).isDisplayed()).isFalse();
        });
    }

    /**
     * The overview, live: an officer watching it sees an account turn HALTED when a breaker trips (here another
     * officer's trip over the API), without reloading the page.
     */
    @Test
    void anOfficerSeesAnAccountTurnHaltedLiveOnTheOverview() throws Exception {
        String account = "console-live-" + UUID.randomUUID().toString().substring(0, 8);
        new HttpApi(port, TestKeys.superuser(keys)).check(set(seed001(), "account", account));
        String watcher = TestKeys.key(keys, Set.of(Role.OFFICER), Set.of());
        HttpApi officer = new HttpApi(port, TestKeys.named(keys, "console-officer"));

        journey("overview", () -> {
            signIn(watcher);
            By state = By.cssSelector("#acct-" + account + " .state");
            assertThat(waiting().until(ExpectedConditions.visibilityOfElementLocated(state)).getText())
                    .isEqualTo("ACTIVE");
            // the drawdowns against the default policy's limits: 5% and 15% from the peak, 3% a day, 10% a week
            assertThat(browser.findElement(By.id("acct-" + account)).getText())
                    .contains("0.00% (limits 5.00%, 15.00%)", "0.00% (limit 3.00%)", "0.00% (limit 10.00%)");
            waiting().until(ExpectedConditions.textToBe(By.id("live"), "Live: updated from the alert stream."));
            // a marker the page would lose if it were reloaded
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("window.notReloaded = true");
            assertThat(officer.post("/api/v1/accounts/" + account + "/breaker",
                    java.util.Map.of("action", "TRIP", "reason", "venue outage")).status()).isEqualTo(200);
            waiting().until(ExpectedConditions.textToBe(state, "HALTED"));
            assertThat(((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.notReloaded"))
                    .isEqualTo(true);
            snapshot("overview");
        });
    }

    /**
     * The account page: an officer trips the breaker behind a confirmation. Cancelled, nothing is sent and the account
     * stays ACTIVE; confirmed, it turns HALTED and the breakers log names the officer and the reason. An auditor on the
     * same page is offered no action.
     */
    @Test
    void anOfficerTripsABreakerOnTheAccountPageOnlyOnceConfirmed() throws Exception {
        String account = "console-acct-" + UUID.randomUUID().toString().substring(0, 8);
        HttpApi superuser = new HttpApi(port, TestKeys.superuser(keys));
        // seed 001's order approved, filled at 50,000 and closed at 54,500: 45 made on 22.50 risked, +2R
        String approval = superuser.check(set(seed001(), "account", account)).path("decisionId").asText();
        String trade = superuser.post("/api/v1/trades", java.util.Map.of("decisionId", approval, "fillPrice", 50_000,
                "quantity", 0.01)).body().path("id").asText();
        assertThat(superuser.post("/api/v1/trades/" + trade + "/close", java.util.Map.of("price", 54_500)).status())
                .isEqualTo(200);
        // the day's equity reports after it: up to a 10,400 peak, then 9,900 (500 / 10,400 = 4.81% below it, under
        // circuit_breaker's 5%; 1% below the day's 10,000 open, under daily_loss's 3%), then 10,045
        java.time.Instant t = TestRuntime.T0;
        double[] equity = {10_045, 10_400, 10_150, 9_900, 10_045};
        for (int i = 0; i < equity.length; i++) {
            assertThat(superuser.put("/api/v1/accounts/" + account + "/equity", java.util.Map.of("equity", equity[i],
                    "timestamp", t.plusSeconds(3_600L * (i + 1)).toString())).status()).isEqualTo(200);
        }
        String officer = TestKeys.named(keys, "morning-officer");
        String auditor = TestKeys.key(keys, Set.of(Role.AUDITOR), Set.of());

        journey("account", () -> {
            signIn(officer);
            waiting().until(ExpectedConditions.elementToBeClickable(By.linkText(account))).click();
            By state = By.id("account-state");
            assertThat(waiting().until(ExpectedConditions.visibilityOfElementLocated(state)).getText())
                    .isEqualTo("ACTIVE");
            browser.findElement(By.id("trip-reason")).sendKeys("venue outage at the open");
            browser.findElement(By.id("trip-submit")).click();
            String asked = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-what")))
                    .getText();
            assertThat(asked).contains(account).contains("HALTED").contains("venue outage at the open");
            browser.findElement(By.id("confirm-no")).click();
            waiting().until(ExpectedConditions.textToBe(By.id("trip-status"), "Cancelled: nothing was sent."));
            assertThat(superuser.get("/api/v1/accounts/" + account + "/state").body().path("state").asText())
                    .isEqualTo("ACTIVE");

            browser.findElement(By.id("trip-submit")).click();
            waiting().until(ExpectedConditions.elementToBeClickable(By.id("confirm-yes"))).click();
            waiting().until(ExpectedConditions.textToBe(state, "HALTED"));
            String log = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("breakers-table")))
                    .getText();
            assertThat(browser.findElement(By.id("trades-table")).getText()).contains("+2.00R");
            assertThat(browser.findElement(By.id("equity-chart")).getAttribute("aria-label"))
                    .contains("between $9,900 and $10,400");
            assertThat(log).contains("OFFICER_HALT").contains("morning-officer").contains("venue outage at the open");
            assertThat(superuser.get("/api/v1/accounts/" + account + "/state").body().path("state").asText())
                    .isEqualTo("HALTED");
            snapshot("account");
        });
        journey("account-auditor", () -> {
            signIn(auditor);
            browser.get("http://localhost:" + port + "/console/index.html#/account/" + account);
            assertThat(waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("account-state")))
                    .getText()).isEqualTo("HALTED");
            waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("breakers-table")));
            assertThat(browser.findElements(By.id("actions"))).isEmpty();
            assertThat(browser.findElements(By.cssSelector("#view button"))).isEmpty();
        });
    }

    /**
     * The policies page: after a second version of the policy is put in force (min_confidence 0.70 to 0.75), an
     * auditor reads the changed threshold in the diff, side by side; an officer's candidate with a typo is refused
     * with the problem at its line, and nothing is put in force.
     */
    @Test
    void aPolicyDiffShowsAChangedThreshold() throws Exception {
        Path policy = CONFIG.resolve("policies/default.yaml");
        String shipped = Files.readString(policy);
        assertThat(shipped).contains("min_confidence: 0.70").contains("version: \"1\"");
        Files.writeString(policy, shipped.replace("min_confidence: 0.70", "min_confidence: 0.75")
                .replace("version: \"1\"", "version: \"console-2\""));
        HttpApi officerApi = new HttpApi(port, TestKeys.named(keys, "policy-officer"));
        try {
            HttpApi.Response reloaded = officerApi.post("/api/v1/policies/reload",
                    java.util.Map.of("reason", "raise the confidence bar"));
            assertThat(reloaded.status()).as(reloaded.raw()).isEqualTo(200);
            String auditor = TestKeys.key(keys, Set.of(Role.AUDITOR), Set.of());

            journey("policies", () -> {
                signIn(auditor);
                waiting().until(ExpectedConditions.elementToBeClickable(By.id("nav-policies"))).click();
                assertThat(waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("active-policy")))
                        .getText()).contains("console-2");
                assertThat(browser.findElement(By.id("versions")).getText()).contains("raise the confidence bar")
                        .contains("policy-officer");
                // the page opens on the change from the version before to the one in force
                String diff = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("diff-settings")))
                        .getText();
                assertThat(diff).contains("filters.min_confidence 0.7 0.75");
                assertThat(diff).contains("version 1 console-2");
                // an auditor changes nothing: no candidate, no activation
                assertThat(browser.findElements(By.id("candidate-yaml"))).isEmpty();
                assertThat(browser.findElements(By.id("activate"))).isEmpty();
                snapshot("policies");
            });
            journey("candidate", () -> {
                signIn(TestKeys.named(keys, "candidate-officer"));
                waiting().until(ExpectedConditions.elementToBeClickable(By.id("nav-policies"))).click();
                // the diff above the candidate arrives on its own request and pushes the button down: a click sent
                // while it loads can land on whatever moved under the pointer (one CI run lost its click so)
                waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("diff-settings")));
                waiting().until(ExpectedConditions.elementToBeClickable(By.id("candidate-start"))).click();
                waiting().until(d -> !d.findElement(By.id("candidate-yaml")).getAttribute("value").isEmpty());
                script("const t = document.getElementById('candidate-yaml');"
                        + "t.value = t.value.replace('  min_confidence: 0.75', '  min_confidense: 0.75');");
                browser.findElement(By.id("candidate-validate")).click();
                String problems = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("problems")))
                        .getText();
                int line = java.util.Arrays.asList(Files.readString(policy).split("\n")).indexOf(
                        "  min_confidence: 0.75") + 1;
                assertThat(problems).contains("default.yaml:" + line).contains("min_confidense");
                assertThat(officerApi.get("/api/v1/policies/active").body().path("version").asText())
                        .isEqualTo("console-2");
            });
        } finally {
            Files.writeString(policy, shipped);
            assertThat(officerApi.post("/api/v1/policies/reload", java.util.Map.of("reason", "shipped again"))
                    .status()).isEqualTo(200);
        }
    }

    /**
     * Replays: an officer starts one from a JSON file of bars and signals (ReplaysApiTest's 300 bars and 9 signals),
     * watches it finish without a reload, and opens its report, framed in the page.
     */
    @Test
    void anOfficerStartsAReplayFromAFileAndOpensItsReport() throws Exception {
        Path history = Files.createTempFile("console-replay-", ".json");
        Files.writeString(history, ReplaysApiTest.body().toString());
        try {
            journey("replays", () -> {
                signIn(TestKeys.key(keys, Set.of(Role.OFFICER), Set.of()));
                waiting().until(ExpectedConditions.elementToBeClickable(By.id("nav-replays"))).click();
                waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("replay-file")))
                        .sendKeys(history.toAbsolutePath().toString());
                browser.findElement(By.id("replay-submit")).click();
                assertThat(waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-what")))
                        .getText()).contains("300 bars, 9 signals").contains("policy default");
                browser.findElement(By.id("confirm-yes")).click();
                new WebDriverWait(browser, Duration.ofSeconds(60)).until(ExpectedConditions.elementToBeClickable(
                        By.linkText("Report"))).click();
                org.openqa.selenium.WebElement frame = waiting().until(ExpectedConditions.presenceOfElementLocated(
                        By.id("replay-report")));
                browser.switchTo().frame(frame);
                try {
                    // the report's own summary: 9 signals decided
                    assertThat(waiting().until(ExpectedConditions.presenceOfElementLocated(By.tagName("body")))
                            .getText()).contains("RJUSDT");
                } finally {
                    browser.switchTo().defaultContent();
                }
            });
        } finally {
            Files.deleteIfExists(history);
        }
    }

    /**
     * The account page with the keyboard only: the key typed and sent with Enter, the trip's reason sent with Enter,
     * the confirmation opening on Cancel (Escape cancels, nothing sent), Shift+Tab to Confirm and Enter to trip.
     */
    @Test
    void anOfficerTripsABreakerWithTheKeyboardOnly() throws Exception {
        String account = "console-keys-" + UUID.randomUUID().toString().substring(0, 8);
        HttpApi superuser = new HttpApi(port, TestKeys.superuser(keys));
        superuser.check(set(seed001(), "account", account));
        String officer = TestKeys.named(keys, "keyboard-officer");

        journey("keyboard", () -> {
            if (browser.getCurrentUrl().startsWith("http://localhost:" + port)) {
                script("sessionStorage.clear()");
            }
            browser.get("http://localhost:" + port + "/console/index.html#/account/" + account);
            waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("credential")))
                    .sendKeys(officer + org.openqa.selenium.Keys.ENTER);
            By state = By.id("account-state");
            assertThat(waiting().until(ExpectedConditions.visibilityOfElementLocated(state)).getText())
                    .isEqualTo("ACTIVE");
            browser.findElement(By.id("trip-reason")).sendKeys("desk asked by phone" + org.openqa.selenium.Keys.ENTER);
            waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-what")));
            assertThat(browser.switchTo().activeElement().getAttribute("id")).as("focus on Cancel")
                    .isEqualTo("confirm-no");
            browser.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.ESCAPE);
            waiting().until(ExpectedConditions.textToBe(By.id("trip-status"), "Cancelled: nothing was sent."));
            assertThat(superuser.get("/api/v1/accounts/" + account + "/state").body().path("state").asText())
                    .isEqualTo("ACTIVE");

            browser.findElement(By.id("trip-reason")).sendKeys(org.openqa.selenium.Keys.ENTER);
            waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-what")));
            browser.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.SHIFT,
                    org.openqa.selenium.Keys.TAB));
            assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("confirm-yes");
            browser.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.ENTER);
            waiting().until(ExpectedConditions.textToBe(state, "HALTED"));
            assertThat(waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("breakers-table")))
                    .getText()).contains("keyboard-officer").contains("desk asked by phone");
        });
    }
}
