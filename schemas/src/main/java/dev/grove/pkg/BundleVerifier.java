package dev.grove.pkg;

import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.KeyId;
import dev.grove.crypto.Sha256;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeVerifier;
import dev.grove.dsse.SignatureException;
import dev.grove.dsse.VerifiedEnvelope;
import dev.grove.semver.SemVer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a bundle is a genuine package: each envelope has its payload type and is signed by a trusted key (see
 * {@link EnvelopeVerifier}), each document parses, both cards are about the contract's name and version, and the contract's
 * {@code cards} digests are those of the card payload bytes. Artifact bytes are not checked here (they travel separately).
 */
public final class BundleVerifier {
    private BundleVerifier() {
    }

    /**
     * @throws SignatureException when an envelope's type or signatures are not acceptable (message starts with the
     *     envelope's name, e.g. "lineage: no signature by a trusted key (...)")
     * @throws DocumentException when a document is invalid or the documents disagree
     */
    public static VerifiedPackage verify(Bundle b, Map<KeyId, Ed25519PublicKey> trusted) {
        return verify(ParsedBundle.of(b), trusted);
    }

    /**
     * {@link #verify(Bundle, Map)} of {@code b.bundle()} with the documents {@code b} parsed (or parses now, once, after
     * the signatures verified): the result holds the same {@link Contract}, {@link LineageCard} and
     * {@link EvaluationCard} objects, whatever the number of verifications. The checks and their order are those of
     * {@link #verify(Bundle, Map)}.
     */
    public static VerifiedPackage verify(ParsedBundle b, Map<KeyId, Ed25519PublicKey> trusted) {
        // the parsed documents are those of b.bundle()'s payloads, the bytes whose signatures are verified here
        Bundle bundle = b.bundle();
        List<KeyId> signers = new ArrayList<>();
        byte[] contractBytes = verified("contract", bundle.contract(), trusted, PayloadTypes.CONTRACT, signers);
        byte[] lineageBytes = verified("lineage", bundle.lineage(), trusted, PayloadTypes.LINEAGE, signers);
        byte[] evaluationBytes = verified("evaluation", bundle.evaluation(), trusted, PayloadTypes.EVALUATION, signers);

        Contract contract = document("contract", b::contract);
        LineageCard lineage = document("lineage", b::lineage);
        EvaluationCard evaluation = document("evaluation", b::evaluation);

        checkSubject("lineage", lineage.subjectName(), lineage.subjectVersion(), contract);
        checkSubject("evaluation", evaluation.subjectName(), evaluation.subjectVersion(), contract);
        checkCard("lineage", Sha256.of(lineageBytes), contract.lineageCard());
        checkCard("evaluation", Sha256.of(evaluationBytes), contract.evaluationCard());
        checkAdapter(contract, lineage);
        return new VerifiedPackage(contract, lineage, evaluation, Sha256.of(contractBytes), signers);
    }

    private static byte[] verified(String which, Envelope e, Map<KeyId, Ed25519PublicKey> trusted, String type,
            List<KeyId> signers) {
        VerifiedEnvelope v;
        try {
            v = EnvelopeVerifier.verify(e, trusted, type);
        } catch (SignatureException ex) {
            throw new SignatureException(which + ": " + ex.getMessage(), ex);
        }
        for (KeyId id : v.signers()) {
            if (!signers.contains(id)) {
                signers.add(id);
            }
        }
        return v.payload();
    }

    private interface Parse<T> {
        T run();
    }

    private static <T> T document(String which, Parse<T> parse) {
        try {
            return parse.run();
        } catch (DocumentException e) {
            throw new DocumentException(which + ": " + e.getMessage(), e);
        }
    }

    private static void checkSubject(String which, PackageName name, SemVer version, Contract contract) {
        if (!name.equals(contract.name()) || !version.equals(contract.version())) {
            throw new DocumentException(which + " card subject " + name + "@" + version + " does not match contract "
                    + contract.name() + "@" + contract.version());
        }
    }

    /** An adapter package and its lineage card name the same base: operator adapter, the base its only parent. */
    static void checkAdapter(Contract contract, LineageCard lineage) {
        java.util.Optional<AdapterBase> base = contract.adapter();
        boolean adapterOperator = lineage.operator() == Operator.ADAPTER;
        if (base.isEmpty() && adapterOperator) {
            throw new DocumentException("lineage: operator 'adapter' is for adapter packages; the contract's "
                    + "architecture.family must be '" + AdapterBase.FAMILY + "' with an adapter block naming the base");
        }
        if (base.isEmpty()) {
            return;
        }
        if (!adapterOperator) {
            throw new DocumentException("lineage: an adapter package's operator must be 'adapter', not '"
                    + lineage.operator().wireName() + "'");
        }
        if (lineage.parents().size() != 1 || !lineage.parents().get(0).digest().equals(base.get().digest())) {
            throw new DocumentException("lineage: an adapter package's only parent must be its base "
                    + base.get().ref() + " (" + base.get().digest() + "), as the contract's adapter.base.digest says");
        }
    }

    private static void checkCard(String which, Sha256 actual, Sha256 pinned) {
        if (!actual.equals(pinned)) {
            throw new DocumentException(which + " card digest " + actual + " does not match contract cards." + which
                    + " " + pinned);
        }
    }
}
