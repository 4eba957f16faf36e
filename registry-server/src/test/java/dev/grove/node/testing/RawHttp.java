package dev.grove.node.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bytes on a socket, for requests no HTTP client sends: no {@code Host}, another HTTP version, raw bytes in the request
 * target, a broken chunk size.
 */
public final class RawHttp {

    private static final Pattern STATUS = Pattern.compile("^HTTP/\\d\\.\\d (\\d{3})");

    /** What came back: everything the node sent until it closed the connection (or went quiet). */
    public record Answer(String text) {
        /** The status of the first response, if one came. */
        public Optional<Integer> status() {
            Matcher m = STATUS.matcher(text);
            return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        }

        /** The first response's body (after the blank line). */
        public String body() {
            int blank = text.indexOf("\r\n\r\n");
            return blank < 0 ? "" : text.substring(blank + 4);
        }

        public String headers() {
            int blank = text.indexOf("\r\n\r\n");
            return blank < 0 ? text : text.substring(0, blank);
        }
    }

    private RawHttp() {
    }

    /** Sends {@code request} as ISO-8859-1 bytes (each char one byte) and reads until the node closes or 5 s pass quietly. */
    public static Answer exchange(int port, String request) {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static Answer exchange(int port, byte[] request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                // the node kept the connection open: what it sent so far is the answer
            } catch (IOException e) {
                // reset after the answer: keep what arrived
            }
            return new Answer(out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
