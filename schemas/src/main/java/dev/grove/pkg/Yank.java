package dev.grove.pkg;

import dev.grove.json.JsonObject;
import dev.grove.semver.SemVer;

/** A signed statement ({@code grove.yank/v1}) that {@code latest} must no longer resolve to a version; the reason is shown. */
public record Yank(PackageName name, SemVer version, String reason) {
    public static final String SCHEMA = "grove.yank/v1";

    public Yank {
        if (name == null || version == null || reason == null) {
            throw new NullPointerException("name, version and reason are required");
        }
    }

    /** @throws DocumentException with the JSON path of the first bad field */
    public static Yank parse(byte[] payload) {
        Node root = Node.root(payload);
        root.expectSchema(SCHEMA);
        root.only("schema", "name", "version", "reason");
        return new Yank(root.packageName("name"), root.semver("version"), root.text("reason", 1000));
    }

    /** The document to sign. */
    public JsonObject toJson() {
        return JsonObject.builder()
                .put("schema", SCHEMA)
                .put("name", name.toString())
                .put("version", version.toString())
                .put("reason", reason)
                .build();
    }
}
