package io.riskgate.testing;

import io.riskgate.policy.PolicyBundle;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleSetCompiler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
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
 */
public final class CompiledPolicyCache implements RuleSetCompiler.Reuse {

    private static final Map<String, CompiledPolicy> BY_SHA256 = new ConcurrentHashMap<>();
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

    /** How many Drools builds the cache has made in this JVM (one per distinct policy content). */
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
