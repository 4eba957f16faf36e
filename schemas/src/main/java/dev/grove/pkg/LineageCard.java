package dev.grove.pkg;

import dev.grove.crypto.Sha256;
import dev.grove.json.JsonObject;
import dev.grove.semver.SemVer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The lineage card ({@code lineage.json}): how the subject was made (operator and parameters), from which parents (by
 * package digest) and on which data. {@code data} entries are kept as JSON objects with a required {@code name} and an
 * optional {@code digest} checked to be a sha256 digest.
 */
public record LineageCard(PackageName subjectName, SemVer subjectVersion, Operator operator, JsonObject parameters,
        List<ParentRef> parents, List<JsonObject> data, JsonObject json) {
    public static final String SCHEMA = "grove.lineage/v1";

    public LineageCard {
        parents = Collections.unmodifiableList(new ArrayList<>(parents));
        data = Collections.unmodifiableList(new ArrayList<>(data));
    }

    /** @throws DocumentException with the JSON path of the first bad field */
    public static LineageCard parse(byte[] payload) {
        Node root = Node.root(payload);
        root.expectSchema(SCHEMA);
        Node subject = root.object("subject");
        PackageName name = subject.packageName("name");
        SemVer version = subject.semver("version");
        Operator operator = root.value("operator", Operator::fromWire);
        JsonObject parameters = root.json().has("parameters") ? root.rawObject("parameters") : JsonObject.empty();

        List<ParentRef> parents = new ArrayList<>();
        for (Node p : root.optObjects("parents")) {
            Sha256 digest = p.digest("digest");
            Optional<String> origin = p.optString("origin");
            if (origin.isPresent() && origin.get().isEmpty()) {
                throw p.fail("origin", "must not be empty");
            }
            Optional<String> ref = p.optString("ref");
            if (ref.isPresent()) {
                p.value("ref", PackageRef::parse);
            }
            parents.add(new ParentRef(digest, origin, ref));
        }
        if (operator.needsParents() && parents.isEmpty()) {
            throw root.fail("parents", "operator '" + operator.wireName() + "' needs at least one parent");
        }

        List<JsonObject> data = new ArrayList<>();
        for (Node d : root.optObjects("data")) {
            d.nonEmptyString("name");
            if (d.json().has("digest")) {
                d.digest("digest");
            }
            data.add(d.json());
        }
        return new LineageCard(name, version, operator, parameters, parents, data, root.json());
    }
}
