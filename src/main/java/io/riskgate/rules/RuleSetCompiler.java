package io.riskgate.rules;

import io.riskgate.facts.OrderFacts;
import io.riskgate.facts.StrategyLimits;
import io.riskgate.facts.Verdict;
import io.riskgate.order.CheckRequest;
import io.riskgate.order.Market;
import io.riskgate.order.Signal;
import io.riskgate.policy.Consensus;
import io.riskgate.policy.Policy;
import io.riskgate.policy.PolicyBundle;
import io.riskgate.policy.PolicyException;
import io.riskgate.policy.PolicyProblem;
import io.riskgate.policy.RuleFileKind;
import io.riskgate.policy.Side;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.KieContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles a {@link PolicyBundle}'s rule files (DRL and decision tables) into a {@link CompiledPolicy}.
 *
 * <p>Uses Drools' classic compiler with the MVEL dialect (drools-mvel): it builds the default policy in 1-2 s on
 * two cores, faster than the executable model at the same evaluation latency (docs/architecture.md). Each
 * build gets its own ReleaseId (policy id + content hash) so concurrent builds never share a KieModule.
 *
 * <p>A build is refused, with every problem listed, when a file does not compile (file and line), when a rule
 * lacks its {@code @code} or {@code @category} metadata, when a rule throws on a probe order (confidence 0 to 1,
 * every strategy), or when the per-strategy table does not give exactly one row of sane limits to each strategy
 * the policy declares.
 */
public final class RuleSetCompiler {

