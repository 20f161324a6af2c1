package io.riskgate.api;

import static io.riskgate.testing.Requests.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * {@link ErrorEndpoint}: an error routed to {@code /error} (an exception no handler took, a {@code sendError} from a
 * filter) is answered as problem+json with its status and without the exception's text.
 */
class ErrorEndpointTest {

    private static MockHttpServletResponse error(int status, Throwable exception, String uri) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/error");
        request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
        request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, exception);
        request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, uri);
        MockHttpServletResponse response = new MockHttpServletResponse();
        new ErrorEndpoint().error(request, response);
        return response;
    }

    @Test
    void anUnhandledExceptionIs500ProblemJsonWithoutItsMessageOrStack() throws Exception {
        MockHttpServletResponse r = error(500, new IllegalStateException("secret detail at io.riskgate.X"),
                "/api/v1/checks");

        JsonNode body = JSON.readTree(r.getContentAsString());
        assertThat(r.getStatus()).isEqualTo(500);
        assertThat(r.getContentType()).isEqualTo("application/problem+json");
        assertThat(body.path("type").asText()).isEqualTo("https://riskgate.io/problems/500");
        assertThat(body.path("title").asText()).isEqualTo("Internal server error");
        assertThat(body.path("detail").asText()).isEqualTo("riskgate failed to answer this request; the failure is "
                + "logged.");
        assertThat(body.path("instance").asText()).isEqualTo("/api/v1/checks");
        assertThat(r.getContentAsString()).doesNotContain("secret", "IllegalState", "io.riskgate");
    }

    @Test
    void aContainer400QuotesNothingOfTheRequest() throws Exception {
        MockHttpServletResponse r = error(400, null, "/api/v1/%ZZ");

        JsonNode body = JSON.readTree(r.getContentAsString());
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(body.has("instance")).isFalse();
        assertThat(r.getContentAsString()).doesNotContain("%ZZ");
    }

    @Test
    void aStatusHttpDoesNotNameIsStillAProblem() throws Exception {
        MockHttpServletResponse r = error(499, null, "/x");

        assertThat(r.getStatus()).isEqualTo(499);
        assertThat(JSON.readTree(r.getContentAsString()).path("title").asText()).isEqualTo("Error");
    }
}
