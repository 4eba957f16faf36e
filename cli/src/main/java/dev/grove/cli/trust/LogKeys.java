package dev.grove.cli.trust;

import dev.grove.cli.client.RegistryClient;
import dev.grove.cli.client.RegistryException;
import dev.grove.cli.command.CommandFailure;
import dev.grove.cli.pack.VerificationException;
import dev.grove.json.JsonObject;
import dev.grove.note.NoteException;
import dev.grove.note.NoteVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * Which key a log is held to: the one given with {@code --log-key} (pinned if nothing was), the one pinned earlier, or,
 * the first time a log is used, the one its own node announces at {@code /.well-known/grove/node}, pinned then (trust
 * on first use, on this machine too). A mirror's word on another node's key is never taken.
 */
public final class LogKeys {
    private final KnownLogs known;
    private final PrintWriter err;

    /**
     * The key a log is held to and a phrase saying where it came from; {@code pinnedBefore} when it was pinned before
     * this use, else {@link #keep} pins it (with {@code registry}, may be empty) once the use succeeded.
     */
    public record Resolved(NoteVerifier key, String source, boolean pinnedBefore, String registry) {
        public String origin() {
            return key.name();
        }
    }

    /** Pins a key used for the first time, after the use it was resolved for succeeded (no-op for a pinned one). */
    public void keep(Resolved resolved) throws IOException {
        if (resolved.pinnedBefore() && resolved.registry().isEmpty()) {
            return;
        }
        boolean fresh = known.key(resolved.origin()).isEmpty();
        known.pin(resolved.key(), resolved.registry());
        if (fresh) {
            err.println("pinned log key " + resolved.key() + (resolved.registry().isEmpty() ? ""
                    : " for " + resolved.registry()) + " in " + known.file()
                    + " (trust on first use; 'grove trust list' shows the pins)");
        }
    }

    public LogKeys(KnownLogs known, PrintWriter err) {
        this.known = known;
        this.err = err;
    }

    public KnownLogs known() {
        return known;
    }

    /**
     * The key of the log the registry serves as its own. A registry pinned earlier to one log must still name it.
     *
     * @throws VerificationException when the registry names another log than it did, or no log and nothing is pinned
     */
    public Resolved ownLog(RegistryClient client, Optional<String> explicitKey) throws IOException {
        String url = client.base().toString();
        Optional<KnownLogs.Pin> byUrl = known.servedBy(url);
        Optional<NoteVerifier> announced = announced(client);
        if (byUrl.isPresent() && announced.isPresent() && !announced.get().name().equals(byUrl.get().origin())) {
            throw new VerificationException(url + " now names its log " + announced.get().name() + ", but it was seen "
                    + "serving log " + byUrl.get().origin() + " when that was pinned; " + known.forgetHint(
                    byUrl.get().origin()));
        }
        if (explicitKey.isPresent()) {
            NoteVerifier key = explicit(explicitKey.get());
            String expected = byUrl.map(KnownLogs.Pin::origin).or(() -> announced.map(NoteVerifier::name))
                    .orElse(key.name());
            if (!key.name().equals(expected)) {
                throw new VerificationException("--log-key is the key of log " + key.name() + ", but " + url
                        + " serves log " + expected);
            }
            return pinExplicit(key, url);
        }
        if (byUrl.isPresent()) {
            return new Resolved(byUrl.get().key(), "pinned in " + known.file(), true, "");
        }
        if (announced.isEmpty()) {
            throw new VerificationException(url + " names no log key at /.well-known/grove/node, and no key is pinned "
                    + "for it; a version can only be accepted with a proof in its log: pass --log-key KEY");
        }
        Optional<NoteVerifier> pinned = known.key(announced.get().name());
        if (pinned.isPresent()) {
            return new Resolved(pinned.get(), "pinned in " + known.file(), true, url);
        }
        return new Resolved(announced.get(), "announced by " + url + ", pinned now on first use", false, url);
    }

