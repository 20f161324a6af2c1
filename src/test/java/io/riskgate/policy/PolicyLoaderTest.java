package io.riskgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PolicyLoader} (and through it {@code YamlSection}): the shipped policy loads with the seeds' numbers, and a
 * broken policy is refused with every problem listed at once (file, key path, line).
 *
 * <p>Test policies are the text of {@code policies/default.yaml} edited one line at a time and written into a temp
 * directory; the rules directory is a temp directory of placeholder files (the loader only hashes their bytes).
 */
class PolicyLoaderTest {

    private static final Path SHIPPED_POLICY = Path.of("policies", "default.yaml");
    private static final Path SHIPPED_RULES = Path.of("rules");
    private static final String FILE = "default.yaml";
    /** The rule files policies/default.yaml lists, in its order. */
    private static final List<String> RULE_FILES = List.of("gates.drl", "portfolio.drl",
            "confidence-bands.drl.xlsx", "strategy-limits.drl.xlsx", "exits.drl", "trailing-stops.drl.xlsx",
            "governor.drl", "analytics.drl", "drawdown-factors.drl.xlsx", "controls.drl");

    @TempDir
    Path tmp;
    private Path rulesDir;
    private Path policiesDir;
    private PolicyLoader loader;
    private String shipped;

    @BeforeEach
    void setUp() throws IOException {
        rulesDir = Files.createDirectory(tmp.resolve("rules"));
        for (String r : RULE_FILES) {
            Files.write(rulesDir.resolve(r), new byte[0]);
        }
        policiesDir = Files.createDirectory(tmp.resolve("policies"));
        loader = new PolicyLoader(rulesDir);
        shipped = Files.readString(SHIPPED_POLICY);
    }

    // ---------------------------------------------------------------- the shipped policy

    @Test
    void loadsShippedDefaultPolicyWithSeedNumbers() {
        PolicyBundle b = new PolicyLoader(SHIPPED_RULES).load(SHIPPED_POLICY);
        Policy p = b.policy();

        assertThat(p.id()).isEqualTo("default");
        assertThat(p.version()).isEqualTo("1");
        assertThat(p.ruleFiles()).containsExactlyElementsOf(RULE_FILES);
        assertThat(b.ruleFiles()).containsOnlyKeys(RULE_FILES);
        assertThat(b.sha256()).matches("[0-9a-f]{64}"); // SHA-256 = 32 bytes = 64 hex digits

        // seed 001, "Trade Filter Settings"
        assertThat(p.filters()).isEqualTo(new Filters(
                Set.of(Consensus.UNANIMOUS, Consensus.STRONG), // RM_MIN_CONSENSUS_TYPES="UNANIMOUS,STRONG"
                0.70,        // RM_MIN_CONFIDENCE=0.70
                true,        // RM_REQUIRE_TREND=true
                200,         // RM_EMA_PERIOD=200
                true,        // RM_VOLATILITY_GATE=true
                0.05,        // RM_MAX_ATR_RATIO=0.05
                0.04,        // riskgate's "volatile" bar: seed 001's example 1,500 / 50,000 = 0.03 stays below it
                0.80,        // RM_HIGH_VOL_CONFIDENCE=0.80
                1_000_000,   // RM_MIN_VOLUME_24H=1000000 ($1M)
                50,          // RM_MAX_SPREAD_BPS=50
                0.02));      // riskgate: a caller's own entry within 2% of the market price

        // seed 001, "Position Sizing Settings" and "Exit Policy Settings"; seed 003 for min reward:risk
        assertThat(p.sizing()).isEqualTo(new Sizing(
                0.01,        // RM_RISK_PER_TRADE_PCT=0.01
                0.005,       // RM_MIN_RISK_PCT=0.005
                0.015,       // RM_MAX_RISK_PCT=0.015
                true,        // RM_SIGNAL_QUALITY_ADJ=true
                14,          // RM_ATR_PERIOD=14
                1.5,         // RM_ATR_MULT_SL=1.5
                3.75,        // RM_TP_MULTIPLIER=3.75
                2.5,         // RM_TARGET_RR=2.5
                1.5,         // seed 003: "risk/reward ratio (minimum 1.5:1)"
                30,          // RM_MAX_LEVERAGE=30.0
                5,           // RM_MIN_POSITION_USD=5.0
                500));       // RM_MAX_POSITION_USD=500.0
        // the ATR multiples agree with the target: 3.75 / 1.5 = 2.5
        assertThat(p.sizing().takeProfitAtrMultiple() / p.sizing().stopLossAtrMultiple())
                .isEqualTo(p.sizing().targetRewardRisk());

        // seed 001, "Global Risk Settings"; seed 000 for the 25% asset concentration
        assertThat(p.portfolio()).isEqualTo(new PortfolioLimits(
                4,           // RM_MAX_CONCURRENT_TRADES=4
                0.80,        // RM_MAX_EXPOSURE_PCT=0.80
                0.25,        // seed 000: "all BTC positions to 25% of the portfolio"
                Duration.ofMinutes(5), // reservation_ttl: 5m
                0.05,        // max_fill_deviation_pct: a fill within 5% of the decision's entry
                Duration.ofMinutes(5), // max_event_lead: 5m
                List.of("USDT", "USDC", "BUSD", "USD", "EUR")));

        // seed 001, "Exit Policy Settings"
        assertThat(p.exits()).isEqualTo(new Exits(
                true, 1.0, 0.001,       // RM_BREAKEVEN_AT_R=1.0, RM_BREAKEVEN_OFFSET_PCT=0.001
                true, 2.0, 0.5,         // RM_PARTIAL_TP_AT_R=2.0, RM_PARTIAL_TP_PERCENT=0.5
                true, 2.0, 1.0,         // RM_TRAILING_START_R=2.0, RM_TRAILING_DISTANCE_ATR=1.0
                false,                  // the remainder runs on the trail ("let winners run")
                true, Duration.ofHours(24), 0.5)); // RM_MAX_HOURS_NO_PROGRESS=24; progress = +0.5R

        // seed 002, "Strategy-Specific Risk Limits" (stop loss column; trailing is rules/trailing-stops.drl.xlsx)
        assertThat(p.strategies()).isEqualTo(Map.of(
                "trend_following", new StrategyProfile("trend_following",
                        OptionalDouble.of(0.01),                          // "Stop Loss: 1% initial"
                        OptionalDouble.empty()),
                "htf", new StrategyProfile("htf",
                        OptionalDouble.of(0.02),                          // "Stop Loss: 2% initial"
                        OptionalDouble.empty()),
                "arbitrage", none("arbitrage"),                           // "No trailing stop"
                "market_making", none("market_making"),
                "news_driven", none("news_driven"),
                // seed 003's 'regime_based' sizing: {'trend': 'bullish', 'risk_multiplier': 1.2}; seed 004's
                // regime='normal' when none is given; seed 004's proven strategy's limits [0.5%, 10%]
                "oversold_bounce", new StrategyProfile("oversold_bounce", OptionalDouble.empty(),
                        OptionalDouble.empty(), Optional.of(new SizerSpec(SizerSpec.Method.REGIME_BASED, 0.02,
                        0.005, 0.10, "confidence", 0, 0, Map.of("bullish", 1.2, "normal", 1.0, "bearish", 0.5),
                        "normal")))));
    }

