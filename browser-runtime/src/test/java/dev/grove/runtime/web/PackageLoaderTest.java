package dev.grove.runtime.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.Sha256;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonString;
import dev.grove.json.JsonValue;
import dev.grove.note.Note;
import dev.grove.note.NoteSigner;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.PayloadTypes;
import dev.grove.pkg.PublicKeyEntry;
import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.Model;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.tlog.HashSources;
import dev.grove.tlog.InclusionProof;
import dev.grove.tlog.MerkleHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Verify-before-run on the JVM: the same checks the browser build makes, each refusal with its message. */
class PackageLoaderTest {
    static final String NODE = "http://node.grove.test";
    static final String ORIGIN = "node.grove.test/grove-log";
    static final Ed25519PrivateKey PUBLISHER = Ed25519PrivateKey.fromSeed(new byte[32]);
    static final Ed25519PrivateKey LOG_KEY = Ed25519PrivateKey.fromSeed(filled(7));
    static final Ed25519PrivateKey STRANGER = Ed25519PrivateKey.fromSeed(filled(9));
    static final Map<String, String> CONFIG = Map.of("architecture", "mlp", "buckets", "256", "classes", "3",
            "hidden", "16", "activation", "gelu");

    static byte[] filled(int b) {
        byte[] s = new byte[32];
        java.util.Arrays.fill(s, (byte) b);
        return s;
    }

    /** A signed package, its version document (with a log proof at index 3 of 6) and its weights. */
    static final class Fixture {
        byte[] weights;
        Bundle bundle;
        JsonObject document;
        String logVerifier = NoteSigner.ed25519(ORIGIN, LOG_KEY).verifier().toString();

        Fixture(UnaryOperator<JsonObject> editContract, Ed25519PrivateKey... signers) throws Exception {
            this(WasmGcParityTest.weights(Architecture.fromConfig(CONFIG)), editContract, l -> l, signers);
        }

        Fixture(byte[] weights, UnaryOperator<JsonObject> editContract, UnaryOperator<JsonObject> editLineage,
                Ed25519PrivateKey... signers) throws Exception {
            this.weights = weights;
            JsonObject subject = JsonObject.builder().put("name", "demo/langid").put("version", "1.0.0").build();
            byte[] lineage = Json.writeBytes(editLineage.apply(JsonObject.builder().put("schema", "grove.lineage/v1")
                    .put("subject", subject).put("operator", "train").build()));
            byte[] evaluation = Json.writeBytes(JsonObject.builder().put("schema", "grove.evaluation/v1")
                    .put("subject", subject).put("evaluations", JsonArray.of()).build());
            JsonObject contract = (JsonObject) Json.parse("""
                    {"schema":"grove.contract/v1","name":"demo/langid","version":"1.0.0","summary":"test",
                     "license":"Apache-2.0","task":"text-classification",
                     "interface":{"inputs":[{"name":"text","dtype":"string","shape":[]}],
                       "outputs":[{"name":"probabilities","dtype":"float32","shape":[3],"labels":["en","fr","de"]}]},
                     "architecture":{"family":"mlp","opset":1,"config":{"buckets":256,"classes":3,"hidden":[16],
                       "activation":"gelu"}},
                     "resources":{"parameters":4163,"bytes":%d},
                     "artifacts":[{"path":"weights/model.safetensors","mediaType":"application/vnd.safetensors",
                       "size":%d,"digest":"%s"}],
                     "cards":{"lineage":"%s","evaluation":"%s"}}""".formatted(weights.length, weights.length,
                    Sha256.of(weights), Sha256.of(lineage), Sha256.of(evaluation)));
            byte[] contractBytes = Json.writeBytes(editContract.apply(contract));
            Envelope c = EnvelopeSigner.sign(PayloadTypes.CONTRACT, contractBytes, signers);
            Envelope l = EnvelopeSigner.sign(PayloadTypes.LINEAGE, lineage, signers);
            Envelope e = EnvelopeSigner.sign(PayloadTypes.EVALUATION, evaluation, signers);
            bundle = new Bundle(c, l, e, List.of(PublicKeyEntry.of(PUBLISHER.publicKey())));

            byte[] entry = Json.writeBytes(JsonObject.builder().put("kind", "package/v1").put("name", "demo/langid")
                    .put("version", "1.0.0").put("digest", bundle.packageDigest().toString())
                    .put("bundle", bundle.toJson()).build());
            List<byte[]> leaves = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                leaves.add(MerkleHash.leafHash(i == 3 ? entry : ("other entry " + i).getBytes(StandardCharsets.UTF_8)));
            }
            InclusionProof proof = InclusionProof.generate(3, 6, HashSources.fromLeafHashes(leaves));
            String text = new Checkpoint(ORIGIN, 6, MerkleHash.rootFromLeaves(leaves)).format();
            NoteSigner signer = NoteSigner.ed25519(ORIGIN, LOG_KEY);
            String checkpoint = Note.unsigned(text).withSignature(signer.sign(text)).toString();
            List<JsonValue> hashes = new ArrayList<>();
            for (byte[] h : proof.hashes()) {
                hashes.add(JsonString.of(Base64.getEncoder().encodeToString(h)));
            }
            document = JsonObject.builder()
                    .put("ref", "demo/langid@1.0.0")
                    .put("digest", bundle.packageDigest().toString())
                    .put("artifacts", JsonArray.of(JsonObject.builder().put("path", "weights/model.safetensors")
                            .put("url", "/v1/blobs/" + Sha256.of(weights)).build()))
                    .put("bundle", bundle.toJson())
                    .put("log", JsonObject.builder().put("index", 3).put("treeSize", 6).put("checkpoint", checkpoint)
                            .put("inclusion", JsonArray.of(hashes)).build())
                    .build();
        }

