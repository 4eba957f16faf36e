package dev.grove.cli;

import dev.grove.cli.pack.PackageDirectory;
import dev.grove.cli.pack.PackageSealer;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.pkg.Artifact;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.PayloadTypes;
import dev.grove.pkg.PublicKeyEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code grove pull} against a scripted node, honest or lying: nothing that fails to verify reaches the output. */
class PullCommandTest {
    private static final String VERSION_PATH = "/v1/packages/demo/langid/versions/0.1.0";

    @TempDir
    Path dir;

    private final Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(new byte[32]);
    private ScriptedRegistry registry;
    private Bundle bundle;
    private Artifact weights;
    private byte[] weightBytes;
    private Path out;

    @BeforeEach
    void honestNode() throws Exception {
        Path pkg = dir.resolve("source");
        assertThat(GroveCli.run("init", "demo/langid", "--dir", pkg.toString()).exitCode()).isZero();
        PackageSealer.Sealed sealed = PackageSealer.seal(PackageDirectory.at(pkg), key);
        bundle = sealed.bundle();
        weights = sealed.pkg().contract().artifacts().get(0);
        weightBytes = Files.readAllBytes(pkg.resolve(weights.path()));
        registry = new ScriptedRegistry();
        serve(bundle, bundle.packageDigest().toString());
        registry.json("/v1/namespaces/demo", namespace(key));
        registry.bytes("/v1/blobs/" + weights.digest(), weightBytes);
        out = dir.resolve("pulled/langid");
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private void serve(Bundle served, String digest) {
        registry.json(VERSION_PATH, JsonObject.builder()
                .put("ref", "demo/langid@0.1.0")
                .put("digest", digest)
                .put("yanked", false)
                .put("bundle", served.toJson())
                .build().toString());
    }

    private static String namespace(Ed25519PrivateKey... keys) {
        JsonArray entries = JsonArray.of(java.util.Arrays.stream(keys)
                .map(k -> (dev.grove.json.JsonValue) PublicKeyEntry.of(k.publicKey()).toJson()).toList());
        return JsonObject.builder().put("namespace", "demo").put("sequence", 1).put("keys", entries)
                .put("history", JsonArray.of(JsonObject.builder().put("sequence", 1).put("keys", entries).build()))
                .build().toString();
    }

    private GroveCli.Result pull(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("pull", "demo/langid@0.1.0", "--registry", registry.url(),
                "--out", out.toString()));
        args.addAll(List.of(extra));
        return GroveCli.run(args.toArray(String[]::new));
    }

    private void assertNothingWritten() throws Exception {
        assertThat(out).doesNotExist();
        if (Files.exists(out.getParent())) {
            try (var left = Files.list(out.getParent())) {
                assertThat(left).as("no staging directory left behind").isEmpty();
            }
        }
    }

    @Test
    void pull_fromAnHonestNode_writesAPackageThatVerifies() throws Exception {
        GroveCli.Result result = pull("--trusted-key", key.keyId().hex());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("pulled demo/langid@0.1.0 " + bundle.packageDigest())
                .contains(key.keyId().hex() + " in the current keyset of namespace 'demo' (sequence 1)");
        assertThat(result.err()).contains("download weights/model.safetensors");
        assertThat(out.resolve("grove.json")).hasBinaryContent(bundle.contract().payload());
        assertThat(out.resolve(weights.path())).hasBinaryContent(weightBytes);
        assertThat(GroveCli.run("verify", out.toString(), "--trusted-key", key.keyId().hex()).exitCode()).isZero();
    }

    @Test
    void pull_refusesATamperedArtifact() throws Exception {
        byte[] tampered = weightBytes.clone();
        tampered[tampered.length - 1] ^= 1;
        registry.bytes("/v1/blobs/" + weights.digest(), tampered);

        GroveCli.Result result = pull();

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("error: artifact 'weights/model.safetensors' arrived with digest")
                .contains("but the signed contract says " + weights.digest());
        assertNothingWritten();
    }