    @Test
    void loadsShippedTextAgainstPlaceholderRules() throws IOException {
        PolicyBundle b = load(shipped);

        assertThat(b.policy().sizing().maxPositionUsd()).isEqualTo(500); // seed 001 RM_MAX_POSITION_USD=500.0
        assertThat(b.policyBytes()).isEqualTo(shipped.getBytes(StandardCharsets.UTF_8));
        assertThat(b.ruleFiles()).containsOnlyKeys(RULE_FILES);
        assertThat(b.source()).isEqualTo(policiesDir.resolve(FILE));
    }

    // ---------------------------------------------------------------- every problem at once

    @Test
    void reportsEveryProblemAtOnceWithFilePathAndLine() throws IOException {
        String yaml = shipped;
        yaml = replace(yaml, "version: \"1\"\n", "version: \"1\"\nowner: risk-desk\n");         // unknown key
        yaml = setValue(yaml, "require_trend", "yes");                                          // wrong type
        yaml = setValue(yaml, "ema_period", "200.5");                                           // not whole
        yaml = setValue(yaml, "max_spread_bps", "50000");                                       // > 10,000
        yaml = replace(yaml, "  min_confidence: 0.70", "  min_confidance: 0.70");               // misspelt
        yaml = replace(yaml, "  atr_period: 14\n", "");                                         // missing
        yaml = replace(yaml, "  max_leverage: 30\n", "  max_leverage: 30\n  max_leverage: 20\n"); // duplicate
        yaml = setValue(yaml, "reservation_ttl", "5 minutes");                                  // bad duration
        yaml = setValue(yaml, "quote_currencies", "USDT");                                      // not a list

        List<PolicyProblem> problems = problemsOf(yaml);

        assertThat(problems).extracting(PolicyProblem::file, PolicyProblem::path, PolicyProblem::line)
                .containsExactlyInAnyOrder(
                        tuple(FILE, "owner", lineOf(yaml, "owner: risk-desk")),
                        tuple(FILE, "filters.require_trend", lineOf(yaml, "require_trend: yes")),
                        tuple(FILE, "filters.ema_period", lineOf(yaml, "ema_period: 200.5")),
                        tuple(FILE, "filters.max_spread_bps", lineOf(yaml, "max_spread_bps: 50000")),
                        tuple(FILE, "filters.min_confidance", lineOf(yaml, "min_confidance: 0.70")),
                        // a missing key is reported at the start of its section (the section's first key)
                        tuple(FILE, "filters.min_confidence", lineOf(yaml, "accepted_consensus:")),
                        tuple(FILE, "sizing.atr_period", lineOf(yaml, "risk_per_trade_pct:")),
                        tuple(FILE, "sizing.max_leverage", lineOf(yaml, "max_leverage: 20")),
                        tuple(FILE, "portfolio.reservation_ttl", lineOf(yaml, "reservation_ttl: 5 minutes")),
                        tuple(FILE, "portfolio.quote_currencies", lineOf(yaml, "quote_currencies: USDT")));
        assertThat(problems).allSatisfy(p -> assertThat(p.line()).isPositive());

        assertThat(message(problems, "owner")).startsWith("unknown key");
        assertThat(message(problems, "filters.require_trend")).isEqualTo("must be true or false, was 'yes'");
        assertThat(message(problems, "filters.ema_period")).isEqualTo("must be a whole number, was '200.5'");
        assertThat(message(problems, "filters.max_spread_bps"))
                .isEqualTo("must be between 0 and 10000, was 50000");
        assertThat(message(problems, "filters.min_confidance")).startsWith("unknown key");
        assertThat(message(problems, "filters.min_confidence")).isEqualTo("is required");
        assertThat(message(problems, "sizing.atr_period")).isEqualTo("is required");
        assertThat(message(problems, "sizing.max_leverage")).isEqualTo("duplicate key");
        assertThat(message(problems, "portfolio.reservation_ttl")).contains("must be a duration", "'5 minutes'");
        assertThat(message(problems, "portfolio.quote_currencies")).startsWith("must be a list");
    }

    @Test
    void reportsUnknownConsensusAndBadRuleFilesTogether() throws IOException {
        Files.write(tmp.resolve("secrets.drl"), new byte[0]); // exists, but outside the rules directory
        Files.write(rulesDir.resolve("notes.txt"), new byte[0]); // inside, but not a rule file
        String yaml = shipped;
        yaml = setValue(yaml, "accepted_consensus", "[UNANIMOUS, STRNG]");
        yaml = replace(yaml, "  - gates.drl\n", "  - gate.drl\n  - ../secrets.drl\n  - notes.txt\n");

        List<PolicyProblem> problems = problemsOf(yaml);

        assertThat(problems).extracting(PolicyProblem::file, PolicyProblem::path, PolicyProblem::message)
                .containsExactlyInAnyOrder(
                        tuple(FILE, "filters.accepted_consensus",
                                "unknown consensus 'STRNG' (one of UNANIMOUS, STRONG, WEAK, SPLIT)"),
                        tuple(FILE, "rules[0]", "rule file 'gate.drl' not found in " + rulesDir),
                        tuple(FILE, "rules[1]", "'../secrets.drl' is outside the rules directory"),
                        tuple(FILE, "rules[2]",
                                "'notes.txt' is not a rule file: use .drl, .drl.xlsx, .drl.xls or .drl.csv"));
        assertThat(problems).filteredOn(p -> p.path().equals("filters.accepted_consensus"))
                .extracting(PolicyProblem::line).containsExactly(lineOfKey(yaml, "accepted_consensus"));
    }
    @Test
    void reportsLineOfBadRuleFile() throws IOException {
        String yaml = replace(shipped, "  - gates.drl\n", "  - gate.drl\n");

        List<PolicyProblem> problems = problemsOf(yaml);

        assertThat(problems).extracting(PolicyProblem::path, PolicyProblem::line)
                .containsExactly(tuple("rules[0]", lineOf(yaml, "- gate.drl")));
    }

