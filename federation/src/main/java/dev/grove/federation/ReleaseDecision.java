package dev.grove.federation;

import dev.grove.crypto.Sha256;
import dev.grove.json.Json;
import dev.grove.json.JsonObject;
import dev.grove.pkg.PackageName;
import dev.grove.semver.SemVer;
import java.util.Objects;

/**
 * The parts of a release decision payload ({@code grove.decision/v1}, docs/protocol.md, "Release decisions") that a
 * follower checks: who decided, about which version, and which status change in which order. The conditions and
 * evidence the payload also cites are for readers; they travel in the signed bytes unchanged.
 *
 * @param node     the deciding node's log origin
 * @param sequence the decision's number among the node's decisions about the version (1 for the first)
 * @param previous the status it changes ({@code experiment} or {@code promoted})
 * @param status   the status it gives (the other one)
 */
public record ReleaseDecision(String node, PackageName name, SemVer version, Sha256 digest, long sequence,
                              String previous, String status) {

    /** The DSSE payload type of a release decision. */
    public static final String PAYLOAD_TYPE = "application/vnd.grove.decision+json";
    public static final String SCHEMA = "grove.decision/v1";

    public ReleaseDecision {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(digest, "digest");
        if (sequence < 1) {
            throw new IllegalArgumentException("decision sequence must be at least 1, was " + sequence);
        }
        checkStatus(previous);
        checkStatus(status);
        if (previous.equals(status)) {
            throw new IllegalArgumentException("a decision changes the status, but both are '" + status + "'");
        }
    }

    /** @throws IllegalArgumentException (or a JSON exception) naming what is wrong with the payload */
    public static ReleaseDecision parse(byte[] payload) {
        JsonObject o = Json.parseObject(payload);
        String schema = o.string("schema");
        if (!schema.equals(SCHEMA)) {
            throw new IllegalArgumentException("schema is '" + schema + "', expected " + SCHEMA);
        }
        JsonObject subject = o.object("subject");
        return new ReleaseDecision(o.string("node"), PackageName.parse(subject.string("name")),
                SemVer.parse(subject.string("version")), Sha256.parse(subject.string("digest")), o.integer("sequence"),
                o.string("previous"), o.string("status"));
    }

    private static void checkStatus(String s) {
        if (!"experiment".equals(s) && !"promoted".equals(s)) {
            throw new IllegalArgumentException("status must be experiment or promoted, was '" + s + "'");
        }
    }
}
