package dev.grove.pkg;

import dev.grove.crypto.Sha256;
import dev.grove.json.JsonObject;
import dev.grove.semver.SemVer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The lineage card ({@code lineage.json}): how the subject was made (operator and parameters), from which parents (by
 * package digest) and on which data. {@code data} entries are kept as JSON objects with a required {@code name} and an
 * optional {@code digest} checked to be a sha256 digest.
 */
public record LineageCard(PackageName subjectName, SemVer subjectVersion, Operator operator, JsonObject parameters,
        List<ParentRef> parents, List<JsonObject> data, JsonObject json) {
    public static final String SCHEMA = "grove.lineage/v1";
    private static final Pattern ORIGIN = Pattern.compile("^https?://[^\\s/?#@]+(?:/[^\\s?#]*)?$");

    public LineageCard {
        parents = Collections.unmodifiableList(new ArrayList<>(parents));
        data = Collections.unmodifiableList(new ArrayList<>(data));
    }

    /** @throws DocumentException with the JSON path of the first bad field */
    public static LineageCard parse(byte[] payload) {
        Node root = Node.root(payload);
        root.expectSchema(SCHEMA);
        root.only("schema", "subject", "operator", "parameters", "parents", "data");
        Node subject = root.object("subject").only("name", "version");
        PackageName name = subject.packageName("name");
        SemVer version = subject.semver("version");
        Operator operator = root.value("operator", Operator::fromWire);
        JsonObject parameters = root.json().has("parameters") ? root.rawObject("parameters") : JsonObject.empty();

        List<ParentRef> parents = new ArrayList<>();
        java.util.Set<Sha256> seenParents = new java.util.HashSet<>();
        for (Node p : root.atMost("parents", root.optObjects("parents"), 64)) {
            p.only("digest", "origin", "ref");
            Sha256 digest = p.digest("digest");
            if (!seenParents.add(digest)) {
                throw p.fail("digest", "duplicate parent " + digest);
            }
            Optional<String> origin = p.optString("origin");
            if (origin.isPresent()) {
                p.matching("origin", ORIGIN, 2048);
            }
            Optional<String> ref = p.optString("ref");
            if (ref.isPresent() && p.value("ref", PackageRef::parse).isLatest()) {
                throw p.fail("ref", "must name an exact version, not latest: '" + PackageName.abbreviate(ref.get())
                        + "'");
            }
            parents.add(new ParentRef(digest, origin, ref));
        }
        if (operator.needsParents() && parents.isEmpty()) {
            throw root.fail("parents", "operator '" + operator.wireName() + "' needs at least one parent");
        }

        List<JsonObject> data = new ArrayList<>();
        for (Node d : root.atMost("data", root.optObjects("data"), 64)) {
            d.text("name", 128);
            if (d.json().has("description")) {
                String description = d.string("description");
                int n = description.codePointCount(0, description.length());
                if (n > 1000) {
                    throw d.fail("description", "must be at most 1000 characters, got " + n);
                }
            }
            if (d.json().has("digest")) {
                d.digest("digest");
            }
            data.add(d.json());
        }
        return new LineageCard(name, version, operator, parameters, parents, data, root.json());
    }
}
