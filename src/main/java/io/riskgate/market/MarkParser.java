package io.riskgate.market;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.order.Bounds;
import io.riskgate.order.CheckRequestParser;
import io.riskgate.order.FieldProblem;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.order.JsonFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A price mark as JSON ({@code symbol}, {@code price}, {@code timestamp}, optional {@code high} and {@code low} of the
 * bar since the last mark), read the same way whether it came over REST ({@code POST /api/v1/marks}) or from the
 * bus's inbound stream: every problem listed, nothing applied when there is one.
 */
public final class MarkParser {

    private MarkParser() {
    }

    public static Mark parse(JsonNode body) {
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
        return new Mark(symbol, price, high.orElse(price), low.orElse(price), at.orElseThrow());
    }
}
