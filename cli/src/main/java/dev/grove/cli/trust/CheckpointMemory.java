package dev.grove.cli.trust;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.checkpoint.CheckpointException;
import dev.grove.checkpoint.CheckpointVerifier;
import dev.grove.cli.client.RegistryClient;
import dev.grove.cli.client.RegistryException;
import dev.grove.crypto.Sha256;
import dev.grove.note.NoteVerifier;
import dev.grove.tlog.HashSources;
import dev.grove.tlog.MerkleHash;
import dev.grove.tlog.ProofException;
import dev.grove.tlog.TilePath;
import dev.grove.verify.CheckpointHistory;
import dev.grove.verify.Refusal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The largest checkpoint of each log this client has verified, kept in {@code checkpoints/} beside the pins, so that a
 * client never accepts less than it accepted before: every later checkpoint of that log must be consistent with it
 * (RFC 9162 §2.1.4), bigger or smaller, and one of the same size must have the same root. The consistency hashes are
 * computed here from the log's hash tiles (c2sp.org/tlog-tiles) as the registry serves them, so a node, a mirror and a
 * static host are held to it alike, and a node cannot show one client two histories without being caught with both
 * signed checkpoints in hand.
 */
public final class CheckpointMemory {
    private final Path dir;

    private CheckpointMemory(Path dir) {
        this.dir = dir;
    }

    /** The user's (beside {@link KnownLogs#user()}). */
    public static CheckpointMemory user() {
        return new CheckpointMemory(KnownLogs.configDir().resolve("checkpoints"));
    }

    /** The file holding the largest verified checkpoint of {@code origin}. */
    public Path file(String origin) {
        return dir.resolve(Sha256.of(origin.getBytes(StandardCharsets.UTF_8)).toString().substring(7, 39) + ".note");
    }

    /** The largest checkpoint of {@code origin} verified before, still verifying with {@code key}. */
    public Optional<Checkpoint> seen(NoteVerifier key) throws IOException {
        Path file = file(key.name());
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(CheckpointVerifier.forLog(key).verify(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (CheckpointException e) {
            return Optional.empty(); // kept under a key since forgotten: the pin decides, not this file
        }
    }

    /** Forgets the log's checkpoint (with its pin, after a real reset). */
    public void forget(String origin) throws IOException {
        Files.deleteIfExists(file(origin));
    }

    /**
     * Holds a newly verified checkpoint to the one seen before, and keeps it when it is the largest.
     *
     * @param client    the registry the checkpoint came from
     * @param logPrefix where that registry serves the log's tiles ({@code /log}, {@code /v1/origins/<o>/log}, ...)
     * @param note      the checkpoint as signed (verified with {@code key} by the caller)
     * @throws Refusal LOG when the two cannot both be true, or their consistency cannot be shown
     */
    public void hold(RegistryClient client, String logPrefix, NoteVerifier key, Checkpoint now, String note)
            throws IOException {
        Optional<Checkpoint> before = seen(key);
        if (before.isEmpty()) {
            keep(key.name(), note);
            return;
        }
        Checkpoint old = before.get();
        CheckpointHistory.Keep keep;
        try {
            keep = CheckpointHistory.hold(old, now, cached(client, logPrefix));
        } catch (ProofException e) {
            throw new Refusal(Refusal.Check.LOG, "the checkpoint of log " + key.name() + " of size " + now.size()
                    + " cannot be shown consistent with the one of size " + old.size() + " this client verified before "
                    + "(from the log's tiles at " + client.base() + logPrefix + "): " + e.getMessage()
                    + "; a client never accepts less than it accepted before", e);
        } catch (Refusal r) {
            if (old.size() == now.size()) {
                Path evidence = dir.resolve(file(key.name()).getFileName() + ".fork-" + System.currentTimeMillis());
                Files.writeString(evidence, Files.readString(file(key.name())) + "\n" + note);
                throw new Refusal(r.check(), r.getMessage() + " (both signed notes are in " + evidence + ")", r);
            }
            throw new Refusal(r.check(), r.getMessage().replace(" verified before", " this client verified before"), r);
        }
        if (keep == CheckpointHistory.Keep.NOW) {
            keep(key.name(), note);
        }
    }

    private static HashSources.TileReader cached(RegistryClient client, String logPrefix) {
        Map<TilePath, byte[]> read = new HashMap<>();
        return path -> {
            byte[] bytes = read.get(path);
            if (bytes == null) {
                try {
                    bytes = client.getBytes(logPrefix + "/" + path, TilePath.WIDTH * MerkleHash.SIZE);
                } catch (RegistryException e) {
                    throw new ProofException("tile " + path + ": " + e.getMessage(), e);
                }
                read.put(path, bytes);
            }
            return bytes;
        };
    }

    private void keep(String origin, String note) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".checkpoint", ".tmp");
        Files.writeString(tmp, note, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file(origin), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file(origin), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
