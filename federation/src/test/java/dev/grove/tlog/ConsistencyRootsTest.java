package dev.grove.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ConsistencyProof#roots}: the two roots a proof leads to, for every pair of sizes of a small tree. */
class ConsistencyRootsTest {

    static List<byte[]> leaves(int n, String prefix) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(MerkleHash.leafHash((prefix + i).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    @Test
    void aProofLeadsToBothRootsOfItsTree() throws Exception {
        List<byte[]> leaves = leaves(40, "e");
        HashSource source = HashSources.fromLeafHashes(leaves);
        for (int m = 1; m < 40; m++) {
            for (int n = m + 1; n <= 40; n++) {
                byte[] oldRoot = source.rootHash(m);
                ConsistencyProof.Roots roots = ConsistencyProof.roots(m, oldRoot, n,
                        ConsistencyProof.generate(m, n, source).hashes());
                assertThat(roots.oldRoot()).as(m + " to " + n).isEqualTo(oldRoot);
                assertThat(roots.newRoot()).as(m + " to " + n).isEqualTo(source.rootHash(n));
            }
        }
    }

    @Test
    void aProofOfAnotherTreeLeadsToItsRoots_notToTheSignedSmallerRoot() throws Exception {
        HashSource honest = HashSources.fromLeafHashes(leaves(20, "e"));
        HashSource fork = HashSources.fromLeafHashes(leaves(20, "f"));
        List<byte[]> proof = ConsistencyProof.generate(7, 20, fork).hashes();
        ConsistencyProof.Roots roots = ConsistencyProof.roots(7, honest.rootHash(7), 20, proof);
        assertThat(roots.newRoot()).isEqualTo(fork.rootHash(20));
        assertThat(roots.oldRoot()).isEqualTo(fork.rootHash(7)).isNotEqualTo(honest.rootHash(7));
        assertThatThrownBy(() -> ConsistencyProof.roots(7, honest.rootHash(7), 20, proof.subList(1, proof.size())))
                .isInstanceOf(ProofException.class).hasMessageContaining("must have");
        assertThatThrownBy(() -> ConsistencyProof.roots(0, honest.rootHash(7), 20, proof))
                .isInstanceOf(ProofException.class);
    }
}
