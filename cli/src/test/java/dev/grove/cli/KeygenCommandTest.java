package dev.grove.cli;

import dev.grove.cli.command.CommandFailure;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.SigningKeyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class KeygenCommandTest {

    @TempDir
    Path dir;

    @Test
    void keygen_writesOwnerOnlyKeyFileAndPrintsItsId() throws Exception {
        Path key = dir.resolve("keys/me.json");

        GroveCli.Result result = GroveCli.run("keygen", "--out", key.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        Ed25519PrivateKey read = SigningKeyFile.read(Files.readString(key));
        assertThat(result.out()).contains("key id:     " + read.keyId().hex())
                .contains("public key: " + read.publicKey().base64());
        try (var files = Files.list(key.getParent())) {
            assertThat(files).as("no temporary file left behind").containsExactly(key);
        }
    }

    @Test
    void keygen_refusesToOverwriteWithoutForce() throws Exception {
        Path key = dir.resolve("me.json");
        assertThat(GroveCli.run("keygen", "--out", key.toString()).exitCode()).isZero();
        String first = Files.readString(key);

        GroveCli.Result again = GroveCli.run("keygen", "--out", key.toString());

        assertThat(again.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(again.err()).contains("already exists").contains("--force").doesNotContain("Exception");
        assertThat(Files.readString(key)).isEqualTo(first);
    }

    @Test
    void keygen_force_replacesTheKeyAndKeepsMode0600() throws Exception {
        Path key = dir.resolve("me.json");
        assertThat(GroveCli.run("keygen", "--out", key.toString()).exitCode()).isZero();
        String first = Files.readString(key);

        GroveCli.Result again = GroveCli.run("keygen", "--out", key.toString(), "--force");

        assertThat(again.exitCode()).isZero();
        assertThat(Files.readString(key)).isNotEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    }

    @Test
    void keygen_withoutOut_isAUsageError() {
        GroveCli.Result result = GroveCli.run("keygen");

        assertThat(result.exitCode()).isEqualTo(CommandFailure.USAGE);
        assertThat(result.err()).contains("--out");
    }
}