    private static final Logger log = LoggerFactory.getLogger(RuleSetCompiler.class);
    private static final String RULES_ROOT = "src/main/resources/rules/";
    private static final java.util.concurrent.atomic.AtomicLong BUILDS = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Reuses rule bases compiled from the same content (sha256). The service has none: every build is its own. A
     * test suite registers one ({@code META-INF/services}) so that the hundred runtimes its tests start from the
     * same policy compile it once per JVM. An implementation must hand out a rule base that a caller's
     * {@link #release} cannot dispose, and must never keep a failed build.
     */
    public interface Reuse {
        CompiledPolicy compile(PolicyBundle bundle, java.util.function.Function<PolicyBundle, CompiledPolicy> build);

        /**
         * What Drools builds from exactly these rule files (names and bytes, a policy's gates file included): a
         * rule base depends on nothing else, so policies that differ only in their YAML values can share one. The
         * policy checks ({@code @code} metadata, required codes, probes) still run for every policy. The same
         * rules as {@link #compile}: a kept rule base must survive its callers' {@link #release}, and a build with
         * problems is never kept. Default: build every time.
         */
        default RuleBase ruleBase(Map<String, byte[]> files, java.util.function.Function<Map<String, byte[]>,
                RuleBase> build) {
            return build.apply(files);
        }
    }

    /**
     * What Drools built from a set of rule files: the rule base with its container and release id, or, when the
     * build failed, only its problems (file and line) and nothing kept in Drools' repository.
     */
    public record RuleBase(KieContainer container, KieBase kieBase, ReleaseId releaseId,
                           List<PolicyProblem> problems) {
        public RuleBase {
            problems = List.copyOf(problems);
        }
    }

    /**
     * A check every compiled policy must pass before it is accepted: the exit and governor rules run on sample
     * inputs, say. It returns one message per problem, none when the policy is sound. The layers that run those
     * rules supply their probes; the compiler knows only this interface.
     */
    @FunctionalInterface
    public interface Probe {
        List<String> problems(CompiledPolicy policy);
    }

    private final List<Probe> probes;

    /** A compiler that also runs {@code probes}, in order, on every policy whose rules compile. */
    public RuleSetCompiler(List<Probe> probes) {
        this.probes = List.copyOf(probes);
    }

    private static final Reuse REUSE = java.util.ServiceLoader
            .load(Reuse.class, RuleSetCompiler.class.getClassLoader()).findFirst().orElse(null);

    /** Compiles a bundle, or throws {@link PolicyException} with every problem. */
    public CompiledPolicy compile(PolicyBundle bundle) {
        return REUSE == null ? compileFresh(bundle) : REUSE.compile(bundle, this::compileFresh);
    }

    private CompiledPolicy compileFresh(PolicyBundle bundle) {
        long start = System.nanoTime();
        KieServices ks = KieServices.Factory.get();
        // one ReleaseId per build, even of the same content: two builds never share (or release) a KieModule
        ReleaseId releaseId = ks.newReleaseId("io.riskgate.policy", bundle.id(),
                sanitize(bundle.version()) + "-" + bundle.sha256().substring(0, 16) + "-" + BUILDS.incrementAndGet());
        // the policy's YAML-authored gates compile with its rule files; their errors point at the YAML line
        Map<String, byte[]> files = new java.util.TreeMap<>(bundle.ruleFiles());
        List<io.riskgate.policy.CustomGate> gates = bundle.policy().gates();
        String gatesFile = bundle.source().getFileName() + ".gates.drl";
        if (!gates.isEmpty()) {
            files.put(gatesFile, GateRules.toDrl(bundle.id(), gates)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        List<PolicyProblem> problems = new ArrayList<>();
        RuleBase built = ruleBase(releaseId, files);
        for (PolicyProblem p : built.problems()) {
            problems.add(p.file().equals(gatesFile) ? gateProblem(bundle, gates, p) : p);
        }
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        // a reused rule base keeps the release id it was built under
        KieContainer container = built.container();
        ReleaseId builtId = built.releaseId();
        try {
            KieBase base = built.kieBase();
            List<RuleInfo> rules = catalog(base, problems);
            for (io.riskgate.policy.CustomGate g : bundle.policy().gates()) {
                rules.stream().filter(r -> r.code().equals(g.code()) && !r.file().endsWith(".gates.drl")).findFirst()
                        .ifPresent(r -> problems.add(new PolicyProblem(bundle.source().getFileName().toString(),
                                "gates[" + g.index() + "].code", g.line(), "code " + g.code() + " is already the code "
                                + "of rule '" + r.name() + "' in " + r.file() + ": a gate needs a code of its own, or "
                                + "its rejections could not be told apart in the audit")));
            }
            java.util.Set<String> missing = new java.util.TreeSet<>(io.riskgate.policy.HardCaps.REQUIRED_RULE_CODES);
            rules.forEach(r -> missing.remove(r.code()));
            if (!missing.isEmpty()) {
                problems.add(new PolicyProblem(bundle.source().getFileName().toString(), "rules", 0,
                        "the rule files leave out required checks " + missing + ": every policy must include the "
                                + "gates, portfolio limits, hard exits, breakers and analytics checks (gates.drl, "
                                + "portfolio.drl, exits.drl, governor.drl, analytics.drl); "
                                + "switch a gate off with its policy key instead"));
            }
            CompiledPolicy compiled = new CompiledPolicy(bundle, base, container, builtId, rules, Instant.now(),
                    (System.nanoTime() - start) / 1_000_000);
            probeConfidences(compiled, problems);
            if (problems.isEmpty()) {
                probeStrategies(compiled, problems);
            }
            if (problems.isEmpty()) {
                String file = bundle.source().getFileName().toString();
                for (Probe probe : probes) {
                    probe.problems(compiled).forEach(m -> problems.add(new PolicyProblem(file, "rules", 0, m)));
                }
            }
            if (!problems.isEmpty()) {
                throw new PolicyException(problems);
            }
            log.info("compiled policy {} v{} ({} rules, sha256 {}) in {} ms", bundle.id(), bundle.version(),
                    rules.size(), bundle.sha256().substring(0, 12), compiled.compileMillis());
            return compiled;
        } catch (RuntimeException | Error e) {
            release(container, builtId);
            throw e;
        }
    }

    /** A compile error in the generated gates DRL, told at the gate's YAML line. */
    private static PolicyProblem gateProblem(PolicyBundle bundle, List<io.riskgate.policy.CustomGate> gates,
                                             PolicyProblem p) {
        String file = bundle.source().getFileName().toString();
        return GateRules.lineOf(gates, p.line())
                .map(g -> new PolicyProblem(file, "gates[" + g.index() + "].when", g.line(), "gate " + g.code()
                        + " does not compile (when: " + g.when() + "): "
                        + p.message().replaceAll("\\s*\\[Line: \\d+, Column: \\d+\\]\\s*$", "")))
                .orElseGet(() -> new PolicyProblem(file, "gates", 0, "the gates do not compile: " + p.message()));
    }

    /**
     * Compiles rule files on their own and returns their errors (file and line), keeping nothing: used to report
     * a refused policy's rule errors together with its YAML problems.
     */
    public List<PolicyProblem> ruleProblems(Map<String, byte[]> ruleFiles) {
        KieServices ks = KieServices.Factory.get();
        ReleaseId id = ks.newReleaseId("io.riskgate.check", "rules", java.util.UUID.randomUUID().toString());
        if (REUSE != null) {
            // a rule base built (and kept) from the same files has no problems to report
            return REUSE.ruleBase(ruleFiles, files -> buildRuleBase(id, files)).problems();
        }
        try {
            return build(ks, id, ruleFiles);
        } finally {
            ks.getRepository().removeKieModule(id);
        }
    }

    /** The rule base of {@code files}, through the {@link Reuse} when there is one. */
    private static RuleBase ruleBase(ReleaseId releaseId, Map<String, byte[]> files) {
        return REUSE == null ? buildRuleBase(releaseId, files)
                : REUSE.ruleBase(files, f -> buildRuleBase(releaseId, f));
    }

    /** Builds {@code files} as the KieModule {@code releaseId}; on problems, removes it and keeps nothing. */
    private static RuleBase buildRuleBase(ReleaseId releaseId, Map<String, byte[]> files) {
        KieServices ks = KieServices.Factory.get();
        List<PolicyProblem> problems = build(ks, releaseId, files);
        if (!problems.isEmpty()) {
            ks.getRepository().removeKieModule(releaseId);
            return new RuleBase(null, null, releaseId, problems);
        }
        KieContainer container = ks.newKieContainer(releaseId);
        try {
            return new RuleBase(container, container.getKieBase(), releaseId, List.of());
        } catch (RuntimeException | Error e) {
            release(container, releaseId);
            throw e;
        }
    }

    private static List<PolicyProblem> build(KieServices ks, ReleaseId releaseId, Map<String, byte[]> files) {
        KieFileSystem kfs = ks.newKieFileSystem();
        kfs.generateAndWritePomXML(releaseId);
        List<PolicyProblem> problems = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            RuleFileKind kind = RuleFileKind.of(f.getKey());
            if (kind == RuleFileKind.XLS || kind == RuleFileKind.CSV) {
                // a table's cells are checked first: the problem names the cell, not a line of generated DRL
                List<PolicyProblem> cells = DecisionTableCells.problems(f.getKey(), f.getValue());
                if (!cells.isEmpty()) {
                    problems.addAll(cells);
                    continue;
                }
            }
            kfs.write(RULES_ROOT + f.getKey(), f.getValue());
        }
        KieBuilder builder = ks.newKieBuilder(kfs).buildAll();
        for (Message m : builder.getResults().getMessages(Message.Level.ERROR)) {
            problems.add(toProblem(m));
        }
        // Drools adds "Parser returned a null Package" after a file's real syntax errors: drop the echo
        problems.removeIf(p -> p.message().startsWith("Parser returned a null Package")
                && problems.stream().anyMatch(o -> o != p && o.file().equals(p.file())));
        return problems;
    }

    /** Frees a rule base that is no longer used: Drools keeps every KieModule in a JVM-wide repository. */
    public static void release(KieContainer container, ReleaseId releaseId) {
        container.dispose();
        KieServices.Factory.get().getRepository().removeKieModule(releaseId);
    }

    private static PolicyProblem toProblem(Message m) {
        String path = relative(m.getPath() == null ? "" : m.getPath());
        String text = m.getText().trim();
        RuleFileKind kind = RuleFileKind.of(path);
        if (kind == RuleFileKind.XLS || kind == RuleFileKind.CSV) {
            text += " (line numbers refer to the DRL the table generates: see it with 'riskgate rules show "
                    + path + "')";
        }
        return new PolicyProblem(path, "", Math.max(m.getLine(), 0), text);
    }

    private static List<RuleInfo> catalog(KieBase base, List<PolicyProblem> problems) {
        List<RuleInfo> out = new ArrayList<>();
        for (KiePackage p : base.getKiePackages()) {
            for (Rule r : p.getRules()) {
                String file = fileOf(r);
                Object code = r.getMetaData().get("code");
                Object category = r.getMetaData().get("category");
                if (code == null || category == null) {
                    problems.add(new PolicyProblem(file, "", 0, "rule '" + r.getName() + "' needs @code(...) and "
                            + "@category(...) metadata: the code is what clients and audits see"));
                } else if (!String.valueOf(code).matches("[A-Z][A-Z0-9_]{0,63}")) {
                    problems.add(new PolicyProblem(file, "", 0, "rule '" + r.getName() + "' has code '" + code
                            + "': codes are UPPER_SNAKE_CASE, at most 64 characters"));
                }
                if (r.getName().length() > 255) {
                    problems.add(new PolicyProblem(file, "", 0, "rule name '" + r.getName().substring(0, 40)
                            + "...' is longer than 255 characters"));
                }
                out.add(new RuleInfo(r.getName(), String.valueOf(code), String.valueOf(category), file));
            }
        }
        out.sort(java.util.Comparator.comparing(RuleInfo::file).thenComparing(RuleInfo::name));
        return out;
    }

    private static String fileOf(Rule r) {
        if (r instanceof RuleImpl impl && impl.getResource() != null && impl.getResource().getSourcePath() != null) {
            return relative(impl.getResource().getSourcePath());
        }
        return r.getPackageName();
    }

    /**
     * Runs the first phase once per declared strategy: its row of the per-strategy table must fire exactly once
     * with a position limit in (0, 1] of equity and a leverage in (0, policy max]. This also warms the rule base.
     */
    private static void probeStrategies(CompiledPolicy compiled, List<PolicyProblem> problems) {
        Policy policy = compiled.policy();
        String file = compiled.bundle().source().getFileName().toString();
        for (String name : policy.strategies().keySet()) {
            Verdict v = probe(compiled, Optional.of(name));
            Collection<StrategyLimits> limits = v.strategyLimits();
            if (limits.size() != 1) {
                problems.add(new PolicyProblem(file, "strategies." + name, 0, limits.isEmpty()
                        ? "no row of the per-strategy limits table matches strategy '" + name + "'"
                        : limits.size() + " rows of the per-strategy limits table match strategy '" + name
                        + "' (" + limits.stream().map(StrategyLimits::rule).toList() + "): keep exactly one"));
                continue;
            }
            StrategyLimits l = limits.iterator().next();
            if (!(l.maxPositionPct() > 0 && l.maxPositionPct() <= 1)) {
                problems.add(new PolicyProblem(file, "strategies." + name, 0, "table row '" + l.rule()
                        + "' sets max position " + l.maxPositionPct() + ": must be in (0, 1] of equity"));
            }
            if (!Double.isNaN(l.maxLeverage())
                    && !(l.maxLeverage() > 0 && l.maxLeverage() <= policy.sizing().maxLeverage())) {
                problems.add(new PolicyProblem(file, "strategies." + name, 0, "table row '" + l.rule()
                        + "' sets max leverage " + l.maxLeverage() + ": must be in (0, sizing.max_leverage "
                        + policy.sizing().maxLeverage() + "]"));
            }
        }
        if (!probe(compiled, Optional.empty()).strategyLimits().isEmpty()) {
            problems.add(new PolicyProblem(file, "strategies", 0,
                    "a per-strategy limits row matches orders that name no strategy: every row must name one"));
        }
    }

    /**
     * Evaluates the first phase across confidences 0, 0.05, ... 1, for every declared strategy and for none:
     * a rule that throws (a negative multiplier in a table row, say) is refused here, not on a live order.
     */
    private static void probeConfidences(CompiledPolicy compiled, List<PolicyProblem> problems) {
        List<Optional<String>> strategies = new ArrayList<>();
        strategies.add(Optional.empty());
        compiled.policy().strategies().keySet().forEach(s -> strategies.add(Optional.of(s)));
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Optional<String> strategy : strategies) {
            for (int i = 0; i <= 20; i++) {
                double confidence = i / 20.0;
                try {
                    probe(compiled, strategy, confidence);
                } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
                    String message = "a rule fails on an order with confidence " + confidence
                            + strategy.map(s -> " and strategy " + s).orElse("") + ": " + rootMessage(e);
                    if (seen.add(rootMessage(e))) {
                        problems.add(new PolicyProblem(compiled.bundle().source().getFileName().toString(), "rules",
                                0, message));
                    }
                }
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private static Verdict probe(CompiledPolicy compiled, Optional<String> strategy) {
        return probe(compiled, strategy, 0.75);
    }

    private static Verdict probe(CompiledPolicy compiled, Optional<String> strategy, double confidence) {
        CheckRequest probe = new CheckRequest("probe", "PROBEUSDT", Side.LONG, strategy,
                new Signal(Consensus.STRONG, confidence, OptionalDouble.empty(), Map.of()),
                new Market(50_000, 1_500, 48_000, 5e9, 10, Optional.empty()),
                OptionalDouble.of(10_000), OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
                Optional.empty());
        Verdict v = new Verdict();
        OrderFacts facts = new OrderFacts(compiled.policy(), probe, "PROBE", 0, 0, Instant.EPOCH, v);
        RuleEvaluator.fireOn(compiled, facts, v);
        return v;
    }

    /** A KieFileSystem path as the officer knows it: relative to the rules directory. */
    private static String relative(String path) {
        if (path.startsWith(RULES_ROOT)) {
            return path.substring(RULES_ROOT.length());
        }
        return path.startsWith("rules/") ? path.substring("rules/".length()) : path;
    }

    private static String sanitize(String version) {
        String s = version.replaceAll("[^A-Za-z0-9_.-]", "_");
        return s.isEmpty() ? "0" : s;
    }
}
