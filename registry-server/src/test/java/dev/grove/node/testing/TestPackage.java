package dev.grove.node.testing;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.Sha256;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.json.Json;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.PayloadTypes;
import dev.grove.pkg.PublicKeyEntry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A signed package built in memory for node tests: valid by default, with knobs for the ways tests break it.
 *
 * <pre>{@code
 * TestPackage pkg = TestPackage.builder("demo/langid", "1.0.0").labels("en", "fr").build(key);
 * http.putBlob(pkg.weights()); http.publish(pkg.bundleJson());
 * }</pre>
 */
public record TestPackage(String name, String version, Bundle bundle, byte[] weights, Sha256 digest) {

    public String bundleJson() {
        return Json.write(bundle.toJson());
    }

    public static Builder builder(String name, String version) {
        return new Builder(name, version);
    }

    public static final class Builder {
        private final String name;
        private final String version;
        private List<String> labels = List.of("en", "fr");
        private byte[] weights;
        private String operator = "train";
        private final List<JsonObject> parents = new ArrayList<>();
        private String summary = "Language identification for tests";
        private String license = "Apache-2.0";
        private String task = "text-classification";
        private UnaryOperator<JsonObject> contractEdit = UnaryOperator.identity();
        private double accuracy = 0.9;
        private long samples = 10;

        private Builder(String name, String version) {
            this.name = name;
            this.version = version;
            this.weights = ("weights of " + name + "@" + version).getBytes(StandardCharsets.UTF_8);
        }

        public Builder labels(String... labels) {
            this.labels = List.of(labels);
            return this;
        }

        public Builder weights(byte[] weights) {
            this.weights = weights.clone();
            return this;
        }

        public Builder summary(String summary) {
            this.summary = summary;
            return this;
        }

        public Builder license(String license) {
            this.license = license;
            return this;
        }

        public Builder task(String task) {
            this.task = task;
            return this;
        }

        public Builder parent(String operator, Sha256 digest, String ref) {
            this.operator = operator;
            parents.add(new JsonObject().put("digest", digest.toString()).put("ref", ref));
            return this;
        }

        /** The evaluation card's accuracy on its held-out set, and the samples it was measured on (0.9 on 10 by default). */
        public Builder accuracy(double accuracy, long samples) {
            this.accuracy = accuracy;
            this.samples = samples;
            return this;
        }

        /** Changes the contract JSON after it is built and before it is signed. */
        public Builder editContract(UnaryOperator<JsonObject> edit) {
            this.contractEdit = edit;
            return this;
        }

        public TestPackage build(Ed25519PrivateKey... keys) {
            JsonObject subject = new JsonObject().put("name", name).put("version", version);
            byte[] lineage = new JsonObject()
                    .put("schema", "grove.lineage/v1")
                    .put("subject", subject)
                    .put("operator", operator)
                    .put("parameters", new JsonObject())
                    .put("parents", new JsonArray(new ArrayList<>(parents)))
                    .put("data", new JsonArray().add(new JsonObject().put("name", "test-texts")
                            .put("description", "a few sentences written for tests")))
                    .encode().getBytes(StandardCharsets.UTF_8);
            byte[] evaluation = new JsonObject()
                    .put("schema", "grove.evaluation/v1")
                    .put("subject", subject)
                    .put("evaluations", new JsonArray().add(new JsonObject()
                            .put("dataset", new JsonObject().put("name", "test-heldout")
                                    .put("digest", Sha256.of("held out".getBytes(StandardCharsets.UTF_8)).toString()))
                            .put("metrics", new JsonArray().add(new JsonObject()
                                    .put("name", "accuracy").put("value", accuracy).put("samples", samples)
                                    .put("breakdown", new JsonArray().add(new JsonObject().put("factor", "language")
                                            .put("level", labels.get(0)).put("value", 1.0).put("samples", 5)))))))
                    .encode().getBytes(StandardCharsets.UTF_8);
            JsonObject contract = new JsonObject()
                    .put("schema", "grove.contract/v1")
                    .put("name", name)
                    .put("version", version)
                    .put("summary", summary)
                    .put("license", license)
                    .put("task", task)
                    .put("tags", new JsonArray().add("language-id"))
                    .put("interface", new JsonObject()
                            .put("inputs", new JsonArray().add(new JsonObject().put("name", "text")
                                    .put("dtype", "string").put("shape", new JsonArray())))
                            .put("outputs", new JsonArray().add(new JsonObject().put("name", "probabilities")
                                    .put("dtype", "float32").put("shape", new JsonArray().add(labels.size()))
                                    .put("labels", new JsonArray(new ArrayList<>(labels))))))
                    .put("architecture", new JsonObject().put("family", "mlp").put("opset", 1)
                            .put("config", new JsonObject().put("hidden", new JsonArray().add(4))))
                    .put("resources", new JsonObject().put("parameters", 100).put("bytes", weights.length))
                    .put("artifacts", new JsonArray().add(new JsonObject()
                            .put("path", "weights/model.safetensors")
                            .put("mediaType", "application/vnd.safetensors")
                            .put("size", weights.length)
                            .put("digest", Sha256.of(weights).toString())))
                    .put("cards", new JsonObject()
                            .put("lineage", Sha256.of(lineage).toString())
                            .put("evaluation", Sha256.of(evaluation).toString()));
            byte[] contractBytes = contractEdit.apply(contract).encode().getBytes(StandardCharsets.UTF_8);
            Envelope c = EnvelopeSigner.sign(PayloadTypes.CONTRACT, contractBytes, keys);
            Envelope l = EnvelopeSigner.sign(PayloadTypes.LINEAGE, lineage, keys);
            Envelope e = EnvelopeSigner.sign(PayloadTypes.EVALUATION, evaluation, keys);
            Map<String, PublicKeyEntry> entries = new LinkedHashMap<>();
            for (Ed25519PrivateKey key : keys) {
                entries.put(key.keyId().hex(), PublicKeyEntry.of(key.publicKey()));
            }
            Bundle bundle = new Bundle(c, l, e, List.copyOf(entries.values()));
            return new TestPackage(name, version, bundle, weights, Sha256.of(contractBytes));
        }
    }
}
