package dev.grove.node.mirror;

import dev.grove.node.Node;
import dev.grove.node.NodeConfig;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Helpers for mirror tests: follower configurations, origins, polling with a deadline, counting rows. */
final class Mirrors {

    static final Duration FAST = Duration.ofMillis(100);

    private Mirrors() {
    }

    static String url(Node node) {
        return "http://127.0.0.1:" + node.port();
    }

    /** A test node's configuration that follows these URLs every 100 ms. */
    static NodeConfig following(Path data, String... peers) {
        return TestNode.config(data).withPeers(List.of(peers)).withFollowInterval(FAST);
    }

    /** The log origin a node announces. */
    static String origin(Node node) {
        return new NodeHttp(node.port()).get("/.well-known/grove/node").json().getString("logOrigin");
    }

    /** The log key a node announces. */
    static String logKey(Node node) {
        return new NodeHttp(node.port()).get("/.well-known/grove/node").json().getString("logKey");
    }

    /** Where {@code mirror} serves its copy of {@code origin}'s log: a source another node can follow. */
    static String originUrl(Node mirror, String origin) {
        return url(mirror) + "/v1/origins/" + URLEncoder.encode(origin, StandardCharsets.UTF_8);
    }

    static String versionPath(String origin, String nameAtVersion) {
        String[] nv = nameAtVersion.split("@");
        String[] ns = nv[0].split("/");
        return "/v1/origins/" + URLEncoder.encode(origin, StandardCharsets.UTF_8) + "/packages/" + ns[0] + "/" + ns[1]
                + "/versions/" + nv[1];
    }

    /** Waits until the condition holds or fails after the deadline. */
    static void await(String what, Duration deadline, BooleanSupplier condition) {
        Eventually.await(deadline, condition::getAsBoolean, what);
    }

    /** The peer as {@code GET /v1/peers} shows it. */
    static JsonObject peer(Node node, String url) {
        return findPeer(node, url).orElseThrow(() -> new AssertionError(url + " is not a peer of node " + node.port()));
    }

    /**
     * The peer as {@code GET /v1/peers} shows it: the followers register their peers before the node listens (they are
     * its job), so it is there from the node's first answer; empty for a URL the node does not follow.
     */
    static java.util.Optional<JsonObject> findPeer(Node node, String url) {
        for (Object o : new NodeHttp(node.port()).get("/v1/peers").json().getJsonArray("peers")) {
            JsonObject p = (JsonObject) o;
            if (p.getString("url").equals(url)) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }

    /** The peer's {@code nextEntry}, or -1 while the mirror has not registered it yet. */
    static long nextEntry(Node node, String url) {
        for (Object o : new NodeHttp(node.port()).get("/v1/peers").json().getJsonArray("peers")) {
            JsonObject p = (JsonObject) o;
            if (p.getString("url").equals(url)) {
                return p.getLong("nextEntry");
            }
        }
        return -1;
    }

    static long count(Node node, String sql) {
        Row row = TestNode.await(node.pool().query(sql).execute()).iterator().next();
        return row.getLong(0);
    }
}
