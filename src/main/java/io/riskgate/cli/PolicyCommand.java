package io.riskgate.cli;

import io.riskgate.check.PolicyCompiler;
import io.riskgate.policy.PolicyBundle;
import io.riskgate.policy.PolicyException;
import io.riskgate.policy.PolicyLoader;
import io.riskgate.policy.PolicyProblem;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleSetCompiler;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code riskgate policy validate [DIR]}: load and compile every policy, list every problem. */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Work with policies.",
        subcommands = {PolicyCommand.Validate.class, PolicyCommand.Test.class, PolicyCommand.WhatIfCommand.class})
final class PolicyCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Load and compile every policy in DIR with the rule files it uses; print every problem "
                    + "with file, key path and line. Exit 0 when all are valid, 1 otherwise.")
    static final class Validate implements Callable<Integer> {

        @Parameters(index = "0", arity = "0..1", defaultValue = "policies", paramLabel = "DIR",
                description = "policy directory (default: ${DEFAULT-VALUE})")
        Path dir;

        @Option(names = "--rules", defaultValue = "rules", description = "rules directory (default: ${DEFAULT-VALUE})")
        Path rules;

        @Option(names = "--default-policy", defaultValue = "default",
                description = "the policy id the service uses for accounts (default: ${DEFAULT-VALUE}); it must exist")
        String defaultPolicy;

        @Override
        public Integer call() {
            PolicyLoader.LoadResult loaded = new PolicyLoader(rules.toAbsolutePath().normalize()).loadAll(dir);
            RuleSetCompiler compiler = PolicyCompiler.standard();
            Set<PolicyProblem> problems = new LinkedHashSet<>(loaded.problems());
            for (Map<String, byte[]> refused : loaded.ruleFilesOfRefused()) {
                problems.addAll(compiler.ruleProblems(refused));
            }
            if (loaded.problems().isEmpty() && !loaded.bundles().containsKey(defaultPolicy)) {
                problems.add(new PolicyProblem(dir.toString(), "id", 0, "no policy with id '" + defaultPolicy
                        + "' (the default policy the service starts with); found " + loaded.bundles().keySet()));
            }
            for (PolicyBundle b : loaded.bundles().values()) {
                try {
                    CompiledPolicy c = compiler.compile(b);
                    System.out.printf("OK    %s v%s (%s): %d rules from %s, sha256 %s%n", b.id(), b.version(),
                            b.source().getFileName(), c.rules().size(), b.policy().ruleFiles(), b.sha256());
                    RuleSetCompiler.release(c.container(), c.releaseId());
                } catch (PolicyException e) {
                    problems.addAll(e.problems());
                }
            }
            problems.forEach(p -> System.out.println("ERROR " + p));
            if (!problems.isEmpty()) {
                System.out.println(problems.size() + " problem(s) found");
                return 1;
            }
            return 0;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Run the scenario tests in DIR/tests/*.yaml against the policies of DIR: print each failure "
                    + "with what differed, then 'N passed, N failed'. Exit 0 when all pass, 1 on any failure, 3 when "
                    + "the policies or tests cannot be loaded.")
    static final class Test implements Callable<Integer> {

        @Parameters(index = "0", arity = "0..1", defaultValue = "policies", paramLabel = "DIR",
                description = "policy directory (default: ${DEFAULT-VALUE}); its tests/ holds the scenarios")
        Path dir;

        @Option(names = "--rules", defaultValue = "rules", description = "rules directory (default: ${DEFAULT-VALUE})")
        Path rules;

        @Override
        public Integer call() {
            Path tests = dir.resolve("tests");
            if (!java.nio.file.Files.isDirectory(tests)) {
                System.out.println("ERROR no scenario tests: " + tests + " is not a directory");
                return 3;
            }
            io.riskgate.scenario.ScenarioRunner.Report report;
            try {
                report = new io.riskgate.scenario.ScenarioRunner(dir, rules).run(tests);
            } catch (PolicyException e) {
                e.problems().forEach(p -> System.out.println("ERROR " + p));
                System.out.println(e.problems().size() + " problem(s) found: fix the policy before testing it");
                return 3;
            } catch (java.io.IOException e) {
                System.out.println("ERROR cannot read " + tests + ": " + e.getMessage());
                return 3;
            }
            report.failures().forEach(f -> System.out.println("FAIL  " + f));
            System.out.println(report.passed() + " passed, " + report.failed() + " failed");
            return report.failed() == 0 ? 0 : 1;
        }
    }

    @Command(name = "what-if", mixinStandardHelpOptions = true,
            description = "Decide the last N audited decisions again under a candidate policy (DIR holds it; its "
                    + "sibling rules directory, else --rules), without changing anything; print each decision that "
                    + "would change and the rules that caused it. Exit 0; 3 when the candidate is invalid or the "
                    + "database cannot be opened.")
    static final class WhatIfCommand implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "DIR", description = "the candidate's policy directory")
        Path dir;

        @Option(names = "--rules", defaultValue = "rules", description = "rules directory when DIR has no sibling "
                + "rules/ (default: ${DEFAULT-VALUE})")
        Path rules;

        @Option(names = "--policy", defaultValue = "default", description = "policy id (default: ${DEFAULT-VALUE})")
        String policyId;

        @Option(names = "--last", defaultValue = "100", description = "how many of the latest decisions "
                + "(default: ${DEFAULT-VALUE}, at most 500)")
        int last;

        @Option(names = "--db", defaultValue = "jdbc:h2:file:./data/riskgate-cli",
                description = "the database holding the audit (default: ${DEFAULT-VALUE})")
        String db;

        @Override
        public Integer call() {
            io.riskgate.scenario.WhatIf.Report report;
            var candidate = io.riskgate.scenario.Candidate.directory(dir, policyId, rules);
            var latest = new io.riskgate.audit.AuditQuery(java.util.Optional.empty(), java.util.Optional.empty(),
                    java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                    java.util.Optional.empty(), 0, Math.max(1, Math.min(last, io.riskgate.audit.AuditQuery.MAX_SIZE)));
            try {
                report = io.riskgate.scenario.WhatIf.preview(candidate, latest, this::openAudit);
            } catch (PolicyException e) {
                e.problems().forEach(p -> System.out.println("ERROR " + p));
                return 3;
            } catch (AuditUnavailable e) {
                System.out.println("ERROR cannot open the audit database " + db + ": " + e.getMessage());
                return 3;
            }
            for (var c : report.changes()) {
                System.out.printf("CHANGED %s %s %s at %s: %s %s q=%s -> %s %s q=%s (caused by %s)%n",
                        c.decisionId(), c.account(), c.symbol(), c.at(), c.before(), c.beforeCodes(),
                        c.beforeQuantity(), c.after(), c.afterCodes(), c.afterQuantity(), c.causedBy());
            }
            report.skipped().forEach(s -> System.out.println("SKIPPED " + s));
            System.out.printf("%d evaluated, %d would change under %s v%s (sha256 %s)%n", report.evaluated(),
                    report.changed(), report.candidate().id(), report.candidate().version(),
                    report.candidate().sha256());
            return 0;
        }

        /** The audit database {@code --db}, which must exist: a mistyped path would report 0 decisions. */
        private io.riskgate.scenario.WhatIf.Replay openAudit() {
            javax.sql.DataSource ds = io.riskgate.database.LocalDatabase.dataSource(db.startsWith("jdbc:h2:file:")
                    && !db.toUpperCase(java.util.Locale.ROOT).contains("IFEXISTS") ? db + ";IFEXISTS=TRUE" : db, "sa");
            try {
                io.riskgate.runtime.RiskgateRuntime.migrate(ds);
            } catch (RuntimeException e) {
                throw new AuditUnavailable(e.getMessage());
            }
            var json = io.riskgate.runtime.RiskgateRuntime.jsonMapper();
            var market = new io.riskgate.market.MarketData(new io.riskgate.market.BarStore(ds),
                    org.springframework.transaction.support.TransactionOperations.withoutTransaction(),
                    java.time.Clock.systemUTC());
            return new io.riskgate.scenario.WhatIf.Replay(new io.riskgate.audit.AuditStore(ds, json), market,
                    java.time.Clock.systemUTC(), json);
        }

        /** The audit database could not be opened. */
        private static final class AuditUnavailable extends RuntimeException {
            AuditUnavailable(String message) {
                super(message);
            }
        }
    }
}
