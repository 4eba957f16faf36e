package dev.grove.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.federation.EntryVerifierTest;
import dev.grove.federation.MemoryTileLog;
import dev.grove.note.NoteSigner;
import dev.grove.tlog.HashSources;
import dev.grove.tlog.ProofException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A later checkpoint held to the one verified before, through the log's own tiles (300 entries: two level-0 tiles). */
class CheckpointHistoryTest {
    final NoteSigner signer = NoteSigner.ed25519("a.example/grove-log", EntryVerifierTest.key(3));
    final MemoryTileLog log = grown(new MemoryTileLog(signer), "e", 300);

    static MemoryTileLog grown(MemoryTileLog log, String prefix, int n) {
        for (int i = 0; i < n; i++) {
            log.append((prefix + i).getBytes(StandardCharsets.UTF_8));
        }
        return log;
    }

    Checkpoint at(MemoryTileLog l, long size) {
        return new Checkpoint(l.origin(), size, l.root(size));
    }

    HashSources.TileReader tiles(MemoryTileLog l, long size) {
        return path -> l.tile(path, size);
    }

    @Test
    void growthAndAnOlderViewOfTheSameTreeAreConsistent() throws Exception {
        assertThat(CheckpointHistory.hold(at(log, 10), at(log, 300), tiles(log, 300)))
                .isEqualTo(CheckpointHistory.Keep.NOW);
        assertThat(CheckpointHistory.hold(at(log, 300), at(log, 10), tiles(log, 300)))
                .isEqualTo(CheckpointHistory.Keep.BEFORE);
        assertThat(CheckpointHistory.hold(at(log, 300), at(log, 300), tiles(log, 300)))
                .isEqualTo(CheckpointHistory.Keep.BEFORE);
    }

    @Test
    void anotherHistoryUnderTheSameKeyIsRefused() throws Exception {
        MemoryTileLog other = grown(new MemoryTileLog(signer), "x", 1);
        grown(other, "e", 299);
        assertThatThrownBy(() -> CheckpointHistory.hold(at(log, 10), at(other, 300), tiles(other, 300)))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.check()).isEqualTo(Refusal.Check.LOG))
                .hasMessageContaining("cannot be shown consistent with the one of size 10");
        assertThatThrownBy(() -> CheckpointHistory.hold(at(log, 300), at(other, 300), tiles(other, 300)))
                .isInstanceOf(Refusal.class).hasMessageContaining("signed two checkpoints of size 300");
    }

    @Test
    void aTileFlippedOnTheWayCannotShowConsistency() throws Exception {
        HashSources.TileReader flipped = path -> {
            byte[] t = log.tile(path, 300);
            t[0] ^= 1;
            return t;
        };
        assertThatThrownBy(() -> CheckpointHistory.hold(at(log, 10), at(log, 300), flipped))
                .isInstanceOf(Refusal.class).hasMessageContaining("cannot be shown consistent");
    }

    @Test
    void aMissingTileIsTheCallersToFetch() {
        assertThatThrownBy(() -> CheckpointHistory.hold(at(log, 10), at(log, 300), path -> {
            throw new ProofException("not fetched: " + path);
        })).isInstanceOf(ProofException.class).hasMessageContaining("not fetched");
    }
}
