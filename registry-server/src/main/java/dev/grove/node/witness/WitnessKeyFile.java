package dev.grove.node.witness;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.SigningKeyFile;
import java.io.IOException;
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
 * The node's witness key in {@code <dataDir>/witness-key.json} ({@link SigningKeyFile} format, mode 0600). Created on
 * first start, never overwritten, never logged. Blocking: call from a worker thread.
 */
public final class WitnessKeyFile {

    /** The file name inside the data directory. */
    public static final String FILE_NAME = "witness-key.json";

    private static final Logger LOG = LoggerFactory.getLogger(WitnessKeyFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private WitnessKeyFile() {
    }

    /**
     * Reads the witness key from {@code dataDir}, creating it first when there is none.
     *
     * @throws IOException when the file cannot be read or written
     * @throws dev.grove.crypto.KeyFileException when the file exists but is not a valid key file
     */
    public static WitnessKey loadOrCreate(Path dataDir, String name) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
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
        WitnessKey witness = new WitnessKey(name, key);
        LOG.info("witness key {}", witness.verifier());
        return witness;
    }

    /** Writes a new key to a private temporary file, then links it into place unless another process was first. */
    private static void create(Path dataDir, Path file) throws IOException {
        Files.createDirectories(dataDir);
        Path tmp;
        try {
            tmp = Files.createTempFile(dataDir, ".witness-key-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            tmp = Files.createTempFile(dataDir, ".witness-key-", ".tmp");
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
            LOG.info("created a new witness key in {}", file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
