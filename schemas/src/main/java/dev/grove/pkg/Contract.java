package dev.grove.pkg;

import dev.grove.crypto.Sha256;
import dev.grove.json.JsonObject;
import dev.grove.semver.SemVer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The package contract ({@code grove.json}): what the package is, its interface, and the digests that pin every artifact
 * and both cards. The SHA-256 of its exact payload bytes is the package digest. {@code json} is the whole parsed document,
 * for fields this record does not model.
 */
public record Contract(PackageName name, SemVer version, String summary, String license, String task, List<String> tags,
        List<TensorSpec> inputs, List<TensorSpec> outputs, JsonObject architecture, long parameters, long bytes,
        List<Artifact> artifacts, Sha256 lineageCard, Sha256 evaluationCard, JsonObject json) {
    public static final String SCHEMA = "grove.contract/v1";

    public Contract {
        tags = Collections.unmodifiableList(new ArrayList<>(tags));
        inputs = Collections.unmodifiableList(new ArrayList<>(inputs));
        outputs = Collections.unmodifiableList(new ArrayList<>(outputs));
        artifacts = Collections.unmodifiableList(new ArrayList<>(artifacts));
    }

    /** @throws DocumentException with the JSON path of the first bad field */
    public static Contract parse(byte[] payload) {
        Node root = Node.root(payload);
        root.expectSchema(SCHEMA);
        PackageName name = root.packageName("name");
        SemVer version = root.semver("version");
        String summary = root.string("summary");
        String license = root.nonEmptyString("license");
        String task = root.nonEmptyString("task");
        List<String> tags = root.optStrings("tags");

        Node iface = root.object("interface");
        List<TensorSpec> inputs = tensors(iface, "inputs", "input");
        List<TensorSpec> outputs = tensors(iface, "outputs", "output");
        JsonObject architecture = root.rawObject("architecture");
        Node resources = root.object("resources");
        long parameters = resources.nonNegative("parameters");
        long bytes = resources.nonNegative("bytes");

        List<Artifact> artifacts = new ArrayList<>();
        Set<String> paths = new HashSet<>();
        for (Node a : root.objects("artifacts")) {
            String path = a.string("path");
            String problem = Artifact.pathProblem(path);
            if (problem != null) {
                throw a.fail("path", problem);
            }
            if (!paths.add(path)) {
                throw a.fail("path", "duplicate artifact path '" + PackageName.abbreviate(path) + "'");
            }
            String mediaType = a.nonEmptyString("mediaType");
            long size = a.nonNegative("size");
            Sha256 digest = a.digest("digest");
            artifacts.add(new Artifact(path, mediaType, size, digest));
        }
        Node cards = root.object("cards");
        Sha256 lineage = cards.digest("lineage");
        Sha256 evaluation = cards.digest("evaluation");
        return new Contract(name, version, summary, license, task, tags, inputs, outputs, architecture, parameters, bytes,
                artifacts, lineage, evaluation, root.json());
    }

    /** {@code name@version}. */
    public PackageRef ref() {
        return PackageRef.of(name, version);
    }

    private static List<TensorSpec> tensors(Node iface, String key, String kind) {
        List<TensorSpec> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Node t : iface.objects(key)) {
            String name = t.nonEmptyString("name");
            if (!names.add(name)) {
                throw t.fail("name", "duplicate " + kind + " name '" + PackageName.abbreviate(name) + "'");
            }
            String dtype = t.string("dtype");
            if (!TensorSpec.DTYPES.contains(dtype)) {
                throw t.fail("dtype", "unknown dtype '" + PackageName.abbreviate(dtype)
                        + "' (expected one of string, float32, float16, int8, int32, int64, bool)");
            }
            List<Long> shape = t.integers("shape");
            for (int i = 0; i < shape.size(); i++) {
                if (shape.get(i) < -1) {
                    throw DocumentException.at(t.at("shape") + "[" + i + "]",
                            "must be a non-negative integer or -1, got " + shape.get(i));
                }
            }
            List<String> labels = t.optStrings("labels");
            boolean optional = t.optBool("optional", false);
            out.add(new TensorSpec(name, dtype, shape, labels, optional));
        }
        return out;
    }
}
