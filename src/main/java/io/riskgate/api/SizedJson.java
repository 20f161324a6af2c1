package io.riskgate.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Type;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;

/**
 * JSON answers written whole, with their {@code Content-Length}: the body is serialised into memory first and then
 * written in one piece. Spring's own converter streams into the response and flushes it, which commits it without a
 * length: Tomcat then sends the body chunked and ends it with a second write. One answer, one write (docs/
 * performance.md, "Session 16"). Only a plain servlet response is measured this way; anything else (an event stream's
 * events) is written as Spring writes it.
 */
final class SizedJson extends MappingJackson2HttpMessageConverter {

    private SizedJson(ObjectMapper mapper) {
        super(mapper);
    }

    /** The same converter as {@code spring}'s (its mapper and media types), writing whole answers. */
    static SizedJson of(MappingJackson2HttpMessageConverter spring) {
        SizedJson sized = new SizedJson(spring.getObjectMapper());
        sized.setSupportedMediaTypes(spring.getSupportedMediaTypes());
        return sized;
    }

    @Override
    protected void writeInternal(Object object, Type type, HttpOutputMessage out) throws IOException {
        if (out.getClass() != ServletServerHttpResponse.class) {
            super.writeInternal(object, type, out);
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(2048);
        super.writeInternal(object, type, new HttpOutputMessage() {
            @Override
            public OutputStream getBody() {
                return body;
            }

            @Override
            public HttpHeaders getHeaders() {
                return out.getHeaders();
            }
        });
        out.getHeaders().setContentLength(body.size());
        body.writeTo(out.getBody());
    }
}