    /**
     * A policy or a rule file saved in another encoding than UTF-8 (a Windows editor's cp1252, where 'e' with an
     * acute accent is the single byte 0xE9) is refused with the line of the first such byte: the archive keeps them
     * as text, and the copy would no longer hash to the sha256 the decisions taken under it name.
     */
    @Test
    void aPolicyOrRuleFileThatIsNotUtf8IsRefusedWithItsLine() throws IOException {
        Path f = policiesDir.resolve(FILE);
        byte[] utf8 = replace(shipped, "  max_leverage: 30\n", "  max_leverage: 30  # r\u00e9vis\u00e9\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(f, utf8);
        assertThat(loader.load(f).policy().id()).isEqualTo("default");

        String cp1252 = replace(shipped, "  max_leverage: 30\n", "  max_leverage: 30  # r\u00e9vis\u00e9\n");
        byte[] bytes = cp1252.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(f, bytes);
        int offset = cp1252.indexOf('\u00e9');
        PolicyException e = catchThrowableOfType(() -> loader.load(f), PolicyException.class);
        assertThat(e.problems()).extracting(PolicyProblem::line, PolicyProblem::message).containsExactly(
                tuple(lineOf(cp1252, "max_leverage: 30  #"), "is not UTF-8 text (byte 0xE9 at offset " + offset
                        + "): save the file as UTF-8"));

        Files.write(f, utf8);
        Files.write(rulesDir.resolve("gates.drl"), "// r\u00e9vis\u00e9\n".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1));
        PolicyException rules = catchThrowableOfType(() -> loader.load(f), PolicyException.class);
        assertThat(rules.problems()).extracting(PolicyProblem::path, PolicyProblem::message).containsExactly(
                tuple("rules[0]", "rule file 'gates.drl', line 1: is not UTF-8 text (byte 0xE9 at offset 4): save "
                        + "the file as UTF-8"));
    }

    /**
     * A key that is not plain text (a list, or a mapping, here built of aliases) is refused with its line and never
     * printed: printed, keys of aliases nested a few dozen deep expand to gigabytes of text.
     */
    @Test
    void aKeyThatIsNotPlainTextIsRefusedWithoutBeingPrinted() throws IOException {
        String yaml = replace(shipped, "  max_leverage: 30\n", "  max_leverage: 30\n  ? [a, b]\n  : 1\n");
        List<PolicyProblem> problems = problemsOf(yaml);
        assertThat(problems).extracting(PolicyProblem::path, PolicyProblem::line, PolicyProblem::message)
                .containsExactly(tuple("sizing.?", lineOf(yaml, "? [a, b]"), "a key must be plain text, not a "
                        + "sequence"));

        StringBuilder bomb = new StringBuilder("a0: &a0 [x, x]\n");
        for (int i = 1; i <= 14; i++) { // three aliases a level: 42, within SnakeYAML's 50
            bomb.append("a").append(i).append(": &a").append(i).append(" {? *a").append(i - 1).append(": x, ? [*a")
                    .append(i - 1).append(", *a").append(i - 1).append("]: y}\n");
        }
        bomb.append("? *a14\n: z\n"); // a top-level key of 3^14 nodes, were it printed
        List<PolicyProblem> expanding = problemsOf(shipped + bomb);
        assertThat(expanding).extracting(PolicyProblem::message).contains("a key must be plain text, not a mapping")
                .allSatisfy(m -> assertThat(m.length()).isLessThan(1_000));
    }

