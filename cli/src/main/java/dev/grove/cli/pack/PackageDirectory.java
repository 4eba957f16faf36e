package dev.grove.cli.pack;

import dev.grove.crypto.Sha256;
import dev.grove.crypto.Sha256Hasher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A package directory on disk (layout in {@code docs/protocol.md}): the three signed documents, the bundle once signed, and
 * the artifacts at the relative paths the contract lists. Artifact paths are resolved so that they never leave the
 * directory, even through a symbolic link.
 */
public final class PackageDirectory {
    public static final String CONTRACT = "grove.json";
    public static final String LINEAGE = "lineage.json";
    public static final String EVALUATION = "evaluation.json";
    public static final String BUNDLE = "grove.bundle.json";

    private static final int BUFFER = 64 * 1024;

    private final Path root;

    private PackageDirectory(Path root) {
        this.root = root;
    }

    /** @throws VerificationException when the path is not a directory */
    public static PackageDirectory at(Path root) {
        if (!Files.isDirectory(root)) {
            throw new VerificationException(root + " is not a package directory (it does not exist or is not a directory)");
        }
        return new PackageDirectory(root.toAbsolutePath().normalize());
    }

    public Path root() {
        return root;
    }

    /** The exact bytes of one of the package's own files. */
    public byte[] read(String file) throws IOException {
        try {
            return Files.readAllBytes(root.resolve(file));
        } catch (NoSuchFileException e) {
            throw new VerificationException(root.resolve(file) + " is missing", e);
        }
    }

    public boolean has(String file) {
        return Files.exists(root.resolve(file));
    }

    /** Writes one of the package's own files whole or not at all (temporary file beside it, then a rename). */
    public void write(String file, byte[] bytes) throws IOException {
        writeAtomically(root.resolve(file), bytes);
    }

    /** Writes a file whole or not at all: a temporary file in the same directory, then an atomic rename. */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.write(temp, bytes);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * The file of an artifact. The path was already checked by {@code dev.grove.pkg.Artifact} (relative, no "..");
     * this also refuses a path that reaches outside the directory through a symbolic link.
     *
     * @throws VerificationException when it is missing, not a regular file, or outside the directory
     */
    public Path artifact(String relativePath) throws IOException {
        Path file = root.resolve(relativePath).normalize();
        if (!file.startsWith(root)) {
            throw new VerificationException("artifact '" + relativePath + "' is outside the package directory");
        }
        if (!Files.exists(file)) {
            throw new VerificationException("artifact '" + relativePath + "' is missing: expected the file " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new VerificationException("artifact '" + relativePath + "' is not a regular file: " + file);
        }
        Path real = file.toRealPath();
        if (!real.startsWith(root.toRealPath())) {
            throw new VerificationException("artifact '" + relativePath + "' links outside the package directory (to "
                    + real + ")");
        }
        return file;
    }

    /** Size and SHA-256 of a file, streamed. */
    public static FileDigest digest(Path file) throws IOException {
        Sha256Hasher hasher = new Sha256Hasher();
        long size = 0;
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                hasher.update(buffer, 0, n);
                size += n;
            }
        }
        return new FileDigest(size, hasher.digest());
    }

    /** True when the directory does not exist or holds nothing. */
    public static boolean isAbsentOrEmpty(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** A file's length and digest. */
    public record FileDigest(long size, Sha256 digest) {
    }
}
