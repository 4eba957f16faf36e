package dev.grove.cli;

import dev.grove.cli.client.Downloaded;
import dev.grove.cli.client.RegistryClient;
import dev.grove.cli.client.TransferProgress;
import dev.grove.cli.command.CommandFailure;
import dev.grove.cli.command.GroveSubcommand;
import dev.grove.cli.trust.KnownLogs;
import dev.grove.cli.trust.LogKeys;
import dev.grove.cli.trust.PackageTarget;
import dev.grove.crypto.Sha256;
import dev.grove.crypto.Sha256Hasher;
import dev.grove.federation.CheckpointFollower;
import dev.grove.federation.EntryBundleCheck;
import dev.grove.federation.EntryVerifier;
import dev.grove.federation.FaultException;
import dev.grove.federation.LogEntry;
import dev.grove.federation.OriginKeyset;
import dev.grove.federation.RuleBroken;
import dev.grove.federation.VerifiedCheckpoint;
import dev.grove.pkg.Artifact;
import dev.grove.pkg.VerifiedPackage;
import dev.grove.pkg.Yank;
import dev.grove.tlog.EntryBundle;
import dev.grove.tlog.HashSource;
import dev.grove.tlog.HashSources;
import dev.grove.tlog.InclusionProof;
import dev.grove.tlog.MerkleHash;
import dev.grove.tlog.ProofException;
import dev.grove.tlog.TilePath;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code grove export}: an origin's log and blobs as plain files, for any static host or CDN to serve as a mirror
 * (docs/transparency-log.md, "Static-host mirrors"). Everything is checked before it is written: the checkpoint with
 * the origin's key, the hash tiles against its root, each entry bundle against the tiles, each blob against the digest
 * its signed contract names. Version and namespace documents hold only what the log proves (no release status, no
 * reports), each version's proof being its inclusion in the exported checkpoint. The checkpoint is written last, so that
 * a folder never claims a tree it does not hold.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write an origin's log and blobs as static files a web server or CDN can serve as a mirror.",
                "Reads the log of --origin (default: the registry's own) from --registry, a node or a mirror, checks "
                        + "the checkpoint with the origin's log key (pinned, --log-key, or announced by the origin's "
                        + "own node), the hash tiles against its root, every entry bundle against the tiles and every "
                        + "blob against its signed digest, and writes DIR/log/checkpoint, DIR/log/tile/<L>/<N>[.p/<W>], "
                        + "DIR/log/tile/entries/<N>[.p/<W>], DIR/v1/blobs/sha256:<hex>, a version document "
                        + "DIR/v1/packages/<ns>/<name>/versions/<version> for every package/v1 entry (its bundle as the "
                        + "log carries it, its signed artifacts and its inclusion proof in the exported checkpoint) and "
                        + "a namespace document DIR/v1/namespaces/<ns> from the keyset/v1 entries: the paths a node "
                        + "serves, so that a node follows the folder's URL with --follow URL#KEY and a browser verifies "
                        + "and runs a package from it with the origin's log key. Run it again to bring the folder up to "
                        + "date (blobs already there are kept)."})
public final class ExportCommand extends GroveSubcommand {

    /** Largest tile: 256 hashes. */
    private static final int MAX_TILE = TilePath.WIDTH * MerkleHash.SIZE;
    /** Largest bundle: 256 entries of at most 65,535 bytes, each with its 2-byte length. */
    private static final int MAX_BUNDLE = TilePath.WIDTH * (EntryBundle.MAX_ENTRY_SIZE + 2);
    /** Largest checkpoint note read. */
    private static final int MAX_CHECKPOINT = 1 << 20;
    /** At most one progress line per stage this often. */
    private static final long PROGRESS_NANOS = 1_000_000_000L;

    @Mixin
    RegistryOptions registry;

    @Option(names = "--origin", paramLabel = "ORIGIN",
            description = "The log to export, e.g. a.example/grove-log (default: the registry's own log).")
    String origin;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder to write (created if need be).")
    Path out;

    @Option(names = "--log-key", paramLabel = "KEY",
            description = "The origin's log key to check the checkpoint with (default: pinned, or announced by the "
                    + "origin's own node and pinned then).")
    String logKey;

    @Option(names = "--json", description = "Print the summary as JSON: origin, size, out, logKey, hashTiles, "
            + "entryBundles, blobs, blobsFetched, versionDocuments, namespaceDocuments.")
    boolean json;

