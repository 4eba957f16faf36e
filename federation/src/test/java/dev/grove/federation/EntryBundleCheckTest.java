package dev.grove.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.note.NoteSigner;
import dev.grove.tlog.EntryBundle;
import dev.grove.tlog.HashSources;
import dev.grove.tlog.HashTile;
import dev.grove.tlog.MerkleHash;
import dev.grove.tlog.ProofException;
import dev.grove.tlog.TilePath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class EntryBundleCheckTest {
    static final String ORIGIN = "peer.grove.test/grove-log";
    final NoteSigner key = NoteSigner.ed25519(ORIGIN, Ed25519PrivateKey.fromSeed(new byte[32]));
    final CheckpointFollower follower = CheckpointFollower.forKey(key.verifier());

    MemoryTileLog log(int n, String prefix) {
        MemoryTileLog log = new MemoryTileLog(key);
        for (int i = 0; i < n; i++) {
            log.append((prefix + i).getBytes(StandardCharsets.UTF_8));
        }
        return log;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 255, 256, 257, 600, 70_000 / 100})
    void everyBundleOfAnHonestLogVerifies(int size) throws Exception {
        MemoryTileLog log = log(size, "e");
        VerifiedCheckpoint cp = follower.verify(log.checkpoint(size));
        Set<TilePath> read = new HashSet<>();
        for (long n = 0; n * 256 < size; n++) {
            int w = TilePath.widthAt(TilePath.ENTRIES, n, size);
            EntryBundle b = EntryBundleCheck.verify(cp, n, log.tile(TilePath.entryBundle(n, w), size),
                    log.tile(TilePath.tile(0, n, w), size), p -> {
                        read.add(p);
                        return log.tile(p, size);
                    });
            assertThat(b.size()).isEqualTo(w);
        }
        assertThat(read).allMatch(p -> !p.isEntryBundle());
    }

    @Test
    void entryThatIsNotTheTilesLeaf() throws Exception {
        MemoryTileLog log = log(300, "e");
        VerifiedCheckpoint cp = follower.verify(log.checkpoint(300));
        List<byte[]> entries = EntryBundle.parse(log.tile(TilePath.entryBundle(0, 256), 300), 256).entries();
        entries.set(17, "swapped".getBytes(StandardCharsets.UTF_8));
        byte[] lying = EntryBundle.of(entries).toBytes();
        assertThatThrownBy(() -> EntryBundleCheck.verify(cp, 0, lying, log.tile(TilePath.tile(0, 0, 256), 300),
                p -> log.tile(p, 300))).isInstanceOfSatisfying(FaultException.class, f -> {
                    assertThat(f.fault().kind()).isEqualTo(Fault.Kind.NOT_IN_TREE);
                    assertThat(f.fault().reason()).startsWith("entry 17 of tile/entries/000 has leaf hash");
                });
    }

    @Test
    void entriesAndTileThatAgreeButAreNotInTheSignedTree() throws Exception {
        MemoryTileLog log = log(300, "e");
        VerifiedCheckpoint cp = follower.verify(log.checkpoint(300));
        List<byte[]> entries = EntryBundle.parse(log.tile(TilePath.entryBundle(1, 44), 300), 44).entries();
        entries.set(3, "swapped".getBytes(StandardCharsets.UTF_8));
        List<byte[]> hashes = new ArrayList<>();
        entries.forEach(e -> hashes.add(MerkleHash.leafHash(e)));
        assertThatThrownBy(() -> EntryBundleCheck.verify(cp, 1, EntryBundle.of(entries).toBytes(),
                HashTile.of(hashes).toBytes(), p -> log.tile(p, 300)))
                .isInstanceOfSatisfying(FaultException.class, f -> {
                    assertThat(f.fault().kind()).isEqualTo(Fault.Kind.NOT_IN_TREE);
                    assertThat(f.fault().reason()).startsWith("entries 256..299 of tile/entries/001.p/44 and the "
                            + "peer's hash tiles give root");
                });
    }

    @Test
    void missingTilesSurfaceAsProofExceptionsForTheCallerToFetch() throws Exception {
        MemoryTileLog log = log(600, "e");
        VerifiedCheckpoint cp = follower.verify(log.checkpoint(600));
        List<TilePath> asked = new ArrayList<>();
        HashSources.TileReader none = p -> {
            asked.add(p);
            throw new ProofException("not fetched: " + p);
        };
        assertThatThrownBy(() -> EntryBundleCheck.verify(cp, 1, log.tile(TilePath.entryBundle(1, 256), 600),
                log.tile(TilePath.tile(0, 1, 256), 600), none)).isInstanceOf(ProofException.class);
        assertThat(asked).isNotEmpty();
    }

    @Test
    void forgedCheckpointRootIsCaught() throws Exception {
        MemoryTileLog log = log(10, "e");
        VerifiedCheckpoint cp = follower.verify(MemoryTileLog.sign(new Checkpoint(ORIGIN, 10, log.root(9)), key));
        assertThatThrownBy(() -> EntryBundleCheck.verify(cp, 0, log.tile(TilePath.entryBundle(0, 10), 10),
                log.tile(TilePath.tile(0, 0, 10), 10), p -> log.tile(p, 10)))
                .isInstanceOfSatisfying(FaultException.class,
                        f -> assertThat(f.fault().kind()).isEqualTo(Fault.Kind.NOT_IN_TREE));
    }
}
