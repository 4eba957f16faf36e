package dev.grove.cli;

import dev.grove.cli.command.CommandFailure;
import dev.grove.cli.pack.PackageDirectory;
import dev.grove.cli.pack.PackageSealer;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.federation.MemoryTileLog;
import dev.grove.logentry.LogEntries;
import dev.grove.note.NoteSigner;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.pkg.Artifact;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.PayloadTypes;
import dev.grove.pkg.PublicKeyEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code grove pull} against a scripted node, honest or lying: nothing that fails to verify reaches the output. */
class PullCommandTest {
    private static final String VERSION_PATH = "/v1/packages/demo/langid/versions/0.1.0";

    @TempDir
    Path dir;

    private final Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(new byte[32]);
    private final Ed25519PrivateKey logKey = Ed25519PrivateKey.generate();
    private ScriptedRegistry registry;
    private MemoryTileLog log;
    private long index;
    private Bundle bundle;
    private Artifact weights;
    private byte[] weightBytes;
    private Path out;

    @BeforeEach
    void honestNode() throws Exception {
        Path pkg = dir.resolve("source");
        assertThat(GroveCli.run("init", "demo/langid", "--dir", pkg.toString()).exitCode()).isZero();
        PackageSealer.Sealed sealed = PackageSealer.prepare(PackageDirectory.at(pkg), key);
        sealed.write(PackageDirectory.at(pkg));
        bundle = sealed.bundle();
        weights = sealed.pkg().contract().artifacts().get(0);
        weightBytes = Files.readAllBytes(pkg.resolve(weights.path()));
        registry = new ScriptedRegistry();
        log = new MemoryTileLog(NoteSigner.ed25519(registry.url().substring("http://".length()) + "/grove-log", logKey));
        log.append(LogEntries.keyset("demo", 1, java.util.Map.of(key.keyId(), key.publicKey()), java.util.Optional.empty()));
        index = log.append(LogEntries.pkg(bundle));
        announce(log);
        serve(bundle, bundle.packageDigest().toString());
        registry.json("/v1/namespaces/demo", namespace(key));
        registry.bytes("/v1/blobs/" + weights.digest(), weightBytes);
        // the other artifacts (the README.md model card grove init writes) are served as they are
        for (Artifact a : sealed.pkg().contract().artifacts().subList(1, sealed.pkg().contract().artifacts().size())) {
            registry.bytes("/v1/blobs/" + a.digest(), Files.readAllBytes(pkg.resolve(a.path())));
        }
        out = dir.resolve("pulled/langid");
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private void announce(MemoryTileLog served) {
        registry.json("/.well-known/grove/node", JsonObject.builder().put("publicUrl", registry.url())
                .put("logOrigin", served.origin()).put("logKey", served.signer().verifier().toString()).build().toString());
    }

    /** The version document with the honest log's proof of the honest entry. */
    private void serve(Bundle served, String digest) throws Exception {
        serve(served, digest, proof(log, index));
    }

    private void serve(Bundle served, String digest, JsonObject logProof) {
        JsonObject.Builder doc = JsonObject.builder()
                .put("ref", "demo/langid@0.1.0")
                .put("digest", digest)
                .put("yanked", false)
                .put("bundle", served.toJson());
        if (logProof != null) {
            doc.put("log", logProof);
        }
        registry.json(VERSION_PATH, doc.build().toString());
    }

    private static JsonObject proof(MemoryTileLog log, long index) throws Exception {
        List<dev.grove.json.JsonValue> hashes = new java.util.ArrayList<>();
        for (byte[] h : log.inclusion(index, log.size())) {
            hashes.add(new dev.grove.json.JsonString(java.util.Base64.getEncoder().encodeToString(h)));
        }
        return JsonObject.builder().put("index", index).put("treeSize", log.size())
                .put("checkpoint", log.checkpoint(log.size())).put("inclusion", JsonArray.of(hashes)).build();
    }

    private static String namespace(Ed25519PrivateKey... keys) {
        JsonArray entries = JsonArray.of(java.util.Arrays.stream(keys)
                .map(k -> (dev.grove.json.JsonValue) PublicKeyEntry.of(k.publicKey()).toJson()).toList());
        return JsonObject.builder().put("namespace", "demo").put("sequence", 1).put("keys", entries)
                .put("history", JsonArray.of(JsonObject.builder().put("sequence", 1).put("keys", entries).build()))
                .build().toString();
    }

    private GroveCli.Result pull(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("pull", "demo/langid@0.1.0", "--registry", registry.url(),
                "--out", out.toString()));
        args.addAll(List.of(extra));
        return GroveCli.run(args.toArray(String[]::new));
    }

