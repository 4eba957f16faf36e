package dev.grove.node.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The first look at every request, before any route: what no route could serve is refused here with a 400 problem
 * document, so that no handler (and no SQL statement) ever sees it. Refused:
 *
 * <ul>
 *   <li>a request line whose version is neither HTTP/1.0 nor HTTP/1.1 (HTTP/2 is spoken over TLS only);</li>
 *   <li>an HTTP/1.1 request without a {@code Host} header, any request with two, or one that names no host
 *       (RFC 9112, section 3.2);</li>
 *   <li>a request target with a byte outside printable ASCII, a {@code %} not followed by two hex digits, or a path or
 *       query whose percent-decoded bytes are not UTF-8 or hold a NUL.</li>
 * </ul>
 * Every text a route reads from the path or the query is therefore valid UTF-8 without NUL.
 */
public final class RequestEdge implements Handler<HttpServerRequest> {

    /** A reg-name, IPv4 address or bracketed IPv6 address, and an optional port (RFC 9110, section 7.2). */
    private static final Pattern HOST = Pattern.compile(
            "(\\[[0-9A-Fa-f:.]{2,45}\\]|[A-Za-z0-9._~!$&'()*+,;=-]{1,253})(:[0-9]{1,5})?");

    private final Handler<HttpServerRequest> next;
    private final ConnectionDeadlines deadlines;

    private RequestEdge(Handler<HttpServerRequest> next, ConnectionDeadlines deadlines) {
        this.next = next;
        this.deadlines = deadlines;
    }

    /** Checks each request, then passes it to {@code next} (the router); tells {@code deadlines} it began. */
    public static RequestEdge before(Handler<HttpServerRequest> next, ConnectionDeadlines deadlines) {
        return new RequestEdge(next, deadlines);
    }

    @Override
    public void handle(HttpServerRequest request) {
        deadlines.began(request);
        Optional<String> problem = problem(request);
        if (problem.isPresent()) {
            InvalidRequestHandler.answerAndClose(request, Problem.of(400, problem.get()));
        } else {
            next.handle(request);
        }
    }

    static Optional<String> problem(HttpServerRequest request) {
        if (request.version() == null) {
            return Optional.of("this node speaks HTTP/1.1 (and HTTP/1.0); the request line names another version");
        }
        List<String> hosts = request.headers().getAll(HttpHeaders.HOST);
        if (hosts.isEmpty() && request.version() == HttpVersion.HTTP_1_1) {
            return Optional.of("an HTTP/1.1 request must carry a Host header naming the node");
        }
        if (hosts.size() > 1) {
            return Optional.of("a request must carry one Host header, not " + hosts.size());
        }
        if (hosts.size() == 1 && !HOST.matcher(hosts.get(0)).matches()) {
            return Optional.of("the Host header is not a host and an optional port (e.g. registry.example:8080)");
        }
        return targetProblem(request.uri());
    }

    /**
     * What is wrong with a request target, if anything. The path and the query are checked separately (after {@code ?}),
     * each decoded as a whole: an escape sequence split by a {@code /} is not UTF-8 either.
     */
    public static Optional<String> targetProblem(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return Optional.of("the request target holds " + describe(c) + " at offset " + i
                        + "; percent-encode every byte outside printable ASCII (UTF-8, e.g. %C3%A9 for \u00e9)");
            }
        }
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        Optional<String> bad = componentProblem("path", path);
        if (bad.isEmpty() && question >= 0) {
            bad = componentProblem("query", target.substring(question + 1));
        }
        return bad;
    }

    private static Optional<String> componentProblem(String what, String text) {
        if (text.indexOf('%') < 0) {
            return Optional.empty(); // printable ASCII: valid UTF-8 without NUL
        }
        byte[] decoded = new byte[text.length()];
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%') {
                decoded[n++] = (byte) c;
                continue;
            }
            if (i + 2 >= text.length() || hex(text.charAt(i + 1)) < 0 || hex(text.charAt(i + 2)) < 0) {
                String escape = text.substring(i, Math.min(text.length(), i + 3));
                return Optional.of("the " + what + " holds the malformed escape '" + escape + "': '%' must be "
                        + "followed by two hex digits (write '%25' for '%' itself)");
            }
            int b = hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2));
            if (b == 0) {
                return Optional.of("the " + what + " holds a NUL byte (%00), which no name, version or text may hold");
            }
            decoded[n++] = (byte) b;
            i += 2;
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(decoded, 0, n));
        } catch (CharacterCodingException e) {
            return Optional.of("the " + what + "'s percent-encoded bytes are not UTF-8; encode text as UTF-8 before "
                    + "percent-encoding it");
        }
        return Optional.empty();
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static String describe(char c) {
        return c == ' ' ? "a space" : String.format("the byte 0x%02X", (int) c & 0xFF);
    }
}
