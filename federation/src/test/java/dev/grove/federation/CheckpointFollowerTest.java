package dev.grove.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.note.NoteSigner;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CheckpointFollowerTest {
    static final String ORIGIN = "peer.grove.test/grove-log";
    final NoteSigner key = NoteSigner.ed25519(ORIGIN, Ed25519PrivateKey.fromSeed(new byte[32]));
    final MemoryTileLog log = new MemoryTileLog(key);
    final CheckpointFollower follower = CheckpointFollower.forKey(key.verifier().toString());

    CheckpointFollowerTest() {
        for (int i = 0; i < 20; i++) {
            log.append(("entry " + i).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void accepts_growth_with_a_valid_consistency_proof() throws Exception {
        VerifiedCheckpoint old = follower.verify(log.checkpoint(7));
        VerifiedCheckpoint next = follower.verify(log.checkpoint(20));
        assertThat(CheckpointFollower.needsConsistencyProof(Optional.of(old), next)).isTrue();
        CheckpointFollower.checkAdvance(Optional.of(old), next, log.consistency(7, 20));
        CheckpointFollower.checkAdvance(Optional.of(next), follower.verify(log.checkpoint(20)), List.of());
        CheckpointFollower.checkAdvance(Optional.empty(), next, List.of());
    }

    @Test
    void badSignature_otherKey() {
        NoteSigner other = NoteSigner.ed25519(ORIGIN, Ed25519PrivateKey.fromSeed(new byte[] {
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}));
        String forged = MemoryTileLog.sign(new Checkpoint(ORIGIN, 20, log.root(20)), other);
        assertThatThrownBy(() -> follower.verify(forged)).isInstanceOfSatisfying(Misbehaviour.class, m -> {
            assertThat(m.evidence().kind()).isEqualTo(Evidence.Kind.BAD_SIGNATURE);
            assertThat(m.evidence().statements()).containsExactly(forged);
            assertThat(m.evidence().detail()).contains("no signature by key " + ORIGIN);
        });
    }

    @Test
    void badSignature_otherOrigin() {
        String wrongOrigin = MemoryTileLog.sign(new Checkpoint("elsewhere/grove-log", 20, log.root(20)), key);
        assertThatThrownBy(() -> follower.verify(wrongOrigin)).isInstanceOfSatisfying(Misbehaviour.class,
                m -> assertThat(m.evidence().detail()).contains("is not the log's origin"));
    }

    @Test
    void rollback_keepsBothNotes() throws Exception {
        VerifiedCheckpoint old = follower.verify(log.checkpoint(20));
        VerifiedCheckpoint smaller = follower.verify(log.checkpoint(19));
        assertThatThrownBy(() -> CheckpointFollower.checkAdvance(Optional.of(old), smaller, List.of()))
                .isInstanceOfSatisfying(Misbehaviour.class, m -> {
                    assertThat(m.evidence().kind()).isEqualTo(Evidence.Kind.ROLLBACK);
                    assertThat(m.evidence().detail()).isEqualTo("tree size went back from 20 to 19: a log only grows");
                    assertThat(m.evidence().statements()).containsExactly(old.note(), smaller.note());
                });
    }

    @Test
    void fork_sameSizeDifferentRoot() throws Exception {
        VerifiedCheckpoint old = follower.verify(log.checkpoint(20));
        VerifiedCheckpoint other = follower.verify(MemoryTileLog.sign(new Checkpoint(ORIGIN, 20, log.root(19)), key));
        assertThatThrownBy(() -> CheckpointFollower.checkAdvance(Optional.of(old), other, List.of()))
                .isInstanceOfSatisfying(Misbehaviour.class, m -> {
                    assertThat(m.evidence().kind()).isEqualTo(Evidence.Kind.FORK);
                    assertThat(m.evidence().detail()).startsWith("two checkpoints of size 20 with different roots");
                    assertThat(m.evidence().statements()).containsExactly(old.note(), other.note());
                });
    }

    @Test
    void fork_inconsistentGrowth() throws Exception {
        MemoryTileLog fork = new MemoryTileLog(key);
        for (int i = 0; i < 20; i++) {
            fork.append(("other " + i).getBytes(StandardCharsets.UTF_8));
        }
        VerifiedCheckpoint old = follower.verify(log.checkpoint(7));
        VerifiedCheckpoint next = follower.verify(fork.checkpoint(20));
        List<byte[]> proof = fork.consistency(7, 20);
        assertThatThrownBy(() -> CheckpointFollower.checkAdvance(Optional.of(old), next, proof))
                .isInstanceOfSatisfying(Misbehaviour.class, m -> {
                    assertThat(m.evidence().kind()).isEqualTo(Evidence.Kind.FORK);
                    assertThat(m.evidence().detail()).startsWith(
                            "checkpoint of size 20 is not consistent with the verified checkpoint of size 7");
                    assertThat(m.evidence().statements()).hasSize(3);
                    assertThat(m.evidence().statements().subList(0, 2)).containsExactly(old.note(), next.note());
                    assertThat(m.evidence().statements().get(2)).startsWith("consistency 7 20\n");
                });
    }

    @Test
    void fork_proofOfWrongLength() throws Exception {
        VerifiedCheckpoint old = follower.verify(log.checkpoint(7));
        VerifiedCheckpoint next = follower.verify(log.checkpoint(20));
        assertThatThrownBy(() -> CheckpointFollower.checkAdvance(Optional.of(old), next, List.of()))
                .isInstanceOfSatisfying(Misbehaviour.class,
                        m -> assertThat(m.evidence().kind()).isEqualTo(Evidence.Kind.FORK));
    }
}
