// Generates signed Grove bundles for the publish benchmark (see run.sh). Java 17 single-file program, run against the
// node's shaded jar:
//
//   java -cp cli/target/grove.jar registry-server/bench/GenerateBundles.java \
//        --out DIR --count N [--namespaces K] [--mode names|versions]
//
// Writes into DIR:
//   blob.bin      one small weights blob that every bundle references (PUT it to /v1/blobs/<digest> first)
//   blob.digest   its digest, "sha256:<hex>"
//   prime.jsonl   K bundles, one per namespace (bench0..bench<K-1>), to publish before the load: the first publish into a
//                 namespace binds it to the key, and the first line is the package the read benchmark fetches
//   prime.paths   for each line of prime.jsonl its version-metadata path, /v1/packages/<ns>/<name>/versions/<version>
//   bundles.jsonl N more bundles, one JSON document per line, all distinct (never published twice), spread round-robin
//                 over the K namespaces; --mode names: distinct package names at version 1.0.0 (default);
//                 --mode versions: one package per namespace, distinct versions 1.0.1, 1.0.2, ...
// All documents are signed (DSSE, Ed25519) by one key generated per run (its seed is not written anywhere).

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

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

public class GenerateBundles {

    public static void main(String[] args) throws IOException {
        Path out = null;
        int count = 10_000;
        int namespaces = 1;
        String mode = "names";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--count" -> count = Integer.parseInt(args[++i]);
                case "--namespaces" -> namespaces = Integer.parseInt(args[++i]);
                case "--mode" -> mode = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: --out DIR --count N [--namespaces K] [--mode names|versions]");
            }
        }
        if (out == null || count < 1 || namespaces < 1 || !(mode.equals("names") || mode.equals("versions"))) {
            throw new IllegalArgumentException("usage: --out DIR --count N [--namespaces K] [--mode names|versions]");
        }
        Files.createDirectories(out);
        byte[] weights = "grove benchmark weights: one blob shared by every bundle\n".getBytes(StandardCharsets.UTF_8);
        Sha256 blob = Sha256.of(weights);
        Files.write(out.resolve("blob.bin"), weights);
        Files.writeString(out.resolve("blob.digest"), blob.toString() + "\n");

        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        long started = System.nanoTime();
        try (BufferedWriter prime = Files.newBufferedWriter(out.resolve("prime.jsonl"));
             BufferedWriter paths = Files.newBufferedWriter(out.resolve("prime.paths"))) {
            for (int ns = 0; ns < namespaces; ns++) {
                String namespace = "bench" + ns;
                String name = "langid";
                String version = "1.0.0";
                prime.write(bundle(key, namespace + "/" + name, version, weights, blob));
                prime.write('\n');
                paths.write("/v1/packages/" + namespace + "/" + name + "/versions/" + version + "\n");
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(out.resolve("bundles.jsonl"))) {
            for (int i = 0; i < count; i++) {
                int ns = i % namespaces;
                int n = i / namespaces;
                String name = mode.equals("names") ? "bench" + ns + "/model-" + n : "bench" + ns + "/langid";
                String version = mode.equals("names") ? "1.0.0" : "1.0." + (n + 1);
                w.write(bundle(key, name, version, weights, blob));
                w.write('\n');
            }
        }
        System.out.printf("generated %d + %d bundles (%s, %d namespace(s)) in %.1f s; blob %s%n", count, namespaces,
                mode, namespaces, (System.nanoTime() - started) / 1e9, blob);
    }

    /** A valid signed bundle, as one line of JSON (the document shapes follow the node's TestPackage fixture). */
    static String bundle(Ed25519PrivateKey key, String name, String version, byte[] weights, Sha256 blob) {
        JsonObject subject = new JsonObject().put("name", name).put("version", version);
        byte[] lineage = new JsonObject()
                .put("schema", "grove.lineage/v1")
                .put("subject", subject)
                .put("operator", "train")
                .put("parameters", new JsonObject())
                .put("parents", new JsonArray())
                .put("data", new JsonArray().add(new JsonObject().put("name", "bench-texts")
                        .put("description", "synthetic sentences for the load benchmark")))
                .encode().getBytes(StandardCharsets.UTF_8);
        byte[] evaluation = new JsonObject()
                .put("schema", "grove.evaluation/v1")
                .put("subject", subject)
                .put("evaluations", new JsonArray().add(new JsonObject()
                        .put("dataset", new JsonObject().put("name", "bench-heldout")
                                .put("digest", Sha256.of("held out".getBytes(StandardCharsets.UTF_8)).toString()))
                        .put("metrics", new JsonArray().add(new JsonObject()
                                .put("name", "accuracy").put("value", 0.9).put("samples", 10)
                                .put("breakdown", new JsonArray().add(new JsonObject().put("factor", "language")
                                        .put("level", "en").put("value", 1.0).put("samples", 5)))))))
                .encode().getBytes(StandardCharsets.UTF_8);
        byte[] contract = new JsonObject()
                .put("schema", "grove.contract/v1")
                .put("name", name)
                .put("version", version)
                .put("summary", "Language identification, generated for the load benchmark")
                .put("license", "Apache-2.0")
                .put("task", "text-classification")
                .put("tags", new JsonArray().add("language-id"))
                .put("interface", new JsonObject()
                        .put("inputs", new JsonArray().add(new JsonObject().put("name", "text")
                                .put("dtype", "string").put("shape", new JsonArray())))
                        .put("outputs", new JsonArray().add(new JsonObject().put("name", "probabilities")
                                .put("dtype", "float32").put("shape", new JsonArray().add(2))
                                .put("labels", new JsonArray().add("en").add("fr")))))
                .put("architecture", new JsonObject().put("family", "mlp").put("opset", 1)
                        .put("config", new JsonObject().put("hidden", new JsonArray().add(4))))
                .put("resources", new JsonObject().put("parameters", 100).put("bytes", weights.length))
                .put("artifacts", new JsonArray().add(new JsonObject()
                        .put("path", "weights/model.safetensors")
                        .put("mediaType", "application/vnd.safetensors")
                        .put("size", weights.length)
                        .put("digest", blob.toString())))
                .put("cards", new JsonObject()
                        .put("lineage", Sha256.of(lineage).toString())
                        .put("evaluation", Sha256.of(evaluation).toString()))
                .encode().getBytes(StandardCharsets.UTF_8);
        Envelope c = EnvelopeSigner.sign(PayloadTypes.CONTRACT, contract, key);
        Envelope l = EnvelopeSigner.sign(PayloadTypes.LINEAGE, lineage, key);
        Envelope e = EnvelopeSigner.sign(PayloadTypes.EVALUATION, evaluation, key);
        String json = Json.write(new Bundle(c, l, e, List.of(PublicKeyEntry.of(key.publicKey()))).toJson());
        if (json.indexOf('\n') >= 0) {
            throw new IllegalStateException("a bundle must fit on one line");
        }
        return json;
    }
}
