package io.riskgate.rules;

import io.riskgate.policy.PolicyException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells officers when the policy files change: watches the policies and rules directories and, once no change has
 * come for {@code debounce} (an editor saves in bursts; an officer copies several files), validates them once with
 * actor "watcher" ({@link RuleSetRegistry#validate}): a valid change is logged and recorded in the activation log
 * as DETECTED, awaiting an officer's reload; an invalid one as REFUSED with its problems. Either way the policies
 * in force stay: only an officer's reload puts files in force.
 *
 * <p>With {@code activates} (riskgate.policies.watch-activates=true, a development convenience) it reloads instead,
 * as it used to: a change goes into force without an officer, under actor "watcher".
 */
public final class PolicyWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PolicyWatcher.class);

    private final RuleSetRegistry registry;
    private final WatchService watch;
    private final Duration debounce;
    private final boolean activates;
    private final Thread thread;
    private volatile boolean running = true;

    /** A watcher that validates changes and leaves their activation to an officer. */
    public PolicyWatcher(RuleSetRegistry registry, Path policiesDir, Path rulesDir, Duration debounce)
            throws IOException {
        this(registry, policiesDir, rulesDir, debounce, false);
    }

    /** @param activates reload on a change (development only) instead of only validating it */
    public PolicyWatcher(RuleSetRegistry registry, Path policiesDir, Path rulesDir, Duration debounce,
                         boolean activates) throws IOException {
        this.registry = registry;
        this.debounce = debounce;
        this.activates = activates;
        if (activates) {
            log.warn("riskgate.policies.watch-activates=true: policy file changes go into force without an officer "
                    + "(actor \"watcher\"); use it for development only");
        }
        this.watch = FileSystems.getDefault().newWatchService();
        for (Path dir : new java.util.LinkedHashSet<>(List.of(policiesDir.toAbsolutePath().normalize(),
                rulesDir.toAbsolutePath().normalize()))) {
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        }
        this.thread = new Thread(this::loop, "riskgate-policy-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        Set<String> changed = new TreeSet<>();
        while (running) {
            try {
                WatchKey key = watch.poll(changed.isEmpty() ? 1_000 : debounce.toMillis(), TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents().forEach(e -> changed.add(String.valueOf(e.context())));
                    key.reset();
                    continue; // wait until the burst is over
                }
                if (!changed.isEmpty()) {
                    String files = String.join(", ", changed);
                    changed.clear();
                    if (activates) {
                        reload(files);
                    } else {
                        validate(files);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.nio.file.ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                log.error("policy watcher failed on a reload; it keeps watching", e);
            }
        }
    }

    private void reload(String files) {
        try {
            var r = registry.reload("watcher", "files changed: " + files);
            log.info("policy files changed ({}): compiled {}, unchanged {}", files, r.compiled(), r.unchanged());
        } catch (PolicyException e) {
            log.warn("policy files changed ({}) but the reload was refused; the policies in force stay: {}",
                    files, e.getMessage());
        }
    }

    private void validate(String files) {
        RuleSetRegistry.Validation v = registry.validate("watcher", "files changed: " + files);
        if (!v.valid()) {
            log.warn("policy files changed ({}) and would be refused; the policies in force stay: {} problem(s): {}",
                    files, v.problems().size(), v.problems());
        } else if (v.changed().isEmpty() && v.removed().isEmpty()) {
            log.info("policy files changed ({}) but match the policies in force", files);
        } else {
            log.info("policy files changed ({}): valid, awaiting an officer's reload (POST /api/v1/policies/reload) "
                    + "to go into force: changed {}, removed {}", files, v.changed().keySet(), v.removed());
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        watch.close();
        thread.interrupt();
    }
}
