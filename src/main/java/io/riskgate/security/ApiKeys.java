package io.riskgate.security;

import io.riskgate.errors.ConflictException;
import io.riskgate.errors.NotFoundException;
import io.riskgate.order.CheckRequestParser;
import io.riskgate.order.FieldProblem;
import io.riskgate.order.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * API keys: created with a holder's name, roles, accounts and an expiry; the key is returned once and only its
 * SHA-256 is stored; revocable. A key is 256 random bits, so a fast hash is enough (nothing to brute-force, unlike a
 * password). Authentication reads an in-memory index of the keys that are not revoked, so a check pays no database
 * round trip; creating and revoking here update the index at once.
 *
 * <pre>
 * ApiKeys.Created c = keys.create(new ApiKeys.Spec("exec-engine-1", Set.of(Role.TRADER), Set.of("acct-a"),
 *         Duration.ofDays(90)), "admin");
 * c.key();   // rg_k3j9x2m4pq_Vd0...: give it to the execution system, it is not shown again
 * </pre>
 */
public final class ApiKeys {

    /** How a key looks: {@code rg_}, a 10-character id, {@code _}, 43 characters of base64url secret. */
    public static final Pattern FORMAT = Pattern.compile("rg_([a-z0-9]{10})_[A-Za-z0-9_-]{43}");
    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(90);
    public static final Duration MAX_LIFETIME = Duration.ofDays(730);

    /** What to create: the holder's name (the actor officer actions record), roles, accounts, lifetime. */
    public record Spec(String name, Set<Role> roles, Set<String> accounts, Duration lifetime) {
    }

    /** A new key: the stored record, and the key itself, which is never shown again. */
    public record Created(ApiKey apiKey, String key) {
    }

    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final JdbcTemplate jdbc;
    private final TransactionOperations tx;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** sha256 of the key → the key's record, for every key not revoked (expired ones are refused on use). */
    private final Map<String, ApiKey> byHash = new ConcurrentHashMap<>();

    /** Keys whose writes commit by themselves (the CLI, which writes one and exits; tests). */
    public ApiKeys(DataSource dataSource, Clock clock) {
        this(dataSource, TransactionOperations.withoutTransaction(), clock);
    }

    /** {@code tx}: the service's writes (a group commit), so that a created or revoked key is durable when answered. */
    public ApiKeys(DataSource dataSource, TransactionOperations tx, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = tx;
        this.clock = clock;
        refresh();
    }

    /**
     * Reads the keys not revoked again: on a database several instances share, a key revoked (or created) through
     * another instance, or with the CLI, counts here from the next read (runtime.InstanceSync, about once a second).
     */
    public synchronized void refresh() {
        Map<String, ApiKey> active = new java.util.HashMap<>();
        jdbc.query("SELECT * FROM api_key WHERE revoked_at IS NULL", rs -> {
            active.put(rs.getString("key_hash"), row(rs));
        });
        byHash.keySet().retainAll(active.keySet());
        byHash.putAll(active);
    }

    /** The caller a key stands for, if it is well formed, known, not revoked and not expired. */
    public Optional<Caller> authenticate(String key) {
        if (key == null || !FORMAT.matcher(key).matches()) {
            return Optional.empty();
        }
        ApiKey k = byHash.get(sha256(key));
        return k != null && k.activeAt(clock.instant()) ? Optional.of(k.caller()) : Optional.empty();
    }

