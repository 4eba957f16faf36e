package dev.grove.cli.trust;

import dev.grove.cli.client.RegistryClient;
import dev.grove.cli.client.RegistryException;
import dev.grove.cli.command.CommandFailure;
import dev.grove.json.JsonString;
import dev.grove.note.NoteVerifier;
import dev.grove.pkg.PackageRef;
import dev.grove.verify.NamespaceKeys;
import dev.grove.verify.Refusal;
import dev.grove.verify.TrustPolicy;
import dev.grove.verify.VerifiedVersion;
import dev.grove.verify.VersionDocument;
import dev.grove.verify.VersionVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.function.Function;

/**
 * The client side of {@link VersionVerifier}: fetches a version document and its namespace's keyset from a registry and
 * verifies them under a policy. A version whose entry is not in a signed checkpoint yet is asked for again, for a bounded
 * time with a message, and then refused: it is never accepted unproven. The checkpoint that proved it is held to the
 * one this client verified before ({@link CheckpointMemory}).
 *
 * @param client   the registry
 * @param base     {@code /v1} for the registry's own packages, {@code /v1/origins/<origin>} for a mirrored one
 * @param resolved the log key the policy holds, and where it came from (named when a pinned key does not verify)
 */
public record VersionCheck(RegistryClient client, String base, LogKeys.Resolved resolved, KnownLogs known) {

    /** How long to wait for a just-published entry to reach a checkpoint (a node integrates every ~200 ms). */
    static final int WAIT_ATTEMPTS = 40;
    static final long WAIT_MILLIS = 250;

    /** The verified version and the document it came from. */
    public record Checked(VerifiedVersion version, VersionDocument document) {
    }

    /** A located version verified, and the log key that proved it, pinned for its origin only by {@link #keep}. */
    public record Proven(Checked checked, LogKeys.Resolved logKey, LogKeys keys) {
        public void keep() throws IOException {
            keys.keep(logKey);
        }
    }

    /**
     * The version a reference located on the registry names, fetched and verified: the key of the log it must be
     * proven in resolved ({@link PackageTarget#logKey}, {@code explicitKey} or pinned or announced), and the policy
     * made on that key.
     */
    public static Proven prove(RegistryClient client, PackageTarget target, Optional<String> explicitKey,
                               Function<NoteVerifier, TrustPolicy> policy, PrintWriter err) throws IOException {
        LogKeys keys = new LogKeys(KnownLogs.user(), err);
        LogKeys.Resolved logKey = target.logKey(keys, client, explicitKey);
        Checked checked = new VersionCheck(client, target.base(), logKey, keys.known())
                .fetch(target.ref(), policy.apply(logKey.key()), err);
        return new Proven(checked, logKey, keys);
    }

    /**
     * @throws Refusal naming the check that failed (a pinned key that does not verify names the pin and how to
     *     forget it)
     */
    public Checked fetch(PackageRef asked, TrustPolicy policy, PrintWriter err) throws IOException {
        String path = versionPath(asked.name().namespace(), asked.name().name(), asked.version());
        VersionDocument doc = VersionDocument.of(client.getJson(path));
        NamespaceKeys keyset = keyset(asked.name().namespace());
        for (int attempt = 0; ; attempt++) {
            try {
                VerifiedVersion v = VersionVerifier.verify(doc, asked, policy, keyset, System.currentTimeMillis() / 1000);
                CheckpointMemory.user().hold(client, base.equals("/v1") ? "/log" : base + "/log", policy.logKey(),
                        v.checkpoint(), v.proof().checkpoint());
                return new Checked(v, doc);
            } catch (Refusal r) {
                if (r.check() == Refusal.Check.LOG_PENDING && attempt < WAIT_ATTEMPTS) {
                    if (attempt == 0) {
                        err.println("waiting (at most " + WAIT_ATTEMPTS * WAIT_MILLIS / 1000 + " s): " + r.getMessage());
                    }
                    sleep();
                    // the same version again, also when "latest" was asked for and has moved on meanwhile
                    String version = doc.get("version").map(v -> v instanceof JsonString s ? s.value()
                            : asked.version()).orElse(asked.version());
                    doc = VersionDocument.of(client.getJson(versionPath(asked.name().namespace(), asked.name().name(),
                            version)));
                    continue;
                }
                throw explained(r, attempt);
            }
        }
    }

    private Refusal explained(Refusal r, int attempts) {
        if (r.check() == Refusal.Check.LOG_PENDING) {
            return new Refusal(r.check(), r.getMessage() + " after " + attempts * WAIT_MILLIS / 1000 + " s; a version "
                    + "is accepted only with a proof in its log: try again shortly", r);
        }
        if (r.check() == Refusal.Check.LOG && resolved.pinnedBefore()) {
            return new Refusal(r.check(), r.getMessage() + "; that is the key " + resolved.source() + " for log "
                    + resolved.origin() + "; " + known.forgetHint(resolved.origin()), r);
        }
        return r;
    }

    private NamespaceKeys keyset(String namespace) {
        try {
            return NamespaceKeys.of(namespace, client.getJson(base + "/namespaces/" + namespace));
        } catch (RegistryException e) {
            if (e.status() == 404) {
                throw new Refusal(Refusal.Check.KEYSET, "the node has no keyset for namespace '" + namespace
                        + "', so nothing shows the signer may publish there");
            }
            throw e;
        }
    }

    private String versionPath(String namespace, String name, String version) {
        return base + "/packages/" + namespace + "/" + name + "/versions/" + version;
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
