package io.riskgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.market.MarketBar;
import io.riskgate.security.Role;
import io.riskgate.testing.Bars;
import io.riskgate.testing.TestKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Replays run by the service for officers: queued with {@code POST /api/v1/replays} (202), followed to DONE, their
 * report and decisions read back; auditors read but do not start one; a bad body lists every problem.
 */
@RiskgateServerTest
class ReplaysApiTest {

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.riskgate.security.ApiKeys keys;

    /** 300 daily bars of a random walk and a LONG signal every 10th bar from bar 210: 9 orders. */
    static ObjectNode body() {
        List<MarketBar> bars = Bars.daily("RJUSDT", 50_000, Bars.randomReturns(7, 299, 0.01),
                Instant.parse("2025-06-30T00:00:00Z"));
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("equity", 10_000.0).put("fill", "close");
        ArrayNode b = body.putArray("bars");
        for (MarketBar x : bars) {
            b.addObject().put("symbol", x.symbol()).put("interval", x.interval())
                    .put("openTime", x.openTime().toString()).put("open", x.open()).put("high", x.high())
                    .put("low", x.low()).put("close", x.close()).put("volume", x.volume());
        }
        ArrayNode s = body.putArray("signals");
        for (int i = 210; i < bars.size(); i += 10) {
            s.addObject().put("time", bars.get(i).openTime().plus(Duration.ofDays(1)).toString())
                    .put("symbol", "RJUSDT").put("side", "LONG").put("consensus", "STRONG").put("confidence", 0.8);
        }
        return body;
    }

    @Test
    void anOfficerRunsAReplayAndReadsItsReportAndDecisions() throws InterruptedException {
        HttpApi officer = new HttpApi(port, TestKeys.key(keys, Set.of(Role.OFFICER), Set.of()));
        HttpApi auditor = officer.as(TestKeys.key(keys, Set.of(Role.AUDITOR), Set.of()));
        assertThat(auditor.post("/api/v1/replays", body()).status()).isEqualTo(403);

        HttpApi.Response started = officer.post("/api/v1/replays", body());
        assertThat(started.status()).as(started.raw()).isEqualTo(202);
        String id = started.body().path("id").asText();
        assertThat(started.body().path("total").asLong()).isEqualTo(300 + 9); // 300 bars, signals at 210 .. 290

        HttpApi.Response job = auditor.get("/api/v1/replays/" + id);
        for (int i = 0; i < 600 && !Set.of("DONE", "FAILED").contains(job.body().path("state").asText()); i++) {
            Thread.sleep(100);
            job = auditor.get("/api/v1/replays/" + id);
        }
        assertThat(job.body().path("state").asText()).as(job.raw()).isEqualTo("DONE");
        assertThat(job.body().path("summary").path("decisions").asInt()).isEqualTo(9);
        assertThat(job.body().path("actor").asText()).isNotBlank();

        HttpApi.Response report = auditor.get("/api/v1/replays/" + id + "/report");
        assertThat(report.status()).isEqualTo(200);
        assertThat(report.contentType()).startsWith("text/html");
        assertThat(report.raw()).contains("<svg", job.body().path("summary").path("policy").path("sha256").asText());
        HttpApi.Response decisions = auditor.get("/api/v1/replays/" + id + "/decisions");
        assertThat(decisions.raw().lines()).hasSize(9).allSatisfy(l -> assertThat(l).startsWith("{\"decisionId\":\"d-"));
    }

    @Test
    void anOfficerComparesTwoPoliciesOnTheSameHistory() throws InterruptedException {
        HttpApi officer = new HttpApi(port, TestKeys.key(keys, Set.of(Role.OFFICER), Set.of()));
        // the default policy against itself: every one of the 9 orders decided alike
        HttpApi.Response started = officer.post("/api/v1/replays", body().put("comparePolicy", "default"));
        assertThat(started.status()).as(started.raw()).isEqualTo(202);
        String id = started.body().path("id").asText();
        assertThat(started.body().path("total").asLong()).isEqualTo(2 * (300 + 9));
        HttpApi.Response job = officer.get("/api/v1/replays/" + id);
        for (int i = 0; i < 600 && !Set.of("DONE", "FAILED").contains(job.body().path("state").asText()); i++) {
            Thread.sleep(100);
            job = officer.get("/api/v1/replays/" + id);
        }
        assertThat(job.body().path("state").asText()).as(job.raw()).isEqualTo("DONE");
        assertThat(job.body().path("decidedDifferently").asInt()).isZero();
        HttpApi.Response compare = officer.get("/api/v1/replays/" + id + "/compare");
        assertThat(compare.status()).isEqualTo(200);
        assertThat(compare.raw()).contains("0 of 9 orders decided differently");
        assertThat(officer.post("/api/v1/replays", body().put("comparePolicy", "nosuch")).errorFields())
                .containsExactly("comparePolicy");
    }

    @Test
    void aBadBodyListsEveryProblemAndStartsNothing() {
        HttpApi officer = new HttpApi(port, TestKeys.key(keys, Set.of(Role.OFFICER), Set.of()));
        int before = officer.get("/api/v1/replays").body().size();
        ObjectNode bad = body();
        bad.put("fill", "tomorrow").put("colour", "red");
        ((ObjectNode) bad.withArray("bars").get(0)).put("high", 1.0);
        ((ObjectNode) bad.withArray("signals").get(0)).put("side", "UP");
        HttpApi.Response r = officer.post("/api/v1/replays", bad);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorFields()).contains("fill", "colour", "bars[0].high", "signals[0] side");
        assertThat(officer.get("/api/v1/replays").body().size()).isEqualTo(before);
        assertThat(officer.post("/api/v1/replays", body().put("policy", "nosuch")).errorFields())
                .containsExactly("policy");
    }
}
