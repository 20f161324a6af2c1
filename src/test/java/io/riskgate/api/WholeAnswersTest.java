package io.riskgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskgate.testing.Requests;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A JSON answer is sent whole, with its length, not chunked (SizedJson): a check's decision, a list, an error, the
 * liveness probe, read off the socket as a client gets them. The length is the body's, in bytes, so a client that
 * trusts it reads the whole decision and nothing more.
 */
@RiskgateServerTest
class WholeAnswersTest {

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.riskgate.security.ApiKeys keys;

    RawHttp raw;

    @BeforeEach
    void connect() {
        raw = new RawHttp(port, io.riskgate.testing.TestKeys.superuser(keys));
    }

    @Test
    void aCheckIsAnsweredWithItsLengthAndNotChunked() {
        RawHttp.Response r = post(Requests.seed001().toString());

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertWhole(r);
        assertThat(r.body().path("decisionId").asText()).isNotBlank();
    }

    @Test
    void anErrorQuotingTextOutsideAsciiHasItsLengthInBytes() {
        // the problem's detail quotes the refused strategy, whose "é" is two bytes in UTF-8
        RawHttp.Response r = post(Requests.set(Requests.seed001(), "strategy", "momentum-é").toString());

        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertWhole(r);
        assertThat(r.raw()).contains("momentum-é");
    }

    private RawHttp.Response post(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return raw.send("POST /api/v1/checks HTTP/1.1", List.of("Content-Type: application/json",
                "Content-Length: " + body.length), body);
    }

    @Test
    void listsErrorsAndTheLivenessProbeAreAnsweredWhole() {
        for (String line : List.of("GET /api/v1/decisions?size=5 HTTP/1.1", "GET /actuator/health/liveness HTTP/1.1",
                "GET /api/v1/trades/not-a-trade HTTP/1.1")) {
            RawHttp.Response r = raw.send(line, List.of(), new byte[0]);
            assertThat(r.status()).as(line + " " + r.raw()).isIn(200, 404);
            assertWhole(r);
        }
    }

    /**
     * The actuator writes its answers with a mapper of its own that leaves out absent fields: a metric without a
     * description or unit has none in its answer, and no metric answer holds a null (the converter written whole keeps
     * that mapper; a copy of Spring's converter with the service's mapper printed "description":null).
     */
    @Test
    void theActuatorsAnswersKeepTheirOwnMapper() {
        RawHttp.Response names = raw.send("GET /actuator/metrics HTTP/1.1", List.of(), new byte[0]);
        assertThat(names.status()).as(names.raw()).isEqualTo(200);
        List<String> all = new java.util.ArrayList<>();
        names.body().path("names").forEach(n -> all.add(n.asText()));
        assertThat(all).isNotEmpty();
        for (String name : all) {
            RawHttp.Response r = raw.send("GET /actuator/metrics/" + name + " HTTP/1.1", List.of(), new byte[0]);
            assertThat(r.status()).as(name + " " + r.raw()).isEqualTo(200);
            assertThat(r.raw()).as(name).doesNotContain(":null");
            assertWhole(r);
        }
    }

    /**
     * An answer past the size held in memory streams as before (chunked, without a length) and arrives whole: 60 of
     * seed 001's checks listed at once take more than 64 KB.
     */
    @Test
    void aLargeAnswerStreamsInsteadOfBeingHeld() {
        for (int i = 0; i < 60; i++) {
            assertThat(post(Requests.set(Requests.seed001(), "account", "whole-answers-large").toString()).status())
                    .isEqualTo(200);
        }

        RawHttp.Response r = raw.send("GET /api/v1/decisions?account=whole-answers-large&size=100 HTTP/1.1",
                List.of(), new byte[0]);

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.raw().getBytes(StandardCharsets.UTF_8).length).isGreaterThan(SizedJson.WHOLE_UP_TO);
        assertThat(r.headers()).containsEntry("transfer-encoding", "chunked").doesNotContainKey("content-length");
        assertThat(r.body().path("items").size()).isEqualTo(60);
    }

    private static void assertWhole(RawHttp.Response r) {
        assertThat(r.headers()).as(r.headers().toString()).doesNotContainKey("transfer-encoding");
        assertThat(r.headers()).containsKey("content-length");
        assertThat(Integer.parseInt(r.headers().get("content-length")))
                .isEqualTo(r.raw().getBytes(StandardCharsets.UTF_8).length);
    }
}
