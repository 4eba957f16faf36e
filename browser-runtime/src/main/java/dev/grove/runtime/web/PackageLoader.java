package dev.grove.runtime.web;

import dev.grove.crypto.Sha256;
import dev.grove.crypto.Sha256Hasher;
import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;
import dev.grove.pkg.Artifact;
import dev.grove.pkg.Contract;
import dev.grove.pkg.PackageRef;
import dev.grove.pkg.TensorSpec;
import dev.grove.pkg.CascadeConfig;
import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.Model;
import dev.grove.runtime.model.ModelException;
import dev.grove.pkg.AdapterBase;
import dev.grove.runtime.model.LoraAdapter;
import dev.grove.runtime.safetensors.SafetensorsException;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.note.NoteException;
import dev.grove.note.NoteVerifier;
import dev.grove.checkpoint.Checkpoint;
import dev.grove.checkpoint.CheckpointException;
import dev.grove.checkpoint.CheckpointVerifier;
import dev.grove.tlog.HashSources;
import dev.grove.tlog.ProofException;
import dev.grove.verify.CheckpointHistory;
import dev.grove.verify.NamespaceKeys;
import dev.grove.verify.Refusal;
import dev.grove.verify.TrustPolicy;
import dev.grove.verify.VerifiedVersion;
import dev.grove.verify.VersionDocument;
import dev.grove.verify.VersionVerifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Verify-before-run for one package fetched from a node, in three steps so that no artifact is downloaded before the
 * signed documents check out and no weight is used before every artifact does:
 *
 * <ol>
 *   <li>{@link #begin}: the version document, by the one verifier every client uses ({@link VersionVerifier}: the
 *       bundle's signatures by keys of the namespace, the cards, the package digest, the reference asked for, and the
 *       inclusion proof against a checkpoint signed by the log's key, always required), then the architecture; it
 *       then lists the artifacts to fetch ({@link #fetches()});</li>
 *   <li>{@link #addArtifact}: each artifact's size and SHA-256 against the contract, as it arrives;</li>
 *   <li>{@link #finish}: every artifact arrived; the weights parse and match the architecture; the model loads.</li>
 * </ol>
 *
 * Any failure throws {@link PackageRefusedException} naming the check, and the {@link #report()} ends with that check as
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
    private VerifiedVersion verified;
    private NoteVerifier logKey;
    private Architecture architecture;
    private LoraAdapter adapter;
    private AdapterBase adapterBase;
    private SafetensorsFile weights;
    /** Set instead of {@link #architecture} for a package of family {@code cascade}, which has no weights. */
    private CascadeConfig cascade;
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
     * @param nodeDocument the node's {@code /.well-known/grove/node} document, or null (needed when no
     *     {@code pinnedLogKey} is given)
     * @param namespaceDocument the node's {@code /v1/namespaces/{ns}} document, or null: when given, only bundle keys
     *     that are or were in the namespace's keyset are trusted
     * @param pinnedLogKey the origin's log verifier key ({@code <name>+<id>+<base64>}) known beforehand, or null to
     *     take it from {@code nodeDocument}; either way a version document without a valid log proof is refused
     */
    public static PackageLoader begin(String nodeUrl, String ref, String versionDocument, String nodeDocument,
            String namespaceDocument, String pinnedLogKey) throws PackageRefusedException {
        PackageLoader l = new PackageLoader(nodeUrl);
        try {
            l.checkDocuments(ref, versionDocument, nodeDocument, namespaceDocument, pinnedLogKey);
        } catch (PackageRefusedException e) {
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

    /** The signed checkpoint the version was proven against (to hold later ones to, see {@link #holdTo}). */
    public String checkpointNote() {
        return verified.proof().checkpoint();
    }

    /** The key of the log the version was proven in. */
    public String logKey() {
        return logKey.toString();
    }

    /**
     * Holds the checkpoint this version was proven against to the largest one of its log this client verified before
     * ({@link CheckpointHistory}), reading the log's hash tiles from {@code tiles}.
     *
     * @param before the signed checkpoint kept before; one that does not verify with the log's key is ignored
     * @return whether the new checkpoint is now the largest verified
     * @throws ProofException when a tile is missing from {@code tiles} (fetch it and call again)
     * @throws PackageRefusedException "log" when the two cannot both be true
     */
    public boolean holdTo(String before, HashSources.TileReader tiles) throws ProofException, PackageRefusedException {
        live();
        Checkpoint old;
        try {
            old = CheckpointVerifier.forLog(logKey).verify(before);
        } catch (CheckpointException e) {
            return true; // kept under another key (the pin decides) or unreadable: nothing to hold to
        }
        try {
            boolean larger = CheckpointHistory.hold(old, verified.checkpoint(), tiles) == CheckpointHistory.Keep.NOW;
            report.passed("history", "consistent with the checkpoint of size " + old.size() + " verified before here"
                    + (larger ? "" : " (the larger one is kept)"));
            return larger;
        } catch (Refusal r) {
            throw fail("log", r.getMessage(), r);
        }
    }

    /** Checks one fetched artifact's size and SHA-256 against the contract, and keeps its bytes. */
    public void addArtifact(String path, byte[] bytes) throws PackageRefusedException {
        addArtifact(path, bytes, b -> new Sha256Hasher().update(b).digest());
    }

    /**
     * As {@link #addArtifact(String, byte[])}, with the SHA-256 of the bytes computed by {@code sha256} (in the browser,
     * WebCrypto's digest where the page has it): only the hashing primitive differs; the size, the comparison with the
     * digest the contract pins and the refusal are the same.
     */
    public void addArtifact(String path, byte[] bytes, Function<byte[], Sha256> sha256)
            throws PackageRefusedException {
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
        Sha256 actual = sha256.apply(bytes);
        if (!actual.equals(a.digest())) {
            throw fail(check, "SHA-256 is " + actual + ", the contract pins " + a.digest());
        }
        artifacts.put(path, bytes);
        report.passed(check, bytes.length + " bytes, " + actual + " as the contract pins");
    }

    /** Whether the package is a cascade: finish it with {@link #finishCascade}, then load and bind its members. */
    public boolean isCascade() {
        return cascade != null;
    }

    /** Checks that every artifact of a cascade arrived; its members are loaded (and verified) one by one later. */
    public LoadedCascade finishCascade() throws PackageRefusedException {
        live();
        if (cascade == null) {
            throw fail("state", "not a cascade: finish it with finish()");
        }
        for (Artifact a : contract.artifacts()) {
            if (!artifacts.containsKey(a.path())) {
                throw fail("artifacts", "artifact " + a.path() + " was not fetched");
            }
        }
        failed = true; // a loader is used once
        return new LoadedCascade(ref(), packageDigest, cascade, labels, report);
    }

    /** Checks that every artifact arrived, and loads the weights into the architecture. */
    public LoadedPackage finish() throws PackageRefusedException {
        live();
        if (cascade != null) {
            throw fail("state", "a cascade has no weights: finish it with finishCascade()");
        }
        if (adapter != null) {
            throw fail("base", "this is an adapter over " + adapterBase.ref() + ": load its base, then finish over it");
        }
        allFetched();
        Artifact weights = weightsArtifact();
        Model model;
        try {
            SafetensorsFile file = SafetensorsFile.parse(artifacts.get(weights.path()));
            model = Model.load(architecture, file);
            this.weights = file;
            report.passed("weights", weights.path() + ": " + file.tensors().size() + " tensors, exactly those the "
                    + architecture.name() + " architecture expects, with their dtypes and shapes");
        } catch (SafetensorsException | ModelException e) {
            throw fail("weights", weights.path() + ": " + e.getMessage(), e);
        }
        failed = true; // a loader is used once
        return new LoadedPackage(ref(), packageDigest, model, labels, report);
    }

    private void allFetched() throws PackageRefusedException {
        for (Artifact a : contract.artifacts()) {
            if (!artifacts.containsKey(a.path())) {
                throw fail("artifacts", "artifact " + a.path() + " was not fetched");
            }
        }
    }

    /** The base an adapter package names, when this load is one (see {@link #finishOver}). */
    public Optional<AdapterBase> adapterBase() {
        return Optional.ofNullable(adapterBase);
    }

    /**
     * Completes the load of an adapter over {@code base}, a package that finished loading: it must be the package the
     * adapter names (package digest and weights digest), with the same labels, and the adapter's tensors must fit it.
     */
    public LoadedPackage finishOver(Base base) throws PackageRefusedException {
        live();
        if (adapter == null) {
            throw fail("base", "this package is not an adapter; finish it on its own");
        }
        allFetched();
        if (!base.digest().equals(adapterBase.digest().toString())) {
            throw fail("base", "the base loaded is " + base.ref() + " " + base.digest() + "; the adapter names "
                    + adapterBase.ref() + " " + adapterBase.digest());
        }
        if (!base.weightsDigest().equals(adapterBase.weights().toString())) {
            throw fail("base", "the base's weights are " + base.weightsDigest() + "; the adapter names "
                    + adapterBase.weights());
        }
        if (!base.labels().equals(labels)) {
            throw fail("base", "the adapter's labels " + labels + " are not its base's " + base.labels());
        }
        report.passed("base", base.ref() + " " + base.digest() + " verified and loaded, with the weights "
                + base.weightsDigest() + " the adapter names");
        Artifact w = weightsArtifact();
        Model model;
        try {
            SafetensorsFile file = SafetensorsFile.parse(artifacts.get(w.path()));
            List<String> layers = adapter.check(base.architecture(), file);
            model = adapter.load(base.architecture(), base.weights(), file);
            report.passed("weights", w.path() + ": " + file.tensors().size() + " tensors, the rank-" + adapter.rank()
                    + " lora_a and lora_b of " + layers + " with the dtypes and shapes the base's layers need; "
                    + "applied as W + (alpha/rank)·(B·A)ᵀ");
        } catch (SafetensorsException | ModelException e) {
            throw fail("weights", w.path() + ": " + e.getMessage(), e);
        }
        failed = true;
        return new LoadedPackage(ref(), packageDigest, model, labels, report);
    }

    /** What an adapter needs of its loaded base. */
    public record Base(String ref, String digest, String weightsDigest, List<String> labels,
                       Architecture architecture, SafetensorsFile weights) {
    }

    /** After {@link #finish}: this package as a base an adapter can be loaded over. */
    public Base asBase() throws PackageRefusedException {
        if (weights == null) {
            throw new PackageRefusedException("state", "the package has not finished loading");
        }
        return new Base(ref(), packageDigest, weightsArtifact().digest().toString(), labels, architecture, weights);
    }

    private void live() throws PackageRefusedException {
        if (failed) {
            throw new PackageRefusedException("state", "this load already failed or finished");
        }
    }

    private PackageRefusedException fail(String check, String message) {
        failed = true;
        return report.failed(check, message);
    }

    private PackageRefusedException fail(String check, String message, Throwable cause) {
        failed = true;
        return report.failed(check, message, cause);
    }

    /**
     * The one verifier ({@link VersionVerifier}) under a policy holding the origin's log key: the key pinned by the
     * caller, else the one the node document names. Every check it passed goes into the report, in its order.
     */
    private void checkDocuments(String ref, String versionDocument, String nodeDocument, String namespaceDocument,
            String pinnedLogKey) throws PackageRefusedException {
        PackageRef asked;
        try {
            asked = PackageRef.parse(ref);
        } catch (RuntimeException e) {
            throw report.failed("reference", "'" + ref + "' is not ns/name@version: " + e.getMessage(), e);
        }
        NoteVerifier key = logKey(nodeDocument, pinnedLogKey);
        String keySource = pinnedLogKey != null ? "pinned" : "from /.well-known/grove/node";
        VersionDocument doc;
        VerifiedVersion verified;
        try {
            doc = VersionDocument.parse(versionDocument);
            NamespaceKeys keyset = namespaceDocument == null ? null
                    : NamespaceKeys.parse(asked.name().namespace(), namespaceDocument);
            TrustPolicy policy = TrustPolicy.forLog(key);
            long now = System.currentTimeMillis() / 1000;
            verified = keyset == null ? VersionVerifier.verify(doc, asked, policy, now)
                    : VersionVerifier.verify(doc, asked, policy, keyset, now);
        } catch (Refusal r) {
            for (VerifiedVersion.Check check : r.passed()) {
                report.passed(check.name(), check.detail());
            }
            throw report.failed(r.check() == Refusal.Check.LOG_PENDING ? "log" : r.check().wireName(),
                    r.check() == Refusal.Check.LOG_PENDING ? r.getMessage() + ": try again shortly" : r.getMessage());
        }
        for (VerifiedVersion.Check check : verified.checks()) {
            report.passed(check.name(), check.name().equals("log") ? check.detail() + ", key " + keySource
                    : check.detail());
        }
        this.verified = verified;
        this.logKey = key;
        contract = verified.pkg().contract();
        packageDigest = verified.pkg().digest().toString();
        checkArchitecture();
        planFetches(doc.json());
    }

    /** The log key to hold the node to: pinned by the caller, else the node document's {@code logKey}. */
    private NoteVerifier logKey(String nodeDocument, String pinnedLogKey) throws PackageRefusedException {
        String text = pinnedLogKey;
        if (text == null) {
            if (nodeDocument == null) {
                throw report.failed("log", "no log key: the node document (/.well-known/grove/node) was not "
                        + "available, and a version is accepted only with a proof in its log");
            }
            try {
                text = Json.parseObject(nodeDocument).optString("logKey").orElse(null);
            } catch (RuntimeException e) {
                throw report.failed("log", "/.well-known/grove/node is not usable: " + e.getMessage(), e);
            }
            if (text == null) {
                throw report.failed("log", "/.well-known/grove/node names no log key, and a version is accepted only "
                        + "with a proof in its log");
            }
        }
        try {
            NoteVerifier key = NoteVerifier.parse(text);
            if (key.type() != NoteVerifier.ED25519) {
                throw new IllegalArgumentException(text + " is not a log (Ed25519) key");
            }
            return key;
        } catch (NoteException | RuntimeException e) {
            throw report.failed("log", "the log key is malformed: " + e.getMessage(), e);
        }
    }

    private void checkArchitecture() throws PackageRefusedException {
        if (CascadeConfig.isCascade(contract.architecture())) {
            checkCascade();
            return;
        }
        Map<String, String> config;
        try {
            config = ContractArchitecture.config(contract.architecture());
            if (contract.adapter().isPresent()) {
                adapter = LoraAdapter.fromConfig(config);
                adapterBase = contract.adapter().get();
            } else {
                architecture = Architecture.fromConfig(config);
            }
        } catch (ModelException | RuntimeException e) {
            throw report.failed("architecture", e.getMessage(), e);
        }
        if (contract.outputs().isEmpty()) {
            throw report.failed("architecture", "the contract has no output");
        }
        if (adapter != null) {
            labels = new ArrayList<>(contract.outputs().get(0).labels());
            report.passed("architecture", "lora adapter (op-set 1) rank " + adapter.rank() + ", alpha "
                    + adapter.alpha() + ", over its base " + adapterBase.ref() + " " + adapterBase.digest()
                    + ", which is loaded and verified like any package before the adapter runs");
            return;
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

    private void checkCascade() throws PackageRefusedException {
        try {
            cascade = CascadeConfig.fromArchitecture(contract.architecture());
        } catch (RuntimeException e) {
            throw report.failed("architecture", e.getMessage(), e);
        }
        if (contract.outputs().isEmpty() || contract.outputs().get(0).labels().isEmpty()) {
            throw report.failed("architecture", "a cascade's first output names its labels");
        }
        labels = new ArrayList<>(contract.outputs().get(0).labels());
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < cascade.members().size(); i++) {
            members.append(i == 0 ? "" : ", then ").append(cascade.members().get(i).ref());
            if (i < cascade.thresholds().size()) {
                members.append(" (answers at ").append(cascade.rule().wireName()).append(" >= ")
                        .append(cascade.thresholds().get(i)).append(')');
            }
        }
        report.passed("architecture", "cascade (op-set 1) of " + members + "; each member is fetched and verified "
                + "like any package when an input reaches it, and must have the digest the cascade names");
    }

    private Artifact weightsArtifact() {
        for (Artifact a : contract.artifacts()) {
            if (a.mediaType().equals("application/vnd.safetensors") || a.path().endsWith(".safetensors")) {
                return a;
            }
        }
        return null;
    }

    private void planFetches(JsonObject doc) throws PackageRefusedException {
        if (weightsArtifact() == null && cascade == null) {
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

    /** The fetch plan as JSON: {@code [{"path","url","size","digest"}]}. */
    public JsonArray fetchesJson() {
        List<JsonValue> out = new ArrayList<>();
        for (Fetch f : fetches) {
            out.add(f.toJson());
        }
        return JsonArray.of(out);
    }
}
