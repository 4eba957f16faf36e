package dev.grove.node.http;

import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The proxies a node is deployed behind ({@code grove serve --trusted-proxy CIDR}), and so which address a request
 * comes from: the connection's own address, unless that is a trusted proxy; then the rightmost address of
 * {@code X-Forwarded-For} that is not a trusted proxy (each trusted proxy appends the address it was reached from, so
 * everything left of the first untrusted one, seen from the right, is whatever the client wrote). A client that talks to
 * the node directly cannot choose its address by sending the header. Only literal IPv4 and IPv6 addresses are read
 * (never resolved); an IPv4-mapped IPv6 address counts as its IPv4 address.
 *
 * <p>Immutable; the address is for the caller to use in memory (the report limiter keys an HMAC with it) and is not
 * to be kept.
 */
public final class TrustedProxies {

    private static final String FORWARDED_FOR = "X-Forwarded-For";
    private static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Range> ranges;

    /** An address range: the first {@code bits} bits of {@code network} (4 or 16 bytes). */
    private static final class Range {
        private final byte[] network;
        private final int bits;
        private final String text;

        Range(byte[] network, int bits, String text) {
            this.network = network;
            this.bits = bits;
            this.text = text;
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[whole] & mask) == (network[whole] & mask);
        }
    }

    private TrustedProxies(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** No proxy is trusted: every request's address is its connection's. */
    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * The proxies in these ranges, each {@code ADDRESS/BITS} ({@code 10.0.0.0/8}, {@code fd00::/8}) or one address.
     *
     * @throws IllegalArgumentException naming the range that is not one, and why
     */
    public static TrustedProxies of(List<String> cidrs) {
        List<Range> ranges = new ArrayList<>();
        for (String cidr : cidrs) {
            ranges.add(range(cidr.trim()));
        }
        return new TrustedProxies(ranges);
    }

    private static Range range(String cidr) {
        int slash = cidr.indexOf('/');
        String address = slash < 0 ? cidr : cidr.substring(0, slash);
        byte[] network = literal(address).orElseThrow(() -> new IllegalArgumentException("trusted proxy '" + cidr
                + "' is not an IP address or range: give ADDRESS or ADDRESS/BITS, e.g. 10.0.0.0/8 or fd00::/8"));
        int max = network.length * 8;
        int bits = max;
        if (slash >= 0) {
            String text = cidr.substring(slash + 1);
            if (!text.matches("[0-9]{1,3}") || Integer.parseInt(text) > max) {
                throw new IllegalArgumentException("trusted proxy '" + cidr + "': the prefix length must be 0 to "
                        + max + " for this address, was '" + text + "'");
            }
            bits = Integer.parseInt(text);
        }
        return new Range(network, bits, cidr);
    }

    /** The ranges as given, for logs and the node's start line. */
    public List<String> ranges() {
        return ranges.stream().map(r -> r.text).toList();
    }

    /** Whether {@code address} (a literal IP address) is in a trusted range. */
    public boolean trusts(String address) {
        return literal(address).map(this::trusts).orElse(false);
    }

    private boolean trusts(byte[] address) {
        for (Range range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The address the request comes from, as a literal IP address ({@code ""} when the connection has none, as over a
     * Unix socket): the connection's, or, from a trusted proxy, the rightmost untrusted address of
     * {@code X-Forwarded-For} (all its headers, in order). When every address there is trusted, the leftmost; when the
     * walk meets an entry that is not an address, the last trusted one before it.
     */
    public String clientAddress(HttpServerRequest request) {
        SocketAddress socket = request.remoteAddress();
        String peer = socket == null || socket.host() == null ? "" : socket.host();
        return clientAddress(peer, request.headers().getAll(FORWARDED_FOR));
    }

    /**
     * {@link #clientAddress(HttpServerRequest)} of a connection from {@code peer} (its host, {@code ""} for none) with
     * these {@code X-Forwarded-For} headers, in order.
     */
    public String clientAddress(String peer, List<String> headers) {
        Optional<byte[]> hop = literal(peer);
        if (hop.isEmpty() || ranges.isEmpty() || !trusts(hop.get())) {
            return hop.map(NetUtil::bytesToIpAddress).orElse(peer);
        }
        byte[] nearest = hop.get();
        List<String> entries = new ArrayList<>();
        for (String header : headers) {
            for (String entry : header.split(",", -1)) {
                entries.add(entry.trim());
            }
        }
        for (int i = entries.size() - 1; i >= 0; i--) {
            Optional<byte[]> address = literal(entries.get(i));
            if (address.isEmpty()) {
                break;
            }
            nearest = address.get();
            if (!trusts(nearest)) {
                break;
            }
        }
        return NetUtil.bytesToIpAddress(nearest);
    }

    /** The bytes of a literal IPv4 or IPv6 address, optionally in brackets; IPv4-mapped IPv6 as 4 bytes. */
    private static Optional<byte[]> literal(String text) {
        String t = text;
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(t);
        if (bytes == null) {
            return Optional.empty();
        }
        if (bytes.length == 16 && isIpv4Mapped(bytes)) {
            byte[] v4 = new byte[4];
            System.arraycopy(bytes, 12, v4, 0, 4);
            return Optional.of(v4);
        }
        return Optional.of(bytes);
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    /** Equal when they name the same ranges, spelled the same, in the same order. */
    @Override
    public boolean equals(Object o) {
        return o instanceof TrustedProxies other && other.ranges().equals(ranges());
    }

    @Override
    public int hashCode() {
        return ranges().hashCode();
    }

    @Override
    public String toString() {
        return ranges.isEmpty() ? "no trusted proxies" : "trusted proxies " + String.join(", ", ranges());
    }
}
