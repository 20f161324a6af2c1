package io.riskgate.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.riskgate.audit.AuditStore;
import io.riskgate.audit.PolicyArchive;
import io.riskgate.check.PolicyCompiler;
import io.riskgate.check.PreTradeEngine;
import io.riskgate.database.Dialect;
import io.riskgate.database.GroupCommit;
import io.riskgate.database.JournalRecovery;
import io.riskgate.database.Outbox;
import io.riskgate.exits.ExitLog;
import io.riskgate.exits.ExitService;
import io.riskgate.governor.EventBus;
import io.riskgate.governor.GovernorService;
import io.riskgate.governor.GovernorStore;
import io.riskgate.governor.KillSwitches;
import io.riskgate.lifecycle.TradeService;
import io.riskgate.market.BarStore;
import io.riskgate.market.MarketData;
import io.riskgate.market.PortfolioRisk;
import io.riskgate.portfolio.Portfolio;
import io.riskgate.portfolio.PortfolioStore;
import io.riskgate.rules.RuleSetRegistry;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * riskgate assembled without Spring: for in-process Java callers, the CLI and benchmarks. The HTTP service wires
 * the same pieces from its Spring configuration.
 *
 * <pre>
 * RiskgateRuntime rg = RiskgateRuntime.start(Path.of("policies"), Path.of("rules"), "default",
 *         dataSource, Clock.systemUTC(), new SimpleMeterRegistry());
 * Decision d = rg.engine().check(request);
 * </pre>
 *
 * Starting migrates the database (Flyway) and compiles every policy; it fails with every problem listed if a
 * policy or rule file is invalid.
 */
