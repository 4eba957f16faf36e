package dev.grove.node.log;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.SigningKeyFile;
import dev.grove.node.secrets.HeldKey;
import dev.grove.node.secrets.SecretFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log's signing key in {@code <dataDir>/log-key.json} ({@link SigningKeyFile} format, mode 0600): created on first
 * start, never overwritten, never logged (only its verifier key is). Several processes sharing one database must share
 * this file: the integrator refuses to extend a log whose checkpoints another key signed. Blocking (a small file, read
 * once at start).
 */
public final class LogKeyFile {

    /** The file name inside the data directory. */
    public static final String FILE_NAME = "log-key.json";

    private static final Logger LOG = LoggerFactory.getLogger(LogKeyFile.class);

    private LogKeyFile() {
    }

    /**
     * Reads the log key from {@code dataDir}, creating it first when there is none, and names it {@code origin}.
     *
     * @throws UncheckedIOException when the file cannot be read or written
     * @throws dev.grove.crypto.KeyFileException when the file exists but is not a valid key file
     */
    public static LogKey loadOrCreate(Path dataDir, String origin) {
        try {
            LogKey logKey = new LogKey(origin, SigningKeyFile.read(SecretFile.readOrCreate(dataDir, FILE_NAME, "log key",
                    () -> SigningKeyFile.write(Ed25519PrivateKey.generate()))));
            LOG.info("log key {}", logKey.verifier());
            return logKey;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the log key " + dataDir.resolve(FILE_NAME), e);
        }
    }

    /**
     * The log key's public half, as the node's processes compare it at start (creating the key file first when there is
     * none). Blocking.
     */
    public static HeldKey held(Path dataDir) {
        try {
            String text = SecretFile.readOrCreate(dataDir, FILE_NAME, "log key",
                    () -> SigningKeyFile.write(Ed25519PrivateKey.generate()));
            return new HeldKey("log key", dataDir.resolve(FILE_NAME), "ed25519:" + SigningKeyFile.read(text).publicKey()
                    .base64());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the log key " + dataDir.resolve(FILE_NAME), e);
        }
    }
}