        Fixture() throws Exception {
            this(c -> c, PUBLISHER);
        }

        String nodeDocument() {
            return Json.write(JsonObject.builder().put("publicUrl", NODE).put("logOrigin", ORIGIN)
                    .put("logKey", logVerifier).build());
        }

        PackageLoader begin() throws PackageRefusedException {
            return PackageLoader.begin(NODE, "demo/langid@1.0.0", Json.write(document), nodeDocument(), null, null);
        }

        Fixture edit(UnaryOperator<JsonObject> f) {
            document = f.apply(document);
            return this;
        }
    }

    static JsonObject with(JsonObject o, String key, JsonValue value) {
        JsonObject.Builder b = JsonObject.builder();
        o.members().forEach((k, v) -> b.put(k, k.equals(key) ? value : v));
        if (!o.has(key)) {
            b.put(key, value);
        }
        return b.build();
    }

    @Test
    void verifiesEverythingThenRuns() throws Exception {
        Fixture f = new Fixture();
        PackageLoader l = f.begin();
        assertThat(l.fetches()).containsExactly(new PackageLoader.Fetch("weights/model.safetensors",
                NODE + "/v1/blobs/" + Sha256.of(f.weights), f.weights.length, Sha256.of(f.weights).toString()));
        l.addArtifact("weights/model.safetensors", f.weights);
        LoadedPackage p = l.finish();

        assertThat(p.ref()).isEqualTo("demo/langid@1.0.0");
        assertThat(p.labels()).containsExactly("en", "fr", "de");
        Model reference = Model.load(Architecture.fromConfig(CONFIG), SafetensorsFile.parse(f.weights));
        assertThat(p.model().predict("bonjour")).containsExactly(reference.predict("bonjour"));
        assertThat(p.report().checks()).extracting(Report.Check::name).containsExactly("keyset", "signatures", "cards",
                "package digest", "reference", "log", "architecture", "artifacts",
                "artifact weights/model.safetensors", "weights");
        assertThat(p.report().checks()).extracting(Report.Check::status).containsOnly("passed");
        assertThat(p.report().checks().get(5).detail()).startsWith("entry 3 of log node.grove.test/grove-log, in its "
                + "signed checkpoint of size 6 (the package/v1 entry rebuilt from the verified bundle, 3-hash inclusion "
                + "proof,").endsWith("key from /.well-known/grove/node");
    }

    /** The browser applies an adapter only over the verified base it names, and computes base + delta. */
    @Test
    void anAdapterIsAppliedOnlyOverTheBaseItNames() throws Exception {
        String path = "weights/model.safetensors";
        Fixture base = new Fixture();
        PackageLoader bl = base.begin();
        bl.addArtifact(path, base.weights);
        LoadedPackage plain = bl.finish();
        String baseDigest = base.bundle.packageDigest().toString();
        // rank 1 over dense0 [256, 16] and dense1 [16, 3] of CONFIG's mlp
        dev.grove.runtime.safetensors.SafetensorsWriter w = new dev.grove.runtime.safetensors.SafetensorsWriter();
        float[] a0 = new float[256];
        float[] b0 = new float[16];
        for (int i = 0; i < 256; i++) {
            a0[i] = (i % 7 - 3) / 8f;
        }
        for (int j = 0; j < 16; j++) {
            b0[j] = (j % 5 - 2) / 4f;
        }
        w.addF32("dense0.lora_a", new long[] {1, 256}, a0).addF32("dense0.lora_b", new long[] {16, 1}, b0);
        byte[] adapterWeights = w.toBytes();
        UnaryOperator<JsonObject> asAdapter = c -> with(with(c, "architecture", Json.parse(
                "{\"family\":\"lora\",\"opset\":1,\"config\":{\"rank\":1,\"alpha\":2.0}}")), "adapter",
                Json.parse("{\"base\":{\"name\":\"demo/langid\",\"version\":\"1.0.0\",\"digest\":\"" + baseDigest
                        + "\",\"weights\":\"" + Sha256.of(base.weights) + "\"}}"));
        UnaryOperator<JsonObject> adapterLineage = l -> with(with(l, "operator", JsonString.of("adapter")), "parents",
                Json.parse("[{\"digest\":\"" + baseDigest + "\"}]"));
        Fixture adapter = new Fixture(adapterWeights, asAdapter, adapterLineage, PUBLISHER);

        PackageLoader alone = adapter.begin();
        assertThat(alone.adapterBase().orElseThrow().digest().toString()).isEqualTo(baseDigest);
        alone.addArtifact(path, adapterWeights);
        assertThatThrownBy(alone::finish).isInstanceOf(PackageRefusedException.class)
                .hasMessageContaining("this is an adapter over demo/langid@1.0.0: load its base, then finish over it");

        Fixture other = new Fixture(c -> with(c, "summary", JsonString.of("another package")), PUBLISHER);
        PackageLoader ol = other.begin();
        ol.addArtifact(path, other.weights);
        ol.finish();
        PackageLoader wrong = adapter.begin();
        wrong.addArtifact(path, adapterWeights);
        assertThatThrownBy(() -> wrong.finishOver(ol.asBase())).isInstanceOf(PackageRefusedException.class)
                .hasMessageContaining("the base loaded is demo/langid@1.0.0 " + other.bundle.packageDigest()
                        + "; the adapter names demo/langid@1.0.0 " + baseDigest);

        PackageLoader right = adapter.begin();
        right.addArtifact(path, adapterWeights);
        LoadedPackage p = right.finishOver(bl.asBase());
        Architecture arch = Architecture.fromConfig(CONFIG);
        Model expected = new dev.grove.runtime.model.LoraAdapter(1, 2f).load(arch, SafetensorsFile.parse(base.weights),
                SafetensorsFile.parse(adapterWeights));
        assertThat(p.model().predict("bonjour")).containsExactly(expected.predict("bonjour"));
        assertThat(p.model().predict("bonjour")).isNotEqualTo(plain.model().predict("bonjour"));
        assertThat(p.report().checks()).extracting(Report.Check::name).contains("architecture", "base", "weights");
        assertThat(p.report().checks()).extracting(Report.Check::status).containsOnly("passed");
    }

    /**
     * A cascade: its documents are checked like any package's, it asks for no weights of its own, and a member is
     * accepted only with the digest the cascade names and the cascade's labels.
     */
    @Test
    void aCascadeIsCheckedThenBindsOnlyTheMembersItNames() throws Exception {
        String small = Sha256.of("demo/langid-small contract".getBytes(StandardCharsets.UTF_8)).toString();
        String large = Sha256.of("demo/langid contract".getBytes(StandardCharsets.UTF_8)).toString();
        Fixture f = new Fixture(c -> with(c, "architecture", Json.parse("""
                {"family":"cascade","opset":1,"config":{"rule":"margin","members":[
                  {"name":"demo/langid-small","version":"1.0.0","digest":"%s","threshold":0.25},
                  {"name":"demo/langid","version":"1.0.0","digest":"%s"}]}}""".formatted(small, large))), PUBLISHER);
        PackageLoader l = f.begin();
        assertThat(l.isCascade()).isTrue();
        l.addArtifact("weights/model.safetensors", f.weights);
        assertThatThrownBy(l::finish).isInstanceOf(PackageRefusedException.class)
                .hasMessageContaining("a cascade has no weights");

        PackageLoader again = f.begin();
        again.addArtifact("weights/model.safetensors", f.weights);
        LoadedCascade c = again.finishCascade();
        assertThat(c.config().members()).extracting(m -> m.ref().toString())
                .containsExactly("demo/langid-small@1.0.0", "demo/langid@1.0.0");
        assertThat(c.config().thresholds()).containsExactly(0.25f);
        assertThat(c.report().checks()).extracting(Report.Check::status).containsOnly("passed");
        assertThat(c.report().checks().stream().filter(k -> k.name().equals("architecture")).findFirst().orElseThrow()
                .detail()).startsWith("cascade (op-set 1) of demo/langid-small@1.0.0 (answers at margin >= 0.25), then "
                + "demo/langid@1.0.0");
        List<String> labels = List.of("en", "fr", "de");
        assertThat(c.memberProblem(0, small, labels)).isEmpty();
        assertThat(c.memberProblem(1, large, labels)).isEmpty();
        assertThat(c.memberProblem(1, small, labels)).contains("member 2 demo/langid@1.0.0 loaded with digest " + small
                + ", but the cascade names " + large);
        assertThat(c.memberProblem(0, small, List.of("en", "de", "fr"))).contains("member 1 demo/langid-small@1.0.0 "
                + "has labels [en, de, fr], the cascade [en, fr, de]");
    }

    @Test
    void tamperedWeightsAreRefused() throws Exception {
        Fixture f = new Fixture();
        PackageLoader l = f.begin();
        byte[] tampered = f.weights.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> l.addArtifact("weights/model.safetensors", tampered))
                .isInstanceOf(PackageRefusedException.class)
                .hasMessageStartingWith("artifact weights/model.safetensors: SHA-256 is sha256:")
                .hasMessageContaining(", the contract pins " + Sha256.of(f.weights));
        assertThatThrownBy(l::finish).hasMessage("state: this load already failed or finished");
    }

    @Test
    void aDigestComputedElsewhere_isComparedWithTheContractsPin() throws Exception {
        // the page's WebCrypto SHA-256 of the right bytes: accepted as the runtime's own would be
        Fixture f = new Fixture();
        PackageLoader ok = f.begin();
        ok.addArtifact("weights/model.safetensors", f.weights, b -> Sha256.of(f.weights));
        assertThat(ok.finish().report().checks()).extracting(Report.Check::status).containsOnly("passed");

        // a digest of other bytes, for the same bytes: refused with the same message as a tampered blob
        byte[] tampered = f.weights.clone();
        tampered[0] ^= 1;
        PackageLoader refused = new Fixture().begin();
        assertThatThrownBy(() -> refused.addArtifact("weights/model.safetensors", f.weights, b -> Sha256.of(tampered)))
                .isInstanceOf(PackageRefusedException.class)
                .hasMessage("artifact weights/model.safetensors: SHA-256 is " + Sha256.of(tampered)
                        + ", the contract pins " + Sha256.of(f.weights));
    }

    @Test
    void truncatedWeightsAreRefused() throws Exception {
        Fixture f = new Fixture();
        PackageLoader l = f.begin();
        assertThatThrownBy(() -> l.addArtifact("weights/model.safetensors", new byte[10]))
                .hasMessage("artifact weights/model.safetensors: is 10 bytes, the contract says " + f.weights.length);
    }

    @Test
    void missingArtifactIsRefused() throws Exception {
        PackageLoader l = new Fixture().begin();
        assertThatThrownBy(l::finish).hasMessage("artifacts: artifact weights/model.safetensors was not fetched");
    }

    @Test
    void badSignatureIsRefused() throws Exception {
        Fixture f = new Fixture();
        JsonObject contract = f.document.object("bundle").object("contract");
        JsonObject sig = contract.array("signatures").object(0);
        byte[] s = Base64.getDecoder().decode(sig.string("sig"));
        s[0] ^= 1;
        JsonObject badSig = with(sig, "sig", JsonString.of(Base64.getEncoder().encodeToString(s)));
        f.edit(d -> with(d, "bundle", with(d.object("bundle"), "contract",
                with(contract, "signatures", JsonArray.of(badSig)))));
        assertThatThrownBy(f::begin).isInstanceOf(PackageRefusedException.class)
                .hasMessage("signatures: signature check failed: contract: signature by key " + PUBLISHER.keyId()
                        + " does not verify");
    }

    @Test
    void signatureByAKeyTheBundleDoesNotCarryIsRefused() throws Exception {
        Fixture f = new Fixture(c -> c, STRANGER);
        assertThatThrownBy(f::begin).hasMessageStartingWith("signatures: signature check failed: contract: no "
                + "signature by a trusted key "
                + "(signed by keyid " + STRANGER.keyId());
    }

    @Test
    void bundleKeysOutsideTheNamespaceKeysetAreNotTrusted() throws Exception {
        Fixture f = new Fixture();
        String keyset = Json.write(JsonObject.builder().put("namespace", "demo").put("sequence", 2)
                .put("keys", JsonArray.of(PublicKeyEntry.of(STRANGER.publicKey()).toJson())).build());
        assertThatThrownBy(() -> PackageLoader.begin(NODE, "demo/langid@1.0.0", Json.write(f.document),
                f.nodeDocument(), keyset, null))
                .hasMessageStartingWith("keyset: none of the bundle's keys (" + PUBLISHER.keyId().hex()
                        + ") is or was in the keyset of namespace 'demo'");
    }

    @Test
    void anotherPackageThanAskedIsRefused() throws Exception {
        Fixture f = new Fixture();
        assertThatThrownBy(() -> PackageLoader.begin(NODE, "demo/other@1.0.0", Json.write(f.document),
                f.nodeDocument(), null, null))
                .hasMessage("reference: asked for demo/other@1.0.0, but the signed contract is demo/langid@1.0.0");
    }

    @Test
    void wrongPackageDigestIsRefused() throws Exception {
        Fixture f = new Fixture().edit(d -> with(d, "digest", JsonString.of(Sha256.of(new byte[1]).toString())));
        assertThatThrownBy(f::begin).hasMessageStartingWith("package digest: the node says demo/langid@1.0.0 has digest "
                + Sha256.of(new byte[1]));
    }

    @Test
    void proofForAnotherTreeIsRefused() throws Exception {
        Fixture f = new Fixture();
        JsonObject log = f.document.object("log");
        f.edit(d -> with(d, "log", with(log, "index", dev.grove.json.JsonNumber.of(2))));
        assertThatThrownBy(f::begin).hasMessageStartingWith("log: demo/langid@1.0.0 is not entry 2 of log " + ORIGIN);
    }

    @Test
    void checkpointByAnotherKeyIsRefused() throws Exception {
        Fixture f = new Fixture();
        f.logVerifier = NoteSigner.ed25519(ORIGIN, STRANGER).verifier().toString();
        assertThatThrownBy(f::begin).hasMessageStartingWith("log: the checkpoint does not verify with the key of log "
                + ORIGIN + " (" + f.logVerifier + "): no signature by key " + ORIGIN + "+");
    }

    @Test
    void aPendingLogEntryIsRefusedNotSkipped() throws Exception {
        Fixture f = new Fixture().edit(d -> with(d, "log", JsonObject.builder().put("index", 3).build()));
        assertThatThrownBy(f::begin).hasMessage("log: demo/langid@1.0.0 is entry 3 of log " + ORIGIN
                + " but not in a signed checkpoint yet: try again shortly");
        assertThatThrownBy(() -> PackageLoader.begin(NODE, "demo/langid@1.0.0", Json.write(f.document), null, null,
                f.logVerifier)).hasMessageStartingWith("log: demo/langid@1.0.0 is entry 3 of log");
    }

    /** Another key's contract, a keyset listing that key and no log proof: the downgrade the CLI once accepted. */
    @Test
    void aForgedDocumentStrippedOfItsProofIsRefused() throws Exception {
        Fixture forged = new Fixture(c -> c, STRANGER);
        forged.edit(d -> {
            JsonObject bundle = with(d.object("bundle"), "keys", JsonArray.of(PublicKeyEntry.of(STRANGER.publicKey())
                    .toJson()));
            JsonObject.Builder b = JsonObject.builder();
            d.members().forEach((k, v) -> {
                if (!k.equals("log")) {
                    b.put(k, k.equals("bundle") ? bundle : v);
                }
            });
            return b.build();
        });
        forged.edit(d -> with(d, "digest", JsonString.of(forged.bundle.packageDigest().toString())));
        String keyset = Json.write(JsonObject.builder().put("namespace", "demo").put("sequence", 1)
                .put("keys", JsonArray.of(PublicKeyEntry.of(STRANGER.publicKey()).toJson())).build());
        for (String pinned : new String[] {null, forged.logVerifier}) {
            assertThatThrownBy(() -> PackageLoader.begin(NODE, "demo/langid@1.0.0", Json.write(forged.document),
                    forged.nodeDocument(), keyset, pinned))
                    .hasMessage("log: the node serves no log proof for demo/langid@1.0.0; every version of log "
                            + ORIGIN + " must be proven in it, so this one is refused");
        }
        assertThatThrownBy(() -> PackageLoader.begin(NODE, "demo/langid@1.0.0", Json.write(forged.document),
                Json.write(JsonObject.builder().put("publicUrl", NODE).build()), keyset, null))
                .hasMessageStartingWith("log: /.well-known/grove/node names no log key");
    }

    @Test
    void unknownArchitectureIsRefusedBeforeAnyDownload() throws Exception {
        Fixture f = new Fixture(c -> with(c, "architecture", Json.parse(
                "{\"family\":\"resnet\",\"opset\":1,\"config\":{}}")), PUBLISHER);
        assertThatThrownBy(f::begin)
                .hasMessage("architecture: config: unknown architecture \"resnet\" (mlp or tiny-transformer)");
    }

    @Test
    void contractArchitectureMapsToTheRuntimeConfig() {
        JsonObject a = (JsonObject) Json.parse("""
                {"family":"mlp","opset":1,"config":{"ngram_orders":[1,2,3],"buckets":4096,"hidden":[32],
                 "activation":"relu","classes":3,"weights":"f32"}}""");
        assertThat(ContractArchitecture.config(a)).containsExactly(Map.entry("architecture", "mlp"),
                Map.entry("ngram_orders", "1,2,3"), Map.entry("buckets", "4096"), Map.entry("hidden", "32"),
                Map.entry("activation", "relu"), Map.entry("classes", "3"), Map.entry("weights", "f32"));
    }
}