    @Test
    void pull_refusesAnArtifactLongerThanSigned() throws Exception {
        byte[] longer = java.util.Arrays.copyOf(weightBytes, weightBytes.length + 100_000);
        registry.bytes("/v1/blobs/" + weights.digest(), longer);

        GroveCli.Result result = pull();

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("arrived with more than the " + weights.size() + " bytes");
        assertNothingWritten();
    }

    @Test
    void pull_refusesAContractChangedAfterSigning() throws Exception {
        byte[] payload = bundle.contract().payload();
        String changed = new String(payload, java.nio.charset.StandardCharsets.UTF_8).replace("Apache-2.0", "MIT-0");
        Envelope forged = Envelope.of(PayloadTypes.CONTRACT, changed.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                bundle.contract().signatures());
        serve(new Bundle(forged, bundle.lineage(), bundle.evaluation(), bundle.keys()), forged.payloadDigest().toString());

        GroveCli.Result result = pull();

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("signature check failed: contract: signature by key").contains("does not verify");
        assertNothingWritten();
    }

    @Test
    void pull_refusesADocumentWhoseDigestIsNotTheContracts() throws Exception {
        serve(bundle, "sha256:" + "0".repeat(64));

        GroveCli.Result result = pull();

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("the node says demo/langid@0.1.0 has digest sha256:000");
        assertNothingWritten();
    }

    @Test
    void pull_refusesAnotherPackageServedUnderTheAskedName() throws Exception {
        registry.json("/v1/packages/demo/other/versions/0.1.0", JsonObject.builder()
                .put("digest", bundle.packageDigest().toString()).put("bundle", bundle.toJson()).build().toString());

        GroveCli.Result result = GroveCli.run("pull", "demo/other@0.1.0", "--registry", registry.url(),
                "--out", out.toString());

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("asked for demo/other, but the signed contract is for demo/langid");
        assertNothingWritten();
    }

    @Test
    void pull_refusesASignerOutsideTheNamespaceKeyset() throws Exception {
        Ed25519PrivateKey owner = Ed25519PrivateKey.generate();
        registry.json("/v1/namespaces/demo", namespace(owner));

        GroveCli.Result result = pull();

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("signer " + key.keyId().hex() + " is not in the keyset of namespace 'demo'");
        assertNothingWritten();
    }

    @Test
    void pull_withATrustedKeyThatDidNotSign_refuses() throws Exception {
        Ed25519PrivateKey other = Ed25519PrivateKey.generate();
        Envelope resigned = EnvelopeSigner.sign(PayloadTypes.CONTRACT, bundle.contract().payload(), other);
        serve(new Bundle(resigned, bundle.lineage(), bundle.evaluation(),
                List.of(PublicKeyEntry.of(other.publicKey()), PublicKeyEntry.of(key.publicKey()))),
                bundle.packageDigest().toString());

        GroveCli.Result result = pull("--trusted-key", key.keyId().hex());

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("contract: no signature by a trusted key");
        assertNothingWritten();
    }

    @Test
    void pull_ofAMissingPackage_showsTheNodesProblem() throws Exception {
        GroveCli.Result result = GroveCli.run("pull", "demo/nothing@1.0.0", "--registry", registry.url(),
                "--out", out.toString());

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).isEqualTo("error: Not Found: nothing here\n");
        assertNothingWritten();
    }

    @Test
    void pull_fromAnUnreachableNode_exitsWithTheNetworkCode() throws Exception {
        String url = registry.url();
        registry.close();

        GroveCli.Result result = GroveCli.run("pull", "demo/langid@0.1.0", "--registry", url, "--out", out.toString());

        assertThat(result.exitCode()).isEqualTo(CommandFailure.UNAVAILABLE);
        assertThat(result.err()).contains("cannot reach registry " + url).doesNotContain("Exception");
        assertNothingWritten();
    }

    @Test
    void pull_intoANonEmptyDirectory_refuses() throws Exception {
        Files.createDirectories(out);
        Files.writeString(out.resolve("mine.txt"), "keep");

        GroveCli.Result result = pull();

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(out.resolve("mine.txt")).hasContent("keep");
    }
}
