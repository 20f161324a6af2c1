package io.riskgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.runtime.RiskgateRuntime;

/**
 * Check requests as JSON, starting from seed 001's usage example: BTCUSDT LONG, consensus STRONG, confidence 0.75,
 * price 50,000, ATR 1,500, EMA200 48,000, volume 5e9, spread 10 bps, equity 10,000. Tests flip one field at a
 * time with {@link #set(ObjectNode, String, Object)}.
 */
public final class Requests {

    public static final ObjectMapper JSON = RiskgateRuntime.jsonMapper();

    private Requests() {
    }

    public static ObjectNode seed001() {
        ObjectNode r = JSON.createObjectNode();
        r.put("account", "default");
        r.put("symbol", "BTCUSDT");
        r.put("side", "LONG");
        ObjectNode signal = r.putObject("signal");
        signal.put("consensus", "STRONG");
        signal.put("confidence", 0.75);
        signal.put("strength", 0.82);
        ObjectNode votes = signal.putObject("modelVotes");
        votes.put("XGBoost", "LONG");
        votes.put("LightGBM", "LONG");
        votes.put("N-HiTS", "LONG");
        votes.put("PatchTST", "HOLD");
        ObjectNode market = r.putObject("market");
        market.put("price", 50_000.0);
        market.put("atr", 1_500.0);
        market.put("ema200", 48_000.0);
        market.put("volume24h", 5_000_000_000.0);
        market.put("spreadBps", 10.0);
        market.put("timestamp", TestRuntime.T0.toString());
        r.put("equity", 10_000.0);
        return r;
    }

    /**
     * Sets a field by dotted path ({@code "market.price"}); a null value removes it.
     */
    public static ObjectNode set(ObjectNode request, String path, Object value) {
        String[] parts = path.split("\\.");
        ObjectNode node = request;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            node = child instanceof ObjectNode o ? o : node.putObject(parts[i]);
        }
        String last = parts[parts.length - 1];
        if (value == null) {
            node.remove(last);
        } else {
            node.set(last, JSON.valueToTree(value));
        }
        return request;
    }
}
