package io.riskgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.order.FieldProblem;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.order.JsonFields;
import io.riskgate.security.ApiKey;
import io.riskgate.security.ApiKeys;
import io.riskgate.security.Role;
import io.swagger.v3.oas.annotations.Operation;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** API keys, for ADMIN: create (the key is in this answer only), list, revoke. */
@RestController
@RequestMapping("/api/v1/keys")
class KeysController {

    /** A created key: the record, and the key itself, shown this once. */
    record CreatedView(ApiKey apiKey, String key, String note) {
    }

    private final ApiKeys keys;

    KeysController(ApiKeys keys) {
        this.keys = keys;
    }

    /** {name, roles[], accounts[], expiresInDays}: 201 with the key, which is not shown again. */
    @Operation(summary = "Create an API key with its roles and accounts; the secret is shown once")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    CreatedView create(@RequestBody JsonNode body, Principal principal) {
        List<FieldProblem> problems = new ArrayList<>();
        JsonFields f = JsonFields.root(body, problems);
        f.rejectUnknown(Set.of("name", "roles", "accounts", "expiresInDays"));
        String name = f.text("name", io.riskgate.order.CheckRequestParser.ID_PATTERN);
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String r : strings(body, "roles", problems)) {
            Role.parse(r).ifPresentOrElse(roles::add, () -> problems.add(new FieldProblem("roles",
                    "unknown role '" + (r.length() > 32 ? r.substring(0, 32) + "…" : r) + "': one of "
                            + List.of(Role.values()))));
        }
        Set<String> accounts = new LinkedHashSet<>(strings(body, "accounts", problems));
        var days = f.optionalNumber("expiresInDays", 0, true);
        if (days.isPresent() && (days.getAsDouble() != Math.rint(days.getAsDouble())
                || days.getAsDouble() > ApiKeys.MAX_LIFETIME.toDays())) {
            f.problem("expiresInDays", "a whole number of days from 1 to " + ApiKeys.MAX_LIFETIME.toDays());
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        ApiKeys.Created c = keys.create(new ApiKeys.Spec(name, roles, accounts,
                days.isPresent() ? Duration.ofDays((long) days.getAsDouble()) : null), principal.getName());
        return new CreatedView(c.apiKey(), c.key(), "store the key now: riskgate keeps only its hash");
    }

    @Operation(summary = "List the API keys (never their secrets)")
    @GetMapping
    List<ApiKey> list() {
        return keys.list();
    }

    /** Revokes a key at once; its next request is 401. */
    @Operation(summary = "Revoke an API key")
    @DeleteMapping("/{id}")
    ApiKey revoke(@PathVariable String id, Principal principal) {
        return keys.revoke(id, principal.getName());
    }

    private static List<String> strings(JsonNode body, String field, List<FieldProblem> problems) {
        JsonNode n = body == null ? null : body.get(field);
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray() || n.size() > 200) {
            problems.add(new FieldProblem(field, "must be a list of at most 200 strings"));
            return out;
        }
        n.forEach(e -> {
            if (e.isTextual()) {
                out.add(e.asText());
            } else {
                problems.add(new FieldProblem(field, "each entry must be a string"));
            }
        });
        return out;
    }
}
