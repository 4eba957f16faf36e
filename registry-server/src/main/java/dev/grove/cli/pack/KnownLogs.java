package dev.grove.cli.pack;

import dev.grove.note.NoteException;
import dev.grove.note.NoteVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The log keys this client trusts, one verifier key per line ({@code <origin>+<key id>+<base64>}, {@code #} starts a
 * comment), in {@code known-logs} in the Grove configuration directory: {@code $GROVE_CONFIG_DIR}, else
 * {@code $XDG_CONFIG_HOME/grove}, else {@code ~/.config/grove}. A log's key is pinned the first time it is used (or with
 * {@code --log-key}); from then on a checkpoint of that log signed by another key is refused.
 */
public final class KnownLogs {
    /** The file name inside the configuration directory. */
    public static final String FILE_NAME = "known-logs";

    private final Path file;

    private KnownLogs(Path file) {
        this.file = file;
    }

    /** The user's file (see the class doc for where it is). */
    public static KnownLogs user() {
        return at(configDir().resolve(FILE_NAME));
    }

    public static KnownLogs at(Path file) {
        return new KnownLogs(file);
    }

    /**
     * The Grove configuration directory: the system property {@code grove.config.dir} (tests), {@code $GROVE_CONFIG_DIR},
     * {@code $XDG_CONFIG_HOME/grove}, {@code ~/.config/grove}.
     */
    public static Path configDir() {
        String property = System.getProperty("grove.config.dir");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String grove = System.getenv("GROVE_CONFIG_DIR");
        if (grove != null && !grove.isBlank()) {
            return Path.of(grove);
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "grove");
        }
        return Path.of(System.getProperty("user.home"), ".config", "grove");
    }

    public Path file() {
        return file;
    }

    /**
     * The pinned key of the log named {@code origin}, if any.
     *
     * @throws VerificationException when the file holds a malformed line or two keys for the origin
     */
    public Optional<NoteVerifier> key(String origin) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Optional<NoteVerifier> found = Optional.empty();
        int n = 0;
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            NoteVerifier key;
            try {
                key = NoteVerifier.parse(line);
            } catch (NoteException e) {
                throw new VerificationException(file + " line " + n + " is not a verifier key: " + e.getMessage(), e);
            }
            if (key.name().equals(origin)) {
                if (found.isPresent() && !found.get().equals(key)) {
                    throw new VerificationException(file + " pins two different keys for log " + origin);
                }
                found = Optional.of(key);
            }
        }
        return found;
    }

    /** Pins {@code key} for the log its name names (appends a line). */
    public void pin(NoteVerifier key) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, key + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
