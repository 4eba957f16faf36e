package dev.grove.crypto;

import dev.grove.json.Json;
import dev.grove.json.JsonException;
import dev.grove.json.JsonObject;

/**
 * The private key file written by {@code grove keygen}:
 * {@code {"type":"ed25519","keyid":"<hex>","publicKey":"<base64>","privateKey":"<base64 of the 32-byte seed>"}}.
 * Reading checks that the keyid and public key are the ones the seed derives, so a hand-edited file cannot sign under a
 * name it does not own.
 */
public record SigningKeyFile(Ed25519PrivateKey key) {
    public static final String TYPE = "ed25519";

    public SigningKeyFile {
        if (key == null) {
            throw new NullPointerException("key");
        }
    }

    /** @throws KeyFileException with what is wrong, e.g. "key file keyid ab12... does not match the private key (cd34...)" */
    public static Ed25519PrivateKey read(String json) {
        JsonObject o;
        String type;
        String keyid;
        String publicKey;
        String privateKey;
        try {
            o = Json.parseObject(json);
            type = o.string("type");
            keyid = o.string("keyid");
            publicKey = o.string("publicKey");
            privateKey = o.string("privateKey");
        } catch (JsonException e) {
            throw new KeyFileException("key file: " + e.getMessage(), e);
        }
        if (!TYPE.equals(type)) {
            throw new KeyFileException("key file type is '" + Texts.abbreviate(type) + "', expected 'ed25519'");
        }
        byte[] seed;
        try {
            seed = StrictBase64.decode(privateKey);
        } catch (IllegalArgumentException e) {
            throw new KeyFileException("key file privateKey: not base64", e);
        }
        if (seed.length != Ed25519PrivateKey.SEED_LENGTH) {
            throw new KeyFileException("key file privateKey must be a 32-byte seed, got " + seed.length + " bytes");
        }
        Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(seed);
        if (!key.publicKey().base64().equals(publicKey)) {
            throw new KeyFileException("key file publicKey " + Texts.abbreviate(publicKey)
                    + " does not match the private key (" + key.publicKey().base64() + ")");
        }
        if (!key.keyId().hex().equals(keyid)) {
            throw new KeyFileException("key file keyid " + Texts.abbreviate(keyid) + " does not match the private key ("
                    + key.keyId().hex() + ")");
        }
        return key;
    }

    /** The file's JSON text (compact, members in the order above). */
    public static String write(Ed25519PrivateKey key) {
        return Json.write(toJson(key));
    }

    public static JsonObject toJson(Ed25519PrivateKey key) {
        return JsonObject.builder()
                .put("type", TYPE)
                .put("keyid", key.keyId().hex())
                .put("publicKey", key.publicKey().base64())
                .put("privateKey", StrictBase64.encode(key.seed()))
                .build();
    }

    /** Hides the seed, like {@link Ed25519PrivateKey#toString()}. */
    @Override
    public String toString() {
        return "SigningKeyFile[" + key + "]";
    }
}
