package io.riskgate.security;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * An API key as stored: never the key itself, only its SHA-256. The key a client sends is
 * {@code rg_<id>_<secret>}; {@code id} is public (it names the key in lists and logs), the secret is 256 random
 * bits shown once at creation.
 */
public record ApiKey(String id, String name, Set<Role> roles, Set<String> accounts, Instant createdAt,
                     String createdBy, Instant expiresAt, Optional<Instant> revokedAt, Optional<String> revokedBy) {

    public ApiKey {
        roles = Set.copyOf(roles);
        accounts = Set.copyOf(accounts);
    }

    /** Whether the key authenticates at {@code now}: not revoked and not expired. */
    public boolean activeAt(Instant now) {
        return revokedAt.isEmpty() && now.isBefore(expiresAt);
    }

    @JsonIgnore
    public Caller caller() {
        return new Caller(name, "key:" + id, roles, accounts);
    }
}
