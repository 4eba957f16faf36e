package dev.grove.cli.pack;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.json.Json;
import dev.grove.json.JsonException;
import dev.grove.json.JsonObject;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.PayloadTypes;
import dev.grove.pkg.PublicKeyEntry;
import dev.grove.pkg.VerifiedPackage;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Seals a package directory for publishing: pins the artifacts and cards into {@code grove.json} (rewriting it only when a
 * pin changed), checks the documents, signs the exact bytes as three DSSE envelopes and writes
 * {@code grove.bundle.json}: {@link #prepare} does all of it in memory and writes nothing, {@link Sealed#write} writes it.
 * Signing the same directory twice gives the same bundle (Ed25519 signatures are deterministic), so publishing again is
 * idempotent.
 */
public final class PackageSealer {
    private PackageSealer() {
    }

    /** The signed bundle and what it verified to. */
    public record Sealed(Bundle bundle, VerifiedPackage pkg, boolean contractRewritten, byte[] contractBytes,
                         byte[] bundleBytes) {

        /**
         * Writes the pinned {@code grove.json} (when a pin changed) and {@code grove.bundle.json} (when it changed), each
         * whole or not at all.
         */
        public void write(PackageDirectory dir) throws IOException {
            if (contractRewritten) {
                dir.write(PackageDirectory.CONTRACT, contractBytes);
            }
            if (!dir.has(PackageDirectory.BUNDLE) || !Arrays.equals(dir.read(PackageDirectory.BUNDLE), bundleBytes)) {
                dir.write(PackageDirectory.BUNDLE, bundleBytes);
            }
        }
    }

    /**
     * Pins, checks and signs the directory in memory and writes nothing: {@code grove publish} writes only once the node
     * accepted the package, and {@code grove publish --dry-run} never.
     */
    public static Sealed prepare(PackageDirectory dir, Ed25519PrivateKey key) throws IOException {
        byte[] original = dir.read(PackageDirectory.CONTRACT);
        JsonObject contract;
        try {
            contract = Json.parseObject(original);
        } catch (JsonException e) {
            throw new VerificationException(PackageDirectory.CONTRACT + " is not a JSON object: " + e.getMessage(), e);
        }
        JsonObject pinned = ContractPins.fill(contract, dir);
        byte[] contractBytes = original;
        boolean rewritten = false;
        if (!pinned.equals(contract)) {
            contractBytes = PrettyJson.bytes(pinned);
            rewritten = true;
        }
        Envelope contractEnvelope = EnvelopeSigner.sign(PayloadTypes.CONTRACT, contractBytes, key);
        Envelope lineage = EnvelopeSigner.sign(PayloadTypes.LINEAGE, dir.read(PackageDirectory.LINEAGE), key);
        Envelope evaluation = EnvelopeSigner.sign(PayloadTypes.EVALUATION, dir.read(PackageDirectory.EVALUATION), key);
        Bundle bundle = new Bundle(contractEnvelope, lineage, evaluation, List.of(PublicKeyEntry.of(key.publicKey())));
        VerifiedPackage pkg = PackageVerifier.verifyBundle(bundle, Set.of(key.keyId()));
        byte[] bundleBytes = PrettyJson.bytes(bundle.toJson());
        return new Sealed(bundle, pkg, rewritten, contractBytes, bundleBytes);
    }
}