public record RiskgateRuntime(RuleSetRegistry registry, Portfolio portfolio, AuditStore audit,
                              PolicyArchive policyArchive, PreTradeEngine engine, TradeService trades,
                              ExitService exits, GovernorService governor, MarketData market,
                              io.riskgate.audit.AccountPolicies accountPolicies, GroupCommit commits,
                              KillSwitches killSwitches, ObjectMapper json, Clock clock, InstanceSync sync,
                              Outbox outbox)
        implements AutoCloseable {

    public static RiskgateRuntime start(Path policiesDir, Path rulesDir, String defaultPolicy, DataSource dataSource,
                                        Clock clock, MeterRegistry meters) {
        return start(policiesDir, rulesDir, defaultPolicy, dataSource, clock, meters, jsonMapper());
    }

    public static RiskgateRuntime start(Path policiesDir, Path rulesDir, String defaultPolicy, DataSource dataSource,
                                        Clock clock, MeterRegistry meters, ObjectMapper json) {
        return start(policiesDir, rulesDir, defaultPolicy, dataSource, clock, meters, json,
                Portfolio.Residency.DEFAULT);
    }

    /**
     * As above, with how many account books stay in memory and for how long unused ones do ({@code residency};
     * the policy assignments cached per account follow the same bounds).
     */
    public static RiskgateRuntime start(Path policiesDir, Path rulesDir, String defaultPolicy, DataSource dataSource,
                                        Clock clock, MeterRegistry meters, ObjectMapper json,
                                        Portfolio.Residency residency) {
        // several processes may start on one PostgreSQL database at once: Flyway migrates under a lock of its own
        migrate(dataSource);
        // every write riskgate answers for is committed in groups and durable before the answer
        return assemble(policiesDir, rulesDir, defaultPolicy, dataSource, clock, meters, json, residency,
                GroupCommit.forDatabase(dataSource));
    }

    /**
     * riskgate for a replay of history (docs/replay.md): the same parts as the service, on {@code dataSource}, an
     * in-memory database of its own, whose writes run on the one replaying thread ({@link GroupCommit#inline}).
     */
    public static RiskgateRuntime startReplay(Path policiesDir, Path rulesDir, String defaultPolicy,
                                              DataSource dataSource, Clock clock) {
        migrate(dataSource);
        return assemble(policiesDir, rulesDir, defaultPolicy, dataSource, clock,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), jsonMapper(),
                Portfolio.Residency.DEFAULT, GroupCommit.inline(dataSource));
    }

    private static RiskgateRuntime assemble(Path policiesDir, Path rulesDir, String defaultPolicy,
                                            DataSource dataSource, Clock clock, MeterRegistry meters,
                                            ObjectMapper json, Portfolio.Residency residency, GroupCommit commits) {
        RuleSetRegistry registry = new RuleSetRegistry(policiesDir, rulesDir, defaultPolicy, PolicyCompiler.standard());
        PolicyArchive archive = new PolicyArchive(dataSource, commits, json, clock);
        registry.setListener(new RuleSetRegistry.Listener() {
            @Override
            public void published(RuleSetRegistry.Snapshot snapshot, RuleSetRegistry.ReloadResult result) {
                archive.activated(snapshot.policies().values(), result.compiled(), result.removed(), result.actor(),
                        result.reason());
            }

            @Override
            public void refused(java.util.List<io.riskgate.policy.PolicyProblem> problems, String actor,
                                String reason) {
                archive.refused(problems, actor, reason);
            }

            @Override
            public void detected(RuleSetRegistry.Validation validation, String actor, String reason) {
                archive.detected(validation.changed(), validation.removed(), actor, reason);
            }
        });
        io.riskgate.audit.AccountPolicies accountPolicies = new io.riskgate.audit.AccountPolicies(dataSource, commits, clock,
                residency.idleEviction(), residency.maxResident(), residency.ticker());
        registry.setAssignments(accountPolicies::assigned);
        registry.reload("startup", "riskgate started");
        Portfolio portfolio = new Portfolio(new PortfolioStore(dataSource, json), commits, clock, residency);
        Gauge.builder("riskgate.accounts.resident", portfolio, Portfolio::residentBooks)
                .description("account books in memory (riskgate.accounts.max-resident bounds the idle ones)")
                .register(meters);
        FunctionCounter.builder("riskgate.accounts.loads", portfolio, Portfolio::bookLoads)
                .description("account books read from the database (first use, use after eviction, failed write)")
                .register(meters);
        FunctionCounter.builder("riskgate.commits.batches", commits, GroupCommit::batches)
                .description("transactions the group commit wrote and synced (each holding one or more writes)")
                .register(meters);
        FunctionCounter.builder("riskgate.commits.writes", commits, GroupCommit::units)
                .description("writes the group commit committed or refused; over riskgate.commits.batches: writes "
                        + "per fsync")
                .register(meters);
        // the bus's outbox: off until a bus is configured (RiskgateRuntime.outbox().enable())
        Outbox outbox = new Outbox(dataSource, commits);
        AuditStore audit = new AuditStore(dataSource, json, outbox);
        MarketData market = new MarketData(new BarStore(dataSource), commits, clock);
        PortfolioRisk risk = new PortfolioRisk(market);
        GovernorStore governorStore = new GovernorStore(dataSource, json, outbox);
        EventBus bus = new EventBus();
        GovernorService governor = new GovernorService(registry, portfolio, governorStore, commits, bus, risk, clock,
                meters);
        // the batch's latest close, but never ahead of riskgate's clock (a bar still forming closes in the future)
        market.onUpdate((symbols, at) -> governor.barsPosted(symbols,
                at.isAfter(clock.instant()) ? clock.instant() : at));
        portfolio.setAfterEquityReport((book, at) -> governor.refresh(registry.forAccountOrDefault(book.account()), book,
                at));
        KillSwitches killSwitches = new KillSwitches(dataSource, commits, clock);
        PreTradeEngine engine = new PreTradeEngine(registry, portfolio, audit, governor, risk, killSwitches,
                clock, json, meters);
        ExitLog exitLog = new ExitLog(dataSource, json, outbox);
        // a replay's one thread marks its accounts in turn: its reads join the open batch of its inline commits
        ExitService exits = commits.inline()
                ? new ExitService(registry, portfolio, exitLog, governor, market, clock, meters, Runnable::run)
                : new ExitService(registry, portfolio, exitLog, governor, market, clock, meters);
        // other riskgate processes on a PostgreSQL database: what their officers change, seen here within a poll
        InstanceSync sync = !commits.inline() && Dialect.of(dataSource) == Dialect.POSTGRESQL
                ? new InstanceSync(dataSource, registry, accountPolicies, killSwitches, governorStore, bus,
                portfolio)
                .start(InstanceSync.EVERY) : null;
        return new RiskgateRuntime(registry, portfolio, audit, archive, engine,
                new TradeService(portfolio, audit, registry, exitLog, governor, clock), exits, governor, market,
                accountPolicies, commits, killSwitches, json, clock, sync, outbox);
    }

    /** Writes what is queued, then stops the database writer (the service's shutdown; a CLI run's end). */
    @Override
    public void close() {
        if (sync != null) {
            sync.close();
        }
        commits.close();
    }

    /**
     * Where a database's migrations are: the common ones, written in SQL that H2 and PostgreSQL both take, and the
     * database's own forms of the rest.
     */
    public static String[] migrations(DataSource dataSource) {
        return new String[] {"classpath:db/migration/common", "classpath:db/migration/" + Dialect.of(dataSource).folder()};
    }

    /**
     * Replays the journal of an H2 file database (the batches acknowledged but not yet in H2's file when the last
     * process ended), then applies the schema migrations ({@link #migrations}).
     */
    public static void migrate(DataSource dataSource) {
        JournalRecovery.recover(dataSource);
        Flyway.configure().dataSource(dataSource).locations(migrations(dataSource)).load().migrate();
        // the schema and the journal's mark on disk before the first batch is journaled
        JournalRecovery.syncAfterMigration(dataSource);
    }

    /**
     * The JSON mapper riskgate uses outside Spring: ISO-8601 instants, Optional support, and a repeated key is an
     * error (an order saying "side": "LONG" and then "side": "SHORT" is refused, not read as SHORT).
     */
    public static ObjectMapper jsonMapper() {
        return JsonMapper.builder().addModule(new JavaTimeModule()).addModule(new Jdk8Module())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    }
}
