package io.riskgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.riskgate.testing.Requests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written byte by byte on a socket, for what a well-behaved client cannot send: an invalid %-escape or a
 * control character in the request line or a header, a chunked body with no Content-Length. Every request gets
 * {@link #standardHeaders()}, the credential among them.
 */
final class RawHttp {

    /** A response as read off the socket: status, headers (lower-case names), the body as text and as JSON. */
    record Response(int status, Map<String, String> headers, String raw) {

        String contentType() {
            return headers.getOrDefault("content-type", "");
        }

        JsonNode body() {
            try {
                return raw.isBlank() ? MissingNode.getInstance() : Requests.JSON.readTree(raw);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + raw, e);
            }
        }
    }

    private final int port;
    private final String key;

    /** Raw requests carrying {@code key} as their bearer credential (null: none). */
    RawHttp(int port, String key) {
        this.port = port;
        this.key = key;
    }

    /** The headers every raw request carries. */
    List<String> standardHeaders() {
        return key == null ? List.of("Host: localhost", "Connection: close")
                : List.of("Host: localhost", "Connection: close", "Authorization: Bearer " + key);
    }

    /** {@code requestLine} (as sent, e.g. "GET /a%ZZ HTTP/1.1") with the standard headers and {@code headers}. */
    Response send(String requestLine, List<String> headers, byte[] body) {
        return send(requestLine, headers, List.of(body));
    }

    /**
     * Sends the head, then each part of the body as it is (the caller frames chunks); stops writing once the server
     * closes (it may answer before reading everything), then reads the answer.
     */
    Response send(String requestLine, List<String> headers, List<byte[]> body) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            List<String> all = new ArrayList<>(standardHeaders());
            all.addAll(headers);
            out.write((requestLine + "\r\n" + String.join("\r\n", all) + "\r\n\r\n").getBytes(
                    StandardCharsets.ISO_8859_1));
            try {
                for (byte[] part : body) {
                    out.write(part);
                }
                out.flush();
            } catch (IOException closedByServer) {
                // the answer was sent before the body was read: read it below
            }
            return read(s.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One chunk of a chunked body, and the last (empty) chunk. */
    static byte[] chunk(byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes(data);
        b.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return b.toByteArray();
    }

    static byte[] lastChunk() {
        return "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Response read(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        int start = 0;
        int end = headEnd(all, start);
        // a 100 Continue may come first
        while (end >= 0 && new String(all, start, 10, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 1")) {
            start = end + 4;
            end = headEnd(all, start);
        }
        if (end < 0) {
            throw new AssertionError("no complete response head: " + new String(all, StandardCharsets.ISO_8859_1));
        }
        String[] lines = new String(all, start, end - start, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1)
                    .trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = unchunk(body);
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static int headEnd(byte[] b, int from) {
        for (int i = from; i + 3 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static byte[] unchunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < body.length) {
            int eol = i;
            while (body[eol] != '\r') {
                eol++;
            }
            int size = Integer.parseInt(new String(body, i, eol - i, StandardCharsets.ISO_8859_1).trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(body, eol + 2, size);
            i = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }
}
