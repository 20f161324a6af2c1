package io.riskgate.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.riskgate.audit.AuditStore;
import io.riskgate.check.PreTradeEngine;
import io.riskgate.database.LocalDatabase;
import io.riskgate.lifecycle.TradeService;
import io.riskgate.portfolio.Portfolio;
import io.riskgate.rules.RuleSetRegistry;
import io.riskgate.runtime.RiskgateRuntime;
import java.time.Clock;
import javax.sql.DataSource;
import org.h2.tools.Server;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires {@link RiskgateRuntime} into Spring: the web layer gets the engine, stores and registry as beans. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RiskgateProperties.class)
public class RiskgateConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * The service's database, as Spring Boot would build it from {@code spring.datasource.*} (a Hikari pool), made
     * ready first by {@link LocalDatabase#prepare}: no AUTO_SERVER, owner-only files, and a generated password kept
     * in {@code db.secret} when none is configured.
     */
    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(DataSourceProperties properties,
                                @Value("${riskgate.database.tcp-server.enabled:false}") boolean tcpServer) {
        if (tcpServer) {
            LocalDatabase.loopbackOnly();
        }
        String password = LocalDatabase.prepare(properties.determineUrl(), properties.determineUsername(),
                properties.determinePassword());
        HikariDataSource ds = properties.initializeDataSourceBuilder().type(HikariDataSource.class)
                .url(LocalDatabase.tuned(properties.determineUrl())).password(password).build();
        if (properties.getName() != null && !properties.getName().isBlank()) {
            ds.setPoolName(properties.getName());
        }
        return ds;
    }

    /**
     * An H2 TCP server for tools while the service runs: off unless {@code riskgate.database.tcp-server.enabled};
     * loopback only, the service's databases only, with the service's user and password. Takes the data source
     * only to start after it: the database and its password are ready by then.
     */
    @Bean(destroyMethod = "stop")
    @ConditionalOnProperty(name = "riskgate.database.tcp-server.enabled", havingValue = "true")
    Server h2TcpServer(DataSource preparedFirst, DataSourceProperties properties,
                       @Value("${riskgate.database.tcp-server.port:9092}") int port) {
        return LocalDatabase.of(properties.determineUrl()).orElseThrow(() -> new IllegalStateException(
                "riskgate.database.tcp-server.enabled needs a file database (spring.datasource.url jdbc:h2:file:...)"))
                .startTcpServer(port);
    }

    /**
     * The runtime; account books unused for {@code riskgate.accounts.idle-eviction} leave memory, and at most
     * {@code riskgate.accounts.max-resident} unused ones stay.
     */
    @Bean
    RiskgateRuntime riskgateRuntime(RiskgateProperties props, DataSource dataSource, Clock clock,
                                    MeterRegistry meters, ObjectMapper json,
                                    @org.springframework.beans.factory.annotation.Value(
                                            "${riskgate.accounts.idle-eviction:10m}") java.time.Duration idleEviction,
                                    @org.springframework.beans.factory.annotation.Value(
                                            "${riskgate.accounts.max-resident:10000}") int maxResident) {
        return RiskgateRuntime.start(props.policiesDir().toAbsolutePath().normalize(),
                props.rulesDir().toAbsolutePath().normalize(), props.defaultPolicy(), dataSource, clock, meters, json,
                Portfolio.Residency.of(idleEviction, maxResident));
    }

    /** The runtime's writer: every answered write is committed in groups and durable first. Closed with the runtime. */
    @Bean(destroyMethod = "")
    io.riskgate.database.GroupCommit groupCommit(RiskgateRuntime rt) {
        return rt.commits();
    }

    /**
     * On a database several instances share, the API keys are read again at each of the instance sync's polls: a
     * key revoked (or created) through another instance, or with the CLI, counts here within about a second.
     */
    @Bean
    org.springframework.beans.factory.SmartInitializingSingleton keysFollowOtherInstances(RiskgateRuntime rt,
            io.riskgate.security.ApiKeys keys) {
        return () -> {
            if (rt.sync() != null) {
                rt.sync().alsoEachPoll(keys::refresh);
            }
        };
    }

    @Bean
    PreTradeEngine preTradeEngine(RiskgateRuntime rt) {
        return rt.engine();
    }

    @Bean
    RuleSetRegistry ruleSetRegistry(RiskgateRuntime rt) {
        return rt.registry();
    }

    @Bean
    AuditStore auditStore(RiskgateRuntime rt) {
        return rt.audit();
    }

    @Bean
    io.riskgate.audit.PolicyArchive policyArchive(RiskgateRuntime rt) {
        return rt.policyArchive();
    }

    @Bean
    Portfolio portfolio(RiskgateRuntime rt) {
        return rt.portfolio();
    }

    @Bean
    TradeService tradeService(RiskgateRuntime rt) {
        return rt.trades();
    }

    @Bean
    io.riskgate.exits.ExitService exitService(RiskgateRuntime rt) {
        return rt.exits();
    }

    @Bean
    io.riskgate.governor.GovernorService governorService(RiskgateRuntime rt) {
        return rt.governor();
    }

    @Bean
    io.riskgate.governor.KillSwitches killSwitches(RiskgateRuntime rt) {
        return rt.killSwitches();
    }

    /** Replays run for officers, one at a time, each on its own in-memory database. */
    @Bean
    io.riskgate.replay.ReplayJobs replayJobs(RiskgateRuntime rt, Clock clock) {
        return new io.riskgate.replay.ReplayJobs(rt.registry(), rt.json(), clock);
    }

    @Bean
    io.riskgate.market.MarketData marketData(RiskgateRuntime rt) {
        return rt.market();
    }

    @Bean
    io.riskgate.audit.AccountPolicies accountPolicies(RiskgateRuntime rt) {
        return rt.accountPolicies();
    }

    /**
     * Validates the policies when their files change (debounced) and records what it found for officers; off with
     * riskgate.policies.watch=false. Only with riskgate.policies.watch-activates=true (development) does a change
     * go into force without an officer's reload.
     */
    @Bean(destroyMethod = "close")
    @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "riskgate.policies.watch",
            havingValue = "true", matchIfMissing = true)
    io.riskgate.rules.PolicyWatcher policyWatcher(RiskgateRuntime rt, RiskgateProperties props,
                                                  @org.springframework.beans.factory.annotation.Value(
                                                          "${riskgate.policies.watch-debounce:2s}")
                                                  java.time.Duration debounce,
                                                  @org.springframework.beans.factory.annotation.Value(
                                                          "${riskgate.policies.watch-activates:false}")
                                                  boolean activates) throws java.io.IOException {
        return new io.riskgate.rules.PolicyWatcher(rt.registry(), props.policiesDir(), props.rulesDir(), debounce,
                activates);
    }

    /**
     * Where officers keep candidate policies for what-if by directory ({@code riskgate.policies.workspace},
     * default ./workspace); what-if reads no other directory. Empty: the directory form is refused.
     */
    @Bean
    io.riskgate.scenario.Workspace candidateWorkspace(@org.springframework.beans.factory.annotation.Value(
            "${riskgate.policies.workspace:./workspace}") String root) {
        return new io.riskgate.scenario.Workspace(root.isBlank() ? null : java.nio.file.Path.of(root));
    }
}
