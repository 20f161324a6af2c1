package io.riskgate.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.GenericHttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;

/**
 * JSON answers written whole, with their {@code Content-Length}. Spring's own converter streams into the response
 * and flushes it, which commits it without a length: Tomcat then sends the body chunked and ends it with a second
 * write. This one wraps Spring's converter (so every setting made on it holds: the actuator's own mapper for its
 * answers, for one) and lets it write into memory first; once the answer is whole, its length goes into the headers
 * and the bytes into the response (docs/performance.md, "Session 16").
 *
 * <p>An answer past {@link #WHOLE_UP_TO} bytes is not held: what is buffered is written and the rest streams, without
 * a length, as before. Only a plain servlet response is measured; anything else (an event stream's events) is written
 * as Spring writes it.
 */
final class SizedJson implements GenericHttpMessageConverter<Object> {

    /** Answers up to this many bytes are sent whole; larger ones stream. */
    static final int WHOLE_UP_TO = 64 * 1024;

    private final MappingJackson2HttpMessageConverter spring;

    SizedJson(MappingJackson2HttpMessageConverter spring) {
        this.spring = spring;
    }

    @Override
    public boolean canRead(Class<?> clazz, MediaType mediaType) {
        return spring.canRead(clazz, mediaType);
    }

    @Override
    public boolean canRead(Type type, Class<?> contextClass, MediaType mediaType) {
        return spring.canRead(type, contextClass, mediaType);
    }

    @Override
    public Object read(Class<?> clazz, HttpInputMessage in) throws IOException, HttpMessageNotReadableException {
        return spring.read(clazz, in);
    }

    @Override
    public Object read(Type type, Class<?> contextClass, HttpInputMessage in) throws IOException,
            HttpMessageNotReadableException {
        return spring.read(type, contextClass, in);
    }

    @Override
    public boolean canWrite(Class<?> clazz, MediaType mediaType) {
        return spring.canWrite(clazz, mediaType);
    }

    @Override
    public boolean canWrite(Type type, Class<?> clazz, MediaType mediaType) {
        return spring.canWrite(type, clazz, mediaType);
    }

    @Override
    public List<MediaType> getSupportedMediaTypes() {
        return spring.getSupportedMediaTypes();
    }

    @Override
    public List<MediaType> getSupportedMediaTypes(Class<?> clazz) {
        return spring.getSupportedMediaTypes(clazz);
    }

    @Override
    public void write(Object t, MediaType contentType, HttpOutputMessage out) throws IOException {
        write(t, null, contentType, out);
    }

    @Override
    public void write(Object t, Type type, MediaType contentType, HttpOutputMessage out) throws IOException {
        if (out.getClass() != ServletServerHttpResponse.class) {
            spring.write(t, type, contentType, out);
            return;
        }
        Whole whole = new Whole(out);
        spring.write(t, type, contentType, new HttpOutputMessage() {
            @Override
            public OutputStream getBody() {
                return whole;
            }

            @Override
            public HttpHeaders getHeaders() {
                return out.getHeaders();
            }
        });
        whole.finish();
    }

    /** Holds the answer until it is whole (then sends it with its length) or past the limit (then streams it). */
    private static final class Whole extends OutputStream {
        private final HttpOutputMessage out;
        private final ByteArrayOutputStream held = new ByteArrayOutputStream(2048);
        private OutputStream streaming;

        Whole(HttpOutputMessage out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (streaming == null && held.size() + len > WHOLE_UP_TO) {
                streaming = out.getBody(); // commits the response without a length
                held.writeTo(streaming);
            }
            if (streaming != null) {
                streaming.write(b, off, len);
            } else {
                held.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            if (streaming != null) {
                streaming.flush();
            }
        }

        void finish() throws IOException {
            if (streaming == null) {
                out.getHeaders().setContentLength(held.size());
                held.writeTo(out.getBody());
            }
            out.getBody().flush();
        }
    }
}
