package io.riskgate.rules;

import io.riskgate.policy.PolicyBundle;
import io.riskgate.policy.PolicyException;
import io.riskgate.policy.PolicyLoader;
import io.riskgate.policy.PolicyProblem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compiled policies in force. A reload loads and compiles the whole policy directory off to the side; only
 * when everything is valid is the new set published with one atomic reference swap, so a check in flight keeps
 * the set it started with and never sees half a reload. An unchanged policy (same sha256) is reused, not
 * recompiled. A refused reload throws with every problem and leaves the running set active. {@link #validate}
 * does all of a reload but the publishing: what would change, or why it would be refused.
 */
public final class RuleSetRegistry {

    private static final Logger log = LoggerFactory.getLogger(RuleSetRegistry.class);

    /** The published set: every policy by id, and the id used for accounts without an assignment. */
    public record Snapshot(Map<String, CompiledPolicy> policies, String defaultId) {
        public CompiledPolicy active() {
            return policies.get(defaultId);
        }
    }

    /** What a reload changed. */
    public record ReloadResult(List<String> compiled, List<String> unchanged, List<String> removed,
                               CompiledPolicy active, String actor, String reason) {
    }

    /**
     * Which policy an account is assigned to (empty: the default). Set by the service from its account
     * assignments; a policy assigned but not loaded fails the account's checks closed.
     */
    private volatile java.util.function.Function<String, Optional<String>> assignments = a -> Optional.empty();

    public void setAssignments(java.util.function.Function<String, Optional<String>> assignments) {
        this.assignments = assignments;
    }

    /**
     * For what follows an order rather than decides one (exits, the governor after a mark or close, fill bounds,
     * the risk view): the account's policy, or the default one when the assigned policy is not loaded, so open
     * positions keep their stops managed. New orders never take this path: they fail closed ({@link #forAccount}).
     */
    public CompiledPolicy forAccountOrDefault(String account) {
        try {
            return forAccount(account);
        } catch (IllegalStateException notLoaded) {
            log.warn("{}; its exits and governor run under the default policy meanwhile", notLoaded.getMessage());
            return snapshot().active();
        }
    }

    /** The policy that decides for {@code account}: its assigned one, else the default. */
    public CompiledPolicy forAccount(String account) {
        Snapshot s = snapshot();
        Optional<String> assigned = assignments.apply(account);
        if (assigned.isEmpty()) {
            return s.active();
        }
        CompiledPolicy p = s.policies().get(assigned.get());
        if (p == null) {
            throw new IllegalStateException("account " + account + " is assigned to policy '" + assigned.get()
                    + "', which is not loaded (loaded: " + s.policies().keySet() + "): its orders are refused");
        }
        return p;
    }

    private final Path policiesDir;
    private final PolicyLoader loader;
    private final RuleSetCompiler compiler;
    private final String defaultId;
    private final AtomicReference<Snapshot> current = new AtomicReference<>();
    private volatile Listener listener = new Listener() {
    };

    /**
     * Told of every set about to be published, every refused reload or validation, and every valid change a
     * validation found (the policy archive and activation log). If {@code published} throws, the set is not
     * activated.
     */
    public interface Listener {
        default void published(Snapshot snapshot, ReloadResult result) {
        }

        default void refused(List<PolicyProblem> problems, String actor, String reason) {
        }

        /** A valid change of the policy files, found by {@link #validate} and not put in force. */
        default void detected(Validation validation, String actor, String reason) {
        }
    }

    public void setListener(Listener listener) {
        this.listener = listener;
    }
    private final ReentrantLock reloadLock = new ReentrantLock();

    /**
     * Runs {@code work} with no reload running meanwhile (a reload it starts itself is allowed): what it reads of the
     * policies in force is not half-way through a reload whose activation is already logged.
     */
    public void betweenReloads(Runnable work) {
        reloadLock.lock();
        try {
            work.run();
        } finally {
            reloadLock.unlock();
        }
    }

    private final Path rulesDir;

    public RuleSetRegistry(Path policiesDir, Path rulesDir, String defaultId, RuleSetCompiler compiler) {
        this.rulesDir = rulesDir;
        this.compiler = compiler;
        this.policiesDir = policiesDir;
        this.loader = new PolicyLoader(rulesDir);
        this.defaultId = defaultId;
    }

    /** The set in force; read it once per request. */
    public Snapshot snapshot() {
        Snapshot s = current.get();
        if (s == null) {
            throw new IllegalStateException("no policy loaded yet");
        }
        return s;
    }

    public CompiledPolicy active() {
        return snapshot().active();
    }

    public Optional<CompiledPolicy> policy(String id) {
        return Optional.ofNullable(snapshot().policies().get(id));
    }

    public Path policiesDir() {
        return policiesDir;
    }

    /** The directory the policies' rule files are read from. */
    public Path rulesDir() {
        return rulesDir;
    }

    public ReloadResult reload() {
        return reload("system", "reload");
    }

    /** Reloads every policy; {@code actor} and {@code reason} are kept with the activation. */
    public ReloadResult reload(String actor, String reason) {
        reloadLock.lock();
        try {
            Snapshot old = current.get();
            Prepared p = prepare(old);
            if (!p.problems().isEmpty()) {
                p.releaseCompiled();
                notifyRefused(p.problems(), actor, reason);
                throw new PolicyException(p.problems());
            }
            Map<String, CompiledPolicy> next = p.next();
            Snapshot published = new Snapshot(Map.copyOf(next), defaultId);
            ReloadResult pending = new ReloadResult(p.compiled(), p.unchanged(), p.removed(), next.get(defaultId),
                    actor, reason);
            try {
                // archived before it decides anything: every sha a decision carries can be looked up
                listener.published(published, pending);
            } catch (RuntimeException e) {
                p.releaseCompiled();
                List<PolicyProblem> archiveProblem = List.of(new PolicyProblem(policiesDir.toString(), "", 0,
                        "the policy set could not be archived, so it was not activated: " + e.getMessage()));
                throw new PolicyException(archiveProblem);
            }
            current.set(published);
            if (old != null) {
                old.policies().values().stream().filter(x -> next.get(x.id()) != x)
                        .forEach(RuleSetRegistry::release);
            }
            log.info("policies in force: {} (compiled {}, unchanged {}, removed {})", next.keySet(), p.compiled(),
                    p.unchanged(), p.removed());
            return pending;
        } finally {
            reloadLock.unlock();
        }
    }

    /**
     * What a reload would change, found by loading and compiling the policy files exactly as a reload does, but
     * publishing nothing: the policies in force stay. For the file watcher, which tells officers of a change and
     * leaves putting it in force to them.
     *
     * @param changed each policy whose files differ from the one in force (or that is new), with its sha256
     * @param removed policies in force whose file is gone
     * @param problems every problem; when not empty, a reload now would be refused
     */
    public record Validation(Map<String, String> changed, List<String> removed, List<PolicyProblem> problems) {
        public Validation {
            changed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(changed));
            removed = List.copyOf(removed);
            problems = List.copyOf(problems);
        }

        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /**
     * Validates the policy files without putting them in force (see {@link Validation}); the listener hears of a
     * valid change ({@link Listener#detected}) or of the problems ({@link Listener#refused}), with {@code actor}
     * and {@code reason}. Nothing is told when the files match the policies in force.
     */
    public Validation validate(String actor, String reason) {
        reloadLock.lock();
        try {
            Snapshot old = current.get();
            Prepared p = prepare(old);
            p.releaseCompiled();
            Map<String, String> changed = new LinkedHashMap<>();
            p.compiled().forEach(id -> changed.put(id, p.next().get(id).sha256()));
            Validation v = new Validation(changed, p.removed(), p.problems());
            if (!v.valid()) {
                notifyRefused(v.problems(), actor, reason);
            } else if (!changed.isEmpty() || !v.removed().isEmpty()) {
                try {
                    listener.detected(v, actor, reason);
                } catch (RuntimeException e) {
                    log.error("recording a detected policy change failed", e);
                }
            }
            return v;
        } finally {
            reloadLock.unlock();
        }
    }

    /**
     * The policy files loaded and compiled off to the side: the set a reload would publish (unchanged policies
     * reused from {@code old}), which were compiled, kept or removed, and every problem.
     */
    private record Prepared(Map<String, CompiledPolicy> next, List<String> compiled, List<String> unchanged,
                            List<String> removed, List<PolicyProblem> problems) {

        /** Frees the rule bases compiled here (a refused reload, a validation, a failed archive). */
        void releaseCompiled() {
            compiled.forEach(id -> release(next.get(id)));
        }
    }

    private Prepared prepare(Snapshot old) {
        PolicyLoader.LoadResult loaded = loader.loadAll(policiesDir);
        Map<String, PolicyBundle> bundles = loaded.bundles();
        java.util.Set<PolicyProblem> problems = new java.util.LinkedHashSet<>(loaded.problems());
        for (Map<String, byte[]> rules : loaded.ruleFilesOfRefused()) {
            problems.addAll(compiler.ruleProblems(rules));
        }
        if (loaded.problems().isEmpty() && !bundles.containsKey(defaultId)) {
            problems.add(new PolicyProblem(policiesDir.toString(), "id", 0,
                    "no policy with id '" + defaultId + "' (the default policy); found " + bundles.keySet()));
        }
        Map<String, CompiledPolicy> next = new LinkedHashMap<>();
        List<String> compiled = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (PolicyBundle b : bundles.values()) {
            CompiledPolicy existing = old == null ? null : old.policies().get(b.id());
            if (existing != null && existing.sha256().equals(b.sha256())) {
                next.put(b.id(), existing);
                unchanged.add(b.id());
                continue;
            }
            try {
                next.put(b.id(), compiler.compile(b));
                compiled.add(b.id());
            } catch (PolicyException e) {
                problems.addAll(e.problems());
            } catch (RuntimeException | LinkageError | AssertionError e) {
                problems.add(new PolicyProblem(b.source().getFileName().toString(), "", 0,
                        "the rule base could not be built: " + e));
            }
        }
        List<String> removed = old == null ? List.of()
                : old.policies().keySet().stream().filter(id -> !next.containsKey(id) && !bundles.containsKey(id))
                .toList();
        return new Prepared(next, compiled, unchanged, removed, new ArrayList<>(problems));
    }

    /**
     * Drops a policy from Drools' JVM-wide KieModule repository. The container is not disposed: a check that
     * read the old snapshot just before the swap may still be running on its rule base; once no check holds it,
     * the garbage collector reclaims it.
     */
    private void notifyRefused(List<PolicyProblem> problems, String actor, String reason) {
        try {
            listener.refused(problems, actor, reason);
        } catch (RuntimeException e) {
            log.error("recording a refused reload failed", e);
        }
    }

    private static void release(CompiledPolicy p) {
        if (p != null) {
            org.kie.api.KieServices.Factory.get().getRepository().removeKieModule(p.releaseId());
        }
    }
}
