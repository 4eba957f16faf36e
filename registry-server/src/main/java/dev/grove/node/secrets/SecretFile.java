package dev.grove.node.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secret the node keeps in its data directory (the log, witness and report keys): created once, mode 0600, never
 * overwritten and never logged. Processes starting together on one data directory end up with the same secret: each
 * writes a private temporary file and links it into place, and all but the first read the winner's. Blocking (a small
 * file, read once at start).
 */
public final class SecretFile {

    private static final Logger LOG = LoggerFactory.getLogger(SecretFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SecretFile() {
    }

    /**
     * The text of {@code <dataDir>/<fileName>}, written first from {@code contents} when the file does not exist; warns
     * when others than its owner may read it.
     *
     * @param what what the secret is, for the log line that says it was created ("log key")
     */
    public static String readOrCreate(Path dataDir, String fileName, String what, Supplier<String> contents)
            throws IOException {
        Path file = dataDir.resolve(fileName);
        if (!Files.exists(file)) {
            create(dataDir, file, what, contents);
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            if (!OWNER_ONLY.containsAll(Files.getPosixFilePermissions(file))) {
                LOG.warn("{} is readable by others than its owner; chmod 600 it", file);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        return text;
    }

    private static void create(Path dataDir, Path file, String what, Supplier<String> contents) throws IOException {
        Files.createDirectories(dataDir);
        String prefix = "." + file.getFileName().toString().replaceFirst("\\.json$", "") + "-";
        Path tmp;
        try {
            tmp = Files.createTempFile(dataDir, prefix, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            tmp = Files.createTempFile(dataDir, prefix, ".tmp");
        }
        try {
            Files.writeString(tmp, contents.get(), StandardCharsets.UTF_8);
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                return; // another process created it first: use theirs
            } catch (UnsupportedOperationException e) {
                Files.move(tmp, file);
            }
            LOG.info("created a new {} in {}", what, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
