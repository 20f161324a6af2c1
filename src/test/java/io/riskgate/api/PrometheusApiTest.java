package io.riskgate.api;

import static io.riskgate.testing.Requests.seed001;
import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Prometheus's view (issue 18, operations): {@code /actuator/prometheus} answers an authenticated caller with
 * riskgate's metrics, an anonymous one not at all, and every metric the Grafana dashboard in {@code docs/grafana}
 * draws is one riskgate exports, so the dashboard cannot drift from the code.
 */
@RiskgateServerTest
class PrometheusApiTest {

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.riskgate.security.ApiKeys keys;

    /** The bus's metrics exist only when a bus is on (BusApiTest's server); the rest must be in every scrape. */
    private static final Set<String> ONLY_WITH_A_BUS = Set.of("riskgate_bus_backlog", "riskgate_bus_connected");

    @Test
    void prometheusScrapesWhatTheDashboardDraws() throws Exception {
        HttpApi officer = new HttpApi(port, TestKeys.named(keys, "prometheus-officer"));
        HttpApi trader = new HttpApi(port, TestKeys.superuser(keys));
        String account = "prom-" + UUID.randomUUID().toString().substring(0, 8);
        // an approval, filled and marked at +1R (a BREAKEVEN exit instruction), a LOW_CONFIDENCE refusal
        // (0.6 < 0.70), an officer's trip (BREAKER_TRIPPED); a symbol of its own, so no other test's trade is marked
        String symbol = "PROM" + account.substring(5).toUpperCase(java.util.Locale.ROOT) + "USDT";
        JsonNode approved = trader.check(set(set(seed001(), "account", account), "symbol", symbol));
        assertThat(trader.post("/api/v1/trades", Map.of("decisionId", approved.path("decisionId").asText(),
                "fillPrice", 50_000, "quantity", 0.01)).status()).isEqualTo(201);
        assertThat(trader.post("/api/v1/marks", Map.of("symbol", symbol, "price", 52_250,
                "timestamp", "2032-01-01T00:01:00Z")).body().findValuesAsText("code")).contains("BREAKEVEN");
        trader.check(set(set(seed001(), "account", account), "signal.confidence", 0.6));
        assertThat(officer.post("/api/v1/accounts/" + account + "/breaker",
                Map.of("action", "TRIP", "reason", "dashboard test")).status()).isEqualTo(200);

        assertThat(new HttpApi(port, null).get("/actuator/prometheus").status()).isEqualTo(401);
        HttpApi.Response scrape = officer.get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        String text = scrape.raw();
        assertThat(text).contains("riskgate_checks_total{", "riskgate_rejections_total{code=\"LOW_CONFIDENCE\"",
                "riskgate_check_latency_seconds{quantile=\"0.99\"", "riskgate_governor_alerts_total{");

        JsonNode dashboard = Requests.JSON.readTree(Files.readString(Path.of("docs/grafana/riskgate.json")));
        Set<String> drawn = new TreeSet<>();
        Pattern metric = Pattern.compile("riskgate_[a-z_]+");
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> {
            Matcher m = metric.matcher(t.path("expr").asText());
            while (m.find()) {
                drawn.add(m.group());
            }
        }));
        assertThat(drawn).hasSizeGreaterThanOrEqualTo(8);
        assertThat(drawn.stream().filter(name -> !ONLY_WITH_A_BUS.contains(name))
                .filter(name -> !Pattern.compile("(?m)^" + name + "[{ ]").matcher(text).find()))
                .as("metrics the dashboard draws that the scrape lacks").isEmpty();
    }
}
