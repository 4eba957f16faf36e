package dev.grove.cli;

import dev.grove.cli.command.CommandFailure;
import dev.grove.cli.command.GroveSubcommand;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.SigningKeyFile;
import dev.grove.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code grove keygen}: a new Ed25519 signing key in the private key file format of {@code docs/protocol.md}. The file is
 * created with mode 0600 from the start (never world-readable, not even for a moment) in the target directory and then
 * moved into place, so a crash leaves either no key or a whole one.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Make an Ed25519 signing key.",
                "Writes the private key file (mode 0600, readable only by you) and prints the key id and public key.",
                "The first publish into a namespace binds the namespace to the key that signed it: keep the file safe."})
public final class KeygenCommand extends GroveSubcommand {

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the private key file.")
    Path out;

    @Option(names = "--force", description = "Overwrite FILE if it exists (the old key is lost).")
    boolean force;

    @Option(names = "--json", description = "Print {\"keyId\",\"publicKey\",\"file\"} as JSON (the file's absolute path).")
    boolean json;

    @Override
    protected void run() throws IOException {
        Path target = out.toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            throw CommandFailure.usage(out + " is a directory; give the path of the key file to write");
        }
        if (Files.exists(target) && !force) {
            throw CommandFailure.refused(out + " already exists; refusing to overwrite a key (use --force to replace it)");
        }
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        Path temp = createOwnerOnly(dir);
        try {
            Files.write(temp, SigningKeyFile.write(key).concat("\n").getBytes(StandardCharsets.UTF_8));
            place(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
        if (json) {
            printJson(JsonObject.builder().put("keyId", key.keyId().hex()).put("publicKey", key.publicKey().base64())
                    .put("file", target.toString()).build());
            return;
        }
        out().println("key id:     " + key.keyId().hex());
        out().println("public key: " + key.publicKey().base64());
        out().println("written to  " + out + (posix() ? " (mode 0600)" : ""));
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** An empty file beside the target, created with owner-only permissions where the file system has them. */
    private static Path createOwnerOnly(Path dir) throws IOException {
        if (posix()) {
            return Files.createTempFile(dir, ".grove-key-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createTempFile(dir, ".grove-key-", ".tmp");
    }

    /**
     * Moves the finished key into place. Without {@code --force} a hard link makes the "does not exist yet" check and the
     * creation one atomic step, so a key that appeared meanwhile is never replaced.
     */
    private void place(Path temp, Path target) throws IOException {
        if (force) {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return;
        }
        try {
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            throw CommandFailure.refused(out + " already exists; refusing to overwrite a key (use --force to replace it)");
        } catch (UnsupportedOperationException | IOException e) {
            Files.move(temp, target);
        }
    }
}
