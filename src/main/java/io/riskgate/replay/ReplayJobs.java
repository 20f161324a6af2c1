package io.riskgate.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskgate.base.Ids;
import io.riskgate.market.MarketBar;
import io.riskgate.rules.RuleSetRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Replays run for officers by the service ({@code POST /api/v1/replays}): one at a time on a thread of their own,
 * each on its own in-memory database, never touching the live accounts. A job's progress, summary, report and
 * decisions are kept in memory for the latest {@link #KEPT} jobs (a restart forgets them: a replay is run again, not
 * recovered).
 */
public final class ReplayJobs {

    /** How many jobs are kept, finished or not. */
    public static final int KEPT = 20;

    /**
     * How many jobs may be queued or running at once: each holds its bars and signals (up to a 32 MB request) until
     * it has run, so an unbounded queue would let one officer take the service's memory.
     */
    public static final int PENDING = 3;

    /** A replay refused because {@link #PENDING} are already queued or running. */
    public static final class Busy extends RuntimeException {
        Busy(long pending) {
            super(pending + " replays are queued or running, the most at once (each holds its history in memory): "
                    + "start this one when one of them has finished");
        }
    }

    /** A job as an officer sees it. */
    public record Job(String id, String actor, String policy, String comparePolicy, Instant startedAt, String state,
                      long done, long total, String error, String warning, ReplayOutput.Summary summary,
                      Integer decidedDifferently) {
    }

    private static final class Running {
        volatile String state = "QUEUED";
        volatile long done;
        volatile long total;
        volatile String error;
        volatile String warning;
        volatile ReplayOutput.Summary summary;
        volatile String report;
        volatile String decisions;
        volatile String compare;
        volatile Integer decidedDifferently;
        final String id;
        final String actor;
        final String policy;
        final String comparePolicy;
        final Instant startedAt;

        Running(String id, String actor, String policy, String comparePolicy, Instant startedAt) {
            this.id = id;
            this.actor = actor;
            this.policy = policy;
            this.comparePolicy = comparePolicy;
            this.startedAt = startedAt;
        }

        Job view() {
            return new Job(id, actor, policy, comparePolicy, startedAt, state, done, total, error, warning, summary,
                    decidedDifferently);
        }
    }

    private final RuleSetRegistry registry;
    private final ObjectMapper json;
    private final Clock clock;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "riskgate-replay");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Running> jobs = new LinkedHashMap<>();

    public ReplayJobs(RuleSetRegistry registry, ObjectMapper json, Clock clock) {
        this.registry = registry;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Queues a replay of {@code policyId} (a policy of the service's policy directory) by {@code actor}; throws
     * IllegalArgumentException when no such policy is loaded.
     */
    public synchronized Job start(String actor, String policyId, List<MarketBar> bars, List<ReplaySignal> signals,
                                  ReplaySettings settings) {
        return start(actor, policyId, null, bars, signals, settings);
    }

    /**
     * As above; with {@code comparePolicyId} (null: none) the same history is replayed under that policy too and
     * the two compared (docs/replay.md, compare mode).
     */
    public synchronized Job start(String actor, String policyId, String comparePolicyId, List<MarketBar> bars,
                                  List<ReplaySignal> signals, ReplaySettings settings) {
        for (String id : java.util.Arrays.asList(policyId, comparePolicyId)) {
            if (id != null && registry.policy(id).isEmpty()) {
                throw new IllegalArgumentException("no policy '" + id + "' is loaded; loaded: "
                        + registry.snapshot().policies().keySet());
            }
        }
        long pending = jobs.values().stream().filter(j -> j.state.equals("QUEUED") || j.state.equals("RUNNING"))
                .count();
        if (pending >= PENDING) {
            throw new Busy(pending);
        }
        Running job = new Running(Ids.next(), actor, policyId, comparePolicyId, clock.instant());
        job.total = (bars.size() + signals.size()) * (comparePolicyId == null ? 1L : 2L);
        jobs.put(job.id, job);
        while (jobs.size() > KEPT) {
            jobs.remove(jobs.keySet().iterator().next());
        }
        worker.submit(() -> run(job, bars, signals, settings));
        return job.view();
    }

    private void run(Running job, List<MarketBar> bars, List<ReplaySignal> signals, ReplaySettings settings) {
        job.state = "RUNNING";
        Path out = null;
        try {
            Replay.Result r = Replay.run(registry.policiesDir(), registry.rulesDir(), job.policy, bars, signals,
                    settings, (done, total) -> job.done = done);
            out = Files.createTempDirectory("riskgate-replay");
            ReplayOutput.write(r, out, json);
            if (job.comparePolicy != null) {
                long first = bars.size() + signals.size();
                Replay.Result other = Replay.run(registry.policiesDir(), registry.rulesDir(), job.comparePolicy, bars,
                        signals, settings, (done, total) -> job.done = first + done);
                ReplayCompare.Comparison c = ReplayCompare.of(r, other);
                ReplayCompare.write(c, out, json);
                job.compare = Files.readString(out.resolve("compare.html"));
                job.decidedDifferently = c.differences().size();
            }
            job.summary = ReplayOutput.summary(r);
            String inForce = registry.policy(job.policy).map(p -> p.sha256()).orElse("none");
            if (!inForce.equals(r.policy().sha256())) {
                // the files were edited since the last reload: say which was replayed
                job.warning = "replayed the policy files on disk (sha256 " + r.policy().sha256() + "), not the "
                        + "version in force (" + inForce + "): reload to put them in force";
            }
            job.report = Files.readString(out.resolve("report.html"));
            job.decisions = Files.readString(out.resolve("decisions.jsonl"));
            job.done = job.total;
            job.state = "DONE";
        } catch (RuntimeException | IOException | Error e) {
            job.error = e.getClass().getSimpleName() + ": " + e.getMessage();
            job.state = "FAILED";
        } finally {
            if (out != null) {
                delete(out);
            }
        }
    }

    public synchronized Optional<Job> get(String id) {
        return Optional.ofNullable(jobs.get(id)).map(Running::view);
    }

    /** The jobs kept, newest first. */
    public synchronized List<Job> list() {
        return jobs.values().stream().map(Running::view).sorted(Comparator.comparing(Job::startedAt).reversed())
                .toList();
    }

    /** A finished job's HTML report. */
    public synchronized Optional<String> report(String id) {
        return Optional.ofNullable(jobs.get(id)).map(j -> j.report);
    }

    /** A finished compare job's side-by-side page. */
    public synchronized Optional<String> compare(String id) {
        return Optional.ofNullable(jobs.get(id)).map(j -> j.compare);
    }

    /** A finished job's decisions, one JSON per line. */
    public synchronized Optional<String> decisions(String id) {
        return Optional.ofNullable(jobs.get(id)).map(j -> j.decisions);
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
