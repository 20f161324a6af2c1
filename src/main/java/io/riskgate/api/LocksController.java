package io.riskgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.lifecycle.TradeService;
import io.riskgate.order.CheckRequestParser;
import io.riskgate.order.FieldProblem;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.order.JsonFields;
import io.riskgate.portfolio.StopOuts;
import io.riskgate.security.AccountAccess;
import io.swagger.v3.oas.annotations.Operation;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * An account's locks on new entries (docs/controls.md): the cooldown after a stop-out ({@code SYMBOL_COOLDOWN}) and
 * the stop-loss guard ({@code STOPLOSS_GUARD}), each with its reason and end, and the lifts officers recorded. An
 * officer lifts one with a reason: {@code {"code": "STOPLOSS_GUARD", "symbol": "BTCUSDT", "reason": "..."}} (no
 * symbol: the account-wide guard).
 */
@RestController
class LocksController {

    private final TradeService trades;

    LocksController(TradeService trades) {
        this.trades = trades;
    }

    @Operation(summary = "An account's locks in force (cooldown, stop-loss guard) and the lifts")
    @GetMapping("/api/v1/accounts/{id}/locks")
    TradeService.Locks locks(@PathVariable String id) {
        AccountPaths.checked(id);
        AccountAccess.requireReading(id);
        return trades.locks(id);
    }

    @Operation(summary = "An officer lifts an account's lock, with a reason")
    @PostMapping("/api/v1/accounts/{id}/locks/lift")
    TradeService.Locks lift(@PathVariable String id, @RequestBody(required = false) JsonNode body,
                            Principal principal) {
        AccountPaths.checked(id);
        List<FieldProblem> problems = new ArrayList<>();
        JsonFields f = Officer.request(body, Set.of("code", "symbol", "reason"), problems);
        String code = f.text("code", "(?i)" + StopOuts.COOLDOWN + "|" + StopOuts.GUARD);
        String symbol = f.optionalText("symbol", CheckRequestParser.ID_PATTERN).orElse(null);
        String reason = Officer.reason(f);
        if (code != null && code.equalsIgnoreCase(StopOuts.COOLDOWN) && symbol == null && !f.has("symbol")) {
            f.problem("symbol", "a cooldown holds one symbol: name it");
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return trades.lift(id, code.toUpperCase(Locale.ROOT), symbol, Officer.name(principal), reason);
    }
}
