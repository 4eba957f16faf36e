package dev.grove.cli.trust;

import dev.grove.checkpoint.CheckpointException;
import dev.grove.cli.pack.PackageDirectory;
import dev.grove.cli.pack.PackageVerifier;
import dev.grove.cli.pack.VerificationException;
import dev.grove.crypto.KeyId;
import dev.grove.federation.CheckpointFollower;
import dev.grove.json.Json;
import dev.grove.json.JsonException;
import dev.grove.pkg.Bundle;
import dev.grove.verify.LogProof;
import dev.grove.verify.TrustPolicy;
import dev.grove.verify.VerifiedVersion;
import dev.grove.verify.VersionVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.Set;

/**
 * A package directory checked offline by the one verifier: with the log proof {@code grove pull} kept beside it
 * ({@value LogProof#FILE}), against the log's pinned key; without one, its signatures and files only, said as such.
 */
public final class DirectoryCheck {
    private DirectoryCheck() {
    }

    /** What was checked; {@code logged} is empty for a directory with no log proof. */
    public record Checked(PackageVerifier.Report report, Optional<VerifiedVersion> logged) {
    }

    /**
     * @param explicitKey {@code --log-key}: demands a log proof
     * @throws VerificationException or {@link dev.grove.verify.Refusal} naming what failed
     */
    public static Checked check(PackageDirectory dir, Set<KeyId> publishers, Optional<String> explicitKey,
                                PrintWriter err) throws IOException {
        Bundle bundle = PackageVerifier.readBundle(dir);
        if (!dir.has(LogProof.FILE)) {
            if (explicitKey.isPresent()) {
                throw new VerificationException(dir.root().resolve(LogProof.FILE) + " is missing: nothing proves the "
                        + "package is in the log of --log-key (grove pull keeps the proof beside the package)");
            }
            return new Checked(PackageVerifier.checkFiles(dir, bundle, PackageVerifier.verifyBundle(bundle, publishers)),
                    Optional.empty());
        }
        LogProof.Included proof;
        String origin;
        try {
            proof = LogProof.included(Json.parseObject(dir.read(LogProof.FILE)), LogProof.FILE);
            origin = CheckpointFollower.parseUnverified(proof.checkpoint()).origin();
        } catch (JsonException | CheckpointException e) {
            throw new VerificationException(LogProof.FILE + " is malformed: " + e.getMessage(), e);
        }
        LogKeys keys = new LogKeys(KnownLogs.user(), err);
        LogKeys.Resolved key = keys.offline(origin, explicitKey);
        VerifiedVersion v = VersionVerifier.verifyOffline(bundle, proof, TrustPolicy.forLog(key.key())
                .withPublishers(publishers), System.currentTimeMillis() / 1000);
        Checked checked = new Checked(PackageVerifier.checkFiles(dir, bundle, v.pkg()), Optional.of(v));
        keys.keep(key);
        return checked;
    }
}
