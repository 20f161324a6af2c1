package io.riskgate.api;

import io.riskgate.security.AccountAccess;
import io.riskgate.security.Caller;
import io.riskgate.security.Role;
import io.swagger.v3.oas.annotations.Operation;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Who the credential is: its holder, roles and accounts, so that a client (the console) shows only what the caller
 * may do. It tells a caller nothing it did not already hold: the key's or token's own grants, never its secret.
 */
@RestController
class MeController {

    /**
     * The caller as riskgate sees it.
     *
     * @param credential {@code key:<id>} or {@code oidc:<issuer>}
     * @param accounts the accounts a TRADER or FEED credential is limited to; {@code *} for every account
     */
    record Me(String name, String credential, Set<Role> roles, Set<String> accounts) {
    }

    @Operation(summary = "The caller: its name, roles and accounts, as its credential grants them")
    @GetMapping("/api/v1/me")
    Me me() {
        Caller c = AccountAccess.caller();
        return new Me(c.name(), c.credential(), new TreeSet<>(c.roles()), new TreeSet<>(c.accounts()));
    }
}