    @Override
    protected void run() throws IOException {
        RegistryClient client = registry.client();
        PackageTarget.Identity self = PackageTarget.Identity.of(client);
        boolean own = origin == null || self.isHere(origin);
        LogKeys keys = new LogKeys(KnownLogs.user(), err());
        LogKeys.Resolved key = own ? keys.ownLog(client, Optional.ofNullable(logKey))
                : keys.origin(origin, Optional.ofNullable(logKey));
        String log = own ? "/log" : "/v1/origins/" + URLEncoder.encode(origin, StandardCharsets.UTF_8) + "/log";

        String note = new String(client.getBytes(log + "/checkpoint", MAX_CHECKPOINT),
                StandardCharsets.UTF_8);
        VerifiedCheckpoint cp;
        try {
            cp = CheckpointFollower.forKey(key.key()).verify(note);
        } catch (FaultException e) {
            throw CommandFailure.refused("the checkpoint " + registry.url() + log + "/checkpoint serves does not "
                    + "verify with the key of log " + key.origin() + " (" + key.source() + "): " + e.fault().reason());
        }
        long size = cp.size();
        err().println("exporting log " + key.origin() + " from " + registry.url() + log + ": checkpoint of size " + size
                + ", signed by " + key.key() + " (" + key.source() + ")");
        Path logDir = out.resolve("log");
        Files.createDirectories(logDir);

        // hash tiles: all of the tree, checked against the signed root before any is written
        List<TilePath> paths = tiles(size);
        Map<TilePath, byte[]> tiles = new HashMap<>();
        Progress tileProgress = new Progress("hash tiles", paths.size());
        for (TilePath p : paths) {
            tiles.put(p, client.getBytes(log + "/" + p, MAX_TILE));
            tileProgress.advance(1, 0);
        }
        tileProgress.done();
        if (size > 0) {
            try {
                byte[] root = HashSources.fromTiles(tiles::get, size).rootHash(size);
                if (!MessageDigest.isEqual(root, cp.rootHash())) {
                    throw CommandFailure.refused("the hash tiles " + registry.url() + log + " serves do not make the "
                            + "root of its signed checkpoint of size " + size + "; nothing written");
                }
            } catch (ProofException e) {
                throw CommandFailure.refused("the hash tiles " + registry.url() + log + " serves do not make a tree of "
                        + size + ": " + e.getMessage());
            }
        }
        for (TilePath p : paths) {
            write(logDir.resolve(p.toString()), tiles.get(p));
        }

        // entry bundles, each checked against the tiles; the artifacts their packages name
        long bundles = (size + TilePath.WIDTH - 1) / TilePath.WIDTH;
        Map<Sha256, Long> blobs = new LinkedHashMap<>();
        List<LogEntry> documented = new ArrayList<>();
        EntryVerifier parser = new EntryVerifier();
        Progress bundleProgress = new Progress("entry bundles", bundles);
        for (long n = 0; n < bundles; n++) {
            int width = TilePath.widthAt(TilePath.ENTRIES, n, size);
            TilePath path = TilePath.entryBundle(n, width);
            byte[] bytes = client.getBytes(log + "/" + path, MAX_BUNDLE);
            EntryBundle bundle;
            try {
                bundle = EntryBundleCheck.verify(cp, n, bytes, tiles.get(TilePath.tile(0, n, width)), tiles::get);
            } catch (FaultException e) {
                throw CommandFailure.refused(registry.url() + log + "/" + path + ": " + e.fault().reason());
            } catch (ProofException e) {
                throw CommandFailure.refused(registry.url() + log + "/" + path + " cannot be checked: " + e.getMessage());
            }
            for (int i = 0; i < bundle.size(); i++) {
                try {
                    LogEntry entry = parser.parse(n * TilePath.WIDTH + i, bundle.entry(i));
                    if (entry instanceof LogEntry.KeysetEntry || entry instanceof LogEntry.PackageEntry
                            || entry instanceof LogEntry.YankEntry) {
                        documented.add(entry);
                    }
                    if (entry instanceof LogEntry.PackageEntry e) {
                        for (Artifact a : e.parsed().contract().artifacts()) {
                            blobs.putIfAbsent(a.digest(), a.size());
                        }
                    }
                } catch (RuleBroken | RuntimeException e) {
                    // not a package the export can name blobs of; the entry is exported as it is, a follower judges it
                }
            }
            write(logDir.resolve(path.toString()), bytes);
            bundleProgress.advance(1, bytes.length);
        }
        bundleProgress.done();

        // blobs, content-addressed as a node serves them, each checked against its signed digest
        Path blobDir = out.resolve("v1").resolve("blobs");
        Files.createDirectories(blobDir);
        Progress blobProgress = new Progress("blobs", blobs.size());
        long fetched = 0;
        for (Map.Entry<Sha256, Long> b : blobs.entrySet()) {
            Path target = blobDir.resolve(b.getKey().toString());
            if (holds(target, b.getKey(), b.getValue())) {
                blobProgress.advance(1, 0);
                continue;
            }
            Path part = Files.createTempFile(blobDir, ".blob-", ".part");
            try {
                Downloaded got = client.download("/v1/blobs/" + b.getKey(), part, b.getValue(),
                        new TransferProgress(err(), "blob", b.getKey().toString(), b.getValue(), false));
                if (got.size() != b.getValue() || !got.digest().equals(b.getKey())) {
                    throw CommandFailure.refused("blob " + b.getKey() + " from " + registry.url() + " arrived with "
                            + got.size() + " bytes and digest " + got.digest() + ", but its signed contract says "
                            + b.getValue() + " bytes; the folder keeps what it had");
                }
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(part);
            }
            fetched++;
            blobProgress.advance(1, b.getValue());
        }
        blobProgress.done();

        // the version and namespace documents a browser reads, with what the log proves of them
        int[] docs = size == 0 ? new int[2]
                : documents(documented, note, size, HashSources.fromTiles(tiles::get, size), key.origin(), parser);

        // last: the checkpoint, which claims the tree the folder now holds
        write(logDir.resolve("checkpoint"), note.getBytes(StandardCharsets.UTF_8));
        if (json) {
            printJson(dev.grove.json.JsonObject.builder().put("origin", key.origin()).put("size", size)
                    .put("out", out.toAbsolutePath().normalize().toString()).put("logKey", key.key().toString())
                    .put("hashTiles", paths.size()).put("entryBundles", bundles).put("blobs", blobs.size())
                    .put("blobsFetched", fetched).put("versionDocuments", docs[0]).put("namespaceDocuments", docs[1])
                    .build());
            return;
        }
        out().println("exported log " + key.origin() + " at size " + size + " to " + out + ": " + paths.size()
                + " hash tiles, " + bundles + " entry bundles, " + blobs.size() + " blobs (" + fetched + " fetched), "
                + docs[0] + " version documents, " + docs[1] + " namespace documents");
        out().println("  serve " + out + " as static files (with Access-Control-Allow-Origin: * for browsers) and "
                + "follow it: grove serve --follow URL#" + key.key());
    }