    private static void deleteTree(Path root) throws Exception {
        try (var files = Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private void assertNothingWritten() throws Exception {
        assertThat(out).doesNotExist();
        if (Files.exists(out.getParent())) {
            try (var left = Files.list(out.getParent())) {
                assertThat(left).as("no staging directory left behind").isEmpty();
            }
        }
    }

    @Test
    void pull_fromAnHonestNode_writesAPackageThatVerifies() throws Exception {
        GroveCli.Result result = pull("--trusted-key", key.keyId().hex());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("pulled demo/langid@0.1.0 " + bundle.packageDigest())
                .contains(key.keyId().hex() + " in the current keyset of namespace 'demo' (sequence 1)");
        assertThat(result.err()).contains("download weights/model.safetensors");
        assertThat(out.resolve("grove.json")).hasBinaryContent(bundle.contract().payload());
        assertThat(out.resolve(weights.path())).hasBinaryContent(weightBytes);
        assertThat(GroveCli.run("verify", out.toString(), "--trusted-key", key.keyId().hex()).exitCode()).isZero();
    }

    @Test
    void pull_refusesATamperedArtifact() throws Exception {
        byte[] tampered = weightBytes.clone();
        tampered[tampered.length - 1] ^= 1;
        registry.bytes("/v1/blobs/" + weights.digest(), tampered);

        GroveCli.Result result = pull();

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("error: artifact 'weights/model.safetensors' arrived with digest")
                .contains("but the signed contract says " + weights.digest());
        assertNothingWritten();
    }

    @Test
    void pull_refusesAnArtifactLongerThanSigned() throws Exception {
        byte[] longer = java.util.Arrays.copyOf(weightBytes, weightBytes.length + 100_000);
        registry.bytes("/v1/blobs/" + weights.digest(), longer);

        GroveCli.Result result = pull();

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("arrived with more than the " + weights.size() + " bytes");
        assertNothingWritten();
    }

    @Test
    void pull_refusesAContractChangedAfterSigning() throws Exception {
        byte[] payload = bundle.contract().payload();
        String changed = new String(payload, java.nio.charset.StandardCharsets.UTF_8).replace("Apache-2.0", "MIT-0");
        Envelope forged = Envelope.of(PayloadTypes.CONTRACT, changed.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                bundle.contract().signatures());
        serve(new Bundle(forged, bundle.lineage(), bundle.evaluation(), bundle.keys()), forged.payloadDigest().toString());

        GroveCli.Result result = pull();

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("signature check failed: contract: signature by key").contains("does not verify");
        assertNothingWritten();
    }

    @Test
    void pull_refusesADocumentWhoseDigestIsNotTheContracts() throws Exception {
        serve(bundle, "sha256:" + "0".repeat(64));

        GroveCli.Result result = pull();

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("the node says demo/langid@0.1.0 has digest sha256:000");
        assertNothingWritten();
    }

    @Test
    void pull_refusesAnotherPackageServedUnderTheAskedName() throws Exception {
        registry.json("/v1/packages/demo/other/versions/0.1.0", JsonObject.builder()
                .put("digest", bundle.packageDigest().toString()).put("bundle", bundle.toJson())
                .put("log", proof(log, index)).build().toString());

        GroveCli.Result result = GroveCli.run("pull", "demo/other@0.1.0", "--registry", registry.url(),
                "--out", out.toString());

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("asked for demo/other@0.1.0, but the signed contract is demo/langid@0.1.0");
        assertNothingWritten();
    }

    @Test
    void pull_refusesASignerOutsideTheNamespaceKeyset() throws Exception {
        Ed25519PrivateKey owner = Ed25519PrivateKey.generate();
        registry.json("/v1/namespaces/demo", namespace(owner));

        GroveCli.Result result = pull();

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("none of the bundle's keys (" + key.keyId().hex()
                + ") is or was in the keyset of namespace 'demo'");
        assertNothingWritten();
    }

    @Test
    void pull_withATrustedKeyThatDidNotSign_refuses() throws Exception {
        Ed25519PrivateKey other = Ed25519PrivateKey.generate();
        Envelope resigned = EnvelopeSigner.sign(PayloadTypes.CONTRACT, bundle.contract().payload(), other);
        serve(new Bundle(resigned, bundle.lineage(), bundle.evaluation(),
                List.of(PublicKeyEntry.of(other.publicKey()), PublicKeyEntry.of(key.publicKey()))),
                bundle.packageDigest().toString());

        GroveCli.Result result = pull("--trusted-key", key.keyId().hex());

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("contract: no signature by a trusted key");
        assertNothingWritten();
    }

    /** Another key's contract, a keyset that lists that key, and the log proof removed: the downgrade is refused. */
    @Test
    void pull_refusesAForgedVersionStrippedOfItsLogProof_withAndWithoutAPinnedKey() throws Exception {
        Ed25519PrivateKey intruder = Ed25519PrivateKey.generate();
        Bundle forged = new Bundle(EnvelopeSigner.sign(PayloadTypes.CONTRACT, bundle.contract().payload(), intruder),
                EnvelopeSigner.sign(PayloadTypes.LINEAGE, bundle.lineage().payload(), intruder),
                EnvelopeSigner.sign(PayloadTypes.EVALUATION, bundle.evaluation().payload(), intruder),
                List.of(PublicKeyEntry.of(intruder.publicKey())));
        registry.json("/v1/namespaces/demo", namespace(intruder));
        serve(forged, forged.packageDigest().toString(), null);

        GroveCli.Result first = pull();
        assertThat(first.exitCode()).as(first.toString()).isEqualTo(CommandFailure.REFUSED);
        assertThat(first.err()).contains("the node serves no log proof for demo/langid@0.1.0")
                .doesNotContain("warning");
        assertNothingWritten();

        GroveCli.Result pinned = pull("--log-key", log.signer().verifier().toString());
        assertThat(pinned.exitCode()).as(pinned.toString()).isEqualTo(CommandFailure.REFUSED);
        assertThat(pinned.err()).contains("serves no log proof");
        assertNothingWritten();

        // the same forgery with the honest proof left in: the proof is for the honest entry, not this one
        serve(forged, forged.packageDigest().toString(), proof(log, index));
        GroveCli.Result proven = pull();
        assertThat(proven.exitCode()).as(proven.toString()).isEqualTo(CommandFailure.REFUSED);
        assertThat(proven.err()).contains("is not entry " + index + " of log " + log.origin());
        assertNothingWritten();
    }

    /** The first pull pins the log key (on loopback too); a later node with another key under that origin is refused. */
    @Test
    void pull_pinsTheLogKeyOnFirstUse_andHoldsALaterNodeToIt() throws Exception {
        GroveCli.Result first = pull();
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.err()).contains("pinned log key " + log.signer().verifier());
        Path pins = Path.of(System.getProperty("grove.config.dir"), "known-logs");
        assertThat(Files.readString(pins)).contains(log.signer().verifier().toString()).contains(registry.url());
        assertThat(GroveCli.run("trust", "list").out()).contains(log.origin())
                .contains("key         " + log.signer().verifier());

        // the same origin, another key and another history: what a lying node or a reset one looks like
        MemoryTileLog other = new MemoryTileLog(NoteSigner.ed25519(log.origin(), Ed25519PrivateKey.generate()));
        other.append(LogEntries.pkg(bundle));
        announce(other);
        serve(bundle, bundle.packageDigest().toString(), proof(other, 0));
        deleteTree(out);
        GroveCli.Result second = pull();
        assertThat(second.exitCode()).as(second.toString()).isEqualTo(CommandFailure.REFUSED);
        assertThat(second.err()).contains("does not verify with the key of log " + log.origin())
                .contains("pinned in " + pins).contains("grove trust forget " + log.origin());
        assertNothingWritten();

        // after a real reset the user forgets the pin, and the next pull pins the new key
        assertThat(GroveCli.run("trust", "forget", log.origin()).exitCode()).isZero();
        GroveCli.Result third = pull();
        assertThat(third.exitCode()).as(third.toString()).isZero();
        assertThat(Files.readString(pins)).contains(other.signer().verifier().toString())
                .doesNotContain(log.signer().verifier().toString());
    }

    private void serveTiles(MemoryTileLog served) throws Exception {
        for (dev.grove.tlog.TilePath path : dev.grove.tlog.TilePath.newTiles(0, served.size())) {
            registry.bytes("/log/" + path, served.tile(path, served.size()));
        }
    }

    /**
     * A later checkpoint must be consistent with the largest one verified before, computed from the log's tiles: a log
     * that grew passes; one whose history was rewritten, at another size or at the same size, is refused.
     */
    @Test
    void pull_holdsALaterCheckpointToTheOneVerifiedBefore() throws Exception {
        assertThat(pull().exitCode()).isZero();

        // honest growth: two more entries, the version proven in the bigger tree
        log.append("{\"kind\":\"other\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        log.append("{\"kind\":\"other2\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        serveTiles(log);
        serve(bundle, bundle.packageDigest().toString());
        deleteTree(out);
        GroveCli.Result grown = pull();
        assertThat(grown.exitCode()).as(grown.toString()).isZero();
        assertThat(GroveCli.run("trust", "list").out()).contains("checkpoint  size 4");

        // the same key signs another history: entry 0 differs, the version is entry 1 of a tree of 5
        MemoryTileLog rewritten = new MemoryTileLog(log.signer());
        rewritten.append("{\"kind\":\"rewritten\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        long at = rewritten.append(LogEntries.pkg(bundle));
        for (int i = 0; i < 3; i++) {
            rewritten.append(("{\"n\":" + i + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        serveTiles(rewritten);
        serve(bundle, bundle.packageDigest().toString(), proof(rewritten, at));
        deleteTree(out);
        GroveCli.Result forked = pull();
        assertThat(forked.exitCode()).as(forked.toString()).isEqualTo(CommandFailure.REFUSED);
        assertThat(forked.err()).contains("of size 5 cannot be shown consistent with the one of size 4 this client "
                + "verified before");
        assertNothingWritten();

        // and at the same size as the one seen: two signed checkpoints that cannot both be true
        MemoryTileLog sameSize = new MemoryTileLog(log.signer());
        sameSize.append("{\"kind\":\"rewritten\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        long there = sameSize.append(LogEntries.pkg(bundle));
        sameSize.append("{\"n\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sameSize.append("{\"n\":2}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        serveTiles(sameSize);
        serve(bundle, bundle.packageDigest().toString(), proof(sameSize, there));
        GroveCli.Result twin = pull();
        assertThat(twin.exitCode()).as(twin.toString()).isEqualTo(CommandFailure.REFUSED);
        assertThat(twin.err()).contains("signed two checkpoints of size 4 with different roots");
        assertNothingWritten();
    }

    /** A checkpoint's age is its freshest witness cosignature's: a frozen view is refused once that is too old. */
    @Test
    void pull_withAMaximumAge_refusesACheckpointLastCosignedTooLongAgo() throws Exception {
        Ed25519PrivateKey witnessKey = Ed25519PrivateKey.generate();
        dev.grove.note.NoteVerifier witness = dev.grove.note.NoteVerifier.cosignatureV1("w.test/witness",
                witnessKey.publicKey());
        dev.grove.note.Note note = dev.grove.note.Note.parse(log.checkpoint(log.size()));
        long twoHoursAgo = System.currentTimeMillis() / 1000 - 7200;
        String cosigned = note.withSignature(dev.grove.note.Cosignature.sign(witness.name(), witnessKey, twoHoursAgo,
                note.text())).toString();
        JsonObject proof = proof(log, index);
        JsonObject.Builder withCosignature = JsonObject.builder();
        proof.members().forEach((k, v) -> withCosignature.put(k, k.equals("checkpoint")
                ? new dev.grove.json.JsonString(cosigned) : v));
        serve(bundle, bundle.packageDigest().toString(), withCosignature.build());

        GroveCli.Result stale = pull("--witness", witness.toString(), "--max-age", "1h");
        assertThat(stale.exitCode()).as(stale.toString()).isEqualTo(CommandFailure.REFUSED);
        assertThat(stale.err()).contains("was last cosigned by a known witness")
                .contains("more than the maximum age of 3600 s: the node may be showing a frozen view of log "
                        + log.origin());
        assertNothingWritten();

        GroveCli.Result fresh = pull("--witness", witness.toString(), "--max-age", "3h");
        assertThat(fresh.exitCode()).as(fresh.toString()).isZero();
        assertThat(fresh.out()).contains("witnesses   checkpoint cosigned by 1 of the 1 witness(es) given")
                .contains("freshness   last cosigned ");

        deleteTree(out);
        GroveCli.Result noWitness = pull("--max-age", "1h");
        assertThat(noWitness.exitCode()).isEqualTo(CommandFailure.USAGE);
        assertThat(noWitness.err()).contains("--max-age needs --witness");
    }

    /** An entry not in a signed checkpoint yet is waited for, then refused: never accepted unproven. */
    @Test
    void pull_ofAVersionNotYetInACheckpoint_waitsThenRefuses() throws Exception {
        serve(bundle, bundle.packageDigest().toString(), JsonObject.builder().put("index", index).build());

        GroveCli.Result result = pull();

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("waiting (at most 10 s): demo/langid@0.1.0 is entry " + index)
                .contains("not in a signed checkpoint yet after 10 s");
        assertNothingWritten();
    }

    @Test
    void pull_ofAMissingPackage_showsTheNodesProblem() throws Exception {
        GroveCli.Result result = GroveCli.run("pull", "demo/nothing@1.0.0", "--registry", registry.url(),
                "--out", out.toString());

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).isEqualTo("error: Not Found: nothing here\n");
        assertNothingWritten();
    }

    @Test
    void pull_fromAnUnreachableNode_exitsWithTheNetworkCode() throws Exception {
        String url = registry.url();
        registry.close();

        GroveCli.Result result = GroveCli.run("pull", "demo/langid@0.1.0", "--registry", url, "--out", out.toString());

        assertThat(result.exitCode()).isEqualTo(CommandFailure.UNAVAILABLE);
        assertThat(result.err()).contains("cannot reach registry " + url).doesNotContain("Exception");
        assertNothingWritten();
    }

    @Test
    void pull_intoANonEmptyDirectory_refuses() throws Exception {
        Files.createDirectories(out);
        Files.writeString(out.resolve("mine.txt"), "keep");

        GroveCli.Result result = pull();

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(out.resolve("mine.txt")).hasContent("keep");
    }

    @Test
    void pullWithoutOut_usesTheCache_reverifiesIt_andReplacesATamperedCopy() throws Exception {
        assertThat(GroveCli.run("cache", "clear").exitCode()).isZero();
        String[] args = {"pull", "demo/langid@0.1.0", "--registry", registry.url()};

        GroveCli.Result first = GroveCli.run(args);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        Path cached = PackageCache.packageDir(bundle.packageDigest());
        assertThat(first.out()).contains("into " + cached.toAbsolutePath().normalize());
        assertThat(cached.resolve(weights.path())).hasBinaryContent(weightBytes);

        GroveCli.Result second = GroveCli.run(args);
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).contains("already cached");

        byte[] tampered = weightBytes.clone();
        tampered[0] ^= 1;
        Files.write(cached.resolve(weights.path()), tampered);
        GroveCli.Result third = GroveCli.run(args);
        assertThat(third.exitCode()).as(third.toString()).isZero();
        assertThat(third.err()).contains("does not verify");
        assertThat(cached.resolve(weights.path())).hasBinaryContent(weightBytes);

        GroveCli.Result verified = GroveCli.run("verify", "demo/langid@0.1.0");
        assertThat(verified.exitCode()).as(verified.toString()).isZero();
        assertThat(verified.err()).contains("in the package cache");

        GroveCli.Result list = GroveCli.run("cache", "list", "--json");
        assertThat(list.out()).contains("\"ref\":\"demo/langid@0.1.0\"").contains(bundle.packageDigest().toString());
        assertThat(GroveCli.run("cache", "clear").out()).contains("cleared 1 package");
        assertThat(cached).doesNotExist();
    }
}
