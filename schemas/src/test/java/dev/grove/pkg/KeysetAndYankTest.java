package dev.grove.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.KeyId;
import dev.grove.crypto.Sha256;
import dev.grove.json.Json;
import dev.grove.json.JsonObject;
import dev.grove.semver.SemVer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeysetAndYankTest {
    static final Ed25519PrivateKey KEY = BundleTest.ALICE;
    static final Ed25519PrivateKey OTHER = BundleTest.BOB;
    static final Sha256 PREVIOUS = KeysetChange.keysetDigest("demo", 1, List.of(KEY.keyId()));
    static final Sha256 DIGEST = Sha256.of("a contract".getBytes(StandardCharsets.UTF_8));

    static JsonObject keyset() {
        return new KeysetChange("demo", 2, PREVIOUS, List.of(PublicKeyEntry.of(KEY.publicKey()))).toJson();
    }

    @Test
    void keyset_roundTrip() {
        JsonObject json = keyset();
        assertThat(json.toString()).isEqualTo("{\"schema\":\"grove.keyset/v2\",\"namespace\":\"demo\",\"sequence\":2,"
                + "\"previous\":\"" + PREVIOUS + "\",\"keys\":[{\"keyid\":\"" + KEY.keyId() + "\",\"publicKey\":\""
                + KEY.publicKey().base64() + "\"}]}");
        KeysetChange k = KeysetChange.parse(Docs.bytes(json));
        assertThat(k.namespace()).isEqualTo("demo");
        assertThat(k.sequence()).isEqualTo(2);
        assertThat(k.previous()).isEqualTo(PREVIOUS);
        assertThat(k.keys()).containsExactly(PublicKeyEntry.of(KEY.publicKey()));
    }

    @Test
    void keysetDigest_namesTheNamespaceTheSequenceAndTheKeysInAnyOrder() {
        List<KeyId> both = List.of(KEY.keyId(), OTHER.keyId());
        Sha256 digest = KeysetChange.keysetDigest("demo", 2, both);
        String sorted = KEY.keyId().hex().compareTo(OTHER.keyId().hex()) < 0
                ? KEY.keyId().hex() + "\n" + OTHER.keyId().hex() + "\n" : OTHER.keyId().hex() + "\n" + KEY.keyId().hex() + "\n";
        assertThat(digest).isEqualTo(Sha256.of(("grove.keyset\ndemo\n2\n" + sorted).getBytes(StandardCharsets.UTF_8)));
        assertThat(KeysetChange.keysetDigest("demo", 2, List.of(OTHER.keyId(), KEY.keyId()))).isEqualTo(digest);
        assertThat(KeysetChange.keysetDigest("demo", 3, both)).isNotEqualTo(digest);
        assertThat(KeysetChange.keysetDigest("demos", 2, both)).isNotEqualTo(digest);
        assertThat(KeysetChange.keysetDigest("demo", 2, List.of(KEY.keyId()))).isNotEqualTo(digest);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "schema|\"grove.yank/v2\"|schema: expected 'grove.keyset/v2', got 'grove.yank/v2'",
        "namespace|\"Demo\"|namespace: invalid namespace 'Demo': must match ^[a-z0-9][a-z0-9-]{0,38}$",
        "sequence|1|sequence: must be at least 2 (1 is the first publish's binding), got 1",
        "sequence|\"2\"|sequence: must be an integer",
        "previous||previous: missing",
        "previous|\"sha256:abc\"|previous: not a sha256 digest: 'sha256:abc'",
        "keys|[]|keys: must not be empty",
        "keys||keys: missing",
        "expires|1|expires: unknown field",
    })
    void keyset_refusesBadField(String path, String json, String message) {
        byte[] payload = Docs.bytes(Docs.with(keyset(), path, json));
        assertThatThrownBy(() -> KeysetChange.parse(payload)).isInstanceOf(DocumentException.class).hasMessage(message);
    }

    @Test
    void keyset_v1IsRefusedFromSignersButReadFromLogs() {
        byte[] v1 = ("{\"schema\":\"grove.keyset/v1\",\"namespace\":\"demo\",\"sequence\":2,\"keys\":[{\"keyid\":\""
                + OTHER.keyId() + "\",\"publicKey\":\"" + OTHER.publicKey().base64() + "\"}]}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> KeysetChange.parse(v1)).isInstanceOf(DocumentException.class)
                .hasMessageStartingWith("schema: a grove.keyset/v1 change does not name the keyset it replaces");
        KeysetChange logged = KeysetChange.parseLogged(v1, PREVIOUS);
        assertThat(logged.sequence()).isEqualTo(2);
        assertThat(logged.previous()).isEqualTo(PREVIOUS);
        assertThat(logged.keys()).containsExactly(PublicKeyEntry.of(OTHER.publicKey()));
    }

    @Test
    void keyset_loggedV2MustNameTheKeysetBeforeIt() {
        byte[] v2 = Docs.bytes(keyset());
        assertThat(KeysetChange.parseLogged(v2, PREVIOUS).previous()).isEqualTo(PREVIOUS);
        Sha256 other = KeysetChange.keysetDigest("demo", 1, List.of(OTHER.keyId()));
        assertThatThrownBy(() -> KeysetChange.parseLogged(v2, other)).isInstanceOf(DocumentException.class)
                .hasMessage("previous: the change replaces keyset " + PREVIOUS + ", but the keyset before it is " + other);
    }

    @Test
    void yank_roundTrip() {
        Yank y = new Yank(PackageName.parse("demo/langid"), SemVer.parse("1.0.0"), DIGEST, "wrong labels");
        JsonObject json = y.toJson();
        assertThat(json.toString()).isEqualTo("{\"schema\":\"grove.yank/v2\",\"name\":\"demo/langid\",\"version\":\"1.0.0\","
                + "\"digest\":\"" + DIGEST + "\",\"reason\":\"wrong labels\"}");
        assertThat(Yank.parse(Docs.bytes(json))).isEqualTo(y);
    }

    @Test
    void yank_reasonLimit() {
        JsonObject tooLong = Json.parseObject("{\"schema\":\"grove.yank/v2\",\"name\":\"demo/langid\","
                + "\"version\":\"1.0.0\",\"digest\":\"" + DIGEST + "\",\"reason\":\"" + "r".repeat(1001) + "\"}");
        assertThatThrownBy(() -> Yank.parse(Docs.bytes(tooLong))).isInstanceOf(DocumentException.class)
                .hasMessage("reason: must be at most 1000 characters, got 1001");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "schema|\"grove.keyset/v2\"|schema: expected 'grove.yank/v2', got 'grove.keyset/v2'",
        "name|\"demo\"|name: not a package name (namespace/name): 'demo'",
        "version|\"latest\"|version: not a semantic version: 'latest': expected MAJOR.MINOR.PATCH",
        "digest||digest: missing",
        "digest|\"sha256:XY\"|digest: not a sha256 digest: 'sha256:XY'",
        "reason||reason: missing",
        "reason|\"\"|reason: must not be empty",
        "by|\"me\"|by: unknown field",
    })
    void yank_refusesBadField(String path, String json, String message) {
        JsonObject good = Json.parseObject("{\"schema\":\"grove.yank/v2\",\"name\":\"demo/langid\",\"version\":\"1.0.0\","
                + "\"digest\":\"" + DIGEST + "\",\"reason\":\"x\"}");
        byte[] payload = Docs.bytes(Docs.with(good, path, json));
        assertThatThrownBy(() -> Yank.parse(payload)).isInstanceOf(DocumentException.class).hasMessage(message);
    }

    @Test
    void yank_v1IsRefusedFromSignersButReadFromLogsWithTheLoggedDigest() {
        byte[] v1 = "{\"schema\":\"grove.yank/v1\",\"name\":\"demo/langid\",\"version\":\"1.0.0\",\"reason\":\"x\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Yank.parse(v1)).isInstanceOf(DocumentException.class)
                .hasMessageStartingWith("schema: a grove.yank/v1 statement names no package digest");
        assertThat(Yank.parseLogged(v1, DIGEST))
                .isEqualTo(new Yank(PackageName.parse("demo/langid"), SemVer.parse("1.0.0"), DIGEST, "x"));
    }

    @Test
    void yank_loggedV2MustNameTheLoggedDigest() {
        byte[] v2 = Docs.bytes(new Yank(PackageName.parse("demo/langid"), SemVer.parse("1.0.0"), DIGEST, "x").toJson());
        Sha256 other = Sha256.of("another contract".getBytes(StandardCharsets.UTF_8));
        assertThat(Yank.parseLogged(v2, DIGEST).digest()).isEqualTo(DIGEST);
        assertThatThrownBy(() -> Yank.parseLogged(v2, other)).isInstanceOf(DocumentException.class)
                .hasMessage("digest: the statement yanks " + DIGEST + ", but the entry records " + other);
    }
}
