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
        for (String line : List.of("GET /api/v1/decisions?limit=5 HTTP/1.1", "GET /actuator/health/liveness HTTP/1.1",
                "GET /api/v1/trades/not-a-trade HTTP/1.1")) {
            RawHttp.Response r = raw.send(line, List.of(), new byte[0]);
            assertThat(r.status()).as(line + " " + r.raw()).isIn(200, 404);
            assertWhole(r);
        }
    }

    private static void assertWhole(RawHttp.Response r) {
        assertThat(r.headers()).as(r.headers().toString()).doesNotContainKey("transfer-encoding");
        assertThat(r.headers()).containsKey("content-length");
        assertThat(Integer.parseInt(r.headers().get("content-length")))
                .isEqualTo(r.raw().getBytes(StandardCharsets.UTF_8).length);
    }
}
