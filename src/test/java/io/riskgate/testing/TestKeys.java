package io.riskgate.testing;

import io.riskgate.security.ApiKeys;
import io.riskgate.security.Role;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;

/**
 * Keys for tests of a running server, created through the server's own {@link ApiKeys}: the same path a key
 * made by an ADMIN takes.
 */
public final class TestKeys {

    private static final Map<ApiKeys, String> SUPERUSERS = new WeakHashMap<>();
    private static final Map<ApiKeys, Map<String, String>> NAMED = new WeakHashMap<>();

    private TestKeys() {
    }

    /**
     * A key holding every role for every account, one per server: for tests about something other than access
     * control (the access matrix uses keys of one role each, {@link #key}).
     */
    public static synchronized String superuser(ApiKeys keys) {
        return SUPERUSERS.computeIfAbsent(keys, k -> key(k, EnumSet.allOf(Role.class), Set.of("*")));
    }

    /**
     * The key of a person or system called {@code name} holding every role for every account (one per server and
     * name): for tests of what riskgate records as the actor.
     */
    public static synchronized String named(ApiKeys keys, String name) {
        return NAMED.computeIfAbsent(keys, k -> new java.util.HashMap<>()).computeIfAbsent(name, n -> keys.create(
                new ApiKeys.Spec(n, EnumSet.allOf(Role.class), Set.of("*"), Duration.ofDays(1)), "test").key());
    }

    /** A new key with these roles and accounts, under a fresh name. */
    public static String key(ApiKeys keys, Set<Role> roles, Set<String> accounts) {
        String name = "test-" + UUID.randomUUID().toString().substring(0, 8);
        return keys.create(new ApiKeys.Spec(name, roles, accounts, Duration.ofDays(1)), "test").key();
    }
}
