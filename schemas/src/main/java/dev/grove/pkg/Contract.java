package dev.grove.pkg;

import dev.grove.crypto.Sha256;
import dev.grove.json.JsonObject;
import dev.grove.semver.SemVer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The package contract ({@code grove.json}): what the package is, its interface, and the digests that pin every artifact
 * and both cards. The SHA-256 of its exact payload bytes is the package digest. {@code json} is the whole parsed document,
 * for fields this record does not model.
 */
public record Contract(PackageName name, SemVer version, String summary, String license, String task, List<String> tags,
        List<TensorSpec> inputs, List<TensorSpec> outputs, JsonObject architecture, long parameters, long bytes,
        List<Artifact> artifacts, Sha256 lineageCard, Sha256 evaluationCard, JsonObject json) {
    public static final String SCHEMA = "grove.contract/v1";
    /** The optional model card: an artifact at this path must be text/markdown of at most README_MAX_BYTES. */
    public static final String README = "README.md";
    public static final String README_MEDIA_TYPE = "text/markdown";
    public static final long README_MAX_BYTES = 65_536;

    // limits and patterns shared with schemas/src/main/resources/schemas/contract.schema.json
    private static final Pattern LICENSE =
            Pattern.compile("^[A-Za-z0-9][A-Za-z0-9.+-]*( (AND|OR|WITH) [A-Za-z0-9][A-Za-z0-9.+-]*)*$");
    private static final Pattern WORD = Pattern.compile("^[a-z0-9][a-z0-9._-]*$");
    private static final Pattern TENSOR_NAME = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.:-]*$");
    private static final Pattern MEDIA_TYPE =
            Pattern.compile("^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$");

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
        root.only("schema", "name", "version", "summary", "license", "task", "tags", "interface", "architecture",
                "resources", "artifacts", "cards", "adapter");
        PackageName name = root.packageName("name");
        SemVer version = root.semver("version");
        String summary = root.string("summary");
        int summaryLength = summary.codePointCount(0, summary.length());
        if (summaryLength > 280) {
            throw root.fail("summary", "must be at most 280 characters, got " + summaryLength);
        }
        String license = root.string("license");
        if (license.length() > 256 || !LICENSE.matcher(license).matches()) {
            throw root.fail("license", "not an SPDX license expression: '" + PackageName.abbreviate(license) + "'");
        }
        String task = root.matching("task", WORD, 64);
        List<String> tags = root.atMost("tags", root.optStrings("tags"), 32);
        Set<String> seenTags = new HashSet<>();
        for (int i = 0; i < tags.size(); i++) {
            Node.check(root.at("tags") + "[" + i + "]", tags.get(i), WORD, 64);
            if (!seenTags.add(tags.get(i))) {
                throw DocumentException.at(root.at("tags") + "[" + i + "]", "duplicate tag '" + tags.get(i) + "'");
            }
        }

        Node iface = root.object("interface").only("inputs", "outputs");
        List<TensorSpec> inputs = tensors(iface, "inputs", "input");
        List<TensorSpec> outputs = tensors(iface, "outputs", "output");
        Node arch = root.object("architecture").only("family", "opset", "config");
        String family = arch.matching("family", WORD, 64);
        arch.positive("opset");
        if (arch.json().has("config")) {
            arch.rawObject("config");
        }
        JsonObject architecture = arch.json();
        AdapterBase.check(root, family);
        if (CascadeConfig.isCascade(architecture)) {
            CascadeConfig.fromArchitecture(architecture); // its members and thresholds, checked here like any field
        }
        Node resources = root.object("resources").only("parameters", "bytes");
        long parameters = resources.nonNegative("parameters");
        long bytes = resources.nonNegative("bytes");

        List<Artifact> artifacts = new ArrayList<>();
        Set<String> paths = new HashSet<>();
        for (Node a : root.atMost("artifacts", root.nonEmpty("artifacts", root.objects("artifacts")), 256)) {
            a.only("path", "mediaType", "size", "digest");
            String path = a.string("path");
            String problem = path.length() > 512 ? "artifact path must be at most 512 characters" : Artifact.pathProblem(path);
            if (problem != null) {
                throw a.fail("path", problem);
            }
            if (!paths.add(path)) {
                throw a.fail("path", "duplicate artifact path '" + PackageName.abbreviate(path) + "'");
            }
            String mediaType = a.matching("mediaType", MEDIA_TYPE, 255);
            long size = a.nonNegative("size");
            if (path.equals(README) && !mediaType.equals(README_MEDIA_TYPE)) {
                throw a.fail("mediaType", "the README.md model card must be " + README_MEDIA_TYPE);
            }
            if (path.equals(README) && size > README_MAX_BYTES) {
                throw a.fail("size", "the README.md model card must be at most " + README_MAX_BYTES + " bytes, got " + size);
            }
            Sha256 digest = a.digest("digest");
            artifacts.add(new Artifact(path, mediaType, size, digest));
        }
        Node cards = root.object("cards").only("lineage", "evaluation");
        Sha256 lineage = cards.digest("lineage");
        Sha256 evaluation = cards.digest("evaluation");
        return new Contract(name, version, summary, license, task, tags, inputs, outputs, architecture, parameters, bytes,
                artifacts, lineage, evaluation, root.json());
    }

    /** The base package, when this is an adapter package (architecture family {@code lora}). */
    public Optional<AdapterBase> adapter() {
        return AdapterBase.of(this);
    }

    /** {@code name@version}. */
    public PackageRef ref() {
        return PackageRef.of(name, version);
    }

    private static List<TensorSpec> tensors(Node iface, String key, String kind) {
        List<TensorSpec> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        boolean isInput = kind.equals("input");
        for (Node t : iface.atMost(key, iface.nonEmpty(key, iface.objects(key)), 64)) {
            if (isInput) {
                t.only("name", "dtype", "shape", "optional");
            } else {
                if (t.json().has("optional")) {
                    throw t.fail("optional", "only inputs may be optional");
                }
                t.only("name", "dtype", "shape", "labels");
            }
            String name = t.matching("name", TENSOR_NAME, 64);
            if (!names.add(name)) {
                throw t.fail("name", "duplicate " + kind + " name '" + PackageName.abbreviate(name) + "'");
            }
            String dtype = t.string("dtype");
            if (!TensorSpec.DTYPES.contains(dtype)) {
                throw t.fail("dtype", "unknown dtype '" + PackageName.abbreviate(dtype)
                        + "' (expected one of string, float32, float16, int8, int32, int64, bool)");
            }
            List<Long> shape = t.atMost("shape", t.integers("shape"), 8);
            for (int i = 0; i < shape.size(); i++) {
                if (shape.get(i) < -1) {
                    throw DocumentException.at(t.at("shape") + "[" + i + "]",
                            "must be a non-negative integer or -1, got " + shape.get(i));
                }
            }
            List<String> labels = t.atMost("labels", t.optStrings("labels"), 4096);
            for (int i = 0; i < labels.size(); i++) {
                int n = labels.get(i).codePointCount(0, labels.get(i).length());
                if (n < 1 || n > 128) {
                    throw DocumentException.at(t.at("labels") + "[" + i + "]", "must have 1 to 128 characters, got " + n);
                }
            }
            boolean optional = t.optBool("optional", false);
            out.add(new TensorSpec(name, dtype, shape, labels, optional));
        }
        return out;
    }
}
