package dev.grove.cli.pack;

import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.KeyId;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.SignatureException;
import dev.grove.json.JsonException;
import dev.grove.pkg.Artifact;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.BundleVerifier;
import dev.grove.pkg.DocumentException;
import dev.grove.pkg.PublicKeyEntry;
import dev.grove.pkg.VerifiedPackage;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether a signed package can be believed, and says what it checked. The signatures are checked against the keys
 * the bundle carries, narrowed to {@code trustedKeys} when the caller names any (otherwise the bundle's keys are taken at
 * their word, and the caller should say so). Every failure is a {@link VerificationException} naming what failed.
 */
public final class PackageVerifier {
    private PackageVerifier() {
    }

    /** What an offline verification checked. */
    public record Report(VerifiedPackage pkg, List<Artifact> artifacts, long artifactBytes) {
    }

    /**
     * The bundle's envelopes: signatures by the trusted keys (see class doc), documents that parse, card subjects and card
     * digests that match the contract.
     */
    public static VerifiedPackage verifyBundle(Bundle bundle, Set<KeyId> trustedKeys) {
        Map<KeyId, Ed25519PublicKey> keys = new LinkedHashMap<>();
        for (PublicKeyEntry entry : bundle.keys()) {
            if (trustedKeys.isEmpty() || trustedKeys.contains(entry.keyid())) {
                keys.put(entry.keyid(), entry.publicKey());
            }
        }
        if (keys.isEmpty()) {
            throw new VerificationException(bundle.keys().isEmpty()
                    ? "the bundle carries no public keys, so its signatures cannot be checked"
                    : "the bundle is not signed by a trusted key: it carries " + ids(bundle.keys()) + ", trusted are "
                    + trustedKeys.stream().map(KeyId::hex).collect(Collectors.joining(", ")));
        }
        try {
            return BundleVerifier.verify(bundle, keys);
        } catch (SignatureException e) {
            throw new VerificationException("signature check failed: " + e.getMessage(), e);
        } catch (DocumentException | JsonException | IllegalArgumentException e) {
            throw new VerificationException("the package documents are not valid: " + e.getMessage(), e);
        }
    }

    /**
     * A package directory, offline: its bundle (as {@link #verifyBundle}), that {@code grove.json}, {@code lineage.json} and
     * {@code evaluation.json} are exactly the signed payload bytes, and every artifact's size and SHA-256.
     */
    public static Report verifyDirectory(PackageDirectory dir, Set<KeyId> trustedKeys) throws IOException {
        if (!dir.has(PackageDirectory.BUNDLE)) {
            throw new VerificationException(dir.root().resolve(PackageDirectory.BUNDLE) + " is missing: the package is "
                    + "not signed yet (grove publish signs it; grove pull fetches a signed one)");
        }
        Bundle bundle;
        try {
            bundle = Bundle.parse(dir.read(PackageDirectory.BUNDLE));
        } catch (DocumentException | JsonException | IllegalArgumentException e) {
            throw new VerificationException(PackageDirectory.BUNDLE + " is malformed: " + e.getMessage(), e);
        }
        VerifiedPackage pkg = verifyBundle(bundle, trustedKeys);
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

    private static String ids(List<PublicKeyEntry> entries) {
        return entries.stream().map(e -> e.keyid().hex()).collect(Collectors.joining(", "));
    }
}
