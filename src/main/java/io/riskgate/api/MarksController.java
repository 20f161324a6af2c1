package io.riskgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.exits.ExitInstruction;
import io.riskgate.exits.ExitService;
import io.riskgate.market.Mark;
import io.riskgate.order.Bounds;
import io.riskgate.order.CheckRequestParser;
import io.riskgate.order.FieldProblem;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.order.JsonFields;
import io.swagger.v3.oas.annotations.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Market marks: each updates every open trade on its symbol and answers with the exit instructions. */
@RestController
@RequestMapping("/api/v1/marks")
class MarksController {

    private final ExitService exits;

    MarksController(ExitService exits) {
        this.exits = exits;
    }

    @Operation(summary = "Post a price mark: exit instructions for every open trade on the symbol")
    @PostMapping
    List<ExitInstruction> mark(@RequestBody JsonNode body) {
        List<FieldProblem> problems = new ArrayList<>();
        JsonFields f = JsonFields.root(body, problems);
        f.rejectUnknown(Set.of("symbol", "price", "timestamp", "high", "low"));
        String symbol = f.text("symbol", CheckRequestParser.ID_PATTERN);
        double price = f.number("price", Bounds.PRICE);
        var high = f.optionalNumber("high", Bounds.PRICE);
        var low = f.optionalNumber("low", Bounds.PRICE);
        var at = f.optionalInstant("timestamp");
        if (f.present() && !f.has("timestamp")) {
            f.problem("timestamp", "is required: exits run on event time, so a replay behaves like live trading");
        }
        // price reads as 0 when it is itself bad: then there is nothing to compare the bar with
        if (price > 0 && high.isPresent() && high.getAsDouble() < price) {
            f.problem("high", "must be at least price " + price + ", was " + high.getAsDouble());
        }
        if (price > 0 && low.isPresent() && low.getAsDouble() > price) {
            f.problem("low", "must be at most price " + price + ", was " + low.getAsDouble());
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        // a mark moves every account's trades on the symbol; the answer lists only the accounts this feed names
        io.riskgate.security.Caller caller = io.riskgate.security.AccountAccess.caller();
        return exits.mark(new Mark(symbol, price, high.orElse(price), low.orElse(price), at.orElseThrow())).stream()
                .filter(i -> caller.names(i.account())).toList();
    }
}