    /**
     * Writes {@code v1/packages/{ns}/{name}/versions/{version}} for every {@code package/v1} entry and
     * {@code v1/namespaces/{ns}} for every namespace its {@code keyset/v1} entries bind, as a node serves them but with
     * only what the log proves: the entry's bundle as the log carries it, its signed artifacts, the entry's inclusion
     * proof in the exported checkpoint, and yanks the log records. The entries are replayed as a follower replays them
     * (keysets chained, packages and yanks signed by their namespace's keyset); one that does not verify gets no
     * document, nor does anything of its namespace after it. Returns how many version and namespace documents.
     */
    private int[] documents(List<LogEntry> entries, String note, long size, HashSource hashes, String origin,
                            EntryVerifier verifier) throws IOException {
        Map<String, OriginKeyset> keysets = new HashMap<>();
        Map<String, io.vertx.core.json.JsonArray> history = new LinkedHashMap<>();
        Map<String, io.vertx.core.json.JsonArray> current = new HashMap<>();
        List<String> broken = new ArrayList<>();
        Map<String, io.vertx.core.json.JsonObject> versions = new LinkedHashMap<>();
        for (LogEntry entry : entries) {
            String namespace = entry instanceof LogEntry.KeysetEntry k ? k.namespace()
                    : entry instanceof LogEntry.PackageEntry p ? p.name().namespace()
                    : ((LogEntry.YankEntry) entry).name().namespace();
            if (broken.contains(namespace)) {
                continue;
            }
            Optional<OriginKeyset> keyset = Optional.ofNullable(keysets.get(namespace));
            io.vertx.core.json.JsonObject raw = new io.vertx.core.json.JsonObject(
                    new String(entry.bytes(), StandardCharsets.UTF_8));
            try {
                if (entry instanceof LogEntry.KeysetEntry k) {
                    keysets.put(namespace, verifier.keyset(k, keyset));
                    current.put(namespace, raw.getJsonArray("keys"));
                    history.computeIfAbsent(namespace, ns -> new io.vertx.core.json.JsonArray())
                            .add(new io.vertx.core.json.JsonObject().put("sequence", k.sequence())
                                    .put("keys", raw.getJsonArray("keys")).put("envelope", raw.getValue("envelope")));
                } else if (entry instanceof LogEntry.PackageEntry p) {
                    VerifiedPackage pkg = verifier.pkg(p, keyset);
                    io.vertx.core.json.JsonArray artifacts = new io.vertx.core.json.JsonArray();
                    for (Artifact a : pkg.contract().artifacts()) {
                        artifacts.add(new io.vertx.core.json.JsonObject().put("path", a.path())
                                .put("mediaType", a.mediaType()).put("size", a.size())
                                .put("digest", a.digest().toString()).put("url", "/v1/blobs/" + a.digest()));
                    }
                    io.vertx.core.json.JsonArray inclusion = new io.vertx.core.json.JsonArray();
                    for (byte[] h : InclusionProof.generate(p.index(), size, hashes).hashes()) {
                        inclusion.add(Base64.getEncoder().encodeToString(h));
                    }
                    String ref = p.name() + "@" + p.version();
                    versions.putIfAbsent(ref, new io.vertx.core.json.JsonObject()
                            .put("ref", ref)
                            .put("namespace", namespace)
                            .put("name", p.name().name())
                            .put("version", p.version().toString())
                            .put("digest", p.digest().toString())
                            .put("origin", origin)
                            .put("yanked", false)
                            .put("artifacts", artifacts)
                            .put("bundle", raw.getJsonObject("bundle"))
                            .put("log", new io.vertx.core.json.JsonObject().put("index", p.index())
                                    .put("treeSize", size).put("checkpoint", note).put("inclusion", inclusion)));
                } else {
                    LogEntry.YankEntry y = (LogEntry.YankEntry) entry;
                    Yank yank = verifier.yank(y, keyset);
                    io.vertx.core.json.JsonObject doc = versions.get(y.name() + "@" + y.version());
                    if (doc != null && doc.getString("digest").equals(y.digest().toString())) {
                        doc.put("yanked", true).put("yankReason", yank.reason());
                    }
                }
            } catch (RuleBroken e) {
                broken.add(namespace);
                err().println("  entry " + entry.index() + " does not verify (" + e.getMessage() + "): no more "
                        + "documents of namespace '" + namespace + "'");
            } catch (ProofException e) {
                throw CommandFailure.refused("cannot prove entry " + entry.index() + " in the tree of " + size + ": "
                        + e.getMessage());
            }
        }
        Path v1 = out.resolve("v1");
        for (io.vertx.core.json.JsonObject doc : versions.values()) {
            write(v1.resolve("packages").resolve(doc.getString("namespace")).resolve(doc.getString("name"))
                    .resolve("versions").resolve(doc.getString("version")), doc.encode().getBytes(StandardCharsets.UTF_8));
        }
        for (Map.Entry<String, io.vertx.core.json.JsonArray> ns : history.entrySet()) {
            io.vertx.core.json.JsonObject doc = new io.vertx.core.json.JsonObject().put("origin", origin)
                    .put("namespace", ns.getKey()).put("sequence", keysets.get(ns.getKey()).sequence())
                    .put("keys", current.get(ns.getKey())).put("history", ns.getValue());
            write(v1.resolve("namespaces").resolve(ns.getKey()), doc.encode().getBytes(StandardCharsets.UTF_8));
        }
        return new int[] {versions.size(), history.size()};
    }

