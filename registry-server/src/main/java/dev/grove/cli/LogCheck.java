package dev.grove.cli;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.cli.client.RegistryClient;
import dev.grove.cli.client.RegistryException;
import dev.grove.cli.pack.KnownLogs;
import dev.grove.cli.pack.LogProof;
import dev.grove.cli.pack.VerificationException;
import dev.grove.json.JsonException;
import dev.grove.json.JsonObject;
import dev.grove.note.NoteException;
import dev.grove.note.NoteVerifier;
import dev.grove.pkg.Bundle;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * The log half of {@code grove pull} and {@code grove verify}: the version's inclusion proof against a checkpoint signed by
 * the log's pinned key ({@link KnownLogs}).
 */
final class LogCheck {

    /** How long pull waits for a just-published entry to reach a checkpoint (the node integrates every ~200 ms). */
    private static final int WAIT_ATTEMPTS = 20;
    private static final long WAIT_MILLIS = 250;

    /** A verified proof and the line to print. */
    record Verified(LogProof proof, Checkpoint checkpoint, String line) {
    }

    private LogCheck() {
    }

    /**
     * Verifies the proof of the version document at {@code docPath} (fetched again while its entry is not yet in a
     * checkpoint). Returns empty, after a warning on {@code err}, when the node serves no proof or no key can be found
     * for the log; fails when a proof does not verify or the key differs from the pinned one.
     */
    static Optional<Verified> pull(RegistryClient client, String docPath, JsonObject doc, Bundle bundle,
                                   String explicitKey, PrintWriter err) throws IOException {
        Optional<LogProof> proof = LogProof.fromVersionDocument(doc);
        for (int i = 0; proof.isEmpty() && hasIndex(doc) && i < WAIT_ATTEMPTS; i++) {
            sleep();
            doc = client.getJson(docPath);
            proof = LogProof.fromVersionDocument(doc);
        }
        if (proof.isEmpty()) {
            err.println(hasIndex(doc)
                    ? "warning: the version's log entry is not in a signed checkpoint yet; its log proof was not checked"
                    : "warning: the node serves no log proof for this version; it was not checked against a log");
            return Optional.empty();
        }
        String origin = proof.get().originUnverified();
        Optional<NoteVerifier> key = keyFor(origin, explicitKey, client, err);
        if (key.isEmpty()) {
            err.println("warning: no key is pinned for log " + origin + " in " + KnownLogs.user().file()
                    + "; its log proof was not checked (pass --log-key KEY to pin one)");
            return Optional.empty();
        }
        Checkpoint cp = proof.get().verify(bundle, key.get());
        return Optional.of(new Verified(proof.get(), cp, line(proof.get(), cp)));
    }

    /**
     * Verifies a saved proof offline with the pinned key (or {@code explicitKey}); empty, after a warning on {@code err},
     * when no key is pinned for the log (a loopback node's key is not pinned on first use).
     *
     * @throws VerificationException when the proof does not verify with the key
     */
    static Optional<Verified> offline(LogProof proof, Bundle bundle, String explicitKey, PrintWriter err)
            throws IOException {
        String origin = proof.originUnverified();
        KnownLogs known = KnownLogs.user();
        Optional<NoteVerifier> key = explicitKey != null ? Optional.of(explicit(origin, explicitKey, known))
                : known.key(origin);
        if (key.isEmpty()) {
            err.println("warning: " + LogProof.FILE + " was not checked: no key is pinned for log " + origin + " in "
                    + known.file() + " (pass --log-key KEY)");
            return Optional.empty();
        }
        Checkpoint cp = proof.verify(bundle, key.get());
        return Optional.of(new Verified(proof, cp, line(proof, cp)));
    }

    private static String line(LogProof proof, Checkpoint cp) {
        return "entry " + proof.index() + " of log " + cp.origin() + ", in its signed checkpoint of size " + cp.size();
    }

    /**
     * The explicit key (pinned if nothing was), the pinned key, or the log's key pinned on first use: the node's own, or
     * for a mirrored package the one its origin's node announces.
     */
    private static Optional<NoteVerifier> keyFor(String origin, String explicitKey, RegistryClient client, PrintWriter err)
            throws IOException {
        KnownLogs known = KnownLogs.user();
        if (explicitKey != null) {
            return Optional.of(explicit(origin, explicitKey, known));
        }
        Optional<NoteVerifier> pinned = known.key(origin);
        if (pinned.isPresent()) {
            return pinned;
        }
        NoteVerifier served;
        try {
            served = NoteVerifier.parse(client.getJson("/.well-known/grove/node").string("logKey"));
        } catch (RegistryException | JsonException | NoteException e) {
            return Optional.empty();
        }
        if (!served.name().equals(origin)) {
            // a mirror serving the proof of another node's log: the key is the log's own node's, never the mirror's word
            Optional<NoteVerifier> own = originKey(origin);
            if (own.isEmpty()) {
                return Optional.empty();
            }
            served = own.get();
        }
        if (isLoopback(origin)) {
            // a development node: its data directory (and key) come and go while its port stays; trust it for this use
            err.println("note: log " + origin + " is on this machine; its key " + served + " is trusted for this pull"
                    + " only (pass --log-key KEY to pin it)");
            return Optional.of(served);
        }
        known.pin(served);
        err.println("pinned log key " + served + " in " + known.file() + " (trust on first use)");
        return Optional.of(served);
    }

    /**
     * The key the node of log {@code origin} announces at {@code /.well-known/grove/node} (the origin names its host:
     * https, or http on loopback); empty when that node cannot be read or names another log.
     */
    private static Optional<NoteVerifier> originKey(String origin) {
        if (origin.lastIndexOf('/') <= 0) {
            return Optional.empty();
        }
        String host = origin.substring(0, origin.lastIndexOf('/'));
        try {
            RegistryClient node = RegistryClient.connect((isLoopback(origin) ? "http://" : "https://") + host);
            NoteVerifier key = NoteVerifier.parse(node.getJson("/.well-known/grove/node").string("logKey"));
            return key.name().equals(origin) ? Optional.of(key) : Optional.empty();
        } catch (RegistryException | JsonException | NoteException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static NoteVerifier explicit(String origin, String text, KnownLogs known) throws IOException {
        NoteVerifier key;
        try {
            key = NoteVerifier.parse(text.trim());
        } catch (NoteException e) {
            throw CommandFailure.usage("--log-key: " + e.getMessage());
        }
        if (!key.name().equals(origin)) {
            throw new VerificationException("--log-key is the key of log " + key.name() + ", but the checkpoint is from "
                    + origin);
        }
        Optional<NoteVerifier> pinned = known.key(origin);
        if (pinned.isPresent() && !pinned.get().equals(key)) {
            throw new VerificationException("--log-key " + key + " is not the key pinned for log " + origin + " in "
                    + known.file() + " (" + pinned.get() + "); if the log really changed its key, edit that file");
        }
        if (pinned.isEmpty()) {
            known.pin(key);
        }
        return key;
    }

    private static boolean isLoopback(String origin) {
        String host = origin.substring(0, origin.lastIndexOf('/'));
        host = host.startsWith("[") ? host.substring(1, host.indexOf(']')) : host.replaceFirst(":[0-9]+$", "");
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    private static boolean hasIndex(JsonObject doc) {
        try {
            return doc.optObject("log").map(log -> log.has("index")).orElse(false);
        } catch (JsonException e) {
            return false;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CommandFailure.unavailable("interrupted", e);
        }
    }
}
