package io.riskgate.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/** The check request's shape, for the OpenAPI description only; parsing is done by CheckRequestParser. */
@Schema(name = "CheckRequest", description = "A pre-trade check. Unknown fields are rejected.")
record CheckRequestDoc(
        @Schema(description = "account id", defaultValue = "default") String account,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "BTCUSDT") String symbol,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"LONG", "SHORT"}) String side,
        @Schema(description = "strategy declared by the policy", example = "trend_following") String strategy,
        @Schema(description = "the caller's order id, unique per account: a retry with the same id and request "
                + "returns the first decision", example = "ord-42") String clientOrderId,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) SignalDoc signal,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) MarketDoc market,
        @Schema(description = "account equity, also recorded as a snapshot", example = "10000") Double equity,
        @Schema(description = "caller's entry price (default: market price)") Double entry,
        @Schema(description = "caller's stop: the engine sizes from it") Double stopLoss,
        @Schema(description = "caller's target: reward:risk is enforced") Double takeProfit) {

    record SignalDoc(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"UNANIMOUS", "STRONG", "WEAK", "SPLIT"}) String consensus,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", maximum = "1", example = "0.75")
            double confidence,
            @Schema(example = "0.82") Double strength,
            @Schema(description = "model name to LONG|SHORT|HOLD") Map<String, String> modelVotes) {
    }

    record MarketDoc(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "50000") double price,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1500") double atr,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "48000") double ema200,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "5000000000") double volume24h,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "10") double spreadBps,
            @Schema(description = "event time, ISO-8601", example = "2026-11-21T10:00:00Z") String timestamp,
            @Schema(description = "market regime, read by a regime_based sizer only (others ignore it): a letter, "
                    + "then letters, digits or '_', at most 32, any case; one its sizer does not map is rejected "
                    + "(UNKNOWN_REGIME)", pattern = "^[A-Za-z][A-Za-z0-9_]{0,31}$", example = "bullish")
            String regime) {
    }
}
