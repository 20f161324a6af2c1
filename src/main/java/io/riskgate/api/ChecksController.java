package io.riskgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.check.PreTradeEngine;
import io.riskgate.decision.Decision;
import io.riskgate.security.AccountAccess;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/checks}: the pre-trade check. 200 for every well-formed request, approved or not. */
@RestController
@RequestMapping("/api/v1/checks")
class ChecksController {

    private final PreTradeEngine engine;

    ChecksController(PreTradeEngine engine) {
        this.engine = engine;
    }

    @Operation(summary = "Check an order before trading: approve/reject, sized quantity, stop-loss, take-profit, "
            + "reasons and the rules that fired")
    @PostMapping
    Decision check(@io.swagger.v3.oas.annotations.parameters.RequestBody(content =
            @io.swagger.v3.oas.annotations.media.Content(schema =
            @io.swagger.v3.oas.annotations.media.Schema(implementation = CheckRequestDoc.class)))
                   @RequestBody JsonNode body) {
        // the account the order is for (the engine's default when it is left out) must be one this key trades
        JsonNode account = body == null ? null : body.get("account");
        AccountAccess.requireTrading(account == null || account.isNull() ? "default" : account.asText());
        return engine.check(body);
    }
}
