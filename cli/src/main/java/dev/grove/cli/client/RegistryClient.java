package dev.grove.cli.client;

import dev.grove.crypto.Sha256Hasher;
import dev.grove.json.Json;
import dev.grove.json.JsonException;
import dev.grove.json.JsonObject;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A blocking client for one registry node's {@code /v1} API. Every failure is a {@link RegistryException}: either the node
 * could not be reached (status 0) or it answered with an error, whose {@code application/problem+json} title and detail are
 * kept. Redirects are followed only within the node's own origin (scheme, host and port), so a node cannot send the client
 * and its uploads elsewhere. Blobs are streamed in both directions, never held whole in memory.
 */
public final class RegistryClient {
    /** Largest JSON document accepted from a node; versions, lineage and search answers are far smaller. */
    static final int MAX_JSON_BYTES = 16 * 1024 * 1024;
    private static final int MAX_REDIRECTS = 5;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(30);
    private static final int BUFFER = 64 * 1024;

    private final URI base;
    private final HttpClient http;

    private RegistryClient(URI base, HttpClient http) {
        this.base = base;
        this.http = http;
    }

    /**
     * @param registry the node's base URL, e.g. {@code http://localhost:8080}
     * @throws IllegalArgumentException when it is not an absolute http or https URL
     */
    public static RegistryClient connect(String registry) {
        URI uri;
        try {
            uri = new URI(registry.endsWith("/") ? registry.substring(0, registry.length() - 1) : registry);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("registry URL '" + registry + "' is not a URL: " + e.getReason());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("registry URL '" + registry
                    + "' must be an absolute http:// or https:// URL, e.g. http://localhost:8080");
        }
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new RegistryClient(uri, http);
    }

    /** The base URL, as given (without a trailing slash). */
    public URI base() {
        return base;
    }

    /** {@code GET path}: the JSON object the node answers with. */
    public JsonObject getJson(String path) {
        HttpResponse<InputStream> response = send(get(resolve(path), REQUEST_TIMEOUT).header("Accept", "application/json"));
        return parseJson(response, readCapped(response, MAX_JSON_BYTES));
    }

