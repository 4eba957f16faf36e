package dev.grove.node.reports;

import dev.grove.blind.Base64Url;
import dev.grove.blind.BlindRsaPrivateKey;
import dev.grove.crypto.KeyFileException;
import dev.grove.node.secrets.HeldKey;
import dev.grove.node.secrets.SecretFile;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The report-token issuer key in {@code <dataDir>/report-key.json}, mode 0600: an RSA-2048 key created on first start,
 * never overwritten, never logged (only its key id is). Nodes sharing one database must share this file, or tokens issued
 * by one are refused by the other. Blocking: call it from a worker.
 *
 * <p>2048 bits, not 3072: a token only has to stay unforgeable while its key is in use, RFC 9474 allows 2048, and the
 * browser (where {@code long} arithmetic is slow under TeaVM's JavaScript output) does one {@code r^e mod n} per token
 * and one verification, while the node signs every token (a 3072-bit private operation costs about three times as much).
 *
 * <p>Format: {@code {"type":"rsa-blind-sha384-pss","p":b64url,"q":b64url,"e":b64url,"d":b64url}}.
 */
public final class IssuerKeyFile {

    /** The file name inside the data directory. */
    public static final String FILE_NAME = "report-key.json";
    static final int BITS = 2048;
    private static final String TYPE = "rsa-blind-sha384-pss";

    private static final Logger LOG = LoggerFactory.getLogger(IssuerKeyFile.class);

    private IssuerKeyFile() {
    }

    /**
     * Reads the issuer key from {@code dataDir}, creating it first when there is none.
     *
     * @throws UncheckedIOException when the file cannot be read or written
     * @throws KeyFileException     when the file exists but is not an issuer key
     */
    static BlindRsaPrivateKey loadOrCreate(Path dataDir) {
        try {
            BlindRsaPrivateKey key = read(SecretFile.readOrCreate(dataDir, FILE_NAME, "report issuer key",
                    () -> write(BlindRsaPrivateKey.generate(BITS, new SecureRandom()))));
            LOG.info("report issuer key {}", key.publicKey().keyId());
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the report issuer key " + dataDir.resolve(FILE_NAME), e);
        }
    }

    /**
     * The issuer key's public half (its key id), as the node's processes compare it at start (creating the key file
     * first when there is none). Blocking.
     */
    public static HeldKey held(Path dataDir) {
        try {
            BlindRsaPrivateKey key = read(SecretFile.readOrCreate(dataDir, FILE_NAME, "report issuer key",
                    () -> write(BlindRsaPrivateKey.generate(BITS, new SecureRandom()))));
            return new HeldKey("report issuer key", dataDir.resolve(FILE_NAME), "rsa:" + key.publicKey().keyId());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the report issuer key " + dataDir.resolve(FILE_NAME), e);
        }
    }

    static String write(BlindRsaPrivateKey key) {
        return new JsonObject()
                .put("type", TYPE)
                .put("p", Base64Url.encode(unsigned(key.p())))
                .put("q", Base64Url.encode(unsigned(key.q())))
                .put("e", Base64Url.encode(key.publicKey().exponentBytesMinimal()))
                .put("d", Base64Url.encode(unsigned(key.privateExponent())))
                .encode();
    }

    static BlindRsaPrivateKey read(String text) {
        try {
            JsonObject json = new JsonObject(text);
            if (!TYPE.equals(json.getValue("type"))) {
                throw new KeyFileException("not a report issuer key: type is not " + TYPE);
            }
            return BlindRsaPrivateKey.of(number(json, "p"), number(json, "q"), number(json, "e"), number(json, "d"));
        } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
            throw new KeyFileException("not a report issuer key: " + e.getMessage());
        }
    }

    private static BigInteger number(JsonObject json, String name) {
        String text = json.getString(name);
        if (text == null) {
            throw new IllegalArgumentException("'" + name + "' is missing");
        }
        return new BigInteger(1, Base64Url.decode(text));
    }

    private static byte[] unsigned(BigInteger x) {
        byte[] b = x.toByteArray();
        return b.length > 1 && b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }
}
