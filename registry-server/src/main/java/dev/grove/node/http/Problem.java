package dev.grove.node.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An RFC 9457 problem detail, sent as {@code application/problem+json}.
 *
 * @param type       a URI naming the kind of problem; {@code about:blank} when the status says it all
 * @param title      a short summary of the kind of problem (the same for every occurrence)
 * @param status     the HTTP status code
 * @param detail     what went wrong this time, written for the person who sent the request
 * @param extensions extra members (JSON-encodable values: strings, numbers, booleans, lists, maps)
 */
public record Problem(URI type, String title, int status, String detail, Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final URI ABOUT_BLANK = URI.create("about:blank");
    private static final Set<String> RESERVED = Set.of("type", "title", "status", "detail", "instance");

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem has a 4xx or 5xx status, not " + status);
        }
        for (String key : extensions.keySet()) {
            if (RESERVED.contains(key)) {
                throw new IllegalArgumentException("'" + key + "' is a standard problem member, not an extension");
            }
        }
        extensions = Map.copyOf(extensions);
    }

    /** A problem of type {@code about:blank} whose title is the status's reason phrase. */
    public static Problem of(int status, String detail) {
        return new Problem(ABOUT_BLANK, reasonPhrase(status), status, detail, Map.of());
    }

    /** This problem with one more extension member. */
    public Problem with(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(key, value);
        return new Problem(type, title, status, detail, more);
    }

    /** The JSON document: the standard members, then the extensions. */
    public JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("type", type.toString())
                .put("title", title)
                .put("status", status)
                .put("detail", detail);
        extensions.forEach(json::put);
        return json;
    }

    static String reasonPhrase(int status) {
        return HttpResponseStatus.valueOf(status).reasonPhrase();
    }
}
