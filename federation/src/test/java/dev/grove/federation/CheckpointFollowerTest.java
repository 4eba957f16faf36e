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

    CheckpointFollower.Comparison compare(VerifiedCheckpoint a, VerifiedCheckpoint b, List<byte[]> proof) {
        return follower.compare(a, b, proof, Optional.empty());
    }

    @Test
    void accepts_growth_with_a_valid_consistency_proof() throws Exception {
        VerifiedCheckpoint old = follower.verify(log.checkpoint(7));
        VerifiedCheckpoint next = follower.verify(log.checkpoint(20));
        assertThat(CheckpointFollower.needsConsistencyProof(Optional.of(old), next)).isTrue();
        assertThat(compare(old, next, log.consistency(7, 20))).isInstanceOf(CheckpointFollower.Comparison.Consistent.class);
        assertThat(compare(next, follower.verify(log.checkpoint(20)), List.of()))
                .isInstanceOf(CheckpointFollower.Comparison.Consistent.class);
        // a power of two: the proof leaves the smaller root out, and it still shows consistency
        assertThat(compare(follower.verify(log.checkpoint(8)), next, log.consistency(8, 20)))
                .isInstanceOf(CheckpointFollower.Comparison.Consistent.class);
    }

    @Test
    void badSignature_otherKey_isAFault() {
        NoteSigner other = NoteSigner.ed25519(ORIGIN, Ed25519PrivateKey.fromSeed(new byte[] {
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}));
        String forged = MemoryTileLog.sign(new Checkpoint(ORIGIN, 20, log.root(20)), other);
        assertThatThrownBy(() -> follower.verify(forged)).isInstanceOfSatisfying(FaultException.class, f -> {
            assertThat(f.fault().kind()).isEqualTo(Fault.Kind.BAD_SIGNATURE);
            assertThat(f.fault().reason()).contains("no signature by key " + ORIGIN);
        });
    }

    @Test
    void badSignature_otherOrigin() {
        String wrongOrigin = MemoryTileLog.sign(new Checkpoint("elsewhere/grove-log", 20, log.root(20)), key);
        assertThatThrownBy(() -> follower.verify(wrongOrigin)).isInstanceOfSatisfying(FaultException.class,
                f -> assertThat(f.fault().reason()).contains("is not the log's origin"));
    }

    @Test
    void fork_sameSizeDifferentRoot() throws Exception {
        VerifiedCheckpoint old = follower.verify(log.checkpoint(20));
        VerifiedCheckpoint other = follower.verify(MemoryTileLog.sign(new Checkpoint(ORIGIN, 20, log.root(19)), key));
        assertThat(compare(old, other, List.of())).isInstanceOfSatisfying(CheckpointFollower.Comparison.Forked.class,
                f -> {
                    assertThat(f.evidence().kind()).isEqualTo(Evidence.Kind.FORK);
                    assertThat(f.evidence().detail()).startsWith("two checkpoints of size 20 with different roots");
                    assertThat(f.evidence().checkpoints()).containsExactly(old.note(), other.note());
                    assertThat(f.evidence().logKey()).isEqualTo(key.verifier().toString());
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
        assertThat(compare(old, next, proof)).isInstanceOfSatisfying(CheckpointFollower.Comparison.Forked.class, f -> {
            assertThat(f.evidence().detail()).startsWith(
                    "checkpoint of size 20 is not consistent with the checkpoint of size 7");
            assertThat(f.evidence().checkpoints()).containsExactly(old.note(), next.note());
            assertThat(f.evidence().consistency()).hasValueSatisfying(c -> {
                assertThat(c.from()).isEqualTo(7);
                assertThat(c.to()).isEqualTo(20);
                assertThat(c.oldTreeHash()).isEmpty();
            });
        });
    }

    @Test
    void fork_fromAPowerOfTwo_needsTheLargerTreesHashOverTheSmallerSize() throws Exception {
        MemoryTileLog fork = new MemoryTileLog(key);
        for (int i = 0; i < 20; i++) {
            fork.append(("other " + i).getBytes(StandardCharsets.UTF_8));
        }
        VerifiedCheckpoint old = follower.verify(log.checkpoint(8));
        VerifiedCheckpoint next = follower.verify(fork.checkpoint(20));
        List<byte[]> proof = fork.consistency(8, 20);
        // the RFC's proof starts from the signed smaller root: it cannot lead to the forked root, so it proves nothing
        assertThat(compare(old, next, proof)).isInstanceOf(CheckpointFollower.Comparison.Unproven.class);
        // with the forked tree's own hash over its first 8 leaves, it is a proven fork
        assertThat(follower.compare(old, next, proof, Optional.of(fork.root(8))))
                .isInstanceOfSatisfying(CheckpointFollower.Comparison.Forked.class,
                        f -> assertThat(f.evidence().consistency().orElseThrow().oldTreeHash()).isPresent());
    }

    @Test
    void garbageProof_provesNothing() throws Exception {
        VerifiedCheckpoint old = follower.verify(log.checkpoint(7));
        VerifiedCheckpoint next = follower.verify(log.checkpoint(20));
        List<byte[]> proof = new java.util.ArrayList<>(log.consistency(7, 20));
        byte[] flipped = proof.get(1).clone();
        flipped[0] ^= 1;
        proof.set(1, flipped);
        assertThat(compare(old, next, proof)).isInstanceOfSatisfying(CheckpointFollower.Comparison.Unproven.class,
                u -> assertThat(u.reason()).contains("so it proves nothing"));
        assertThat(compare(old, next, List.of())).isInstanceOfSatisfying(CheckpointFollower.Comparison.Unproven.class,
                u -> assertThat(u.reason()).contains("must have"));
    }
}
