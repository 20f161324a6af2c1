package io.riskgate.policy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads {@code policies/*.yaml} into {@link PolicyBundle}s. Validation is complete before anything is returned:
 * every problem in every file is collected (file, key path, line, reason) and thrown together as one
 * {@link PolicyException}; nothing is half-loaded.
 */
public final class PolicyLoader {

    private static final double ANY = Double.MAX_VALUE;

    private final RuleSource rules;

    /** Reads rule files from {@code rulesDir}. */
    public PolicyLoader(Path rulesDir) {
        this(RuleSource.directory(rulesDir));
    }

    public PolicyLoader(RuleSource rules) {
        this.rules = rules;
    }

    /**
     * What reading a policy directory found: the valid bundles, every problem, and the rule files of the policies
     * that were refused, so their rule files can still be compiled and their errors reported in the same pass.
     */
    public record LoadResult(Map<String, PolicyBundle> bundles, List<PolicyProblem> problems,
                             List<Map<String, byte[]>> ruleFilesOfRefused) {
    }

    /** Loads every policy file directly inside {@code policiesDir}, keyed by policy id; throws on any problem. */
    public Map<String, PolicyBundle> loadDirectory(Path policiesDir) {
        LoadResult r = loadAll(policiesDir);
        if (!r.problems().isEmpty()) {
            throw new PolicyException(r.problems());
        }
        return r.bundles();
    }

    /** Reads every policy file directly inside {@code policiesDir} without throwing on policy problems. */
    public LoadResult loadAll(Path policiesDir) {
        List<PolicyProblem> problems = new ArrayList<>();
        List<Map<String, byte[]>> refusedRules = new ArrayList<>();
        Map<String, PolicyBundle> out = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(policiesDir)) {
            files = s.filter(PolicyLoader::isPolicyFile).sorted().toList();
        } catch (IOException e) {
            throw new PolicyException(List.of(new PolicyProblem(policiesDir.toString(), "", 0,
                    "cannot list policy directory: " + e.getMessage())));
        }
        if (files.isEmpty()) {
            problems.add(new PolicyProblem(policiesDir.toString(), "", 0, "no policy files (*.yaml) found"));
        }
        for (Path f : files) {
            read(f, problems, refusedRules).ifPresent(b -> {
                PolicyBundle previous = out.putIfAbsent(b.id(), b);
                if (previous != null) {
                    problems.add(new PolicyProblem(f.getFileName().toString(), "id", 0, "policy id '" + b.id()
                            + "' is already used by " + previous.source().getFileName()));
                }
            });
        }
        return new LoadResult(out, problems, refusedRules);
    }

    /** Loads one policy file. */
    public PolicyBundle load(Path file) {
        List<PolicyProblem> problems = new ArrayList<>();
        Optional<PolicyBundle> b = read(file, problems, new ArrayList<>());
        if (!problems.isEmpty() || b.isEmpty()) {
            throw new PolicyException(problems);
        }
        return b.get();
    }

    /**
     * Loads a policy from its bytes, never written to disk (a candidate sent inline); {@code fileName} names it in
     * problems and is its bundle's source.
     */
    public PolicyBundle load(String fileName, byte[] yaml) {
        List<PolicyProblem> problems = new ArrayList<>();
        Optional<PolicyBundle> b = parse(Path.of(fileName), yaml.clone(), problems, new ArrayList<>());
        if (!problems.isEmpty() || b.isEmpty()) {
            throw new PolicyException(problems);
        }
        return b.get();
    }

    static boolean isPolicyFile(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".yaml") || n.endsWith(".yml"));
    }

    private Optional<PolicyBundle> read(Path file, List<PolicyProblem> problems,
                                        List<Map<String, byte[]>> refusedRules) {
        String name = file.getFileName().toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            problems.add(new PolicyProblem(name, "", 0, "cannot read: " + e.getMessage()));
            return Optional.empty();
        }
        return parse(file, bytes, problems, refusedRules);
    }

    private Optional<PolicyBundle> parse(Path file, byte[] bytes, List<PolicyProblem> problems,
                                         List<Map<String, byte[]>> refusedRules) {
        String name = file.getFileName().toString();
        int notText = notUtf8At(bytes);
        if (notText >= 0) {
            problems.add(new PolicyProblem(name, "", lineAt(bytes, notText), notUtf8(bytes, notText)));
            return Optional.empty();
        }
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true); // reported by YamlSection with their lines
            root = new Yaml(options).compose(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            problems.add(new PolicyProblem(name, "", line, "not valid YAML: " + e.getProblem()));
            return Optional.empty();
        } catch (YAMLException e) {
            problems.add(new PolicyProblem(name, "", 0, "not valid YAML: " + e.getMessage()));
            return Optional.empty();
        }
        if (root == null) {
            problems.add(new PolicyProblem(name, "", 0, "file is empty"));
            return Optional.empty();
        }
        int before = problems.size();
        YamlSection section = new YamlSection(name, "", root, problems);
        Policy policy = readPolicy(section);
        Map<String, byte[]> rules = readRuleFiles(section, policy);
        if (problems.size() > before) {
            refusedRules.add(rules);
            return Optional.empty();
        }
        return Optional.of(new PolicyBundle(policy, file, bytes, rules, sha256(bytes, rules)));
    }

    /** A policy's id, as its YAML {@code id} and every request naming a policy must spell it. */
    public static final String POLICY_ID = "[A-Za-z0-9_.-]{1,64}";
    /** A rule code, as a YAML gate and a request naming a breaker must spell it: UPPER_SNAKE_CASE, at most 64. */
    public static final String RULE_CODE = "[A-Z][A-Z0-9_]{0,63}";

    private Policy readPolicy(YamlSection root) {
        String id = root.text("id");
        if (!id.isEmpty() && !id.matches(POLICY_ID)) {
            root.problem(null, "id", "must be 1-64 letters, digits, '_', '.' or '-', was '" + id + "'");
        }
        String version = root.text("version");
        if (!version.isEmpty() && !version.matches("[A-Za-z0-9_.:+-]{1,64}")) {
            root.problem(null, "version", "must be 1-64 letters, digits or '_', '.', ':', '+', '-' (it is stored "
                    + "with every decision), was '" + version + "'");
        }
        String description = root.text("description", "");
        List<String> ruleFiles = root.textList("rules");
        Filters filters = readFilters(root.section("filters"));
        Sizing sizing = readSizing(root.section("sizing"));
        PortfolioLimits portfolio = readPortfolio(root.section("portfolio"));
        Exits exits = readExits(root.section("exits"));
        Governor governor = readGovernor(root.section("governor"));
        Analytics analytics = readAnalytics(root.section("analytics"));
        List<CustomGate> gates = readGates(root);
        Map<String, StrategyProfile> strategies = readStrategies(root.optionalSection("strategies"), sizing);
        Controls controls = root.optionalSection("controls").map(PolicyLoader::readControls).orElse(Controls.NONE);
        root.finish();
        crossCheck(root, filters, sizing, portfolio);
        return new Policy(id, version, description, ruleFiles, filters, sizing, portfolio, exits, governor,
                analytics, gates, strategies, controls);
    }

    private static Filters readFilters(YamlSection s) {
        Set<Consensus> accepted = EnumSet.noneOf(Consensus.class);
        for (String c : s.textList("accepted_consensus")) {
            try {
                accepted.add(Consensus.valueOf(c.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                s.problem(null, s.path() + ".accepted_consensus", "unknown consensus '" + c
                        + "' (one of UNANIMOUS, STRONG, WEAK, SPLIT)");
            }
        }
        Filters f = new Filters(accepted,
                s.number("min_confidence", 0, 1),
                s.bool("require_trend"),
                s.integer("ema_period", 1, 10_000),
                s.bool("volatility_gate"),
                s.number("max_atr_ratio", 0, 1),
                s.number("high_volatility_atr_ratio", 0, 1),
                s.number("high_volatility_min_confidence", 0, 1),
                s.number("min_volume_24h", 0, ANY),
                s.number("max_spread_bps", 0, 10_000),
                s.number("max_entry_deviation_pct", 0, 1));
        s.finish();
        return f;
    }

    private static Sizing readSizing(YamlSection s) {
        Sizing z = new Sizing(
                s.number("risk_per_trade_pct", 0, 1),
                s.number("min_risk_pct", 0, 1),
                s.number("max_risk_pct", 0, 1),
                s.bool("signal_quality_adjustment"),
                s.integer("atr_period", 1, 1_000),
                s.number("stop_loss_atr_multiple", 0, 100),
                s.number("take_profit_atr_multiple", 0, 1_000),
                s.number("target_reward_risk", 0, 1_000),
                s.number("min_reward_risk", 0, 1_000),
                s.number("max_leverage", 0, 1_000),
                s.number("min_position_usd", 0, ANY),
                s.number("max_position_usd", 0, ANY),
                s.optionalSection("sizer").map(PolicyLoader::readSizer));
        s.finish();
        return z;
    }

    private static PortfolioLimits readPortfolio(YamlSection s) {
        PortfolioLimits p = new PortfolioLimits(
                s.integer("max_concurrent_trades", 0, 10_000),
                s.number("max_exposure_pct", 0, 1_000),
                s.number("max_asset_concentration_pct", 0, 1_000),
                // an approval holding room for more than a day is a mistake, not a policy
                s.duration("reservation_ttl", java.time.Duration.ofDays(1)),
                s.number("max_fill_deviation_pct", 0, 1),
                s.duration("max_event_lead", java.time.Duration.ofDays(1)),
                s.textList("quote_currencies").stream().map(q -> q.toUpperCase(Locale.ROOT)).toList());
        s.finish();
        return p;
    }

    private static Exits readExits(YamlSection s) {
        YamlSection be = s.section("breakeven");
        YamlSection tp = s.section("partial_take_profit");
        YamlSection tr = s.section("trailing");
        YamlSection te = s.section("time_exit");
        Exits e = new Exits(
                be.bool("enabled"), be.positive("at_r", 100), be.number("offset_pct", 0, 0.1),
                tp.bool("enabled"), tp.positive("at_r", 100), tp.positive("fraction", 0.99),
                tr.bool("enabled"), tr.positive("start_r", 100), tr.positive("atr_multiple", 100),
                s.bool("take_profit_after_trailing"),
                // seed 001's RM_MAX_HOURS_NO_PROGRESS=24: hours, at most 30 days
                te.bool("enabled"), java.time.Duration.ofMillis(Math.round(te.positive("max_hours_no_progress",
                        24 * 30) * 3_600_000)), te.positive("min_progress_r", 100));
        for (YamlSection sub : List.of(be, tp, tr, te, s)) {
            sub.finish();
        }
        return e;
    }

    /** The policy's YAML-authored gates (optional): code, when (checked by GateCondition), message, category. */
    /** At most this many YAML gates in one policy, each message at most this long. */
    static final int MAX_GATES = 100;
    static final int MAX_GATE_MESSAGE = 500;
    /** Codes riskgate itself rejects or halts with: no gate may use them. */
    static final java.util.Set<String> RESERVED_CODES = java.util.Set.of("ENGINE_ERROR", "OFFICER_HALT");

    private static List<CustomGate> readGates(YamlSection root) {
        List<CustomGate> out = new ArrayList<>();
        List<YamlSection> items = root.optionalList("gates");
        if (items.size() > MAX_GATES) {
            root.problem(null, "gates", "at most " + MAX_GATES + " gates, was " + items.size()
                    + ": each compiles to a rule that every order runs through");
            return out;
        }
        java.util.Set<String> codes = new java.util.HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            YamlSection g = items.get(i);
            String code = g.text("code");
            if (!code.isEmpty() && !code.matches(RULE_CODE)) {
                g.problem(null, g.path() + ".code", "codes are UPPER_SNAKE_CASE, at most 64 characters, was '" + code
                        + "'");
            } else if (RESERVED_CODES.contains(code)) {
                g.problem(null, g.path() + ".code", "code " + code + " is the engine's or an officer's own: an audit "
                        + "must not mistake a gate's rejection for it; choose another");
            } else if (!code.isEmpty() && !codes.add(code)) {
                g.problem(null, g.path() + ".code", "code " + code + " is used by another gate of this policy");
            }
            String when = g.text("when");
            String why = when.isEmpty() ? null : CustomGate.problemWith(when);
            if (why != null) {
                g.problem(null, g.path() + ".when", why);
            }
            String message = g.text("message");
            if (message.length() > MAX_GATE_MESSAGE) {
                g.problem(null, g.path() + ".message", "at most " + MAX_GATE_MESSAGE + " characters (it is in every "
                        + "rejection the gate makes), was " + message.length());
            }
            String category = g.text("category", "custom");
            if (!category.matches("[a-z][a-z0-9_]{0,31}")) {
                g.problem(null, g.path() + ".category", "categories are lower_snake_case, was '" + category + "'");
            }
            g.finish();
            out.add(new CustomGate(code, when, message, category, i, g.lineOf("when")));
        }
        return out;
    }

    private static SizerSpec readSizer(YamlSection s) {
        SizerSpec.Method method = enumOf(s, "method", SizerSpec.Method.class, SizerSpec.Method.FIXED_FRACTION);
        boolean base = method != SizerSpec.Method.KELLY;
        double baseFraction = base ? s.positive("base_fraction", 1) : 0;
        double min = s.number("min_fraction", 0, 1);
        double max = s.positive("max_fraction", 1);
        String key = "confidence";
        if (method == SizerSpec.Method.CONFIDENCE_WEIGHTED) {
            key = s.text("confidence_key", "confidence");
            if (!key.equals("confidence") && !key.equals("strength")) {
                s.problem(null, s.path() + ".confidence_key", "must be confidence or strength (a field of the "
                        + "order's signal), was '" + key + "'");
            }
        }
        double kelly = method == SizerSpec.Method.KELLY ? s.positive("kelly_fraction", 1) : 0;
        double target = method == SizerSpec.Method.VOLATILITY_ADJUSTED ? s.positive("target_volatility", 1) : 0;
        Map<String, Double> regimes = Map.of();
        String defaultRegime = "";
        if (method == SizerSpec.Method.REGIME_BASED) {
            regimes = readRegimes(s.section("regimes"));
            defaultRegime = s.text("default_regime");
            String at = s.path() + ".default_regime";
            if (!defaultRegime.isEmpty() && !defaultRegime.matches(SizerSpec.REGIME_NAME)) {
                s.problem(null, at, regimeNameProblem(defaultRegime));
            } else if (!defaultRegime.isEmpty() && s.valid(s.path() + ".regimes") && !regimes.isEmpty()
                    && !regimes.containsKey(defaultRegime)) {
                s.problem(null, at, "must be one of the regimes " + regimes.keySet() + " (an order naming no "
                        + "regime is sized in it), was '" + defaultRegime + "'");
            }
        }
        s.finish();
        if (s.valid(s.path() + ".min_fraction", s.path() + ".max_fraction") && min > max) {
            s.problem(null, s.path() + ".min_fraction", "must not exceed max_fraction (" + max + "), was " + min);
        }
        return new SizerSpec(method, baseFraction, min, max, key, kelly, target, regimes, defaultRegime);
    }

    /**
     * A regime_based sizer's {@code regimes}: each regime name (an order's {@code market.regime}) to the factor
     * that multiplies {@code base_fraction} in it (seed 003's {'trend': 'bullish', 'risk_multiplier': 1.2}).
     */
    private static Map<String, Double> readRegimes(YamlSection s) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : s.keys()) {
            if (!name.matches(SizerSpec.REGIME_NAME)) {
                s.problem(null, s.path() + "." + name, regimeNameProblem(name));
                s.ignore(name);
                continue;
            }
            // a factor of 0 is allowed (the sizer then gives min_fraction); above that, max_fraction bounds it
            out.put(name, s.number(name, 0, ANY));
        }
        if (s.keys().isEmpty() && s.valid(s.path())) {
            s.problem(null, s.path(), "must name at least one regime and its factor, e.g. {bullish: 1.2, normal: "
                    + "1.0, bearish: 0.5}");
        }
        s.finish();
        return out;
    }

    private static String regimeNameProblem(String name) {
        return "regime names are lower-case identifiers (a letter, then letters, digits or '_'), at most 32 "
                + "characters, as an order's market.regime spells them, was '" + name + "'";
    }

    private static Analytics readAnalytics(YamlSection s) {
        String interval = s.text("bar_interval");
        if (!interval.isEmpty() && !interval.matches(BAR_INTERVAL)) {
            s.problem(null, "analytics.bar_interval", "must be an interval such as 1m, 15m, 1h, 4h, 1d or 1w, was '"
                    + interval + "'");
        }
        String method = s.text("var_method").toUpperCase(Locale.ROOT);
        if (!method.isEmpty() && !method.equals("HISTORICAL") && !method.equals("PARAMETRIC")) {
            s.problem(null, "analytics.var_method", "must be historical or parametric, was '" + method + "'");
        }
        String missing = s.text("missing_data").toLowerCase(Locale.ROOT);
        if (!missing.isEmpty() && !missing.equals("reject") && !missing.equals("allow")) {
            s.problem(null, "analytics.missing_data", "must be reject or allow, was '" + missing + "'");
        }
        // at most 999 returns: the latest 1,000 bars of a symbol are what the engine holds (MarketData.HISTORY)
        Analytics a = new Analytics(interval, s.integer("returns_window", 20, 999),
                s.number("var_confidence", 0.5, 0.9999), s.integer("var_horizon_bars", 1, 250), method,
                s.positive("max_var_pct", 1), s.positive("max_correlation", 1), s.positive("max_portfolio_heat_pct", 1),
                missing.equals("reject"));
        s.finish();
        return a;
    }

    /** Bar intervals riskgate accepts: a count and a unit (minutes, hours, days, weeks). */
    public static final String BAR_INTERVAL = "[1-9][0-9]{0,2}[mhdw]";

    private static Governor readGovernor(YamlSection s) {
        java.time.ZoneId zone = java.time.ZoneOffset.UTC;
        String zoneText = s.text("time_zone");
        try {
            zone = java.time.ZoneId.of(zoneText);
        } catch (java.time.DateTimeException e) {
            if (!zoneText.isEmpty()) {
                s.problem(null, "governor.time_zone", "unknown time zone '" + zoneText + "' (e.g. UTC, "
                        + "America/New_York, Europe/London)");
            }
        }
        java.time.LocalTime reset = java.time.LocalTime.MIDNIGHT;
        String resetText = s.text("daily_reset");
        try {
            reset = java.time.LocalTime.parse(resetText);
        } catch (java.time.format.DateTimeParseException e) {
            if (!resetText.isEmpty()) {
                s.problem(null, "governor.daily_reset", "must be a time of day such as \"00:00\" or \"17:00\", was '"
                        + resetText + "'");
            }
        }
        java.time.DayOfWeek weekStarts = enumOf(s, "week_starts", java.time.DayOfWeek.class, java.time.DayOfWeek.MONDAY);
        YamlSection b = s.section("breakers");
        Governor.Breaker daily = readBreaker(b.section("daily_loss"), true);
        Governor.Breaker weekly = readBreaker(b.section("weekly_loss"), true);
        Governor.Breaker circuit = readBreaker(b.section("circuit_breaker"), false);
        Governor.Breaker maxDd = readBreaker(b.section("max_drawdown"), false);
        Governor.Breaker volSpike = readBreaker(b.section("volatility_spike"), false, "sigma", 100);
        Governor.Breaker corrSpike = readBreaker(b.section("correlation_spike"), false, "correlation", 1);
        b.finish();
        double positionLoss = s.positive("position_loss_limit_pct", 1);
        double reduce = s.positive("emergency_reduce_fraction", 1);
        YamlSection m = s.section("multipliers");
        YamlSection streak = m.section("losing_streak");
        YamlSection recovery = m.section("recovery");
        YamlSection target = m.section("weekly_target");
        YamlSection winRate = m.section("win_rate");
        YamlSection vol = m.section("volatility");
        Governor g = new Governor(new Governor.Windows(zone, reset, weekStarts),
                new Governor.Breakers(daily, weekly, circuit, maxDd, volSpike, corrSpike), positionLoss, reduce,
                new Governor.Multipliers(
                        new Governor.LosingStreak(streak.integer("trades", 1, 1_000), streak.positive("factor", 10)),
                        new Governor.Recovery(recovery.positive("drawdown_pct", 1), recovery.positive("factor", 10)),
                        new Governor.WeeklyTarget(target.positive("target_pct", 100),
                                target.positive("preservation_factor", 10)),
                        new Governor.WinRate(winRate.integer("min_trades", 1, 1_000),
                                winRate.integer("window_trades", 1, 1_000), winRate.number("low_below", 0, 1),
                                winRate.positive("low_factor", 10), winRate.number("high_above", 0, 1),
                                winRate.positive("high_factor", 10)),
                        new Governor.Volatility(vol.positive("atr_ratio_above", 1), vol.positive("factor", 10),
                                vol.positive("atr_ratio_below", 1), vol.positive("low_factor", 10)),
                        enumOf(m, "dynamic_combine", Governor.Combine.class, Governor.Combine.MOST_RESTRICTIVE)));
        for (YamlSection sub : List.of(streak, recovery, target, winRate, vol, m, s)) {
            sub.finish();
        }
        if (s.valid("governor.multipliers.win_rate.min_trades", "governor.multipliers.win_rate.window_trades")
                && g.multipliers().winRate().windowTrades() < g.multipliers().winRate().minTrades()) {
            s.problem(null, "governor.multipliers.win_rate.window_trades", "must be at least min_trades ("
                    + g.multipliers().winRate().minTrades() + "), was " + g.multipliers().winRate().windowTrades());
        }
        if (s.valid("governor.multipliers.win_rate.low_below", "governor.multipliers.win_rate.high_above")
                && g.multipliers().winRate().lowBelow() > g.multipliers().winRate().highAbove()) {
            s.problem(null, "governor.multipliers.win_rate.low_below", "must not exceed high_above ("
                    + g.multipliers().winRate().highAbove() + "), was " + g.multipliers().winRate().lowBelow());
        }
        return g;
    }

    /** A breaker: limit, the state it moves the account to, how long, and its emergency protocol. */
    private static Governor.Breaker readBreaker(YamlSection s, boolean windowed) {
        return readBreaker(s, windowed, "limit_pct", 1);
    }

    private static Governor.Breaker readBreaker(YamlSection s, boolean windowed, String limitKey, double max) {
        boolean enabled = s.bool("enabled");
        double limit = s.positive(limitKey, max);
        String state = s.text("state").toUpperCase(Locale.ROOT);
        if (!state.isEmpty() && !state.equals("HALTED") && !state.equals("REDUCING")) {
            s.problem(null, s.path() + ".state", "must be HALTED (nothing new) or REDUCING (no new risk), was '"
                    + state + "'");
        }
        String until = s.text("until");
        Governor.Until kind = Governor.Until.RESET;
        Optional<java.time.Duration> cooldown = Optional.empty();
        if (until.equalsIgnoreCase("window_end")) {
            kind = Governor.Until.WINDOW_END;
            if (!windowed) {
                s.problem(null, s.path() + ".until", "window_end applies to daily_loss and weekly_loss only: use a "
                        + "cooldown such as 4h, or reset");
            }
        } else if (until.equalsIgnoreCase("reset")) {
            kind = Governor.Until.RESET;
        } else if (!until.isEmpty()) {
            kind = Governor.Until.COOLDOWN;
            cooldown = Optional.of(s.duration("until", java.time.Duration.ofDays(7)));
        }
        Governor.Emergency emergency = enumOf(s, "emergency", Governor.Emergency.class, Governor.Emergency.NONE);
        s.finish();
        return new Governor.Breaker(enabled, limit, state, kind, cooldown, emergency);
    }

    private static <E extends Enum<E>> E enumOf(YamlSection s, String key, Class<E> type, E fallback) {
        String v = s.text(key);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            s.problem(null, s.path().isEmpty() ? key : s.path() + "." + key, "must be one of "
                    + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT) + ", was '" + v + "'");
            return fallback;
        }
    }

    /** {@code controls:} (optional): the market-access controls (docs/controls.md). */
    private static Controls readControls(YamlSection s) {
        Controls.OrderSize orderSize = s.optionalSection("order_size").map(o -> {
            Controls.Limit defaults = readLimit(o);
            Map<String, Controls.Limit> symbols = new LinkedHashMap<>();
            o.optionalSection("symbols").ifPresent(all -> {
                for (String symbol : all.keys()) {
                    YamlSection one = all.section(symbol);
                    if (!symbol.matches("[A-Za-z0-9/:._-]{1,64}")) {
                        one.problem(null, one.path(), "a symbol is 1-64 letters, digits or / : . _ -, was '"
                                + symbol + "'");
                    }
                    Controls.Limit limit = readLimit(one);
                    if (limit.maxQuantity().isEmpty() && limit.maxNotional().isEmpty()) {
                        one.problem(null, one.path(), "names neither max_quantity nor max_notional");
                    }
                    if (symbols.put(symbol.toUpperCase(Locale.ROOT), limit) != null) {
                        one.problem(null, one.path(), "the symbol is listed twice (symbols are matched in any case)");
                    }
                    one.finish();
                }
                all.finish();
            });
            o.finish();
            return new Controls.OrderSize(defaults, symbols);
        }).orElse(Controls.NONE.orderSize());
        Controls.OrderRate orderRate = s.optionalSection("order_rate").map(r -> {
            Controls.OrderRate rate = new Controls.OrderRate(r.optionalSection("per_account").map(PolicyLoader::readRate),
                    r.optionalSection("per_strategy").map(PolicyLoader::readRate));
            r.finish();
            return rate;
        }).orElse(Controls.NONE.orderRate());
        Optional<Controls.PriceCollar> collar = s.optionalSection("price_collar").map(c -> {
            double deviation = c.number("max_deviation_pct", 0, 10);
            java.time.Duration age = c.duration("max_reference_age", java.time.Duration.ofDays(30));
            String missing = c.text("missing_reference");
            if (!missing.isEmpty() && !missing.matches("(?i)allow|reject")) {
                c.problem(null, c.path() + ".missing_reference", "must be allow or reject, was '" + missing + "'");
            }
            c.finish();
            return new Controls.PriceCollar(deviation, age, missing.equalsIgnoreCase("reject"));
        });
        Optional<java.time.Duration> maxAge = s.optionalSection("market_data").map(m -> {
            java.time.Duration age = m.duration("max_age", java.time.Duration.ofDays(1));
            m.finish();
            return age;
        });
        Optional<java.time.Duration> duplicates = s.optionalSection("duplicate_orders").map(d -> {
            java.time.Duration window = d.duration("window", java.time.Duration.ofDays(1));
            d.finish();
            return window;
        });
        Optional<java.time.Duration> cooldown = s.optionalSection("cooldown").map(c -> {
            java.time.Duration after = c.duration("after_stop_loss", java.time.Duration.ofDays(30));
            c.finish();
            return after;
        });
        Optional<Controls.StoplossGuard> guard = s.optionalSection("stoploss_guard").map(g -> {
            int n = g.integer("max_stop_losses", 1, Controls.MAX_COUNTED_STOP_LOSSES);
            java.time.Duration window = g.duration("window", java.time.Duration.ofDays(30));
            java.time.Duration lock = g.duration("lock", java.time.Duration.ofDays(30));
            Controls.LockScope scope = enumOf(g, "scope", Controls.LockScope.class, Controls.LockScope.SYMBOL);
            g.finish();
            return new Controls.StoplossGuard(n, window, lock, scope);
        });
        Controls.Firm firm = s.optionalSection("firm").map(f -> {
            Controls.Firm limits = new Controls.Firm(f.optionalNumber("max_gross_exposure", 0, ANY),
                    f.optionalNumber("max_daily_risk", 0, ANY));
            if (!limits.any()) {
                f.problem(null, f.path(), "names neither max_gross_exposure nor max_daily_risk");
            }
            f.finish();
            return limits;
        }).orElse(Controls.NONE.firm());
        Optional<Controls.RiskBudget> budget = s.optionalSection("daily_risk_budget").map(b -> {
            Controls.RiskBudget r = new Controls.RiskBudget(b.number("max_pct", 0, 1));
            b.finish();
            return r;
        });
        s.finish();
        return new Controls(orderSize, orderRate, collar, maxAge, duplicates,
                new Controls.Guards(cooldown, guard), firm, budget);
    }

    /** A throttle: at most max_checks (1 to the checks an account book keeps) in a window of up to a day. */
    private static Controls.Rate readRate(YamlSection s) {
        Controls.Rate rate = new Controls.Rate(s.integer("max_checks", 1, Controls.MAX_COUNTED_CHECKS),
                s.duration("window", java.time.Duration.ofDays(1)));
        s.finish();
        return rate;
    }

    /** An order-size limit's two optional bounds; 0 refuses every order (a symbol closed to trading). */
    private static Controls.Limit readLimit(YamlSection s) {
        return new Controls.Limit(s.optionalNumber("max_quantity", 0, ANY), s.optionalNumber("max_notional", 0, ANY));
    }

    private static Map<String, StrategyProfile> readStrategies(Optional<YamlSection> section, Sizing sizing) {
        Map<String, StrategyProfile> out = new LinkedHashMap<>();
        if (section.isEmpty()) {
            return out;
        }
        YamlSection all = section.get();
        for (String name : all.keys()) {
            YamlSection s = all.section(name);
            if (!name.matches("[a-z0-9_]{1,64}")) {
                s.problem(null, s.path(), "strategy names are lower_snake_case, was '" + name + "'");
            }
            OptionalDouble stop = s.optionalNumber("stop_loss_pct", 0, 1);
            OptionalDouble take = s.optionalNumber("take_profit_pct", 0, 10);
            if (s.has("trailing")) {
                s.problem(null, s.path() + ".trailing", "a strategy's percentage trail is a row of the decision "
                        + "table rules/trailing-stops.drl.xlsx (activation, distance, step), not a policy key");
                s.ignore("trailing");
            }
            if (stop.isPresent() && stop.getAsDouble() == 0) {
                s.problem(null, s.path() + ".stop_loss_pct", "must be above 0: a zero stop cannot size a trade");
            }
            if (stop.isPresent() && take.isPresent() && stop.getAsDouble() > 0
                    && take.getAsDouble() / stop.getAsDouble() < sizing.minRewardRisk()) {
                s.problem(null, s.path() + ".take_profit_pct", "take_profit_pct / stop_loss_pct = "
                        + round(take.getAsDouble() / stop.getAsDouble()) + " is below sizing.min_reward_risk "
                        + sizing.minRewardRisk() + ": every trade of this strategy would be rejected");
            }
            Optional<SizerSpec> sizer = s.optionalSection("sizer").map(PolicyLoader::readSizer);
            s.finish();
            out.put(name, new StrategyProfile(name, stop, take, sizer));
        }
        return out;
    }

    /**
     * Relations between keys that single-key ranges cannot express, and the hard caps. A relation is only checked
     * when its keys are individually valid, so one bad value is reported once.
     */
    private static void crossCheck(YamlSection root, Filters f, Sizing z, PortfolioLimits pl) {
        // a percentage typed as a whole number (80 for 80%) must not load: exposure is bounded by leverage, and
        // one asset's share by the whole exposure
        String exposure = "portfolio.max_exposure_pct";
        String asset = "portfolio.max_asset_concentration_pct";
        if (root.valid(exposure, "sizing.max_leverage") && pl.maxExposurePct() > z.maxLeverage()) {
            root.problem(null, exposure, "must not exceed sizing.max_leverage (" + z.maxLeverage() + ") - write 80% "
                    + "as 0.80, was " + pl.maxExposurePct());
        }
        if (root.valid(asset, exposure) && pl.maxAssetConcentrationPct() > pl.maxExposurePct()) {
            root.problem(null, asset, "must not exceed max_exposure_pct (" + pl.maxExposurePct() + ") - write 25% "
                    + "as 0.25, was " + pl.maxAssetConcentrationPct());
        }
        String risk = "sizing.risk_per_trade_pct";
        String minRisk = "sizing.min_risk_pct";
        String maxRisk = "sizing.max_risk_pct";
        if (root.valid(risk) && z.riskPerTradePct() > HardCaps.MAX_RISK_PER_TRADE) {
            root.problem(null, risk, hardCap(z.riskPerTradePct()));
        }
        if (root.valid(maxRisk) && z.maxRiskPct() > HardCaps.MAX_RISK_PER_TRADE) {
            root.problem(null, maxRisk, hardCap(z.maxRiskPct()));
        }
        if (root.valid(risk, minRisk, maxRisk)
                && (z.minRiskPct() > z.riskPerTradePct() || z.riskPerTradePct() > z.maxRiskPct())) {
            root.problem(null, risk, "must lie between min_risk_pct (" + z.minRiskPct() + ") and max_risk_pct ("
                    + z.maxRiskPct() + "), was " + z.riskPerTradePct());
        }
        String minPos = "sizing.min_position_usd";
        String maxPos = "sizing.max_position_usd";
        if (root.valid(minPos) && z.minPositionUsd() <= 0) {
            root.problem(null, minPos, "must be above 0: an order too small to trade must be rejected, never "
                    + "approved for nothing");
        } else if (root.valid(minPos, maxPos) && z.minPositionUsd() > z.maxPositionUsd()) {
            root.problem(null, minPos, "must not exceed max_position_usd (" + z.maxPositionUsd() + "), was "
                    + z.minPositionUsd());
        }
        String stop = "sizing.stop_loss_atr_multiple";
        String take = "sizing.take_profit_atr_multiple";
        String minRr = "sizing.min_reward_risk";
        if (root.valid(stop) && z.stopLossAtrMultiple() <= 0) {
            root.problem(null, stop, "must be above 0: a zero stop cannot size a trade");
        } else if (root.valid(stop, take, minRr)
                && z.takeProfitAtrMultiple() / z.stopLossAtrMultiple() < z.minRewardRisk()) {
            root.problem(null, take, "take_profit_atr_multiple / stop_loss_atr_multiple = "
                    + round(z.takeProfitAtrMultiple() / z.stopLossAtrMultiple()) + " is below min_reward_risk "
                    + z.minRewardRisk() + ": every ATR-sized trade would be rejected");
        }
        String target = "sizing.target_reward_risk";
        if (root.valid(target, minRr) && z.targetRewardRisk() < z.minRewardRisk()) {
            root.problem(null, target, "must be at least min_reward_risk (" + z.minRewardRisk() + "), was "
                    + z.targetRewardRisk());
        }
        String highVol = "filters.high_volatility_atr_ratio";
        if (root.valid(highVol, "filters.max_atr_ratio") && f.highVolatilityAtrRatio() > f.maxAtrRatio()) {
            root.problem(null, highVol, "must not exceed max_atr_ratio (" + f.maxAtrRatio() + "): above it every "
                    + "order is rejected anyway, was " + f.highVolatilityAtrRatio());
        }
        String highConf = "filters.high_volatility_min_confidence";
        if (root.valid(highConf, "filters.min_confidence") && f.highVolatilityMinConfidence() < f.minConfidence()) {
            root.problem(null, highConf, "must be at least min_confidence (" + f.minConfidence() + "): the bar is "
                    + "meant to rise in high volatility, was " + f.highVolatilityMinConfidence());
        }
    }

    private static String hardCap(double v) {
        return "exceeds the hard cap of " + HardCaps.MAX_RISK_PER_TRADE + " risk per trade (seed 003: never more "
                + "than 5%), was " + v;
    }

    private Map<String, byte[]> readRuleFiles(YamlSection root, Policy policy) {
        Map<String, byte[]> out = new TreeMap<>();
        if (policy.ruleFiles().isEmpty() && root.has("rules")) {
            root.problem(null, "rules", "must list at least one rule file");
        }
        for (int i = 0; i < policy.ruleFiles().size(); i++) {
            String r = policy.ruleFiles().get(i);
            String at = "rules[" + i + "]";
            if (!insideRules(r)) {
                root.problem(null, at, "'" + r + "' is outside the rules directory");
            } else if (!RuleFileKind.isRuleFile(r)) {
                root.problem(null, at, "'" + r + "' is not a rule file: use .drl, .drl.xlsx, .drl.xls or .drl.csv");
            } else {
                try {
                    rules.read(r).ifPresentOrElse(b -> {
                        int notText = RuleFileKind.of(r) == RuleFileKind.XLS ? -1 : notUtf8At(b);
                        if (notText >= 0) {
                            root.problem(null, at, "rule file '" + r + "', line " + lineAt(b, notText) + ": "
                                    + notUtf8(b, notText));
                        }
                        out.put(r, b);
                    }, () -> root.problem(null, at, "rule file '" + r + "' not found in " + rules.describe()));
                } catch (IOException e) {
                    root.problem(null, at, "cannot read '" + r + "': " + e.getMessage());
                }
            }
        }
        return out;
    }

    /**
     * Where {@code bytes} stop being UTF-8, or -1. A policy and its text rule files must be UTF-8: the archive keeps
     * them as text, and a byte of another encoding (a Windows editor's cp1252 'é') would be kept as U+FFFD, so the
     * archived copy would no longer hash to the sha256 its decisions name.
     */
    static int notUtf8At(byte[] bytes) {
        java.nio.charset.CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(Math.max(16, bytes.length));
        java.nio.charset.CoderResult r = d.decode(in, out, true);
        return r.isError() ? in.position() : -1;
    }

    private static int lineAt(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            line += bytes[i] == '\n' ? 1 : 0;
        }
        return line;
    }

    private static String notUtf8(byte[] bytes, int offset) {
        return String.format(Locale.ROOT, "is not UTF-8 text (byte 0x%02X at offset %d): save the file as UTF-8",
                bytes[offset] & 0xFF, offset);
    }

    /** A relative name that stays inside the rules directory: no '..' out of it, not absolute. */
    private static boolean insideRules(String name) {
        try {
            Path p = Path.of(name).normalize();
            return !name.isEmpty() && !p.isAbsolute() && !p.startsWith("..") && !p.toString().isEmpty();
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /**
     * sha256 over the policy bytes, then each rule file's name and bytes in name order: a policy version's identity,
     * which every decision taken under it records (and the archive checks its copies against).
     */
    public static String sha256(byte[] policyBytes, Map<String, byte[]> ruleFiles) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(policyBytes);
            for (Map.Entry<String, byte[]> e : new TreeMap<>(ruleFiles).entrySet()) {
                md.update((byte) 0);
                md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(e.getValue());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
