package dev.grove.runtime.web;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.checkpoint.CheckpointException;
import dev.grove.checkpoint.CheckpointVerifier;
import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.Hex;
import dev.grove.crypto.KeyId;
import dev.grove.crypto.Sha256;
import dev.grove.crypto.Sha256Hasher;
import dev.grove.crypto.StrictBase64;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeVerifier;
import dev.grove.dsse.VerifiedEnvelope;
import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonString;
import dev.grove.json.JsonValue;
import dev.grove.pkg.Artifact;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.BundleVerifier;
import dev.grove.pkg.Contract;
import dev.grove.pkg.PackageRef;
import dev.grove.pkg.PayloadTypes;
import dev.grove.pkg.PublicKeyEntry;
import dev.grove.pkg.TensorSpec;
import dev.grove.pkg.VerifiedPackage;
import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.Model;
import dev.grove.runtime.model.ModelException;
import dev.grove.runtime.safetensors.SafetensorsException;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.tlog.InclusionProof;
import dev.grove.tlog.MerkleHash;
import dev.grove.tlog.ProofException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verify-before-run for one package fetched from a node, in three steps so that no artifact is downloaded before the
 * signed documents check out and no weight is used before every artifact does:
 *
 * <ol>
 *   <li>{@link #begin}: the version document's bundle (every DSSE signature by a trusted key, the cards' digests and
 *       subjects, see {@link BundleVerifier}), the package digest, the reference asked for, the log inclusion proof
 *       against the checkpoint signed by the node's log key (when the document carries {@code log}), and the
 *       architecture; it then lists the artifacts to fetch ({@link #fetches()});</li>
 *   <li>{@link #addArtifact}: each artifact's size and SHA-256 against the contract, as it arrives;</li>
 *   <li>{@link #finish}: every artifact arrived; the weights parse and match the architecture; the model loads.</li>
 * </ol>
 *
 * Any failure throws {@link VerificationException} naming the check, and the {@link #report()} ends with that check as
 * failed. Pure Java (no JavaScript interop): the same code runs on the JVM and, compiled by TeaVM, in the browser.
 */
public final class PackageLoader {
    /** The most bytes one package may ask the browser to download. */
    public static final long MAX_PACKAGE_BYTES = 256L * 1024 * 1024;

    /** An artifact to fetch: where, and what it must be. */
    public record Fetch(String path, String url, long size, String digest) {
        JsonObject toJson() {
            return JsonObject.builder().put("path", path).put("url", url).put("size", size).put("digest", digest)
                    .build();
        }
    }

    private final Report report = new Report();
    private final String nodeBase;
    private Contract contract;
    private String packageDigest;
    private Architecture architecture;
    private List<String> labels;
    private final List<Fetch> fetches = new ArrayList<>();
    private final Map<String, byte[]> artifacts = new LinkedHashMap<>();
    private boolean failed;

    private PackageLoader(String nodeUrl) {
        String base = nodeUrl;
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        this.nodeBase = base;
    }

    /** The version document's path on a node for {@code ref} ({@code ns/name@version}, {@code @latest} or no version). */
    public static String versionPath(String ref) {
        PackageRef r = PackageRef.parse(ref);
        return "/v1/packages/" + r.name().namespace() + "/" + r.name().name() + "/versions/" + r.version();
    }

    /** The namespace document's path on a node for {@code ref}. */
    public static String namespacePath(String ref) {
        return "/v1/namespaces/" + PackageRef.parse(ref).name().namespace();
    }

    /**
     * Checks the signed documents of a version document as served by {@code nodeUrl} for {@code ref}.
     *
     * @param nodeDocument the node's {@code /.well-known/grove/node} document, or null (needed only when the version
     *     document carries {@code log} and no {@code pinnedLogKey} is given)
     * @param namespaceDocument the node's {@code /v1/namespaces/{ns}} document, or null: when given, only bundle keys
     *     that are in the namespace's current keyset are trusted
     * @param pinnedLogKey the node's log verifier key ({@code <name>+<id>+<base64>}) known beforehand, or null to take
     *     it from {@code nodeDocument}; when given, a version document without a log proof is refused
     */
    public static PackageLoader begin(String nodeUrl, String ref, String versionDocument, String nodeDocument,
            String namespaceDocument, String pinnedLogKey) throws VerificationException {
        PackageLoader l = new PackageLoader(nodeUrl);
        try {
            l.checkDocuments(ref, versionDocument, nodeDocument, namespaceDocument, pinnedLogKey);
        } catch (VerificationException e) {
            l.failed = true;
            throw e;
        } catch (RuntimeException e) { // a bug or a document shape no check anticipated: still a refusal
            l.failed = true;
            throw l.report.failed("document", "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        return l;
    }

    /** The artifacts to fetch, in contract order; each must then be passed to {@link #addArtifact}. */
    public List<Fetch> fetches() {
        return Collections.unmodifiableList(fetches);
    }

    public Report report() {
        return report;
    }

    /** The verified contract's reference ({@code ns/name@version}). */
    public String ref() {
        return contract.ref().toString();
    }

    public String packageDigest() {
        return packageDigest;
    }

    public List<String> labels() {
        return labels;
    }

    /** Checks one fetched artifact's size and SHA-256 against the contract, and keeps its bytes. */
    public void addArtifact(String path, byte[] bytes) throws VerificationException {
        live();
        String check = "artifact " + path;
        Artifact a = null;
        for (Artifact c : contract.artifacts()) {
            if (c.path().equals(path)) {
                a = c;
            }
        }
        if (a == null) {
            throw fail(check, "the contract lists no artifact with this path");
        }
        if (artifacts.containsKey(path)) {
            throw fail(check, "given twice");
        }
        if (bytes.length != a.size()) {
            throw fail(check, "is " + bytes.length + " bytes, the contract says " + a.size());
        }
        Sha256 actual = new Sha256Hasher().update(bytes).digest();
        if (!actual.equals(a.digest())) {
            throw fail(check, "SHA-256 is " + actual + ", the contract pins " + a.digest());
        }
        artifacts.put(path, bytes);
        report.passed(check, bytes.length + " bytes, " + actual + " as the contract pins");
    }

    /** Checks that every artifact arrived, and loads the weights into the architecture. */
    public LoadedPackage finish() throws VerificationException {
        live();
        for (Artifact a : contract.artifacts()) {
            if (!artifacts.containsKey(a.path())) {
                throw fail("artifacts", "artifact " + a.path() + " was not fetched");
            }
        }
        Artifact weights = weightsArtifact();
        Model model;
        try {
            SafetensorsFile file = SafetensorsFile.parse(artifacts.get(weights.path()));
            model = Model.load(architecture, file);
            report.passed("weights", weights.path() + ": " + file.tensors().size() + " tensors, exactly those the "
                    + architecture.name() + " architecture expects, with their dtypes and shapes");
        } catch (SafetensorsException | ModelException e) {
            throw fail("weights", weights.path() + ": " + e.getMessage());
        }
        failed = true; // a loader is used once
        return new LoadedPackage(ref(), packageDigest, model, labels, report);
    }

    private void live() throws VerificationException {
        if (failed) {
            throw new VerificationException("state", "this load already failed or finished");
        }
    }

    private VerificationException fail(String check, String message) {
        failed = true;
        return report.failed(check, message);
    }

    private void checkDocuments(String ref, String versionDocument, String nodeDocument, String namespaceDocument,
            String pinnedLogKey) throws VerificationException {
        PackageRef asked;
        try {
            asked = PackageRef.parse(ref);
        } catch (RuntimeException e) {
            throw report.failed("reference", "'" + ref + "' is not ns/name@version: " + e.getMessage());
        }
        JsonObject doc;
        Bundle bundle;
        try {
            doc = Json.parseObject(versionDocument);
            bundle = Bundle.parse(doc.object("bundle"));
        } catch (RuntimeException e) {
            throw report.failed("document", "the version document is not usable: " + e.getMessage());
        }

        // Keys: the bundle's, narrowed to the namespace keyset when we have it.
        Map<KeyId, Ed25519PublicKey> trusted = bundle.keyMap();
        if (namespaceDocument == null) {
            report.skipped("keyset", "no namespace keyset given: trusting the " + trusted.size()
                    + " key(s) the bundle carries");
        } else {
            Map<KeyId, Ed25519PublicKey> keyset;
            try {
                JsonObject ns = Json.parseObject(namespaceDocument);
                if (!ns.string("namespace").equals(asked.name().namespace())) {
                    throw new IllegalArgumentException("it is the keyset of namespace '" + ns.string("namespace") + "'");
                }
                List<PublicKeyEntry> entries = new ArrayList<>();
                for (JsonValue v : ns.array("keys")) {
                    JsonObject k = (JsonObject) v;
                    entries.add(new PublicKeyEntry(KeyId.parse(k.string("keyid")),
                            Ed25519PublicKey.fromBase64(k.string("publicKey"))));
                }
                keyset = PublicKeyEntry.toMap(entries);
            } catch (RuntimeException e) {
                throw report.failed("keyset", "the namespace document is not usable: " + e.getMessage());
            }
            trusted.keySet().retainAll(keyset.keySet());
            if (trusted.isEmpty()) {
                throw report.failed("keyset", "none of the bundle's keys is in namespace '" + asked.name().namespace()
                        + "''s keyset (" + keyset.size() + " key(s))");
            }
            report.passed("keyset", trusted.size() + " bundle key(s) in namespace '" + asked.name().namespace()
                    + "''s keyset of " + keyset.size());
        }

        // Every signature by a trusted key, per envelope, then the documents and the cards they pin.
        StringBuilder signed = new StringBuilder();
        signed.append(envelope("contract", bundle.contract(), trusted, PayloadTypes.CONTRACT));
        signed.append("; ").append(envelope("lineage", bundle.lineage(), trusted, PayloadTypes.LINEAGE));
        signed.append("; ").append(envelope("evaluation", bundle.evaluation(), trusted, PayloadTypes.EVALUATION));
        report.passed("signatures", signed.toString());
        VerifiedPackage verified;
        try {
            verified = BundleVerifier.verify(bundle, trusted);
        } catch (RuntimeException e) {
            throw report.failed("cards", e.getMessage());
        }
        contract = verified.contract();
        report.passed("cards", "lineage " + abbreviate(contract.lineageCard()) + " and evaluation "
                + abbreviate(contract.evaluationCard()) + " payload digests match the contract; both cards are about "
                + contract.ref());

        packageDigest = verified.digest().toString();
        String claimed = doc.optString("digest").orElse(null);
        if (!packageDigest.equals(claimed)) {
            throw report.failed("package digest", "the contract payload's digest is " + packageDigest
                    + ", the node says " + claimed);
        }
        report.passed("package digest", packageDigest + " (SHA-256 of the signed contract bytes) as the node states");

        if (!contract.name().equals(asked.name())
                || (!asked.isLatest() && !asked.version().equals(contract.version().toString()))) {
            throw report.failed("reference", "asked for " + ref + ", the signed contract is " + contract.ref());
        }
        report.passed("reference", "the signed contract is " + contract.ref() + " as asked (" + ref + ")");

        checkLog(doc, bundle, nodeDocument, pinnedLogKey);
        checkArchitecture();
        planFetches(doc);
    }

    private String envelope(String which, Envelope e, Map<KeyId, Ed25519PublicKey> trusted, String type)
            throws VerificationException {
        VerifiedEnvelope v;
        try {
            v = EnvelopeVerifier.verify(e, trusted, type);
        } catch (RuntimeException ex) {
            throw report.failed("signatures", which + ": " + ex.getMessage());
        }
        StringBuilder sb = new StringBuilder(which).append(" signed by ");
        for (int i = 0; i < v.signers().size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(v.signers().get(i).hex(), 0, 16).append('…');
        }
        int ignored = e.signatures().size() - v.signers().size();
        if (ignored > 0) {
            sb.append(" (").append(ignored).append(" signature(s) by untrusted keys ignored)");
        }
        return sb.append(" (Ed25519 over DSSE PAE)").toString();
    }

    private void checkLog(JsonObject doc, Bundle bundle, String nodeDocument, String pinnedLogKey)
            throws VerificationException {
        JsonObject log = doc.optObject("log").orElse(null);
        if (log == null) {
            if (pinnedLogKey != null) {
                throw report.failed("log", "a log key was pinned but the version document carries no inclusion proof");
            }
            report.skipped("log", "the version document carries no log proof (node without a transparency log)");
            return;
        }
        if (!log.has("checkpoint")) {
            String index = log.get("index").map(JsonValue::toString).orElse("?");
            if (pinnedLogKey != null) {
                throw report.failed("log", "log entry " + index + " is not in a signed checkpoint yet, and a log key "
                        + "was pinned: try again shortly");
            }
            report.skipped("log", "log entry " + index + " is not in a signed checkpoint yet: no inclusion proof to "
                    + "check");
            return;
        }
        String key = pinnedLogKey;
        String keySource = "pinned by the caller";
        if (key == null) {
            if (nodeDocument == null) {
                throw report.failed("log", "the version document has a log proof but the node's log key "
                        + "(/.well-known/grove/node) was not available");
            }
            try {
                key = logKey(Json.parseObject(nodeDocument));
            } catch (RuntimeException e) {
                throw report.failed("log", "/.well-known/grove/node is not usable: " + e.getMessage());
            }
            if (key == null) {
                throw report.failed("log", "/.well-known/grove/node names no log key");
            }
            keySource = "from /.well-known/grove/node";
        }
        Checkpoint checkpoint;
        long index;
        List<byte[]> hashes = new ArrayList<>();
        try {
            checkpoint = CheckpointVerifier.verify(log.string("checkpoint"), key);
        } catch (CheckpointException | RuntimeException e) {
            throw report.failed("log", "checkpoint: " + e.getMessage());
        }
        try {
            index = log.integer("index");
            if (log.has("treeSize") && log.integer("treeSize") != checkpoint.size()) {
                throw new IllegalArgumentException("treeSize " + log.integer("treeSize") + " is not the checkpoint's "
                        + "size " + checkpoint.size());
            }
            for (JsonValue h : log.array("inclusion")) {
                hashes.add(hashBytes(((JsonString) h).value()));
            }
        } catch (RuntimeException e) {
            throw report.failed("log", "inclusion proof is malformed: " + e.getMessage());
        }
        List<byte[]> candidates = new ArrayList<>();
        String entryNote;
        if (log.has("entry")) {
            byte[] entry;
            try {
                String s = log.string("entry");
                entry = s.startsWith("{") ? s.getBytes(StandardCharsets.UTF_8) : StrictBase64.decode(s);
                JsonObject e = Json.parseObject(entry);
                if (!e.string("kind").equals("package/v1") || !e.string("digest").equals(packageDigest)
                        || !e.string("name").equals(contract.name().toString())
                        || !e.string("version").equals(contract.version().toString())) {
                    throw new IllegalArgumentException("it records " + e.optString("kind").orElse("?") + " "
                            + e.optString("name").orElse("?") + "@" + e.optString("version").orElse("?") + " "
                            + e.optString("digest").orElse("?"));
                }
                if (!Bundle.parse(e.object("bundle")).equals(bundle)
                        && !e.object("bundle").equals(doc.object("bundle"))) {
                    throw new IllegalArgumentException("its bundle is not the version document's bundle");
                }
            } catch (RuntimeException e) {
                throw report.failed("log", "the log entry is not this package's: " + e.getMessage());
            }
            candidates.add(entry);
            entryNote = "the log entry given";
        } else {
            candidates.add(packageEntry(bundle.toJson()));
            candidates.add(packageEntry(doc.object("bundle")));
            entryNote = "the package/v1 entry rebuilt from the verified bundle";
        }
        ProofException last = null;
        for (byte[] entry : candidates) {
            try {
                InclusionProof.verify(MerkleHash.leafHash(entry), index, checkpoint.size(), checkpoint.rootHash(),
                        hashes);
                report.passed("log", entryNote + " is leaf " + index + " of " + checkpoint.origin() + " at size "
                        + checkpoint.size() + " (" + hashes.size() + "-hash inclusion proof; checkpoint signed by "
                        + key.substring(0, key.lastIndexOf('+')) + ", key " + keySource + ")");
                return;
            } catch (ProofException e) {
                last = e;
            }
        }
        throw report.failed("log", "inclusion proof: " + last.getMessage());
    }

    private byte[] packageEntry(JsonObject bundleJson) {
        return Json.writeBytes(JsonObject.builder()
                .put("kind", "package/v1")
                .put("name", contract.name().toString())
                .put("version", contract.version().toString())
                .put("digest", packageDigest)
                .put("bundle", bundleJson)
                .build());
    }

    /**
     * The log's verifier key in a node document ({@code {"publicUrl","logOrigin","logKey"}}); {@code log.key} and
     * {@code log.verifierKey} are accepted too.
     */
    static String logKey(JsonObject node) {
        JsonObject log = node.optObject("log").orElse(null);
        if (log != null) {
            for (String k : new String[] {"key", "verifierKey", "verifier", "publicKey"}) {
                if (log.get(k).orElse(null) instanceof JsonString s) {
                    return s.value();
                }
            }
        }
        return node.optString("logKey").orElse(null);
    }

    private static byte[] hashBytes(String text) {
        byte[] b = text.length() == 64 ? Hex.decode(text) : StrictBase64.decode(text);
        if (b.length != MerkleHash.SIZE) {
            throw new IllegalArgumentException("a proof hash has " + b.length + " bytes, not 32");
        }
        return b;
    }

    private void checkArchitecture() throws VerificationException {
        Map<String, String> config;
        try {
            config = ContractArchitecture.config(contract.architecture());
            architecture = Architecture.fromConfig(config);
        } catch (ModelException | RuntimeException e) {
            throw report.failed("architecture", e.getMessage());
        }
        if (contract.outputs().isEmpty()) {
            throw report.failed("architecture", "the contract has no output");
        }
        TensorSpec out = contract.outputs().get(0);
        labels = new ArrayList<>(out.labels());
        if (labels.isEmpty()) {
            for (int i = 0; i < architecture.classes(); i++) {
                labels.add(Integer.toString(i));
            }
        } else if (labels.size() != architecture.classes()) {
            throw report.failed("architecture", "output '" + out.name() + "' has " + labels.size() + " labels, the "
                    + architecture.name() + " config has " + architecture.classes() + " classes");
        }
        report.passed("architecture", architecture.name() + " (op-set 1) " + architecture.toConfig() + ", "
                + architecture.classes() + " classes: " + labels);
    }

    private Artifact weightsArtifact() {
        for (Artifact a : contract.artifacts()) {
            if (a.mediaType().equals("application/vnd.safetensors") || a.path().endsWith(".safetensors")) {
                return a;
            }
        }
        return null;
    }

    private void planFetches(JsonObject doc) throws VerificationException {
        if (weightsArtifact() == null) {
            throw report.failed("artifacts", "the contract lists no safetensors weights");
        }
        Map<String, String> urls = new LinkedHashMap<>();
        for (JsonValue v : doc.optArray("artifacts").orElse(JsonArray.of())) {
            if (v instanceof JsonObject a && a.optString("path").isPresent() && a.optString("url").isPresent()) {
                urls.put(a.string("path") + " " + a.optString("digest").orElse(""), a.string("url"));
            }
        }
        long total = 0;
        for (Artifact a : contract.artifacts()) {
            total += a.size();
            String url = urls.get(a.path() + " " + a.digest());
            // Only the node's own paths: bytes are checked by digest anyway, but the browser asks no third party.
            if (url == null || !url.startsWith("/") || url.startsWith("//")) {
                url = "/v1/blobs/" + a.digest();
            }
            fetches.add(new Fetch(a.path(), nodeBase + url, a.size(), a.digest().toString()));
        }
        if (total > MAX_PACKAGE_BYTES) {
            throw report.failed("artifacts", "the contract's artifacts add up to " + total + " bytes, more than the "
                    + MAX_PACKAGE_BYTES + " this runtime downloads");
        }
        report.passed("artifacts", fetches.size() + " artifact(s), " + total + " bytes, to fetch from " + nodeBase
                + " and check against the contract");
    }

    private static String abbreviate(Sha256 d) {
        return d.toString().substring(0, 19) + "…";
    }

    /** The fetch plan as JSON: {@code [{"path","url","size","digest"}]}. */
    public JsonArray fetchesJson() {
        List<JsonValue> out = new ArrayList<>();
        for (Fetch f : fetches) {
            out.add(f.toJson());
        }
        return JsonArray.of(out);
    }
}
