package dev.grove.cli.trust;

import dev.grove.cli.pack.VerificationException;
import dev.grove.note.NoteException;
import dev.grove.note.NoteVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The log keys this client has pinned, in {@code known-logs} in the Grove configuration directory
 * ({@code $GROVE_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/grove}, else {@code ~/.config/grove}). One line per log:
 * its verifier key ({@code <origin>+<key id>+<base64>}), then the registry URLs that were seen serving that log as
 * their own, space-separated; {@code #} starts a comment.
 *
 * <p>A log's key is pinned the first time it is used, on this machine too, or with {@code --log-key} or
 * {@code grove trust pin}; from then on a checkpoint of that log signed by another key is refused, and a registry URL
 * pinned to one log that names another is refused, until {@code grove trust forget ORIGIN}.
 */
public final class KnownLogs {
    /** The file name inside the configuration directory. */
    public static final String FILE_NAME = "known-logs";

    /** A pinned log: its key and the registries seen serving it as their own. */
    public record Pin(NoteVerifier key, Set<String> registries) {
        public Pin {
            registries = Set.copyOf(registries);
        }

        public String origin() {
            return key.name();
        }

        String line() {
            StringBuilder sb = new StringBuilder(key.toString());
            registries.stream().sorted().forEach(r -> sb.append(' ').append(r));
            return sb.toString();
        }
    }

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
     * Every pin, in file order.
     *
     * @throws VerificationException when the file holds a malformed line or two keys for one log
     */
    public List<Pin> all() throws IOException {
        List<Pin> pins = new ArrayList<>();
        if (!Files.exists(file)) {
            return pins;
        }
        int n = 0;
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            NoteVerifier key;
            try {
                key = NoteVerifier.parse(parts[0]);
            } catch (NoteException e) {
                throw new VerificationException(file + " line " + n + " is not a verifier key: " + e.getMessage(), e);
            }
            Set<String> registries = new LinkedHashSet<>(List.of(parts).subList(1, parts.length));
            Optional<Pin> same = pins.stream().filter(p -> p.origin().equals(key.name())).findFirst();
            if (same.isPresent()) {
                if (!same.get().key().equals(key)) {
                    throw new VerificationException(file + " pins two different keys for log " + key.name()
                            + " (line " + n + "); remove one, or run grove trust forget " + key.name());
                }
                pins.remove(same.get());
                registries.addAll(same.get().registries());
            }
            pins.add(new Pin(key, registries));
        }
        return pins;
    }

    /** The pin of the log named {@code origin}, if any. */
    public Optional<Pin> pin(String origin) throws IOException {
        return all().stream().filter(p -> p.origin().equals(origin)).findFirst();
    }

    /** The pinned key of the log named {@code origin}, if any. */
    public Optional<NoteVerifier> key(String origin) throws IOException {
        return pin(origin).map(Pin::key);
    }

    /** The log the registry at {@code url} was seen serving as its own, if any. */
    public Optional<Pin> servedBy(String url) throws IOException {
        return all().stream().filter(p -> p.registries().contains(url)).findFirst();
    }

    /**
     * Pins {@code key} for the log its name names, and records {@code registry} (may be empty) as serving it.
     *
     * @throws VerificationException when another key is pinned for that log
     */
    public void pin(NoteVerifier key, String registry) throws IOException {
        List<Pin> pins = all();
        List<Pin> next = new ArrayList<>();
        boolean found = false;
        for (Pin p : pins) {
            if (p.origin().equals(key.name())) {
                if (!p.key().equals(key)) {
                    throw new VerificationException("log " + key.name() + " is pinned to " + p.key() + " in " + file
                            + ", not " + key + "; " + forgetHint(key.name()));
                }
                Set<String> registries = new LinkedHashSet<>(p.registries());
                if (!registry.isEmpty()) {
                    registries.add(registry);
                }
                next.add(new Pin(p.key(), registries));
                found = true;
            } else {
                next.add(p);
            }
        }
        if (!found) {
            next.add(new Pin(key, registry.isEmpty() ? Set.of() : Set.of(registry)));
        }
        write(next);
    }

    /** Removes the pin of {@code origin}; false when there was none. */
    public boolean forget(String origin) throws IOException {
        List<Pin> pins = all();
        boolean removed = pins.removeIf(p -> p.origin().equals(origin));
        if (removed) {
            write(pins);
        }
        return removed;
    }

    /** What to say after a pin no longer verifies. */
    public String forgetHint(String origin) {
        return "if that log was really reset with a new key, run 'grove trust forget " + origin + "' and try again "
                + "(pins are kept in " + file + ")";
    }

    private void write(List<Pin> pins) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        StringBuilder sb = new StringBuilder("# log keys pinned by grove: <verifier key> [registries serving it]\n");
        for (Pin p : pins) {
            sb.append(p.line()).append('\n');
        }
        Path tmp = Files.createTempFile(dir, "." + FILE_NAME, ".tmp");
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
