package dev.grove.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.Sha256;
import dev.grove.semver.SemVer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"demo/langid", "a/b", "0-x/model.v2_int8", "a23456789012345678901234567890123456789/x"})
    void packageName_roundTrips(String text) {
        assertThat(PackageName.parse(text).toString()).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "demo|not a package name (namespace/name): 'demo'",
        "a/b/c|not a package name (namespace/name): 'a/b/c'",
        "-demo/x|invalid namespace '-demo': must match ^[a-z0-9][a-z0-9-]{0,38}$",
        "de.mo/x|invalid namespace 'de.mo': must match ^[a-z0-9][a-z0-9-]{0,38}$",
        "a234567890123456789012345678901234567890/x|invalid namespace 'a234567890123456789012345678901234567890': must match ^[a-z0-9][a-z0-9-]{0,38}$",
        "demo/.x|invalid package name '.x': must match ^[a-z0-9][a-z0-9._-]{0,63}$",
        "demo/X|invalid package name 'X': must match ^[a-z0-9][a-z0-9._-]{0,63}$",
        "/x|invalid namespace '': must match ^[a-z0-9][a-z0-9-]{0,38}$",
    })
    void packageName_refuses(String text, String message) {
        assertThatThrownBy(() -> PackageName.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void packageName_nameLengthLimit() {
        String ok = "n" + "x".repeat(63);
        assertThat(PackageName.parse("demo/" + ok).name()).isEqualTo(ok);
        assertThatThrownBy(() -> PackageName.parse("demo/" + ok + "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void packageRef_parse() {
        PackageRef exact = PackageRef.parse("demo/langid@1.3.0-rc.1");
        assertThat(exact.name()).isEqualTo(new PackageName("demo", "langid"));
        assertThat(exact.version()).isEqualTo("1.3.0-rc.1");
        assertThat(exact.semVer()).contains(SemVer.parse("1.3.0-rc.1"));
        assertThat(exact.isLatest()).isFalse();
        assertThat(exact.toString()).isEqualTo("demo/langid@1.3.0-rc.1");

        PackageRef latest = PackageRef.parse("demo/langid");
        assertThat(latest.isLatest()).isTrue();
        assertThat(latest.semVer()).isEmpty();
        assertThat(latest.toString()).isEqualTo("demo/langid@latest");
        assertThat(PackageRef.parse("demo/langid@latest")).isEqualTo(latest);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "demo/langid@|not a semantic version: '': expected MAJOR.MINOR.PATCH",
        "demo/langid@1.0|not a semantic version: '1.0': expected MAJOR.MINOR.PATCH",
        "demo/langid@1.0.0+x|build metadata is not allowed: '1.0.0+x'",
        "demo/langid@Latest|not a semantic version: 'Latest': expected MAJOR.MINOR.PATCH",
        "langid@1.0.0|not a package name (namespace/name): 'langid'",
    })
    void packageRef_refuses(String text, String message) {
        assertThatThrownBy(() -> PackageRef.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void artifact_validates() {
        Sha256 d = Sha256.of(new byte[0]);
        assertThat(new Artifact("a/b.c/..d", "x/y", 0, d).path()).isEqualTo("a/b.c/..d");
        assertThatThrownBy(() -> new Artifact("a/../b", "x/y", 0, d)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("artifact path must not contain '..' segments: 'a/../b'");
        assertThatThrownBy(() -> new Artifact("a", "", 0, d)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("media type must not be empty");
        assertThatThrownBy(() -> new Artifact("a", "x/y", -1, d)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("size must not be negative: -1");
    }

    @Test
    void tensorSpec_validates() {
        assertThatThrownBy(() -> new TensorSpec("x", "float64", java.util.List.of(), java.util.List.of(), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown dtype 'float64' (expected one of string, float32, float16, int8, int32, int64, bool)");
        assertThatThrownBy(() -> new TensorSpec("x", "int8", java.util.List.of(-2L), java.util.List.of(), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape dimension must be a non-negative integer or -1, got -2");
    }

    @Test
    void publicKeyEntry_checksKeyid() {
        Ed25519PrivateKey a = Ed25519PrivateKey.fromSeed(new byte[32]);
        Ed25519PrivateKey b = Ed25519PrivateKey.fromSeed(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertThat(PublicKeyEntry.of(a.publicKey()).keyid()).isEqualTo(a.keyId());
        assertThatThrownBy(() -> new PublicKeyEntry(b.keyId(), a.publicKey()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keyid " + b.keyId() + " does not match the public key (its keyid is " + a.keyId() + ")");
    }
}