    /**
     * Creates a key. Every problem with the spec is listed at once (400); a name already held by an active key is a
     * conflict (409): the name is the actor that officer actions record, so it stays one credential's at a time.
     */
    public synchronized Created create(Spec spec, String createdBy) {
        List<FieldProblem> problems = new ArrayList<>();
        if (spec.name() == null || !spec.name().matches(CheckRequestParser.ID_PATTERN)) {
            problems.add(new FieldProblem("name", "must match " + CheckRequestParser.ID_PATTERN
                    + " (who holds the key, e.g. exec-engine-1 or j.smith)"));
        }
        if (spec.roles() == null || spec.roles().isEmpty()) {
            problems.add(new FieldProblem("roles", "name at least one of " + Arrays.toString(Role.values())));
        }
        Set<String> accounts = spec.accounts() == null ? Set.of() : spec.accounts();
        for (String a : accounts) {
            if (a == null || !(a.equals(Caller.ALL_ACCOUNTS) || a.matches(CheckRequestParser.ID_PATTERN))) {
                problems.add(new FieldProblem("accounts", "each must be * or match " + CheckRequestParser.ID_PATTERN
                        + ", was " + abbreviate(String.valueOf(a))));
            }
        }
        if (accounts.size() > 200) {
            problems.add(new FieldProblem("accounts", "at most 200 accounts per key (or *), was " + accounts.size()));
        }
        if (spec.roles() != null && (spec.roles().contains(Role.TRADER) || spec.roles().contains(Role.FEED))
                && accounts.isEmpty()) {
            problems.add(new FieldProblem("accounts", "a TRADER or FEED key names its accounts (or * for all)"));
        }
        Duration life = spec.lifetime() == null ? DEFAULT_LIFETIME : spec.lifetime();
        if (life.compareTo(Duration.ofMinutes(1)) < 0 || life.compareTo(MAX_LIFETIME) > 0) {
            problems.add(new FieldProblem("expiresInDays", "a key lives between 1 minute and "
                    + MAX_LIFETIME.toDays() + " days"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        Instant now = clock.instant();
        boolean taken = byHash.values().stream().anyMatch(k -> k.name().equals(spec.name()) && k.activeAt(now));
        if (taken) {
            throw new ConflictException("an active key already belongs to '" + spec.name()
                    + "': revoke it first, or choose another name");
        }
        String id = randomId();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String key = "rg_" + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiKey k = new ApiKey(id, spec.name(), EnumSet.copyOf(spec.roles()), accounts, now, createdBy,
                now.plus(life), Optional.empty(), Optional.empty());
        String hash = sha256(key);
        tx.executeWithoutResult(s -> jdbc.update("INSERT INTO api_key (id, key_hash, name, roles, accounts, "
                        + "created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, hash, k.name(),
                join(k.roles()), join(k.accounts()), Timestamp.from(now), createdBy, Timestamp.from(k.expiresAt())));
        byHash.put(hash, k);
        return new Created(k, key);
    }

    /** Every key ever created, newest first, with its state; never the key or its hash. */
    public List<ApiKey> list() {
        return jdbc.query("SELECT * FROM api_key ORDER BY created_at DESC, id", (rs, i) -> row(rs));
    }

    /** Revokes a key at once. Unknown → 404; already revoked, or the last active ADMIN key → 409. */
    public synchronized ApiKey revoke(String id, String by) {
        ApiKey k = find(id).orElseThrow(() -> new NotFoundException("no API key " + abbreviate(id)));
        if (k.revokedAt().isPresent()) {
            throw new ConflictException("API key " + id + " was already revoked at " + k.revokedAt().get());
        }
        Instant now = clock.instant();
        if (k.roles().contains(Role.ADMIN) && byHash.values().stream()
                .filter(o -> o.roles().contains(Role.ADMIN) && o.activeAt(now)).count() <= 1 && k.activeAt(now)) {
            throw new ConflictException("API key " + id + " is the last active ADMIN key: create another ADMIN "
                    + "key first, so that keys can still be managed");
        }
        tx.executeWithoutResult(s -> jdbc.update("UPDATE api_key SET revoked_at = ?, revoked_by = ? WHERE id = ?",
                Timestamp.from(now), by, id));
        byHash.values().removeIf(o -> o.id().equals(id));
        return find(id).orElseThrow();
    }

    public Optional<ApiKey> find(String id) {
        if (id == null || !id.matches("[a-z0-9]{10}")) {
            return Optional.empty();
        }
        return jdbc.query("SELECT * FROM api_key WHERE id = ?", (rs, i) -> row(rs), id).stream().findFirst();
    }

    /**
     * Whether a caller authenticated earlier still holds: for an API key, it is neither revoked nor expired now (a
     * long-lived request such as the event stream asks); a token's caller is not tracked here and holds.
     */
    public boolean stillValid(Caller caller) {
        if (!caller.credential().startsWith("key:")) {
            return true;
        }
        String id = caller.credential().substring(4);
        Instant now = clock.instant();
        return byHash.values().stream().anyMatch(k -> k.id().equals(id) && k.activeAt(now));
    }

    /** Whether any ADMIN key is active now (the service writes a bootstrap key when none is). */
    public boolean hasActiveAdmin() {
        Instant now = clock.instant();
        return byHash.values().stream().anyMatch(k -> k.roles().contains(Role.ADMIN) && k.activeAt(now));
    }

    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private String randomId() {
        StringBuilder b = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            b.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        return b.toString();
    }

    private static String join(Collection<?> values) {
        return values.stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new)).stream()
                .collect(Collectors.joining(","));
    }

    private static ApiKey row(ResultSet rs) throws SQLException {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String r : rs.getString("roles").split(",")) {
            Role.parse(r).ifPresent(roles::add);
        }
        Set<String> accounts = rs.getString("accounts").isEmpty() ? Set.of()
                : Set.of(rs.getString("accounts").split(","));
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new ApiKey(rs.getString("id"), rs.getString("name"), roles, accounts,
                rs.getTimestamp("created_at").toInstant(), rs.getString("created_by"),
                rs.getTimestamp("expires_at").toInstant(), Optional.ofNullable(revoked).map(Timestamp::toInstant),
                Optional.ofNullable(rs.getString("revoked_by")));
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
