package dev.grove.pkg;

import dev.grove.crypto.Sha256;
import dev.grove.json.JsonObject;
import dev.grove.semver.SemVer;

/**
 * A signed statement ({@code grove.yank/v2}) that {@code latest} must no longer resolve to a version; the reason is shown.
 *
 * <p>It names the package by its digest as well as by name and version, so that wherever it is sent it yanks only that
 * content: on a node where {@code name@version} is other content it is refused, and on one that holds the same package
 * it does what its signer asked for that package. It names no node: the same statement may be sent to each node that
 * holds the package.
 *
 * <p>{@code grove.yank/v1} statements (no digest) are no longer accepted from signers, but a log may hold them from
 * before: {@link #parseLogged} reads them with the digest the log entry records.
 */
public record Yank(PackageName name, SemVer version, Sha256 digest, String reason) {
    public static final String SCHEMA = "grove.yank/v2";
    /** The statement signed before yanks named their package digest; read from logs only. */
    public static final String SCHEMA_V1 = "grove.yank/v1";

    public Yank {
        if (name == null || version == null || digest == null || reason == null) {
            throw new NullPointerException("name, version, digest and reason are required");
        }
    }

    /**
     * Reads a statement a signer sends now: {@code grove.yank/v2} only.
     *
     * @throws DocumentException with the JSON path of the first bad field
     */
    public static Yank parse(byte[] payload) {
        Node root = Node.root(payload);
        if (SCHEMA_V1.equals(root.string("schema"))) {
            throw root.fail("schema", "a " + SCHEMA_V1 + " statement names no package digest, so it could yank other "
                    + "content published under the same version elsewhere; sign a " + SCHEMA + " statement, which "
                    + "names the digest (grove yank does)");
        }
        root.expectSchema(SCHEMA);
        root.only("schema", "name", "version", "digest", "reason");
        return new Yank(root.packageName("name"), root.semver("version"), root.digest("digest"),
                root.text("reason", 1000));
    }

    /**
     * Reads a statement as a log holds it, next to the digest its entry records: a {@code grove.yank/v2} statement must
     * name that digest; a {@code grove.yank/v1} statement, signed before statements named one, takes it.
     *
     * @throws DocumentException with the JSON path of the first bad field, or when the digests differ
     */
    public static Yank parseLogged(byte[] payload, Sha256 loggedDigest) {
        Node root = Node.root(payload);
        if (SCHEMA_V1.equals(root.string("schema"))) {
            root.only("schema", "name", "version", "reason");
            return new Yank(root.packageName("name"), root.semver("version"), loggedDigest, root.text("reason", 1000));
        }
        Yank yank = parse(payload);
        if (!yank.digest().equals(loggedDigest)) {
            throw root.fail("digest", "the statement yanks " + yank.digest() + ", but the entry records "
                    + loggedDigest);
        }
        return yank;
    }

    /** The document to sign. */
    public JsonObject toJson() {
        return JsonObject.builder()
                .put("schema", SCHEMA)
                .put("name", name.toString())
                .put("version", version.toString())
                .put("digest", digest.toString())
                .put("reason", reason)
                .build();
    }
}
