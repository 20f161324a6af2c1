package io.riskgate.testing;

import io.riskgate.policy.PolicyBundle;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleSetCompiler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.kie.api.runtime.KieContainer;

/**
 * The test suite's cache of compiled policies, keyed by the policy's sha256 (its YAML and every rule file, as
 * {@code PolicyLoader} computes it): the shipped default policy is compiled by about a hundred runtimes, rule
 * tests and CLI runs across the suite, and a Drools build costs 1-2 s, so it is built once per test JVM.
 * Registered through {@code META-INF/services} on the test class path only; the packaged service has no cache.
 *
 * <p>Each call gets a {@link CompiledPolicy} of its own bundle (its own source path) over the shared, thread-safe
 * {@code KieBase}. The container it carries ignores {@code dispose()}, so a caller releasing "its" rule base
 * (what-if, {@code policy validate}, a reload dropping the old set) cannot pull it from under the others; the
 * KieModule a release removes from Drools' repository is not needed by a built KieBase. A failed build throws
 * and is not kept: every test of a broken policy sees the compiler's own problems.
 *
 * <p>Below that, rule bases are kept by the content of their rule files ({@link RuleSetCompiler.RuleBase}): most
 * policies the tests edit differ from the shipped one only in YAML values (a version, a threshold), and a Drools
 * build (1-2 s, most of it MVEL analysing constraints) depends on the rule files and the generated gates file
 * alone. The compiler still checks each such policy (metadata, required codes, probes) against the shared rule
 * base. A refused policy's rule files, which the registry builds only for their problems, are answered from
 * the same kept builds.
 */
public final class CompiledPolicyCache implements RuleSetCompiler.Reuse {

    private static final Map<String, CompiledPolicy> BY_SHA256 = new ConcurrentHashMap<>();
    private static final Map<String, RuleSetCompiler.RuleBase> BY_RULE_FILES = new ConcurrentHashMap<>();
    private static final AtomicInteger BUILDS = new AtomicInteger();

    @Override
    public CompiledPolicy compile(PolicyBundle bundle, Function<PolicyBundle, CompiledPolicy> build) {
        CompiledPolicy built = BY_SHA256.computeIfAbsent(bundle.sha256(), sha -> {
            BUILDS.incrementAndGet();
            CompiledPolicy fresh = build.apply(bundle);
            return new CompiledPolicy(fresh.bundle(), fresh.kieBase(), undisposable(fresh.container()),
                    fresh.releaseId(), fresh.rules(), fresh.compiledAt(), fresh.compileMillis());
        });
        return new CompiledPolicy(bundle, built.kieBase(), built.container(), built.releaseId(), built.rules(),
                built.compiledAt(), built.compileMillis());
    }

    @Override
    public RuleSetCompiler.RuleBase ruleBase(Map<String, byte[]> files,
                                             Function<Map<String, byte[]>, RuleSetCompiler.RuleBase> build) {
        String key = contentKey(files);
        RuleSetCompiler.RuleBase kept = BY_RULE_FILES.get(key);
        if (kept != null) {
            return kept;
        }
        RuleSetCompiler.RuleBase fresh = build.apply(files);
        if (!fresh.problems().isEmpty()) {
            return fresh;
        }
        RuleSetCompiler.RuleBase shared = new RuleSetCompiler.RuleBase(undisposable(fresh.container()),
                fresh.kieBase(), fresh.releaseId(), List.of());
        RuleSetCompiler.RuleBase raced = BY_RULE_FILES.putIfAbsent(key, shared);
        return raced == null ? shared : raced;
    }

    /** sha256 over every file's name and bytes, in name order. */
    private static String contentKey(Map<String, byte[]> files) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> f : new TreeMap<>(files).entrySet()) {
                byte[] name = f.getKey().getBytes(StandardCharsets.UTF_8);
                md.update(ByteBuffer.allocate(8).putInt(name.length).putInt(f.getValue().length).array());
                md.update(name);
                md.update(f.getValue());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many policies the cache has compiled in this JVM (one per distinct policy content). */
    public static int builds() {
        return BUILDS.get();
    }

    private static KieContainer undisposable(KieContainer container) {
        return (KieContainer) Proxy.newProxyInstance(KieContainer.class.getClassLoader(),
                new Class<?>[] {KieContainer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("dispose") && method.getParameterCount() == 0) {
                        return null;
                    }
                    try {
                        return method.invoke(container, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
