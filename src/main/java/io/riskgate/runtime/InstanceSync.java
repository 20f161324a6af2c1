package io.riskgate.runtime;

import io.riskgate.audit.AccountPolicies;
import io.riskgate.governor.EventBus;
import io.riskgate.governor.GovernorStore;
import io.riskgate.governor.KillSwitches;
import io.riskgate.portfolio.Portfolio;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleSetRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What an officer changes on one riskgate process, seen by every other process on the same PostgreSQL database
 * within one poll ({@link #EVERY}, docs/operations.md "Several instances"). Accounts need none of this: each use of an
 * account reads what other processes wrote first (AccountVersions), so a governor trip or a breaker reset counts on
 * the next check wherever it lands. What is not an account's is polled:
 * <ul>
 *   <li>kill switches (an approval's write also reads them as stored, so none is approved after a trip's commit);</li>
 *   <li>the firm limits' shares (an approval's write also claims its share against the stored ones: FirmShares);</li>
 *   <li>policy activations: another process's ACTIVATED or REMOVED entry with a version this one does not have in
 *       force makes it reload its policies directory (the processes share one), as an officer's reload would;</li>
 *   <li>account assignments (ASSIGNED entries): the account's cached assignment is dropped and read again;</li>
 *   <li>governor events (alerts, trips, instructions) other processes stored, relayed to this process's stream.</li>
 * </ul>
 * Ids from PostgreSQL sequences are not given in commit order: each poll looks back {@link #LOOK_BACK} ids, and an
 * event already streamed is not streamed again.
 */
public final class InstanceSync implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InstanceSync.class);

    /** How often the database is polled: the bound on how late another process's change is seen here. */
    public static final Duration EVERY = Duration.ofSeconds(1);
    /** How many ids before the last seen each poll reads again (a transaction that drew its id earlier, committed later). */
    static final long LOOK_BACK = 1_000;
    /** At most this many events relayed per poll. */
    static final int EVENTS_PER_POLL = 5_000;

    private final JdbcTemplate jdbc;
    private final RuleSetRegistry registry;
    private final AccountPolicies assignments;
    private final KillSwitches switches;
    private final GovernorStore events;
    private final EventBus bus;
    private final Portfolio portfolio;
    private final ScheduledExecutorService timer;
    private long lastActivation;
    private long lastEvent;
    /** Events up to this id were stored before this process started: not news to stream. */
    private final long eventsAtStart;

    InstanceSync(DataSource dataSource, RuleSetRegistry registry, AccountPolicies assignments, KillSwitches switches,
                 GovernorStore events, EventBus bus, Portfolio portfolio) {
        this.portfolio = portfolio;
        this.jdbc = new JdbcTemplate(dataSource);
        this.registry = registry;
        this.assignments = assignments;
        this.switches = switches;
        this.events = events;
        this.bus = bus;
        // what is there at start is what this process started from
        this.lastActivation = max("policy_activation");
        this.lastEvent = max("governor_event");
        this.eventsAtStart = lastEvent;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "riskgate-instance-sync");
            t.setDaemon(true);
            return t;
        });
    }

    private long max(String table) {
        Long m = jdbc.queryForObject("SELECT MAX(id) FROM " + table, Long.class);
        return m == null ? 0 : m;
    }

    /** Polls every {@code every} until closed. */
    InstanceSync start(Duration every) {
        timer.scheduleWithFixedDelay(this::pollQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            // the database is away: the next poll tries again (checks fail closed meanwhile on their own)
            log.warn("could not read other instances' changes: {}", e.toString());
        }
    }

    private final List<Runnable> alsoEachPoll = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Runs {@code refresh} at every poll too, for state kept above the runtime that other instances change (the API
     * keys: one revoked on another instance stops working here within a poll).
     */
    public void alsoEachPoll(Runnable refresh) {
        alsoEachPoll.add(refresh);
    }

    /** One poll: switches, activations and assignments, events, and what {@link #alsoEachPoll} added. */
    public synchronized void poll() {
        switches.refresh();
        alsoEachPoll.forEach(Runnable::run);
        portfolio.firmShares().refresh(portfolio.firm());
        // the log is read and compared with what is in force between reloads, in one step: this process's own reload
        // logs its activation before it puts the policies in force and is not to be taken for another instance's,
        // and an entry read before a reload of this process's (an older version of the same policy) is not to be
        // compared with what that reload put in force (it would reload the directory for nothing, or worse, put in
        // force files nobody activated)
        registry.betweenReloads(() -> {
            List<Object[]> entries = jdbc.query("SELECT id, outcome, policy_id, sha256, detail, actor "
                            + "FROM policy_activation WHERE id > ? AND outcome IN ('ACTIVATED', 'REMOVED', 'ASSIGNED') "
                            + "ORDER BY id",
                    (rs, i) -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6)}, lastActivation);
            // per policy, its latest entry: an older one (another instance's start) is not what is in force now
            java.util.Map<String, Object[]> latest = new java.util.LinkedHashMap<>();
            for (Object[] e : entries) {
                lastActivation = Math.max(lastActivation, (Long) e[0]);
                if (e[1].equals("ASSIGNED")) {
                    String detail = (String) e[4];
                    if (detail != null && detail.startsWith("account ")) {
                        assignments.forget(detail.substring("account ".length()));
                    }
                } else {
                    latest.put((String) e[2], e);
                }
            }
            String reason = null;
            for (Object[] e : latest.values()) {
                String outcome = (String) e[1];
                if (!inForce((String) e[2], (String) e[3], outcome)) {
                    reason = outcome.toLowerCase(java.util.Locale.ROOT) + " " + e[2] + " by " + e[5]
                            + " on another instance";
                }
            }
            if (reason != null) {
                log.info("policies changed on another instance ({}): reloading", reason);
                registry.reload("instance-sync", reason);
            }
        });
        List<io.riskgate.governor.GovernorEvent> found = events.events(Math.max(0, lastEvent - LOOK_BACK),
                Optional.empty(), EVENTS_PER_POLL);
        if (!found.isEmpty()) {
            lastEvent = Math.max(lastEvent, found.get(found.size() - 1).id());
            bus.relay(found.stream().filter(e -> e.id() > eventsAtStart).toList());
        }
    }

    /** Whether this process has the entry's state already: the version activated in force, the one removed gone. */
    private boolean inForce(String policyId, String sha256, String outcome) {
        CompiledPolicy current = registry.snapshot().policies().get(policyId);
        return outcome.equals("REMOVED") ? current == null
                : current != null && current.sha256().equals(sha256);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
