package dev.grove.node.log;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.SigningKeyFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
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
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private LogKeyFile() {
    }

    /**
     * Reads the log key from {@code dataDir}, creating it first when there is none, and names it {@code origin}.
     *
     * @throws UncheckedIOException when the file cannot be read or written
     * @throws dev.grove.crypto.KeyFileException when the file exists but is not a valid key file
     */
    public static LogKey loadOrCreate(Path dataDir, String origin) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                create(dataDir, file);
            }
            Ed25519PrivateKey key = SigningKeyFile.read(Files.readString(file, StandardCharsets.UTF_8));
            try {
                if (!OWNER_ONLY.containsAll(Files.getPosixFilePermissions(file))) {
                    LOG.warn("{} is readable by others than its owner; chmod 600 it", file);
                }
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            LogKey logKey = new LogKey(origin, key);
            LOG.info("log key {}", logKey.verifier());
            return logKey;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the log key " + file, e);
        }
    }

    /** Writes a new key to a private temporary file, then links it into place unless another process was first. */
    private static void create(Path dataDir, Path file) throws IOException {
        Files.createDirectories(dataDir);
        Path tmp;
        try {
            tmp = Files.createTempFile(dataDir, ".log-key-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            tmp = Files.createTempFile(dataDir, ".log-key-", ".tmp");
        }
        try {
            Files.writeString(tmp, SigningKeyFile.write(Ed25519PrivateKey.generate()), StandardCharsets.UTF_8);
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                return; // another process created it first: use theirs
            } catch (UnsupportedOperationException e) {
                Files.move(tmp, file);
            }
            LOG.info("created a new log key in {}", file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
