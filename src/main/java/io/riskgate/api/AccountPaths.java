package io.riskgate.api;

import io.riskgate.order.CheckRequestParser;
import io.riskgate.order.FieldProblem;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.security.AccountAccess;
import java.util.List;

/**
 * The account named by a path ({@code /api/v1/accounts/{id}/...}): its id checked against the pattern of an
 * account id (400 naming {@code id}), then whether the caller may read or trade it (403). One place for the
 * account endpoints of every controller.
 */
final class AccountPaths {

    private AccountPaths() {
    }

    /** Adds the problem of an id that is no account id to {@code problems} (for a request listing every problem). */
    static void check(String id, List<FieldProblem> problems) {
        if (!id.matches(CheckRequestParser.ID_PATTERN)) {
            problems.add(new FieldProblem("id", "must match " + CheckRequestParser.ID_PATTERN));
        }
    }

    /** {@code id}, refused (400) unless it is an account id. */
    static String checked(String id) {
        if (!id.matches(CheckRequestParser.ID_PATTERN)) {
            throw InvalidRequestException.of("id", "must match " + CheckRequestParser.ID_PATTERN);
        }
        return id;
    }

    /** A path account the caller may read (officers, auditors, a trader its own). */
    static String readable(String id) {
        AccountAccess.requireReading(checked(id));
        return id;
    }

    /** A path account the caller trades. */
    static String tradable(String id) {
        AccountAccess.requireTrading(checked(id));
        return id;
    }
}
