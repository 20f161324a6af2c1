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
 * Reloads the policies when their files change: watches the policies and rules directories and, once no change
 * has come for {@code debounce} (an editor saves in bursts; an officer copies several files), reloads once with
 * actor "watcher". A refused reload is logged in the activation log with its problems, and the policies in force
 * stay; the next change tries again.
 */
public final class PolicyWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PolicyWatcher.class);

    private final RuleSetRegistry registry;
    private final WatchService watch;
    private final Duration debounce;
    private final Thread thread;
    private volatile boolean running = true;

    public PolicyWatcher(RuleSetRegistry registry, Path policiesDir, Path rulesDir, Duration debounce)
            throws IOException {
        this.registry = registry;
        this.debounce = debounce;
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
                    try {
                        var r = registry.reload("watcher", "files changed: " + files);
                        log.info("policy files changed ({}): compiled {}, unchanged {}", files, r.compiled(),
                                r.unchanged());
                    } catch (PolicyException e) {
                        log.warn("policy files changed ({}) but the reload was refused; the policies in force stay: {}",
                                files, e.getMessage());
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

    @Override
    public void close() throws IOException {
        running = false;
        watch.close();
        thread.interrupt();
    }
}
