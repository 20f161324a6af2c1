package io.riskgate.api;

import static io.riskgate.testing.Requests.seed001;
import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.riskgate.client.ApiClient;
import io.riskgate.client.ApiException;
import io.riskgate.client.api.ChecksApi;
import io.riskgate.client.api.ExitsApi;
import io.riskgate.client.api.TradesApi;
import io.riskgate.client.model.CheckRequest;
import io.riskgate.client.model.Close;
import io.riskgate.client.model.Decision;
import io.riskgate.client.model.ExitInstruction;
import io.riskgate.client.model.Fill;
import io.riskgate.client.model.FillResult;
import io.riskgate.client.model.Mark;
import io.riskgate.client.model.Trade;
import io.riskgate.testing.TestRuntime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An integrator's client, generated from the published document ({@code docs/openapi/v1.json}, by
 * openapi-generator's Maven plugin at build time), drives a running server through seed 001's order and a
 * fill / mark / close cycle (issue 16). Every body is typed by the document; a document that disagrees with the
 * server (a field renamed, a type changed, a status undocumented) fails here. Numbers are seed 001's: 0.01 BTC long
 * from 50,000, stop 47,750 (1R = 2,250), take-profit 55,625.
 */
@RiskgateServerTest
class GeneratedClientTest {

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.riskgate.security.ApiKeys keys;

    ApiClient client;
    // an account and a symbol of this test's own: the server is shared with the other API tests
    final String account = "gen-" + UUID.randomUUID().toString().substring(0, 8);
    final String symbol = "GEN" + UUID.randomUUID().toString().substring(0, 4).toUpperCase(java.util.Locale.ROOT)
            + "USDT";

    @BeforeEach
    void connect() {
        client = new ApiClient();
        client.updateBaseUri("http://localhost:" + port);
        String key = io.riskgate.testing.TestKeys.superuser(keys);
        client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + key));
    }

    /** Seed 001's check (docs/examples/seed001-check.json), read into the generated model. */
    private CheckRequest seed001Order() throws Exception {
        return client.getObjectMapper().treeToValue(set(set(seed001(), "account", account), "symbol", symbol),
                CheckRequest.class);
    }

    @Test
    void seed001sOrderIsApprovedFilledMarkedAndClosedThroughTheGeneratedClient() throws Exception {
        // risk 1% x 10,000 = 100 over a stop 1.5 x 1,500 = 2,250 away: 0.0444 BTC, cut by the $500 max position to
        // 0.01 BTC; stop 50,000 - 2,250 = 47,750; take-profit 2.5R = 50,000 + 5,625 = 55,625
        Decision d = new ChecksApi(client).check(seed001Order());
        assertThat(d.getApproved()).isTrue();
        assertThat(d.getQuantity()).isEqualTo(0.01);
        assertThat(d.getStopLoss()).isEqualTo(47_750.0);
        assertThat(d.getTakeProfit()).isEqualTo(55_625.0);

        OffsetDateTime t0 = TestRuntime.T0.atOffset(ZoneOffset.UTC);
        FillResult fill = new TradesApi(client).fill(new Fill().decisionId(d.getDecisionId()).fillPrice(50_000.0)
                .quantity(0.01).timestamp(t0));
        String tradeId = fill.getId();
        assertThat(tradeId).isNotBlank();
        // the same approval filled again: 409, the documented conflict, naming the trade that filled it
        assertThatThrownBy(() -> new TradesApi(client).fill(new Fill().decisionId(d.getDecisionId())
                .fillPrice(50_000.0).quantity(0.01).timestamp(t0))).isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getResponseBody()).contains("already filled by trade " + tradeId);
                });

        // +1R: 50,000 + 2,250 = 52,250 moves the stop to breakeven, entry + 0.1% = 50,050
        List<ExitInstruction> exits = new ExitsApi(client).mark(new Mark().symbol(symbol).price(52_250.0)
                .timestamp(t0.plusMinutes(1)));
        assertThat(exits).anySatisfy(i -> {
            assertThat(i.getCode()).isEqualTo("BREAKEVEN");
            assertThat(i.getStopLoss()).isCloseTo(50_050.0, within(1e-9));
        });

        // closed at 50,100: (50,100 - 50,000) x 0.01 = 1.00
        Trade closed = new TradesApi(client).close(tradeId, new Close().price(50_100.0).timestamp(t0.plusMinutes(2)));
        assertThat(closed.getRealizedPnl()).isCloseTo(1.0, within(1e-9));
        assertThat(closed.getState().getValue()).startsWith("CLOSED");
    }

    @Test
    void aRefusedBodyComesBackAsTheDocumentedProblem() throws Exception {
        // a fill without its price: 400, problem+json naming the field, as the document says
        assertThatThrownBy(() -> new TradesApi(client).fill(new Fill().decisionId(UUID.randomUUID().toString())
                .quantity(0.01))).isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(400);
                    assertThat(e.getResponseBody()).contains("\"field\":\"fillPrice\"");
                });
    }
}
