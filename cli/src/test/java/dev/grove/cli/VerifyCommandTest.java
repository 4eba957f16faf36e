package dev.grove.cli;

import dev.grove.cli.command.CommandFailure;
import dev.grove.cli.pack.PackageDirectory;
import dev.grove.cli.pack.PackageSealer;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.Signature;
import dev.grove.pkg.Bundle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VerifyCommandTest {

    @TempDir
    Path dir;

    private final Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(new byte[32]);
    private Path pkg;

    @BeforeEach
    void signedPackage() throws Exception {
        pkg = dir.resolve("pkg");
        assertThat(GroveCli.run("init", "demo/langid", "--dir", pkg.toString()).exitCode()).isZero();
        PackageSealer.prepare(PackageDirectory.at(pkg), key).write(PackageDirectory.at(pkg));
    }

    @Test
    void verify_acceptsTheSignedPackageAndSaysWhatItChecked() {
        GroveCli.Result result = GroveCli.run("verify", pkg.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("verified demo/langid@0.1.0 sha256:")
                .contains(key.keyId().hex())
                .contains("weights/model.safetensors");
    }

    @Test
    void verify_withTheSignersKeyAsTrusted_passes() {
        GroveCli.Result result = GroveCli.run("verify", pkg.toString(), "--trusted-key", key.keyId().hex());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("(trusted)");
    }

    @Test
    void verify_withAnotherTrustedKey_refuses() {
        String other = Ed25519PrivateKey.generate().keyId().hex();

        GroveCli.Result result = GroveCli.run("verify", pkg.toString(), "--trusted-key", other);

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("not signed by a trusted key").contains(other);
    }

    @Test
    void verify_catchesAModifiedContract() throws Exception {
        Path contract = pkg.resolve("grove.json");
        Files.writeString(contract, Files.readString(contract).replace("\"0.1.0\"", "\"0.1.1\""));

        GroveCli.Result result = GroveCli.run("verify", pkg.toString());

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).startsWith("error: grove.json is not the signed contract").doesNotContain("Exception");
    }

    @Test
    void verify_catchesAModifiedWeightFile() throws Exception {
        Path weights = pkg.resolve("weights/model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 1;
        Files.write(weights, bytes);

        GroveCli.Result result = GroveCli.run("verify", pkg.toString());

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("artifact 'weights/model.safetensors' has digest");
    }

    @Test
    void verify_catchesATruncatedWeightFile() throws Exception {
        Path weights = pkg.resolve("weights/model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length - 4));

        GroveCli.Result result = GroveCli.run("verify", pkg.toString());

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("is " + (bytes.length - 4) + " bytes, but the signed contract says "
                + bytes.length);
    }

    @Test
    void verify_catchesABadSignature() throws Exception {
        Path bundleFile = pkg.resolve(PackageDirectory.BUNDLE);
        Bundle bundle = Bundle.parse(Files.readAllBytes(bundleFile));
        Signature good = bundle.lineage().signatures().get(0);
        byte[] sig = good.sig();
        sig[0] ^= 1;
        Envelope forged = Envelope.of(bundle.lineage().payloadType(), bundle.lineage().payload(),
                List.of(new Signature(good.keyid(), sig)));
        Files.write(bundleFile, new Bundle(bundle.contract(), forged, bundle.evaluation(), bundle.keys()).toJsonBytes());

        GroveCli.Result result = GroveCli.run("verify", pkg.toString());

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("signature check failed: lineage: signature by key " + key.keyId().hex()
                + " does not verify");
    }

    @Test
    void verify_catchesAMissingArtifact() throws Exception {
        Files.delete(pkg.resolve("weights/model.safetensors"));

        GroveCli.Result result = GroveCli.run("verify", pkg.toString());

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("artifact 'weights/model.safetensors' is missing");
    }

    @Test
    void verify_ofAnUnsignedDirectory_saysToPublishFirst() throws Exception {
        Files.delete(pkg.resolve(PackageDirectory.BUNDLE));

        GroveCli.Result result = GroveCli.run("verify", pkg.toString());

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("grove.bundle.json is missing").contains("grove publish");
    }

    @Test
    void sealing_twice_givesTheSameBundle() throws Exception {
        byte[] first = Files.readAllBytes(pkg.resolve(PackageDirectory.BUNDLE));

        PackageSealer.Sealed again = PackageSealer.prepare(PackageDirectory.at(pkg), key);
        again.write(PackageDirectory.at(pkg));

        assertThat(again.contractRewritten()).isFalse();
        assertThat(Files.readAllBytes(pkg.resolve(PackageDirectory.BUNDLE))).isEqualTo(first);
    }

    @Test
    void sealing_pinsAChangedWeightFileIntoTheContract() throws Exception {
        Files.write(pkg.resolve("weights/model.safetensors"), new byte[] {1, 2, 3});

        PackageSealer.Sealed sealed = PackageSealer.prepare(PackageDirectory.at(pkg), key);
        sealed.write(PackageDirectory.at(pkg));

        assertThat(sealed.contractRewritten()).isTrue();
        assertThat(sealed.pkg().contract().artifacts().get(0).size()).isEqualTo(3);
        assertThat(sealed.pkg().contract().bytes()).isEqualTo(3);
        assertThat(GroveCli.run("verify", pkg.toString()).exitCode()).isZero();
    }
}