    /**
     * The key of log {@code origin}, which a mirror serves a copy of: given, pinned, or announced by the origin's own
     * node ({@code https://<host>}, {@code http} on this machine) and pinned then; never a key the mirror names.
     *
     * @throws VerificationException when no key can be had
     */
    public Resolved origin(String origin, Optional<String> explicitKey) throws IOException {
        if (explicitKey.isPresent()) {
            return explicitFor(origin, explicitKey.get(), "the package is");
        }
        Optional<NoteVerifier> pinned = known.key(origin);
        if (pinned.isPresent()) {
            return new Resolved(pinned.get(), "pinned in " + known.file(), true, "");
        }
        String url = nodeOf(origin);
        Optional<NoteVerifier> announced = announcedByOrigin(origin);
        if (announced.isEmpty()) {
            throw new VerificationException("no key is pinned for log " + origin + " in " + known.file() + ", and its "
                    + "own node (" + url + ") does not announce one; a mirror's word on it is not taken: pass "
                    + "--log-key KEY (the key the origin publishes at /.well-known/grove/log-key) or run "
                    + "'grove trust pin " + origin + " --key KEY'");
        }
        return new Resolved(announced.get(), "announced by " + url + ", pinned now on first use", false, url);
    }

    /** The URL of the node a log origin names: {@code https://<host>}, or {@code http://} on this machine. */
    public static String nodeOf(String origin) {
        String host = origin.lastIndexOf('/') > 0 ? origin.substring(0, origin.lastIndexOf('/')) : origin;
        return (isLoopback(host) ? "http://" : "https://") + host;
    }

    /** The key log {@code origin}'s own node announces for it, or empty when it cannot be read or names another. */
    public static Optional<NoteVerifier> announcedByOrigin(String origin) {
        try {
            return announced(RegistryClient.connect(nodeOf(origin))).filter(k -> k.name().equals(origin));
        } catch (IllegalArgumentException | RegistryException e) { // the origin may be gone: its mirrors outlive it
            return Optional.empty();
        }
    }

    /** The key a log is held to when checking a saved proof offline: given or pinned, never fetched. */
    public Resolved offline(String origin, Optional<String> explicitKey) throws IOException {
        if (explicitKey.isPresent()) {
            return explicitFor(origin, explicitKey.get(), "the proof is");
        }
        return known.key(origin).map(k -> new Resolved(k, "pinned in " + known.file(), true, ""))
                .orElseThrow(() -> new VerificationException("no key is pinned for log " + origin + " in "
                        + known.file() + ", so the saved log proof cannot be checked: pass --log-key KEY or run "
                        + "'grove trust pin " + origin + "'"));
    }

    /** {@code --log-key}, which must be the key of log {@code origin} ("but WHAT from log ORIGIN" otherwise). */
    private Resolved explicitFor(String origin, String text, String what) throws IOException {
        NoteVerifier key = explicit(text);
        if (!key.name().equals(origin)) {
            throw new VerificationException("--log-key is the key of log " + key.name() + ", but " + what
                    + " from log " + origin);
        }
        return pinExplicit(key, "");
    }

    private Resolved pinExplicit(NoteVerifier key, String url) throws IOException {
        Optional<NoteVerifier> pinned = known.key(key.name());
        if (pinned.isPresent() && !pinned.get().equals(key)) {
            throw new VerificationException("--log-key " + key + " is not the key pinned for log " + key.name()
                    + " (" + pinned.get() + "); " + known.forgetHint(key.name()));
        }
        return new Resolved(key, pinned.isPresent() ? "given with --log-key, as pinned" : "given with --log-key, "
                + "pinned now", pinned.isPresent(), url);
    }

    /**
     * The log key the node announces, or empty when it announces none.
     *
     * @throws RegistryException when the node cannot be reached or fails (not a refusal)
     */
    private static Optional<NoteVerifier> announced(RegistryClient client) {
        JsonObject node;
        try {
            node = client.getJson("/.well-known/grove/node");
        } catch (RegistryException e) {
            if (e.isRefusal()) {
                return Optional.empty();
            }
            throw e;
        }
        try {
            NoteVerifier key = NoteVerifier.parse(node.string("logKey"));
            String origin = node.optString("logOrigin").orElse(key.name());
            return key.name().equals(origin) && key.type() == NoteVerifier.ED25519 ? Optional.of(key) : Optional.empty();
        } catch (NoteException | RuntimeException e) { // unreachable, not JSON, no key: announces none
            return Optional.empty();
        }
    }

    private static NoteVerifier explicit(String text) {
        try {
            NoteVerifier key = NoteVerifier.parse(text.trim());
            if (key.type() != NoteVerifier.ED25519) {
                throw CommandFailure.usage("--log-key " + key + " is not a log (Ed25519) key");
            }
            return key;
        } catch (NoteException e) {
            throw CommandFailure.usage("--log-key: " + e.getMessage());
        }
    }

    static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, Math.max(1, host.indexOf(']'))) : host.replaceFirst(":[0-9]+$", "");
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1");
    }
}