    @Test
    void reportsInvalidYamlSyntaxWithItsLine() throws IOException {
        String yaml = replace(shipped, "  max_leverage: 30\n", "  max_leverage: 30: 40\n");

        List<PolicyProblem> problems = problemsOf(yaml);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(FILE);
            assertThat(p.line()).isEqualTo(lineOf(yaml, "max_leverage: 30: 40"));
            assertThat(p.message()).startsWith("not valid YAML");
        });
    }

    @Test
    void refusesEmptyFile() throws IOException {
        assertThat(problemsOf("# nothing but a comment\n")).extracting(PolicyProblem::message)
                .containsExactly("file is empty");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durations")
    void readsReservationTtl(String written, Duration expected) throws IOException {
        assertThat(load(setValue(shipped, "reservation_ttl", written)).policy().portfolio().reservationTtl())
                .isEqualTo(expected);
    }

    static Stream<Arguments> durations() {
        return Stream.of(
                Arguments.of("30s", Duration.ofSeconds(30)),
                Arguments.of("5m", Duration.ofMinutes(5)),   // the shipped value
                Arguments.of("4h", Duration.ofHours(4)),     // seed 001's circuit-breaker cooldown, 4 hours
                Arguments.of("1d", Duration.ofDays(1)),
                Arguments.of("PT5M", Duration.ofMinutes(5)), // ISO-8601 form of 5m
                Arguments.of("1s", Duration.ofSeconds(1)));  // shortest accepted: just above zero
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0s", "PT0S", "-PT5M", "5 minutes", "5min", "soon"})
    void refusesZeroNegativeOrMalformedReservationTtl(String written) throws IOException {
        String yaml = setValue(shipped, "reservation_ttl", written);

        assertThat(problemsOf(yaml)).extracting(PolicyProblem::path, PolicyProblem::line)
                .containsExactly(tuple("portfolio.reservation_ttl", lineOfKey(yaml, "reservation_ttl")));
    }
    @Test
    void reportsDurationTooLongForLongAsProblem() throws IOException {
        // 20 digits: above Long.MAX_VALUE = 9,223,372,036,854,775,807 (19 digits)
        String yaml = setValue(shipped, "reservation_ttl", "99999999999999999999s");

        assertThat(problemsOf(yaml)).extracting(PolicyProblem::path, PolicyProblem::line)
                .containsExactly(tuple("portfolio.reservation_ttl", lineOfKey(yaml, "reservation_ttl")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("singleKeyRanges")
    void checksRangeOfSingleKeys(String key, String value, boolean accepted) throws IOException {
        String yaml = setValue(shipped, key, value);
        if (accepted) {
            load(yaml);
        } else {
            assertThat(problemsOf(yaml)).extracting(PolicyProblem::path, PolicyProblem::line)
                    .contains(tuple(pathOf(key), lineOfKey(yaml, key)));
        }
    }

    static Stream<Arguments> singleKeyRanges() {
        return Stream.of(
                // confidence is a probability, [0, 1]; high_volatility_min_confidence 0.80 stays >= it
                Arguments.of("min_confidence", "0", true),
                Arguments.of("min_confidence", "-0.01", false),
                Arguments.of("high_volatility_min_confidence", "1", true),
                Arguments.of("high_volatility_min_confidence", "1.01", false),
                // ema_period in [1, 10,000]
                Arguments.of("ema_period", "1", true),
                Arguments.of("ema_period", "0", false),
                Arguments.of("ema_period", "10000", true),
                Arguments.of("ema_period", "10001", false),
                // max_spread_bps in [0, 10,000] (10,000 bps = 100%)
                Arguments.of("max_spread_bps", "10000", true),
                Arguments.of("max_spread_bps", "10000.01", false),
                // min_volume_24h >= 0, underscores allowed as in Java: 1_000_000 = seed 001's $1M
                Arguments.of("min_volume_24h", "1_000_000", true),
                Arguments.of("min_volume_24h", "-1", false),
                Arguments.of("min_volume_24h", "a lot", false),
                // max_concurrent_trades in [0, 10,000]
                Arguments.of("max_concurrent_trades", "0", true),
                Arguments.of("max_concurrent_trades", "-1", false),
                // a number must be finite
                Arguments.of("max_exposure_pct", ".inf", false),
                Arguments.of("max_exposure_pct", "NaN", false));
    }

    // ---------------------------------------------------------------- hard cap

    @ParameterizedTest(name = "risk_per_trade_pct {0}, max_risk_pct {1}")
    @MethodSource("hardCap")
    void refusesRiskAboveHardCap(String riskPerTrade, String maxRisk, List<String> refused) throws IOException {
        String yaml = setValue(setValue(shipped, "risk_per_trade_pct", riskPerTrade), "max_risk_pct", maxRisk);

        if (refused.isEmpty()) {
            Sizing z = load(yaml).policy().sizing();
            assertThat(z.riskPerTradePct()).isEqualTo(Double.parseDouble(riskPerTrade));
            assertThat(z.maxRiskPct()).isEqualTo(Double.parseDouble(maxRisk));
        } else {
            List<PolicyProblem> problems = problemsOf(yaml);
            assertThat(problems).filteredOn(p -> p.message().contains("hard cap"))
                    .extracting(PolicyProblem::path).containsExactlyInAnyOrderElementsOf(refused);
            assertThat(problems).filteredOn(p -> p.message().contains("hard cap")).allSatisfy(p -> {
                assertThat(p.message()).contains("exceeds the hard cap of 0.05");
                assertThat(p.line()).isEqualTo(lineOfKey(yaml, p.path().substring("sizing.".length())));
            });
        }
    }

    static Stream<Arguments> hardCap() {
        // seed 003: "Never exceed 5% risk per trade" -> HardCaps.MAX_RISK_PER_TRADE = 0.05
        return Stream.of(
                Arguments.of("0.01", "0.015", List.of()),                            // shipped: 1% and 1.5%
                Arguments.of("0.01", "0.05", List.of()),                             // max risk exactly 5%
                Arguments.of("0.05", "0.05", List.of()),                             // both exactly 5%
                Arguments.of("0.01", "0.0500001", List.of("sizing.max_risk_pct")),   // 5% + 0.00001%
                Arguments.of("0.0500001", "0.0500001",                               // both 5% + 0.00001%
                        List.of("sizing.risk_per_trade_pct", "sizing.max_risk_pct")),
                Arguments.of("0.06", "0.015", List.of("sizing.risk_per_trade_pct"))); // 6% (also above max)
    }

    // ---------------------------------------------------------------- cross-field checks

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @MethodSource("crossChecks")
    void checksRelationsBetweenKeys(String key, String value, List<String> refused) throws IOException {
        String yaml = setValue(shipped, key, value);

        if (refused.isEmpty()) {
            assertThat(load(yaml).policy()).isNotNull();
        } else {
            // a relation is reported at the line of the key named in the path
            assertThat(problemsOf(yaml)).extracting(PolicyProblem::file, PolicyProblem::path, PolicyProblem::line)
                    .containsExactlyInAnyOrderElementsOf(refused.stream()
                            .map(p -> tuple(FILE, p, lineOfKey(yaml, p.substring(p.indexOf('.') + 1)))).toList());
        }
    }

    static Stream<Arguments> crossChecks() {
        List<String> none = List.of();
        return Stream.of(
                // min_risk_pct <= risk_per_trade_pct (0.01)
                Arguments.of("min_risk_pct", "0.01", none),                                // equal
                Arguments.of("min_risk_pct", "0.0101", List.of("sizing.risk_per_trade_pct")), // 0.01 + 0.0001
                // risk_per_trade_pct (0.01) <= max_risk_pct
                Arguments.of("max_risk_pct", "0.01", none),                                // equal
                Arguments.of("max_risk_pct", "0.0099", List.of("sizing.risk_per_trade_pct")), // 0.01 - 0.0001
                // min_position_usd <= max_position_usd (500)
                Arguments.of("min_position_usd", "500", none),                             // equal
                Arguments.of("min_position_usd", "500.01", List.of("sizing.min_position_usd")),
                // min_position_usd > 0: a zero minimum would approve an order sized to nothing
                Arguments.of("min_position_usd", "0.01", none),                            // one cent
                Arguments.of("min_position_usd", "0", List.of("sizing.min_position_usd")),
                // stop_loss_atr_multiple > 0
                Arguments.of("stop_loss_atr_multiple", "0.01", none),                      // 3.75 / 0.01 = 375 >= 1.5
                Arguments.of("stop_loss_atr_multiple", "0", List.of("sizing.stop_loss_atr_multiple")),
                // take_profit_atr_multiple / stop_loss_atr_multiple (1.5) >= min_reward_risk (1.5)
                Arguments.of("take_profit_atr_multiple", "2.25", none),                    // 2.25 / 1.5 = 1.5
                Arguments.of("take_profit_atr_multiple", "2.2499",                         // 2.2499 / 1.5 = 1.49993
                        List.of("sizing.take_profit_atr_multiple")),
                // target_reward_risk >= min_reward_risk (1.5)
                Arguments.of("target_reward_risk", "1.5", none),                           // equal
                Arguments.of("target_reward_risk", "1.4999", List.of("sizing.target_reward_risk")),
                // min_reward_risk limits both: 3.75 / 1.5 = 2.5 and target 2.5
                Arguments.of("min_reward_risk", "2.5", none),                              // equal to both
                Arguments.of("min_reward_risk", "2.5001",
                        List.of("sizing.take_profit_atr_multiple", "sizing.target_reward_risk")),
                // high_volatility_atr_ratio <= max_atr_ratio (0.05)
                Arguments.of("high_volatility_atr_ratio", "0.05", none),                   // equal
                Arguments.of("high_volatility_atr_ratio", "0.0501",                        // 0.05 + 0.0001
                        List.of("filters.high_volatility_atr_ratio")),
                // high_volatility_min_confidence >= min_confidence (0.70)
                Arguments.of("high_volatility_min_confidence", "0.70", none),              // equal
                Arguments.of("high_volatility_min_confidence", "0.6999",                   // 0.70 - 0.0001
                        List.of("filters.high_volatility_min_confidence")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strategyChecks")
    void checksStrategies(String description, String from, String to, List<String> refused) throws IOException {
        String yaml = replace(shipped, from, to);

        if (refused.isEmpty()) {
            assertThat(load(yaml).policy()).isNotNull();
        } else {
            List<PolicyProblem> problems = problemsOf(yaml);
            assertThat(problems).extracting(PolicyProblem::path).containsExactlyInAnyOrderElementsOf(refused);
            // each problem points at one of the lines the edit wrote
            int first = lineAt(yaml, shipped.indexOf(from));
            int last = first + (int) to.chars().filter(c -> c == '\n').count() - (to.endsWith("\n") ? 1 : 0);
            assertThat(problems).allSatisfy(p -> assertThat(p.line()).isBetween(first, last));
        }
    }

    static Stream<Arguments> strategyChecks() {
        String htfStop = "    stop_loss_pct: 0.02\n"; // seed 002: HTF "Stop Loss: 2% initial"
        return Stream.of(
                Arguments.of("lower_snake_case name", "  arbitrage: {}", "  arbitrage_2: {}", List.of()),
                Arguments.of("capitalised name", "  arbitrage: {}", "  Arbitrage: {}",
                        List.of("strategies.Arbitrage")),
                Arguments.of("hyphenated name", "  arbitrage: {}", "  stat-arb: {}",
                        List.of("strategies.stat-arb")),
                Arguments.of("stop 0.01%", htfStop, "    stop_loss_pct: 0.0001\n", List.of()),
                Arguments.of("stop 0", htfStop, "    stop_loss_pct: 0\n",
                        List.of("strategies.htf.stop_loss_pct")),
                Arguments.of("stop 101%", htfStop, "    stop_loss_pct: 1.01\n",
                        List.of("strategies.htf.stop_loss_pct")),
                // take_profit_pct / stop_loss_pct >= min_reward_risk (1.5)
                Arguments.of("seed 004: 2% stop, 4% take profit (4 / 2 = 2)", htfStop,
                        htfStop + "    take_profit_pct: 0.04\n", List.of()),
                Arguments.of("3% over 2% = 1.5, equal to min_reward_risk", htfStop,
                        htfStop + "    take_profit_pct: 0.03\n", List.of()),
                Arguments.of("2.99% over 2% = 1.495, below min_reward_risk", htfStop,
                        htfStop + "    take_profit_pct: 0.0299\n", List.of("strategies.htf.take_profit_pct")),
                Arguments.of("take profit 1000% is the top of the range", htfStop,
                        htfStop + "    take_profit_pct: 10\n", List.of()),
                Arguments.of("take profit 1001%", htfStop,
                        htfStop + "    take_profit_pct: 10.01\n", List.of("strategies.htf.take_profit_pct")),
                Arguments.of("a trailing key left from before the trailing table: pointed to the table", htfStop,
                        htfStop + "    trailing: {activation_pct: 0.015, distance_pct: 0.01, step_pct: 0.005}\n",
                        List.of("strategies.htf.trailing")),
                Arguments.of("unknown strategy key", htfStop, htfStop + "    max_position_pct: 0.20\n",
                        List.of("strategies.htf.max_position_pct")));
    }

    @Test
    void readsStrategyTakeProfit() throws IOException {
        // seed 004: "'stop_loss_pct': 0.02, 'take_profit_pct': 0.04"
        String yaml = replace(shipped, "    stop_loss_pct: 0.02\n",
                "    stop_loss_pct: 0.02\n    take_profit_pct: 0.04\n");

        StrategyProfile htf = load(yaml).policy().strategy("htf").orElseThrow();

        assertThat(htf.stopLossPct()).isEqualTo(OptionalDouble.of(0.02));
        assertThat(htf.takeProfitPct()).isEqualTo(OptionalDouble.of(0.04));
    }

    // ---------------------------------------------------------------- regime_based sizers (seed 003)

    /** The shipped oversold_bounce sizer's lines (policies/default.yaml). */
    private static final String METHOD = "      method: regime_based\n";
    private static final String BASE = "      base_fraction: 0.02\n";
    private static final String REGIMES = "      regimes: {bullish: 1.2, normal: 1.0, bearish: 0.5}\n";
    private static final String DEFAULT_REGIME =
            "      default_regime: normal              # seed 004: regime='normal' when none is given\n";
    private static final String SIZER = "strategies.oversold_bounce.sizer.";

    @Test
    void readsTheShippedRegimeSizer() {
        SizerSpec z = new PolicyLoader(SHIPPED_RULES).load(SHIPPED_POLICY).policy().sizerFor("oversold_bounce")
                .orElseThrow();

        assertThat(z.method()).isEqualTo(SizerSpec.Method.REGIME_BASED);
        assertThat(z.baseFraction()).isEqualTo(0.02);
        // in the policy's order: the order a rejection lists them in
        assertThat(z.regimes()).containsExactly(Map.entry("bullish", 1.2), Map.entry("normal", 1.0),
                Map.entry("bearish", 0.5));
        assertThat(z.regimeOf(Optional.empty())).isEqualTo("normal");
        assertThat(z.regimeOf(Optional.of("bearish"))).isEqualTo("bearish");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("regimeSizerChecks")
    void checksRegimeSizers(String description, String from, String to, List<String> refused) throws IOException {
        String yaml = replace(shipped, from, to);

        if (refused.isEmpty()) {
            assertThat(load(yaml).policy().sizerFor("oversold_bounce")).isPresent();
        } else {
            List<PolicyProblem> problems = problemsOf(yaml);
            assertThat(problems).extracting(PolicyProblem::path).containsExactlyInAnyOrderElementsOf(refused);
            // each problem points at one of the lines the edit wrote
            int first = lineAt(yaml, shipped.indexOf(from));
            int last = first + (int) to.chars().filter(c -> c == '\n').count() - (to.endsWith("\n") ? 1 : 0);
            assertThat(problems).allSatisfy(p -> assertThat(p.line()).isBetween(first, last));
        }
    }

    static Stream<Arguments> regimeSizerChecks() {
        return Stream.of(
                Arguments.of("a factor of 0 (min_fraction applies)", REGIMES,
                        "      regimes: {bullish: 1.2, normal: 1.0, bearish: 0.5, crash: 0}\n", List.of()),
                Arguments.of("a factor above 1 / max_fraction (max_fraction applies)", REGIMES,
                        "      regimes: {bullish: 6, normal: 1.0}\n", List.of()),
                Arguments.of("a single regime", REGIMES + DEFAULT_REGIME,
                        "      regimes: {normal: 1.0}\n" + DEFAULT_REGIME, List.of()),
                Arguments.of("32-character name", REGIMES,
                        "      regimes: {normal: 1.0, r" + "x".repeat(31) + ": 1}\n", List.of()),
                Arguments.of("a negative factor", REGIMES,
                        "      regimes: {bullish: 1.2, normal: 1.0, bearish: -0.5}\n",
                        List.of(SIZER + "regimes.bearish")),
                Arguments.of("a factor that is not a number", REGIMES,
                        "      regimes: {bullish: 1.2, normal: 1.0, bearish: half}\n",
                        List.of(SIZER + "regimes.bearish")),
                Arguments.of("an infinite factor", REGIMES,
                        "      regimes: {bullish: Infinity, normal: 1.0}\n", List.of(SIZER + "regimes.bullish")),
                Arguments.of("a factor that is a mapping", REGIMES,
                        "      regimes: {bullish: {risk_multiplier: 1.2}, normal: 1.0}\n",
                        List.of(SIZER + "regimes.bullish")),
                Arguments.of("a capitalised name", REGIMES,
                        "      regimes: {Bullish: 1.2, normal: 1.0}\n", List.of(SIZER + "regimes.Bullish")),
                Arguments.of("a name with a space", REGIMES,
                        "      regimes: {bull market: 1.2, normal: 1.0}\n", List.of(SIZER + "regimes.bull market")),
                Arguments.of("a hyphenated name", REGIMES,
                        "      regimes: {bull-run: 1.2, normal: 1.0}\n", List.of(SIZER + "regimes.bull-run")),
                Arguments.of("a 33-character name", REGIMES,
                        "      regimes: {normal: 1.0, r" + "x".repeat(32) + ": 1}\n",
                        List.of(SIZER + "regimes.r" + "x".repeat(32))),
                Arguments.of("a regime named twice", REGIMES,
                        "      regimes: {bullish: 1.2, normal: 1.0, bullish: 1.5}\n",
                        List.of(SIZER + "regimes.bullish")),
                Arguments.of("no regime", REGIMES, "      regimes: {}\n", List.of(SIZER + "regimes")),
                Arguments.of("a list of regimes", REGIMES, "      regimes: [bullish, normal]\n",
                        List.of(SIZER + "regimes")),
                Arguments.of("regimes left out", METHOD + BASE + REGIMES, METHOD + BASE,
                        List.of(SIZER + "regimes")),
                Arguments.of("a default the regimes lack", DEFAULT_REGIME, "      default_regime: neutral\n",
                        List.of(SIZER + "default_regime")),
                Arguments.of("a default that is not a name", DEFAULT_REGIME, "      default_regime: Normal\n",
                        List.of(SIZER + "default_regime")),
                Arguments.of("default_regime left out", METHOD + BASE + REGIMES + DEFAULT_REGIME,
                        METHOD + BASE + REGIMES, List.of(SIZER + "default_regime")),
                Arguments.of("a bad factor and a default the regimes lack, both reported",
                        REGIMES + DEFAULT_REGIME,
                        "      regimes: {bullish: 1.2, bearish: -0.5}\n      default_regime: normal\n",
                        List.of(SIZER + "regimes.bearish", SIZER + "default_regime")),
                Arguments.of("another method's key", METHOD, METHOD + "      kelly_fraction: 0.5\n",
                        List.of(SIZER + "kelly_fraction")),
                Arguments.of("a misspelt key", METHOD + BASE + REGIMES + DEFAULT_REGIME,
                        METHOD + BASE + REGIMES + "      default_regim: normal\n",
                        List.of(SIZER + "default_regime", SIZER + "default_regim")),
                Arguments.of("base_fraction left out", METHOD + BASE, METHOD, List.of(SIZER + "base_fraction")));
    }

    @Test
    void aMisspeltMethodNamesRegimeBasedAmongTheMethods() throws IOException {
        List<PolicyProblem> problems = problemsOf(replace(shipped, METHOD, "      method: regime\n"));

        assertThat(message(problems, SIZER + "method")).isEqualTo("must be one of [fixed_fraction, "
                + "confidence_weighted, kelly, volatility_adjusted, regime_based], was 'regime'");
    }

    @Test
    void regimeKeysUnderAnotherMethodAreUnknown() throws IOException {
        String yaml = replace(shipped, "  news_driven: {}\n", "  news_driven:\n    sizer: {method: fixed_fraction, "
                + "base_fraction: 0.02, min_fraction: 0.005, max_fraction: 0.10, regimes: {bullish: 1.2}, "
                + "default_regime: bullish}\n");

        assertThat(problemsOf(yaml)).extracting(PolicyProblem::path).containsExactlyInAnyOrder(
                "strategies.news_driven.sizer.regimes", "strategies.news_driven.sizer.default_regime");
    }

    @Test
    void aRegimeSizerProblemSaysWhatIsWrong() throws IOException {
        String yaml = replace(replace(shipped, REGIMES, "      regimes: {bullish: 1.2, normal: 1.0, bearish: -0.5, "
                + "Bull Run: 2}\n"), DEFAULT_REGIME, "      default_regime: neutral\n");

        List<PolicyProblem> problems = problemsOf(yaml);

        assertThat(message(problems, SIZER + "regimes.bearish")).isEqualTo("must be at least 0, was -0.5");
        assertThat(message(problems, SIZER + "regimes.Bull Run")).isEqualTo("regime names are lower-case "
                + "identifiers (a letter, then letters, digits or '_'), at most 32 characters, as an order's "
                + "market.regime spells them, was 'Bull Run'");
        assertThat(message(problems, SIZER + "default_regime")).isEqualTo("must be one of the regimes [bullish, "
                + "normal, bearish] (an order naming no regime is sized in it), was 'neutral'");
    }

    @Test
    void aPolicyWideSizerMayBeRegimeBased() throws IOException {
        String yaml = replace(shipped, "  max_position_usd: 500\n", "  max_position_usd: 500\n  sizer: {method: "
                + "regime_based, base_fraction: 0.01, regimes: {calm: 1.5, stormy: 0.25}, default_regime: calm, "
                + "min_fraction: 0.001, max_fraction: 0.05}\n");

        Policy p = load(yaml).policy();

        // an order naming no strategy, or one without a sizer of its own, is sized by it; oversold_bounce keeps its own
        assertThat(p.sizerFor(null).orElseThrow().regimes()).containsOnlyKeys("calm", "stormy");
        assertThat(p.sizerFor("trend_following").orElseThrow().defaultRegime()).isEqualTo("calm");
        assertThat(p.sizerFor("oversold_bounce").orElseThrow().defaultRegime()).isEqualTo("normal");
        assertThat(p.sizerFor("scalping").orElseThrow().defaultRegime()).isEqualTo("calm");
    }

    // ---------------------------------------------------------------- sha256

    @Test
    void sha256IsStableForSameBytes() throws IOException {
        writeRules("rule a", "rule b", "table c", "table d", "rule e", "table f", "rule g", "rule h", "table i", "rule j");
        Path other = Files.createDirectory(tmp.resolve("copy"));
        Files.writeString(other.resolve("elsewhere.yaml"), shipped);

        String first = load(shipped).sha256();
        String again = load(shipped).sha256();
        String fromOtherFile = loader.load(other.resolve("elsewhere.yaml")).sha256();

        assertThat(again).isEqualTo(first);
        assertThat(fromOtherFile).isEqualTo(first); // the file's name and place are not part of the hash
    }

    @Test
    void sha256CoversPolicyBytesThenEachRuleFileNameAndBytesInNameOrder() throws Exception {
        writeRules("rule a", "rule b", "table c", "table d", "rule e", "table f", "rule g", "rule h", "table i", "rule j");

        PolicyBundle b = load(shipped);

        // computed here from PolicyBundle's documented layout, independently of PolicyLoader.sha256
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(shipped.getBytes(StandardCharsets.UTF_8));
        for (String name : new TreeSet<>(RULE_FILES)) { // in name order
            md.update((byte) 0);
            md.update(name.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(Files.readAllBytes(rulesDir.resolve(name)));
        }
        assertThat(b.sha256()).isEqualTo(HexFormat.of().formatHex(md.digest()));
    }

    @Test
    void sha256ChangesWhenPolicyFileChanges() throws IOException {
        String before = load(shipped).sha256();

        // one comment line changes the bytes, not the policy
        String after = load(shipped + "# reviewed\n").sha256();

        assertThat(after).isNotEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ruleFileNames")
    void sha256ChangesWhenAnyListedRuleFileChanges(String ruleFile) throws IOException {
        String before = load(shipped).sha256();

        Files.writeString(rulesDir.resolve(ruleFile), "// edited");
        String after = load(shipped).sha256();

        assertThat(after).isNotEqualTo(before);
    }

    static Stream<String> ruleFileNames() {
        return RULE_FILES.stream();
    }

    @Test
    void sha256IgnoresRuleFilesThePolicyDoesNotList() throws IOException {
        String before = load(shipped).sha256();

        Files.writeString(rulesDir.resolve("experimental.drl"), "rule \"x\" when then end");
        String after = load(shipped).sha256();

        assertThat(after).isEqualTo(before);
    }

    @Test
    void sha256DependsOnWhichRuleFileHoldsWhichBytes() throws IOException {
        writeRules("rule a", "rule b", "table c", "table d", "rule e", "table f", "rule g", "rule h", "table i", "rule j");
        String before = load(shipped).sha256();

        writeRules("rule b", "rule a", "table c", "table d", "rule e", "table f", "rule g", "rule h",
                "table i", "rule j"); // same bytes overall, swapped between two files
        String after = load(shipped).sha256();

        assertThat(after).isNotEqualTo(before);
    }

    // ---------------------------------------------------------------- directories

    @Test
    void loadsEveryPolicyOfDirectoryByIdIgnoringOtherFiles() throws IOException {
        Files.writeString(policiesDir.resolve("default.yaml"), shipped);
        Files.writeString(policiesDir.resolve("cautious.yml"), setValue(setValue(shipped, "id", "cautious"),
                "risk_per_trade_pct", "0.005")); // seed 001's minimum risk, 0.5%
        Files.writeString(policiesDir.resolve("README.md"), "not a policy");

        Map<String, PolicyBundle> all = loader.loadDirectory(policiesDir);

        assertThat(all).containsOnlyKeys("default", "cautious");
        assertThat(all.get("cautious").policy().sizing().riskPerTradePct()).isEqualTo(0.005);
        assertThat(all.get("cautious").source().getFileName()).hasToString("cautious.yml");
    }

    @Test
    void refusesDuplicatePolicyIdsAcrossFiles() throws IOException {
        Files.writeString(policiesDir.resolve("a.yaml"), shipped);
        Files.writeString(policiesDir.resolve("b.yaml"), shipped + "# a copy\n"); // same id: default

        PolicyException e = catchThrowableOfType(() -> loader.loadDirectory(policiesDir), PolicyException.class);

        assertThat(e).isNotNull();
        assertThat(e.problems()).extracting(PolicyProblem::file, PolicyProblem::path, PolicyProblem::message)
                .containsExactly(tuple("b.yaml", "id", "policy id 'default' is already used by a.yaml"));
    }

    @Test
    void reportsProblemsOfEveryFileInDirectory() throws IOException {
        String broken = replace(shipped, "  max_leverage: 30\n", "  max_leverage: 30: 40\n");
        String outOfRange = setValue(setValue(shipped, "id", "other"), "min_confidence", "1.5");
        Files.writeString(policiesDir.resolve("a.yaml"), broken);
        Files.writeString(policiesDir.resolve("b.yaml"), outOfRange);

        PolicyException e = catchThrowableOfType(() -> loader.loadDirectory(policiesDir), PolicyException.class);

        assertThat(e).isNotNull();
        assertThat(e.problems()).extracting(PolicyProblem::file, PolicyProblem::path, PolicyProblem::line)
                .contains(
                        tuple("a.yaml", "", lineOf(broken, "max_leverage: 30: 40")),
                        tuple("b.yaml", "filters.min_confidence", lineOf(outOfRange, "min_confidence: 1.5")));
        assertThat(e.getMessage()).contains("a.yaml:" + lineOf(broken, "max_leverage: 30: 40"),
                "b.yaml:" + lineOf(outOfRange, "min_confidence: 1.5") + " filters.min_confidence");
    }

    @Test
    void refusesDirectoryWithoutPolicies() {
        assertThatThrownBy(() -> loader.loadDirectory(policiesDir)).isInstanceOf(PolicyException.class)
                .hasMessageContaining("no policy files (*.yaml) found");
    }

    // ---------------------------------------------------------------- helpers

    private static StrategyProfile none(String name) {
        return new StrategyProfile(name, OptionalDouble.empty(), OptionalDouble.empty());
    }

    private PolicyBundle load(String yaml) throws IOException {
        Path f = policiesDir.resolve(FILE);
        Files.writeString(f, yaml);
        return loader.load(f);
    }

    private List<PolicyProblem> problemsOf(String yaml) throws IOException {
        Path f = policiesDir.resolve(FILE);
        Files.writeString(f, yaml);
        PolicyException e = catchThrowableOfType(() -> loader.load(f), PolicyException.class);
        assertThat(e).as("policy should have been refused").isNotNull();
        assertThat(e.problems()).isNotEmpty();
        return e.problems();
    }

    private void writeRules(String... contents) throws IOException {
        for (int i = 0; i < RULE_FILES.size(); i++) {
            Files.writeString(rulesDir.resolve(RULE_FILES.get(i)), contents[i]);
        }
    }

    private static String message(List<PolicyProblem> problems, String path) {
        List<String> m = problems.stream().filter(p -> p.path().equals(path)).map(PolicyProblem::message).toList();
        assertThat(m).as("problems at " + path).hasSize(1);
        return m.get(0);
    }

    /** Replaces the only occurrence of {@code from}; fails the test when there is none or several. */
    static String replace(String text, String from, String to) {
        int at = text.indexOf(from);
        assertThat(at).as("'" + from + "' in the policy text").isNotNegative();
        assertThat(text.indexOf(from, at + 1)).as("'" + from + "' occurs once").isNegative();
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    /** Sets the value on the only line {@code key: value}, keeping its indentation and comment. */
    static String setValue(String text, String key, String value) {
        Matcher m = Pattern.compile("(?m)^([ \\t]*)" + Pattern.quote(key) + ":[ \\t]*([^#\\n]*?)([ \\t]*#[^\\n]*)?$")
                .matcher(text);
        assertThat(m.find()).as("key " + key + " in the policy text").isTrue();
        int start = m.start();
        int end = m.end();
        String line = m.group(1) + key + ": " + value + (m.group(3) == null ? "" : m.group(3));
        assertThat(m.find()).as("key " + key + " occurs once").isFalse();
        return text.substring(0, start) + line + text.substring(end);
    }

    /** The 1-based line of the only line containing {@code fragment}. */
    static int lineOf(String text, String fragment) {
        String[] lines = text.split("\n", -1);
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(fragment)) {
                found.add(i + 1);
            }
        }
        assertThat(found).as("lines containing '" + fragment + "'").hasSize(1);
        return found.get(0);
    }

    /** The 1-based line of the only line that starts (after indentation) with {@code key:}. */
    static int lineOfKey(String text, String key) {
        String[] lines = text.split("\n", -1);
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].stripLeading().startsWith(key + ":")) {
                found.add(i + 1);
            }
        }
        assertThat(found).as("lines starting with '" + key + ":'").hasSize(1);
        return found.get(0);
    }

    /** The 1-based line of the character at {@code index}. */
    static int lineAt(String text, int index) {
        return (int) text.substring(0, index).chars().filter(c -> c == '\n').count() + 1;
    }

    /** The key path of a key of the shipped policy, e.g. sizing.max_risk_pct. */
    private String pathOf(String key) {
        Map<String, String> sectionOf = new LinkedHashMap<>();
        String section = "";
        for (String line : shipped.split("\n")) {
            if (line.matches("[a-z_]+:.*")) {
                section = line.substring(0, line.indexOf(':'));
            } else if (line.matches("  [a-z_0-9]+:.*")) {
                sectionOf.putIfAbsent(line.trim().substring(0, line.trim().indexOf(':')), section);
            }
        }
        assertThat(sectionOf).containsKey(key);
        return sectionOf.get(key) + "." + key;
    }

    @Test
    void refusesAVersionTheAuditCannotStore() throws IOException {
        // the version is stored with every decision (64 characters): 64 pass, 65 are refused
        assertThat(load(setValue(shipped, "version", "\"" + "v".repeat(64) + "\"")).policy().version()).hasSize(64);
        assertThat(problemsOf(setValue(shipped, "version", "\"" + "v".repeat(65) + "\"")))
                .extracting(PolicyProblem::path).containsExactly("version");
    }

    @Test
    void refusesAReservationTtlLongerThanADay() throws IOException {
        assertThat(load(setValue(shipped, "reservation_ttl", "1d")).policy().portfolio().reservationTtl())
                .isEqualTo(java.time.Duration.ofDays(1));
        assertThat(problemsOf(setValue(shipped, "reservation_ttl", "PT24H0M1S")))
                .singleElement().satisfies(p -> {
                    assertThat(p.path()).isEqualTo("portfolio.reservation_ttl");
                    assertThat(p.message()).contains("at most PT24H");
                });
    }
}
