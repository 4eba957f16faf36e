package dev.grove.node.witness;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.SigningKeyFile;
import dev.grove.node.secrets.HeldKey;
import dev.grove.node.secrets.SecretFile;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's witness key in {@code <dataDir>/witness-key.json} ({@link SigningKeyFile} format, mode 0600). Created on
 * first start, never overwritten, never logged. Blocking: call from a worker thread.
 */
public final class WitnessKeyFile {

    /** The file name inside the data directory. */
    public static final String FILE_NAME = "witness-key.json";

    private static final Logger LOG = LoggerFactory.getLogger(WitnessKeyFile.class);

    private WitnessKeyFile() {
    }

    /**
     * Reads the witness key from {@code dataDir}, creating it first when there is none.
     *
     * @throws IOException when the file cannot be read or written
     * @throws dev.grove.crypto.KeyFileException when the file exists but is not a valid key file
     */
    public static WitnessKey loadOrCreate(Path dataDir, String name) throws IOException {
        WitnessKey witness = new WitnessKey(name, SigningKeyFile.read(SecretFile.readOrCreate(dataDir, FILE_NAME,
                "witness key", () -> SigningKeyFile.write(Ed25519PrivateKey.generate()))));
        LOG.info("witness key {}", witness.verifier());
        return witness;
    }

    /**
     * The witness key's public half, as the node's processes compare it at start (creating the key file first when there
     * is none). Blocking.
     */
    public static HeldKey held(Path dataDir) throws IOException {
        String text = SecretFile.readOrCreate(dataDir, FILE_NAME, "witness key",
                () -> SigningKeyFile.write(Ed25519PrivateKey.generate()));
        return new HeldKey("witness key", dataDir.resolve(FILE_NAME), "ed25519:" + SigningKeyFile.read(text).publicKey()
                .base64());
    }
}
