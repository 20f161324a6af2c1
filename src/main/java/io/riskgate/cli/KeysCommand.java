package io.riskgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskgate.errors.ConflictException;
import io.riskgate.errors.NotFoundException;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.security.ApiKey;
import io.riskgate.security.ApiKeys;
import io.riskgate.security.Role;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code riskgate keys create|list|revoke}: API keys, straight in the service's database. H2 lets one process
 * open its file, so run these while the service is stopped (first setup, a lost ADMIN key); while it runs, an
 * ADMIN key does the same over REST ({@code /api/v1/keys}). Exit 0 done, 2 bad input, 3 could not run.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Create, list and revoke API keys in the service's database (run while the service is "
                + "stopped; while it runs use POST/GET/DELETE /api/v1/keys with an ADMIN key).",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {

    @Mixin
    ServiceDatabase database;

    @Override
    public void run() {
        System.out.println("riskgate keys create|list|revoke: see 'riskgate keys --help'");
    }

    private ApiKeys open() {
        return new ApiKeys(database.open(), Clock.systemUTC());
    }

    private static String operator() {
        return "cli:" + System.getProperty("user.name", "unknown").replaceAll("[^A-Za-z0-9_.@-]", "_");
    }

    private static final ObjectMapper JSON = RiskgateRuntime.jsonMapper();

    private static int print(Object o) throws Exception {
        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o));
        return 0;
    }

    private static int refused(Exception e) throws Exception {
        Object detail = e instanceof InvalidRequestException i ? i.problems() : e.getMessage();
        System.err.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(Map.of("refused", detail)));
        return 2;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a key and print it once (only its hash is stored).")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        KeysCommand parent;

        @Option(names = "--name", required = true, description = "who holds it: exec-engine-1, j.smith")
        String name;

        @Option(names = "--role", required = true, split = ",",
                description = "one or more of TRADER, FEED, OFFICER, AUDITOR, ADMIN (comma-separated)")
        List<String> roles;

        @Option(names = "--accounts", split = ",", description = "accounts a TRADER or FEED key may use; * for all")
        List<String> accounts = List.of();

        @Option(names = "--expires-in-days", defaultValue = "90", description = "lifetime (default: ${DEFAULT-VALUE})")
        long days;

        @Override
        public Integer call() throws Exception {
            Set<Role> parsed = EnumSet.noneOf(Role.class);
            for (String r : roles) {
                if (Role.parse(r).isEmpty()) {
                    System.err.println("unknown role '" + r + "': one of " + List.of(Role.values()));
                    return 2;
                }
                parsed.add(Role.parse(r).get());
            }
            try {
                ApiKeys.Created c = parent.open().create(new ApiKeys.Spec(name, parsed,
                        new LinkedHashSet<>(accounts), Duration.ofDays(days)), operator());
                return print(Map.of("apiKey", c.apiKey(), "key", c.key(),
                        "note", "store the key now: riskgate keeps only its hash"));
            } catch (InvalidRequestException | ConflictException e) {
                return refused(e);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every key, newest first (never a key).")
    static final class ListKeys implements Callable<Integer> {
        @ParentCommand
        KeysCommand parent;

        @Override
        public Integer call() throws Exception {
            List<ApiKey> keys = parent.open().list();
            return print(keys);
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key by its id.")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        KeysCommand parent;

        @Parameters(index = "0", paramLabel = "ID", description = "the key's id (the 10 characters after rg_)")
        String id;

        @Override
        public Integer call() throws Exception {
            try {
                return print(parent.open().revoke(id, operator()));
            } catch (NotFoundException | ConflictException e) {
                return refused(e);
            }
        }
    }
}
