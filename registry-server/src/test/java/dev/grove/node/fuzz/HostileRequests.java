package dev.grove.node.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.Sha256;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.pkg.PayloadTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hostile requests, generated from {@code docs/openapi.yaml}: every documented operation, with its path and query
 * parameters filled with valid values or hostile ones (malformed escapes, NUL, bytes that are not UTF-8, overlong and
 * deeply dotted versions, traversal, huge numbers), a wrong method now and then, odd headers (an {@code Origin} that is
 * not an origin, no {@code Host}, two of them, broken ranges, pre-flights), bodies that are mutated copies of signed
 * documents or plain garbage (NUL escapes, invalid UTF-8, deep nesting, duplicate keys, forms, the wrong media type),
 * and broken framing (another HTTP version, a chunk size that is not hex). Sent over plain sockets, one connection each,
 * so that nothing a client library refuses to send is left out.
 *
 * <p>The generator never sends a request that a correct node would store: signed seeds are signed by a key no namespace
 * holds, or are copies of what the node already stores, and uploads never match their digest. So a node's stored state
 * must be the same after any number of them, and no answer may be a 5xx.
 *
 * <p>Rerunnable against a running node ({@code registry-server/bench/hostile.sh}):
 * <pre>java -cp registry-server/target/test-classes:cli/target/grove.jar \
 *     dev.grove.node.fuzz.HostileRequests http://localhost:8080 10000 [seed]</pre>
 * prints the histogram of statuses ({@code closed}: the node closed the connection without an answer, as for broken
 * framing; {@code timeout}: no answer within the read timeout) and exits 1 if any answer was a 5xx.
 */
public final class HostileRequests {

    /** A documented operation. */
    public record Operation(String method, String path, List<String> query, boolean body) {
        public String label() {
            return method.toUpperCase() + " " + path;
        }
    }

    /** One request as bytes on the wire, with what it is for a report. */
    public record Request(Operation operation, String head, byte[] body) {
        public byte[] bytes() {
            byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
            byte[] all = new byte[h.length + body.length];
            System.arraycopy(h, 0, all, 0, h.length);
            System.arraycopy(body, 0, all, h.length, body.length);
            return all;
        }

        /** The request line, for a report. */
        public String line() {
            int end = head.indexOf("\r\n");
            String line = end < 0 ? head : head.substring(0, end);
            return line.length() > 160 ? line.substring(0, 157) + "..." : line;
        }
    }

    /** Values the node is known to hold, so that some requests reach past the first check. */
    public record Known(String namespace, String name, String version, String digest, String bundleJson) {
        /** Names nothing a fresh node holds; the examples' bundle as the seed. */
        public static Known defaults(Path repository) {
            String bundle;
            try {
                bundle = Files.readString(repository.resolve("schemas/examples/bundle/valid/langid.json"));
            } catch (IOException e) {
                bundle = "{\"contract\": {}, \"lineage\": {}, \"evaluation\": {}, \"keys\": []}";
            }
            return new Known("demo", "langid", "1.0.0", "sha256:" + "0".repeat(64), bundle);
        }
    }

