package dev.grove.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.json.Json;
import dev.grove.json.JsonObject;
import dev.grove.semver.SemVer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeysetAndYankTest {
    static final Ed25519PrivateKey KEY = BundleTest.ALICE;

    static JsonObject keyset() {
        return new KeysetChange("demo", 2, List.of(PublicKeyEntry.of(KEY.publicKey()))).toJson();
    }

    @Test
    void keyset_roundTrip() {
        JsonObject json = keyset();
        assertThat(json.toString()).isEqualTo("{\"schema\":\"grove.keyset/v1\",\"namespace\":\"demo\",\"sequence\":2,"
                + "\"keys\":[{\"keyid\":\"" + KEY.keyId() + "\",\"publicKey\":\"" + KEY.publicKey().base64() + "\"}]}");
        KeysetChange k = KeysetChange.parse(Docs.bytes(json));
        assertThat(k.namespace()).isEqualTo("demo");
        assertThat(k.sequence()).isEqualTo(2);
        assertThat(k.keys()).containsExactly(PublicKeyEntry.of(KEY.publicKey()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "schema|\"grove.yank/v1\"|schema: expected 'grove.keyset/v1', got 'grove.yank/v1'",
        "namespace|\"Demo\"|namespace: invalid namespace 'Demo': must match ^[a-z0-9][a-z0-9-]{0,38}$",
        "sequence|0|sequence: must be at least 1, got 0",
        "sequence|\"2\"|sequence: must be an integer",
        "keys|[]|keys: must not be empty",
        "keys||keys: missing",
        "expires|1|expires: unknown field",
    })
    void keyset_refusesBadField(String path, String json, String message) {
        byte[] payload = Docs.bytes(Docs.with(keyset(), path, json));
        assertThatThrownBy(() -> KeysetChange.parse(payload)).isInstanceOf(DocumentException.class).hasMessage(message);
    }

    @Test
    void yank_roundTrip() {
        Yank y = new Yank(PackageName.parse("demo/langid"), SemVer.parse("1.0.0"), "wrong labels");
        JsonObject json = y.toJson();
        assertThat(json.toString()).isEqualTo(
                "{\"schema\":\"grove.yank/v1\",\"name\":\"demo/langid\",\"version\":\"1.0.0\",\"reason\":\"wrong labels\"}");
        assertThat(Yank.parse(Docs.bytes(json))).isEqualTo(y);
    }

    @Test
    void yank_reasonLimit() {
        JsonObject tooLong = Json.parseObject("{\"schema\":\"grove.yank/v1\",\"name\":\"demo/langid\","
                + "\"version\":\"1.0.0\",\"reason\":\"" + "r".repeat(1001) + "\"}");
        assertThatThrownBy(() -> Yank.parse(Docs.bytes(tooLong))).isInstanceOf(DocumentException.class)
                .hasMessage("reason: must be at most 1000 characters, got 1001");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "schema|\"grove.keyset/v1\"|schema: expected 'grove.yank/v1', got 'grove.keyset/v1'",
        "name|\"demo\"|name: not a package name (namespace/name): 'demo'",
        "version|\"latest\"|version: not a semantic version: 'latest': expected MAJOR.MINOR.PATCH",
        "reason||reason: missing",
        "reason|\"\"|reason: must not be empty",
        "by|\"me\"|by: unknown field",
    })
    void yank_refusesBadField(String path, String json, String message) {
        JsonObject good = Json.parseObject(
                "{\"schema\":\"grove.yank/v1\",\"name\":\"demo/langid\",\"version\":\"1.0.0\",\"reason\":\"x\"}");
        byte[] payload = Docs.bytes(Docs.with(good, path, json));
        assertThatThrownBy(() -> Yank.parse(payload)).isInstanceOf(DocumentException.class).hasMessage(message);
    }
}
