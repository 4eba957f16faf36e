package dev.grove.cli.pack;

import dev.grove.crypto.Sha256;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonException;
import dev.grove.json.JsonNumber;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonString;
import dev.grove.json.JsonValue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills in what the contract pins from the directory as it is now: each artifact's {@code size} and {@code digest}, the
 * digests of the exact bytes of {@code lineage.json} and {@code evaluation.json} under {@code cards}, and
 * {@code resources.bytes} (the artifacts' total size, the {@code README.md} model card left out). Everything else in the
 * contract, and the order of its fields, is kept as the author wrote it.
 */
public final class ContractPins {
    /** The optional model card artifact (docs/protocol.md), documentation rather than a resource of the model. */
    public static final String MODEL_CARD = "README.md";
    /** Where a package carries the data its lineage claim was trained on (left out of resources.bytes). */
    public static final String DATA_DIR = "data/";

    private ContractPins() {
    }

    /**
     * @throws VerificationException when the contract lists no artifacts array, an artifact without a path, or a file
     *                               that is missing
     */
    public static JsonObject fill(JsonObject contract, PackageDirectory dir) throws IOException {
        JsonArray artifacts;
        try {
            artifacts = contract.array("artifacts");
        } catch (JsonException e) {
            throw new VerificationException(PackageDirectory.CONTRACT + ": " + e.getMessage(), e);
        }
        List<JsonValue> pinned = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < artifacts.size(); i++) {
            JsonObject artifact;
            String path;
            try {
                artifact = artifacts.object(i);
                path = artifact.string("path");
            } catch (JsonException e) {
                throw new VerificationException(PackageDirectory.CONTRACT + ": artifacts[" + i + "]: " + e.getMessage(), e);
            }
            PackageDirectory.FileDigest file = PackageDirectory.digest(dir.artifact(path));
            // resources are what running the model costs, and a node's release rule counts a saving in bytes as
            // efficiency: a child with a shorter model card than its parent's must not pass for a smaller model
            // an adapter's training data travels with it so that nodes can re-run it; running the model never reads it
            if (!path.equals(MODEL_CARD) && !path.startsWith(DATA_DIR)) {
                total += file.size();
            }
            pinned.add(with(with(artifact, "size", JsonNumber.of(file.size())),
                    "digest", JsonString.of(file.digest().toString())));
        }
        Sha256 lineage = Sha256.of(dir.read(PackageDirectory.LINEAGE));
        Sha256 evaluation = Sha256.of(dir.read(PackageDirectory.EVALUATION));
        JsonObject cards = contract.optObject("cards").orElse(JsonObject.empty());
        cards = with(with(cards, "lineage", JsonString.of(lineage.toString())),
                "evaluation", JsonString.of(evaluation.toString()));
        JsonObject resources = contract.optObject("resources").orElse(JsonObject.empty());
        resources = with(resources, "bytes", JsonNumber.of(total));
        JsonObject result = with(contract, "resources", resources);
        result = with(result, "artifacts", JsonArray.of(pinned));
        return with(result, "cards", cards);
    }

    /** A copy of the object with one member replaced in place, or appended when it was not there. */
    public static JsonObject with(JsonObject object, String key, JsonValue value) {
        JsonObject.Builder b = JsonObject.builder();
        boolean replaced = false;
        for (var member : object.members().entrySet()) {
            if (member.getKey().equals(key)) {
                b.put(key, value);
                replaced = true;
            } else {
                b.put(member.getKey(), member.getValue());
            }
        }
        if (!replaced) {
            b.put(key, value);
        }
        return b.build();
    }
}
