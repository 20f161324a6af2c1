package io.riskgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.exits.ExitInstruction;
import io.riskgate.exits.ExitService;
import io.riskgate.market.Mark;
import io.riskgate.market.MarkParser;
import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
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
        Mark mark = MarkParser.parse(body);
        // a mark moves every account's trades on the symbol; the answer lists only the accounts this feed names
        io.riskgate.security.Caller caller = io.riskgate.security.AccountAccess.caller();
        return exits.mark(mark).stream()
                .filter(i -> caller.names(i.account())).toList();
    }
}
