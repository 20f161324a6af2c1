package io.riskgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.riskgate.order.FieldProblem;
import io.riskgate.order.JsonFields;
import java.security.Principal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who acted on an officer's request, and why. Who is always the authenticated principal (a client cannot say it
 * is someone else: a body naming an {@code actor} is refused); why is the request's {@code reason}.
 */
final class Officer {

    static final String ACTOR_REFUSED = "actor is the authenticated principal; do not send it";

    /** An officer's reason: 1 to 500 characters. */
    static final String REASON = "(?s).{1,500}";

    private Officer() {
    }

    /**
     * The name the logs record for {@code principal}. Security lets no officer request through without one; if one
     * came anyway, it is refused rather than recorded under a made-up name.
     */
    static String name(Principal principal) {
        if (principal == null || principal.getName() == null || principal.getName().isBlank()) {
            throw new org.springframework.security.access.AccessDeniedException("no authenticated principal");
        }
        return principal.getName();
    }

    /**
     * The fields of an officer's request body: unknown fields (anything but {@code fields}) and an {@code actor}
     * are problems. A missing body reads as an empty object, so required fields say so.
     */
    static JsonFields request(JsonNode body, Set<String> fields, List<FieldProblem> problems) {
        JsonNode node = body == null || body.isNull() || body.isMissingNode()
                ? JsonNodeFactory.instance.objectNode() : body;
        JsonFields f = JsonFields.root(node, problems);
        if (node.isObject() && node.has("actor")) {
            f.problem("actor", ACTOR_REFUSED);
        }
        Set<String> known = new HashSet<>(fields);
        known.add("actor"); // told above
        f.rejectUnknown(known);
        return f;
    }

    /** The most UTF-16 units a reason may hold: what its database columns (VARCHAR(500)) store. */
    static final int REASON_UNITS = 500;

    /**
     * The required {@code reason}: 1 to 500 characters as stored, where a character outside the Basic Multilingual
     * Plane (an emoji) takes two.
     */
    static String reason(JsonFields f) {
        String reason = f.text("reason", REASON);
        if (reason != null && reason.length() > REASON_UNITS) {
            f.problem("reason", "must be at most " + REASON_UNITS + " characters, counting a character outside the "
                    + "Basic Multilingual Plane (an emoji) as two; was " + reason.length());
            return null;
        }
        return reason;
    }
}