    /** Every hash tile of a tree of {@code size} leaves, as c2sp.org/tlog-tiles names them. */
    static List<TilePath> tiles(long size) {
        List<TilePath> out = new ArrayList<>();
        for (int level = 0; level <= TilePath.MAX_LEVEL && (size >>> (TilePath.HEIGHT * level)) > 0; level++) {
            long n = size >>> (TilePath.HEIGHT * level);
            for (long i = 0; i <= (n - 1) >>> TilePath.HEIGHT; i++) {
                out.add(TilePath.forTree(level, i, size));
            }
        }
        return out;
    }

    /** Whether the file holds the blob already (right size and digest). */
    private static boolean holds(Path file, Sha256 digest, long size) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) != size) {
            return false;
        }
        Sha256Hasher hasher = new Sha256Hasher();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                hasher.update(buffer, 0, n);
            }
        }
        return hasher.digest().equals(digest);
    }

    /** Writes the file whole or not at all (a reader of the folder never sees half a tile). */
    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Path part = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".part");
        try {
            Files.write(part, bytes);
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** "entry bundles 12/40, 1.2 MB" at most once a second, and when a stage is done. */
    private final class Progress {
        private final String what;
        private final long total;
        private long count;
        private long bytes;
        private long last = System.nanoTime();

        Progress(String what, long total) {
            this.what = what;
            this.total = total;
        }

        void advance(long items, long more) {
            count += items;
            bytes += more;
            if (System.nanoTime() - last > PROGRESS_NANOS && count < total) {
                last = System.nanoTime();
                print();
            }
        }

        void done() {
            print();
        }

        private void print() {
            err().println(String.format(Locale.ROOT, "  %-13s %d/%d%s", what, count, total,
                    bytes > 0 ? ", " + TransferProgress.bytes(bytes) : ""));
        }
    }

}
