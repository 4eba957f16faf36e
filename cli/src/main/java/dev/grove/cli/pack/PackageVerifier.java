package dev.grove.cli.pack;

import dev.grove.crypto.KeyId;
import dev.grove.dsse.Envelope;
import dev.grove.json.JsonException;
import dev.grove.pkg.Artifact;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.DocumentException;
import dev.grove.pkg.VerifiedPackage;
import dev.grove.verify.VersionVerifier;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * A package directory's own checks (its files are the signed bytes and artifacts); the signed documents are checked by the
 * one verifier, {@link VersionVerifier}. Every failure names what failed.
 */
public final class PackageVerifier {
    private PackageVerifier() {
    }

    /** What an offline verification checked. */
    public record Report(VerifiedPackage pkg, List<Artifact> artifacts, long artifactBytes) {
    }

    /**
     * The bundle's envelopes, as {@link VersionVerifier#verifyUnpublished}: signatures by the bundle's keys narrowed to
     * {@code trustedKeys} (when not empty), documents that parse, card subjects and digests that match the contract.
     */
    public static VerifiedPackage verifyBundle(Bundle bundle, Set<KeyId> trustedKeys) {
        return VersionVerifier.verifyUnpublished(bundle, trustedKeys);
    }

    /** The directory's {@code grove.bundle.json}. */
    public static Bundle readBundle(PackageDirectory dir) throws IOException {
        if (!dir.has(PackageDirectory.BUNDLE)) {
            throw new VerificationException(dir.root().resolve(PackageDirectory.BUNDLE) + " is missing: the package is "
                    + "not signed yet (grove publish signs it; grove pull fetches a signed one)");
        }
        try {
            return Bundle.parse(dir.read(PackageDirectory.BUNDLE));
        } catch (DocumentException | JsonException | IllegalArgumentException e) {
            throw new VerificationException(PackageDirectory.BUNDLE + " is malformed: " + e.getMessage(), e);
        }
    }

    /**
     * A package directory, offline, signatures only: its bundle (as {@link #verifyBundle}) and its files (as
     * {@link #checkFiles}).
     */
    public static Report verifyDirectory(PackageDirectory dir, Set<KeyId> trustedKeys) throws IOException {
        Bundle bundle = readBundle(dir);
        return checkFiles(dir, bundle, verifyBundle(bundle, trustedKeys));
    }

    /**
     * The files of a directory whose bundle verified as {@code pkg}: {@code grove.json}, {@code lineage.json} and
     * {@code evaluation.json} are exactly the signed payload bytes, and every artifact has its signed size and SHA-256.
     */
    public static Report checkFiles(PackageDirectory dir, Bundle bundle, VerifiedPackage pkg) throws IOException {
        sameBytes(dir, PackageDirectory.CONTRACT, bundle.contract(), "contract");
        sameBytes(dir, PackageDirectory.LINEAGE, bundle.lineage(), "lineage card");
        sameBytes(dir, PackageDirectory.EVALUATION, bundle.evaluation(), "evaluation card");
        long total = 0;
        for (Artifact artifact : pkg.contract().artifacts()) {
            PackageDirectory.FileDigest file = PackageDirectory.digest(dir.artifact(artifact.path()));
            if (file.size() != artifact.size()) {
                throw new VerificationException("artifact '" + artifact.path() + "' is " + file.size()
                        + " bytes, but the signed contract says " + artifact.size());
            }
            if (!file.digest().equals(artifact.digest())) {
                throw new VerificationException("artifact '" + artifact.path() + "' has digest " + file.digest()
                        + ", but the signed contract says " + artifact.digest());
            }
            total += file.size();
        }
        return new Report(pkg, pkg.contract().artifacts(), total);
    }

    private static void sameBytes(PackageDirectory dir, String file, Envelope envelope, String what) throws IOException {
        byte[] onDisk = dir.read(file);
        byte[] signed = envelope.payload();
        if (!java.util.Arrays.equals(onDisk, signed)) {
            int at = java.util.Arrays.mismatch(onDisk, signed);
            throw new VerificationException(file + " is not the signed " + what + ": it differs at byte " + at + " ("
                    + onDisk.length + " bytes on disk, " + signed.length + " signed); it was changed after signing "
                    + "(run grove publish again to sign the new content)");
        }
    }
}