    private static final List<String> METHODS = List.of("get", "post", "put", "head", "delete", "patch");
    /** A status line; the version is the request's when the node echoes one it does not speak ({@code HTTP/2.0 400}). */
    private static final java.util.regex.Pattern STATUS_LINE = java.util.regex.Pattern.compile("[A-Z]+/[0-9.x]+ ([0-9]{3}) ");
    private static final List<String> OTHER_METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
            "HEAD", "TRACE", "CONNECT", "FOO", "get");

    private final List<Operation> operations;
    private final Known known;
    private final Random random;
    private final List<byte[]> seeds = new ArrayList<>();

    public HostileRequests(List<Operation> operations, Known known, long seed) {
        this.operations = List.copyOf(operations);
        this.known = known;
        this.random = new Random(seed);
        // signed by a key no namespace holds: refused however they are mutated
        Ed25519PrivateKey stranger = Ed25519PrivateKey.fromSeed(Sha256.of(("hostile " + seed)
                .getBytes(StandardCharsets.UTF_8)).bytes());
        String yank = "{\"schema\":\"grove.yank/v2\",\"name\":\"" + known.namespace() + "/" + known.name()
                + "\",\"version\":\"" + known.version() + "\",\"digest\":\"" + known.digest() + "\",\"reason\":\"x\"}";
        String keyset = "{\"schema\":\"grove.keyset/v2\",\"namespace\":\"" + known.namespace() + "\",\"sequence\":2,"
                + "\"previous\":\"" + known.digest() + "\",\"keys\":[{\"keyid\":\"" + stranger.keyId() + "\","
                + "\"publicKey\":\"" + stranger.publicKey().base64() + "\"}]}";
        seeds.add(known.bundleJson().getBytes(StandardCharsets.UTF_8));
        seeds.add(EnvelopeSigner.sign(PayloadTypes.YANK, yank.getBytes(StandardCharsets.UTF_8), stranger).toJsonString()
                .getBytes(StandardCharsets.UTF_8));
        seeds.add(EnvelopeSigner.sign(PayloadTypes.KEYSET, keyset.getBytes(StandardCharsets.UTF_8), stranger)
                .toJsonString().getBytes(StandardCharsets.UTF_8));
        seeds.add(("{\"blindedMessage\":\"" + "A".repeat(342) + "\"}").getBytes(StandardCharsets.UTF_8));
        seeds.add(("{\"package\":\"" + known.digest() + "\",\"helped\":true,\"rating\":5,\"latencyMs\":12,"
                + "\"runtime\":\"js\",\"device\":\"desktop\",\"token\":{\"keyId\":\"" + "ab".repeat(32)
                + "\",\"message\":\"AAAA\",\"signature\":\"AAAA\"}}").getBytes(StandardCharsets.UTF_8));
        seeds.add("old 0\n\nexample.org/log\n1\nAAAA\n\n\u2014 example.org/log AAAA\n".getBytes(StandardCharsets.UTF_8));
    }

    /** Every operation of the spec, with its query parameters (path ones are in the template). */
    public static List<Operation> operations(Path spec) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(spec.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Operation> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = root.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            List<String> shared = queryParameters(root, path.getValue().path("parameters"));
            for (String method : METHODS) {
                JsonNode op = path.getValue().get(method);
                if (op == null) {
                    continue;
                }
                List<String> query = new ArrayList<>(shared);
                query.addAll(queryParameters(root, op.path("parameters")));
                out.add(new Operation(method, path.getKey(), query, op.has("requestBody")));
            }
        }
        return out;
    }

    private static List<String> queryParameters(JsonNode root, JsonNode parameters) {
        List<String> names = new ArrayList<>();
        for (JsonNode p : parameters) {
            JsonNode param = p.has("$ref") ? resolve(root, p.get("$ref").asText()) : p;
            if ("query".equals(param.path("in").asText())) {
                names.add(param.path("name").asText());
            }
        }
        return names;
    }

    private static JsonNode resolve(JsonNode root, String ref) {
        JsonNode node = root;
        for (String part : ref.substring(2).split("/")) {
            node = node.path(part);
        }
        return node;
    }

    public List<Operation> operations() {
        return operations;
    }

    /** The next request: each operation as often as the others. */
    public Request next() {
        Operation op = operations.get(random.nextInt(operations.size()));
        String method = chance(12) ? pick(OTHER_METHODS) : op.method().toUpperCase();
        String target = target(op);
        String version = chance(2) ? pick(List.of("HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "HTTP/1.1x", "HTTX/1.1", ""))
                : chance(3) ? "HTTP/1.0" : "HTTP/1.1";
        if (chance(2)) {
            target = pick(List.of("*", "abc", "//", "http://other.example/v1/search", "/v1/search#frag", "/\t/",
                    "/v1/ packages", "/v1/search?q=a b"));
        }
        byte[] body = body(op, method);
        StringBuilder head = new StringBuilder(method).append(' ').append(target)
                .append(version.isEmpty() ? "" : " " + version).append("\r\n");
        if (!chance(3)) {
            head.append("Host: ").append(chance(2) ? pick(List.of("", "a b", "[::1", "x".repeat(300))) : "127.0.0.1")
                    .append("\r\n");
        }
        if (chance(2)) {
            head.append("Host: second.example\r\n");
        }
        headers(op, method, head);
        boolean chunked = body.length > 0 && chance(6);
        if (chunked) {
            head.append("Transfer-Encoding: chunked\r\n");
            body = chunked(body);
        } else if (body.length > 0 || method.equals("POST") || method.equals("PUT")) {
            // now and then a length shorter than what follows (the rest is a second, garbage, request)
            long length = chance(3) && body.length > 1 ? body.length / 2 : body.length;
            head.append("Content-Length: ").append(length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        return new Request(op, head.toString(), body);
    }

    private String target(Operation op) {
        StringBuilder path = new StringBuilder();
        String template = op.path();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                path.append(template, i, template.length());
                break;
            }
            int close = template.indexOf('}', open);
            path.append(template, i, open);
            path.append(pathValue(template.substring(open + 1, close)));
            i = close + 1;
        }
        if (chance(5)) {
            path.append(pick(List.of("/", "//", "/..", "/%2e%2e", "/extra", ";jsessionid=1", "%00", "%")));
        }
        List<String> query = new ArrayList<>();
        for (String name : op.query()) {
            if (chance(50)) {
                query.add(name + "=" + queryValue(name));
            }
        }
        if (chance(10)) {
            query.add(pick(List.of("zz=1", "%zz=1", "=", "&", "a", "q=%", "limit=1&limit=2", "%00=%00", "x=" + "y".repeat(3000))));
        }
        if (query.isEmpty()) {
            return path.toString();
        }
        return path + "?" + String.join("&", query);
    }

    private String pathValue(String name) {
        if (chance(45)) {
            return switch (name) {
                case "namespace" -> known.namespace();
                case "name" -> known.name();
                case "version" -> chance(30) ? "latest" : known.version();
                case "digest" -> known.digest();
                case "origin" -> "localhost%3A8080%2Fgrove-log";
                case "tile" -> pick(List.of("0/000", "1/000", "0/x001/234", "0/000.p/5"));
                default -> "x";
            };
        }
        return hostileText();
    }

    private String queryValue(String name) {
        if (chance(40)) {
            return switch (name) {
                case "q", "task", "license", "tag", "status" -> pick(List.of("model", "text-classification", "MIT",
                        "released", "promoted", "experiment", ""));
                case "limit", "offset", "maxBytes", "maxParameters", "depth", "index", "from", "to", "size" ->
                        pick(List.of("0", "1", "2", "10", "100"));
                default -> "1";
            };
        }
        return hostileText();
    }

    /** Text that no route should take as it is: percent-encoded (malformed now and then). */
    private String hostileText() {
        return switch (random.nextInt(20)) {
            case 0 -> "%zz";
            case 1 -> "%";
            case 2 -> "%00";
            case 3 -> "a%00b";
            case 4 -> "%C3%28";
            case 5 -> "%ED%A0%80";
            case 6 -> "%F5%80%80%80";
            case 7 -> "%C0%AF";
            case 8 -> "..%2F..%2Fetc%2Fpasswd";
            case 9 -> "1.0.0-" + "a.".repeat(random.nextInt(1500)) + "a";
            case 10 -> "9".repeat(1 + random.nextInt(40));
            case 11 -> "-" + random.nextInt(1000);
            case 12 -> "sha256:" + "g".repeat(64);
            case 13 -> "n".repeat(1 + random.nextInt(3000));
            case 14 -> "%E2%80%AE%F0%9F%8C%B3";
            case 15 -> "";
            case 16 -> "%2F";
            case 17 -> "NaN";
            case 18 -> "1e308";
            default -> "%" + Integer.toHexString(random.nextInt(256)).toUpperCase();
        };
    }

    private void headers(Operation op, String method, StringBuilder head) {
        if (chance(25)) {
            head.append("Origin: ").append(pick(List.of("chrome-extension://abc", "a", "file://", "null",
                    "https://evil.example", "http://[::1", "%%", ""))).append("\r\n");
        }
        if (method.equals("OPTIONS") || chance(3)) {
            head.append("Access-Control-Request-Method: ").append(pick(List.of("POST", "PUT", "GET", "DELETE", "X")))
                    .append("\r\n");
            if (chance(50)) {
                head.append("Access-Control-Request-Headers: ").append(pick(List.of("content-type", "range",
                        "x-secret", "content-type, authorization", ","))).append("\r\n");
            }
        }
        if (chance(10)) {
            head.append("Range: ").append(pick(List.of("bytes=0-0", "bytes=-1", "bytes=5-2", "bytes=0-1,3-4",
                    "bytes=99999999999999999999-", "items=0-1", "bytes=", "bytes=-0"))).append("\r\n");
        }
        if (chance(5)) {
            head.append("If-None-Match: ").append(pick(List.of("*", "\"" + known.digest() + "\"", "W/\"x\"", ","))).append("\r\n");
        }
        if (chance(5)) {
            head.append("If-Range: ").append(pick(List.of("\"x\"", "Wed, 21 Oct 2015 07:28:00 GMT", ""))).append("\r\n");
        }
        if (chance(20)) {
            head.append("Accept-Encoding: ").append(pick(List.of("gzip", "deflate, br", "identity;q=0", "*"))).append("\r\n");
        }
        if (chance(3)) {
            head.append("Expect: 100-continue\r\n");
        }
        if (op.body() || method.equals("POST") || method.equals("PUT") || chance(5)) {
            String right = op.path().startsWith("/v1/blobs") ? "application/octet-stream"
                    : op.path().startsWith("/witness") ? "text/plain" : "application/json";
            if (chance(70)) {
                head.append("Content-Type: ").append(right).append("\r\n");
            } else if (!chance(20)) {
                head.append("Content-Type: ").append(pick(List.of("application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=b", "text/plain", "application/json; charset=latin1",
                        "Application/JSON", "application/json; charset=\"utf-8\"", ";", "*/*"))).append("\r\n");
            }
        }
        if (chance(2)) {
            head.append("X-Padding: ").append("p".repeat(1 + random.nextInt(12000))).append("\r\n");
        }
    }

    private byte[] body(Operation op, String method) {
        boolean wants = op.body() || method.equals("POST") || method.equals("PUT");
        if (!wants && !chance(5)) {
            return new byte[0];
        }
        if (op.path().startsWith("/v1/blobs")) {
            byte[] bytes = new byte[random.nextInt(chance(5) ? 300_000 : 2000)];
            random.nextBytes(bytes);
            return bytes; // the path never names their digest
        }
        return switch (random.nextInt(10)) {
            case 0 -> new byte[0];
            case 1 -> garbageJson();
            case 2 -> ("a=" + "x".repeat(random.nextInt(20_000))).getBytes(StandardCharsets.UTF_8);
            case 3 -> {
                byte[] bytes = new byte[random.nextInt(4000)];
                random.nextBytes(bytes);
                yield bytes;
            }
            case 4 -> chance(20) ? ("{\"pad\":\"" + "x".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8)
                    : ("[".repeat(20_000) + "]".repeat(20_000)).getBytes(StandardCharsets.UTF_8);
            default -> mutate(pick(seeds));
        };
    }

    private byte[] garbageJson() {
        return pick(List.of("{\"a\":\"\\u0000\"}", "{\"a\":\"\\ud800\"}", "{\"a\":1,\"a\":2}", "null", "[]",
                "{\"bundle\":7,\"reason\":[],\"keys\":{}}", "{\"a\":1e999999}", "{\"a\":" + "9".repeat(5000) + "}",
                "{", "\"\\", "{\"schema\":\"grove.yank/v1\"}", "\ufeff{}", "{\"a\":\"\u0000\"}"))
                .getBytes(StandardCharsets.UTF_8);
    }

    private byte[] mutate(byte[] seed) {
        byte[] b = seed.clone();
        int edits = 1 + random.nextInt(4);
        for (int k = 0; k < edits && b.length > 0; k++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> b[at] = (byte) random.nextInt(256);
                case 1 -> b[at] = (byte) "{}[]\",:\\0-+.eE \u0000".charAt(random.nextInt(16));
                case 2 -> b = splice(b, at, "\\u0000");
                case 3 -> b = splice(b, at, "\u00c3\u0028");
                case 4 -> b = java.util.Arrays.copyOf(b, at);
                default -> b = splice(b, at, "\"dup\":1,\"dup\":2,");
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, String insert) {
        byte[] in = insert.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[b.length + in.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(in, 0, out, at, in.length);
        System.arraycopy(b, at, out, at + in.length, b.length - at);
        return out;
    }

    private byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < body.length) {
            int n = Math.min(body.length - i, 1 + random.nextInt(8192));
            String size = chance(15) ? pick(List.of("zz", "-1", "fffffffffffffffff", " ", "1;ext")) : Integer.toHexString(n);
            out.writeBytes((size + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, i, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            i += n;
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** The answer's status, {@code "closed"} when the node closed without one, {@code "timeout"} when none came. */
    public static String send(String host, int port, Request request, int readTimeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout(readTimeoutMillis);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.bytes());
                out.flush();
            } catch (IOException e) {
                // the node answered and closed before taking it all: read what it said
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                while (true) {
                    String text = seen.toString(StandardCharsets.ISO_8859_1);
                    java.util.regex.Matcher m = STATUS_LINE.matcher(text);
                    if (m.lookingAt()) {
                        if (!m.group(1).startsWith("1")) {
                            return m.group(1);
                        }
                        int end = text.indexOf("\r\n\r\n");
                        if (end >= 0) { // an interim answer (100 Continue): the real one follows
                            byte[] rest = java.util.Arrays.copyOfRange(seen.toByteArray(), end + 4, seen.size());
                            seen.reset();
                            seen.writeBytes(rest);
                            continue;
                        }
                    }
                    int r = in.read(buffer);
                    if (r < 0) {
                        break;
                    }
                    seen.write(buffer, 0, r);
                }
            } catch (SocketTimeoutException e) {
                return seen.size() == 0 ? "timeout" : "partial";
            } catch (IOException e) {
                // reset: what arrived is the answer
            }
            java.util.regex.Matcher m = STATUS_LINE.matcher(seen.toString(StandardCharsets.ISO_8859_1));
            if (m.lookingAt()) {
                return m.group(1);
            }
            return seen.size() == 0 ? "closed" : "garbled";
        } catch (IOException e) {
            return "connect-failed";
        }
    }

    /** Sends {@code count} requests from {@code threads} clients; the histogram of answers, and every 5xx's request line. */
    public static Map<String, Long> run(HostileRequests generator, String host, int port, int count, int threads,
                                        int readTimeoutMillis, List<String> serverErrors) {
        List<Request> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            requests.add(generator.next());
        }
        ConcurrentMap<String, AtomicLong> histogram = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (Request request : requests) {
                pool.submit(() -> {
                    String status = send(host, port, request, readTimeoutMillis);
                    histogram.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                    if (status.startsWith("5")) {
                        synchronized (serverErrors) {
                            serverErrors.add(status + " " + request.line());
                        }
                    }
                });
            }
            pool.shutdown();
            if (!pool.awaitTermination(1, TimeUnit.HOURS)) {
                throw new IllegalStateException("the requests did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
        Map<String, Long> out = new TreeMap<>();
        histogram.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** {@code HostileRequests URL [COUNT [SEED [THREADS]]]}: see the class comment. */
    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: HostileRequests URL [COUNT [SEED [THREADS]]]");
            System.exit(2);
        }
        URI url = URI.create(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        Path repository = Path.of(System.getProperty("grove.repository", "."));
        List<Operation> ops = operations(repository.resolve("docs/openapi.yaml"));
        HostileRequests generator = new HostileRequests(ops, Known.defaults(repository), seed);
        List<String> errors = new ArrayList<>();
        long started = System.nanoTime();
        Map<String, Long> histogram = run(generator, url.getHost(), url.getPort() < 0 ? 80 : url.getPort(), count,
                threads, 30_000, errors);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%d hostile requests over %d operations of docs/openapi.yaml (seed %d) in %.1f s%n", count,
                ops.size(), seed, seconds);
        histogram.forEach((status, n) -> System.out.printf("  %-14s %6d%n", status, n));
        long fives = histogram.entrySet().stream().filter(e -> e.getKey().startsWith("5")).mapToLong(Map.Entry::getValue)
                .sum();
        System.out.printf("5xx: %d%n", fives);
        errors.stream().limit(20).forEach(e -> System.out.println("  " + e));
        System.exit(fives == 0 ? 0 : 1);
    }

    /** Statuses that are not an HTTP answer. */
    public static final Set<String> NOT_ANSWERS = Set.of("closed", "timeout", "partial", "garbled", "connect-failed");

    /** Operations by label, for a report of coverage. */
    public static Map<String, Operation> byLabel(List<Operation> operations) {
        Map<String, Operation> out = new LinkedHashMap<>();
        operations.forEach(o -> out.put(o.label(), o));
        return out;
    }
}