    /** {@code GET path?query}, the query built from the non-null entries of {@code params}. */
    public JsonObject getJson(String path, Map<String, String> params) {
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (p.getValue() == null) {
                continue;
            }
            query.append(query.length() == 0 ? "?" : "&")
                    .append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
        }
        return getJson(path + query);
    }

    /** {@code HEAD path}: true on 200, false on 404, a {@link RegistryException} otherwise. */
    public boolean exists(String path) {
        HttpResponse<InputStream> response = send(HttpRequest.newBuilder(resolve(path))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(REQUEST_TIMEOUT));
        drain(response);
        if (response.statusCode() == 404) {
            return false;
        }
        if (response.statusCode() / 100 == 2) {
            return true;
        }
        throw problem(response, new byte[0]);
    }

    /** {@code POST path} with a JSON body; any 2xx answer is returned with its status, anything else thrown. */
    public JsonResponse postJson(String path, byte[] body) {
        HttpResponse<InputStream> response = send(HttpRequest.newBuilder(resolve(path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .timeout(REQUEST_TIMEOUT));
        JsonObject answer = parseJson(response, readCapped(response, MAX_JSON_BYTES));
        return new JsonResponse(response.statusCode(), answer);
    }

    /**
     * {@code PUT path} with the file's bytes, streamed from disk and counted into {@code progress}.
     *
     * @return the 2xx status the node answered (201 stored, 200 already present)
     */
    public int putFile(String path, Path file, TransferProgress progress) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return new CountingInputStream(Files.newInputStream(file), progress);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }), size);
        HttpResponse<InputStream> response = send(HttpRequest.newBuilder(resolve(path))
                .PUT(body)
                .header("Content-Type", "application/octet-stream")
                .timeout(TRANSFER_TIMEOUT));
        byte[] answer = readCapped(response, MAX_JSON_BYTES);
        if (response.statusCode() / 100 != 2) {
            throw problem(response, answer);
        }
        return response.statusCode();
    }

    /**
     * {@code GET path} streamed into {@code target} (created or truncated), hashing the bytes as they arrive. Stops reading
     * as soon as the node has sent more than {@code maxBytes} (the returned size then exceeds it), so a lying node cannot
     * fill the disk. A redirect to another origin is followed, without this client's headers: a node may send blob
     * downloads to its object storage (a presigned URL), and the caller checks the bytes against their digest wherever
     * they came from.
     */
    public Downloaded download(String path, Path target, long maxBytes, TransferProgress progress) {
        HttpResponse<InputStream> response = send(get(resolve(path), TRANSFER_TIMEOUT), true);
        if (response.statusCode() / 100 != 2) {
            throw problem(response, readCapped(response, MAX_JSON_BYTES));
        }
        Sha256Hasher hasher = new Sha256Hasher();
        long size = 0;
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = response.body();
             OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE,
                     StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                size += n;
                if (size > maxBytes) {
                    break; // the caller sees a size above the limit and refuses; reading on would only fill the disk
                }
                hasher.update(buffer, 0, n);
                out.write(buffer, 0, n);
                progress.advance(n);
            }
        } catch (IOException e) {
            throw RegistryException.unreachable("download of " + response.uri() + " failed: " + describe(e), e);
        }
        return new Downloaded(size, hasher.digest());
    }

    /** {@code GET path}: the bytes of a 2xx answer, at most {@code max} of them (a tile, a checkpoint). */
    public byte[] getBytes(String path, int max) {
        HttpResponse<InputStream> response = send(get(resolve(path), REQUEST_TIMEOUT));
        byte[] body = readCapped(response, Math.max(max, MAX_JSON_BYTES));
        if (response.statusCode() / 100 != 2) {
            throw problem(response, body);
        }
        if (body.length > max) {
            throw RegistryException.problem(response.statusCode(), "answer too large",
                    response.uri() + " answered with more than " + max + " bytes");
        }
        return body;
    }

    /** A JSON answer and its status. */
    public record JsonResponse(int status, JsonObject body) {
    }

    private static HttpRequest.Builder get(URI uri, Duration timeout) {
        return HttpRequest.newBuilder(uri).GET().timeout(timeout);
    }

    /** The URL of an API path such as {@code /v1/packages/demo/langid}, or of an absolute URL on this node. */
    URI resolve(String path) {
        URI uri = path.startsWith("/") ? URI.create(base + path) : URI.create(path);
        if (!sameOrigin(uri)) {
            throw RegistryException.problem(0, "refusing to leave the registry",
                    uri + " is not on " + base + "; artifacts and documents are only fetched from the registry asked");
        }
        return uri;
    }

    private boolean sameOrigin(URI uri) {
        return base.getScheme().equalsIgnoreCase(uri.getScheme())
                && base.getHost().equalsIgnoreCase(uri.getHost() == null ? "" : uri.getHost())
                && port(base) == port(uri);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** Sends the request, following same-origin redirects for GET and HEAD. */
    private HttpResponse<InputStream> send(HttpRequest.Builder builder) {
        return send(builder, false);
    }

    /**
     * Sends the request, following redirects for GET and HEAD: same-origin ones, and with {@code anyOrigin} (downloads of
     * content-addressed bytes) those to other origins too, to which none of the request's headers are carried.
     */
    private HttpResponse<InputStream> send(HttpRequest.Builder builder, boolean anyOrigin) {
        HttpRequest request = builder.build();
        for (int hops = 0; ; hops++) {
            HttpResponse<InputStream> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpTimeoutException e) {
                throw RegistryException.unreachable("registry " + base + " did not answer " + request.method() + " "
                        + request.uri().getPath() + " in time", e);
            } catch (IOException e) {
                throw RegistryException.unreachable("cannot reach registry " + base + " (" + describe(e)
                        + "); is a node running there? Set --registry or GROVE_REGISTRY", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw RegistryException.unreachable("interrupted while talking to " + base, e);
            }
            int status = response.statusCode();
            boolean redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
            boolean safe = request.method().equals("GET") || request.method().equals("HEAD");
            if (!redirect || !safe) {
                return response;
            }
            drain(response);
            Optional<String> location = response.headers().firstValue("Location");
            if (location.isEmpty() || hops >= MAX_REDIRECTS) {
                throw RegistryException.problem(status, "bad redirect", request.uri() + " redirected "
                        + (location.isEmpty() ? "without a Location" : "more than " + MAX_REDIRECTS + " times"));
            }
            URI next = request.uri().resolve(location.get());
            boolean leaves = !sameOrigin(next);
            if (leaves && !(anyOrigin && ("http".equalsIgnoreCase(next.getScheme())
                    || "https".equalsIgnoreCase(next.getScheme())))) {
                throw RegistryException.problem(status, "refusing to follow a redirect",
                        request.uri() + " redirected to " + next + ", which is not on " + base);
            }
            request = HttpRequest.newBuilder(next).method(request.method(), HttpRequest.BodyPublishers.noBody())
                    .timeout(request.timeout().orElse(REQUEST_TIMEOUT))
                    .headers(leaves ? new String[] {"Accept", "*/*"} : flatHeaders(request)).build();
        }
    }

    private static String[] flatHeaders(HttpRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().map().forEach((k, v) -> {
            if (!v.isEmpty()) {
                headers.put(k, v.get(0));
            }
        });
        if (headers.isEmpty()) {
            return new String[] {"Accept", "*/*"};
        }
        return headers.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
                .toArray(String[]::new);
    }

    private static String describe(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private JsonObject parseJson(HttpResponse<InputStream> response, byte[] body) {
        if (response.statusCode() / 100 != 2) {
            throw problem(response, body);
        }
        try {
            return Json.parseObject(body);
        } catch (JsonException e) {
            throw RegistryException.problem(response.statusCode(), "malformed answer",
                    response.request().method() + " " + response.uri() + " did not answer with a JSON object: "
                            + e.getMessage());
        }
    }

    /** The node's problem document as an exception; a body that is not one is summarised instead. */
    private static RegistryException problem(HttpResponse<InputStream> response, byte[] body) {
        int status = response.statusCode();
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (contentType.contains("json") && body.length > 0) {
            try {
                JsonObject problem = Json.parseObject(body);
                String title = problem.optString("title").orElse("HTTP " + status);
                String detail = problem.optString("detail").orElse("");
                return RegistryException.problem(status, title, detail);
            } catch (JsonException e) {
                // fall through: not a problem document
            }
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.length() > 200) {
            text = text.substring(0, 197) + "...";
        }
        return RegistryException.problem(status, "HTTP " + status + " from " + response.request().method() + " "
                + response.uri().getPath(), text);
    }

    private static byte[] readCapped(HttpResponse<InputStream> response, int max) {
        try (InputStream in = response.body()) {
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max) {
                throw RegistryException.problem(response.statusCode(), "answer too large",
                        response.uri() + " answered with more than " + max + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw RegistryException.unreachable("reading the answer of " + response.uri() + " failed: " + describe(e), e);
        }
    }

    private static void drain(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the connection is discarded; nothing to report
        }
    }

    /** Counts bytes read into a progress line. */
    private static final class CountingInputStream extends FilterInputStream {
        private final TransferProgress progress;

        CountingInputStream(InputStream in, TransferProgress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                progress.advance(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                progress.advance(n);
            }
            return n;
        }
    }
}
