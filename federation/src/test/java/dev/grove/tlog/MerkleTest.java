package dev.grove.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Merkle hashing and proofs against golang.org/x/mod/sumdb/tlog (vectors in tlog/merkle.txt). */
class MerkleTest {
    static final List<byte[]> ENTRIES = new ArrayList<>();
    static final List<byte[]> LEAVES = new ArrayList<>();
    static final List<byte[]> ROOTS = new ArrayList<>();
    static HashSource source;

    @BeforeAll
    static void load() {
        for (String[] r : Vectors.records("tlog/merkle.txt", "leaf")) {
            assertThat(Long.parseLong(r[0])).isEqualTo(ENTRIES.size());
            ENTRIES.add(Vectors.hex(r[1]));
            LEAVES.add(Vectors.hex(r[2]));
        }
        ROOTS.add(MerkleHash.emptyRoot());
        for (String[] r : Vectors.records("tlog/merkle.txt", "root")) {
            assertThat(Long.parseLong(r[0])).isEqualTo(ROOTS.size());
            ROOTS.add(Vectors.hex(r[1]));
        }
        source = HashSources.fromLeafHashes(LEAVES);
    }

    @Test
    void leafHashesMatchGo() {
        assertThat(ENTRIES).hasSize(1100);
        assertThat(ENTRIES.get(7)).isEmpty();
        for (int i = 0; i < ENTRIES.size(); i++) {
            assertThat(MerkleHash.leafHash(ENTRIES.get(i))).isEqualTo(LEAVES.get(i));
        }
    }

    /** RFC 6962 known answers: SHA-256 of nothing, of 0x00, and the node hash of two empty-leaf hashes. */
    @Test
    void knownAnswers() {
        assertThat(MerkleHash.hex(MerkleHash.emptyRoot()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(MerkleHash.hex(MerkleHash.leafHash(new byte[0])))
                .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
        assertThat(MerkleHash.rootFromEntries(List.of())).isEqualTo(MerkleHash.emptyRoot());
        byte[] leaf = MerkleHash.leafHash("hello".getBytes(StandardCharsets.UTF_8));
        assertThat(MerkleHash.rootFromLeaves(List.of(leaf))).isEqualTo(leaf);
    }

    @Test
    void treeHashesForEverySizeMatchGo() throws Exception {
        assertThat(ROOTS).hasSize(1101);
        for (int n = 1; n <= 1100; n++) {
            assertThat(source.rootHash(n)).as("size %d", n).isEqualTo(ROOTS.get(n));
        }
        for (int n : new int[] {1, 2, 3, 7, 8, 9, 255, 256, 257, 1100}) {
            assertThat(MerkleHash.rootFromLeaves(LEAVES.subList(0, n))).as("size %d", n).isEqualTo(ROOTS.get(n));
            assertThat(MerkleHash.rootFromEntries(ENTRIES.subList(0, n))).as("size %d", n).isEqualTo(ROOTS.get(n));
        }
        assertThat(source.rootHash(0)).isEqualTo(MerkleHash.emptyRoot());
    }

    @Test
    void inclusionProofsMatchGo() throws Exception {
        List<String[]> rows = Vectors.records("tlog/merkle.txt", "inclusion");
        assertThat(rows).hasSizeGreaterThan(900);
        for (String[] r : rows) {
            long index = Long.parseLong(r[0]);
            long size = Long.parseLong(r[1]);
            List<byte[]> expected = Vectors.hexList(r[2]);
            InclusionProof proof = InclusionProof.generate(index, size, source);
            assertThat(proof).as("leaf %d size %d", index, size)
                    .isEqualTo(new InclusionProof(index, size, expected));
            assertThat(InclusionProof.expectedLength(index, size)).isEqualTo(expected.size());
            InclusionProof.verify(LEAVES.get((int) index), index, size, ROOTS.get((int) size), expected);
        }
    }

    @Test
    void consistencyProofsMatchGo() throws Exception {
        List<String[]> rows = Vectors.records("tlog/merkle.txt", "consistency");
        assertThat(rows).hasSizeGreaterThan(900);
        for (String[] r : rows) {
            long m = Long.parseLong(r[0]);
            long n = Long.parseLong(r[1]);
            List<byte[]> expected = Vectors.hexList(r[2]);
            ConsistencyProof proof = ConsistencyProof.generate(m, n, source);
            assertThat(proof).as("from %d to %d", m, n).isEqualTo(new ConsistencyProof(m, n, expected));
            ConsistencyProof.verify(m, ROOTS.get((int) m), n, ROOTS.get((int) n), expected);
        }
    }

    /** Every inclusion proof of a small tree: any single changed hash, and any other leaf, must fail. */
    @Test
    void everyTamperedInclusionProofFails() throws Exception {
        for (int n = 1; n <= 20; n++) {
            for (int i = 0; i < n; i++) {
                InclusionProof p = InclusionProof.generate(i, n, source);
                p.verify(LEAVES.get(i), ROOTS.get(n));
                for (int j = 0; j < p.hashes().size(); j++) {
                    List<byte[]> bad = new ArrayList<>(p.hashes());
                    byte[] h = bad.get(j).clone();
                    h[5] ^= 1;
                    bad.set(j, h);
                    int size = n;
                    int leaf = i;
                    assertThatThrownBy(() -> InclusionProof.verify(LEAVES.get(leaf), leaf, size, ROOTS.get(size), bad))
                            .isInstanceOf(ProofException.class).hasMessageContaining("leads to root");
                }
                if (n > 1) {
                    int other = (i + 1) % n;
                    byte[] root = ROOTS.get(n);
                    assertThatThrownBy(() -> p.verify(LEAVES.get(other), root)).isInstanceOf(ProofException.class);
                }
            }
        }
    }

    @Test
    void everyTamperedConsistencyProofFails() throws Exception {
        for (int n = 1; n <= 20; n++) {
            for (int m = 1; m < n; m++) {
                ConsistencyProof p = ConsistencyProof.generate(m, n, source);
                p.verify(ROOTS.get(m), ROOTS.get(n));
                for (int j = 0; j < p.hashes().size(); j++) {
                    List<byte[]> bad = new ArrayList<>(p.hashes());
                    byte[] h = bad.get(j).clone();
                    h[0] ^= (byte) 0x80;
                    bad.set(j, h);
                    int oldSize = m;
                    int newSize = n;
                    assertThatThrownBy(() -> ConsistencyProof.verify(oldSize, ROOTS.get(oldSize), newSize,
                            ROOTS.get(newSize), bad)).isInstanceOf(ProofException.class).hasMessageContaining("leads to");
                }
                byte[] wrongOld = ROOTS.get(m + 1);
                byte[] newRoot = ROOTS.get(n);
                assertThatThrownBy(() -> p.verify(wrongOld, newRoot)).isInstanceOf(ProofException.class);
            }
        }
    }

    @Test
    void inclusionMessages() throws Exception {
        InclusionProof p = InclusionProof.generate(3, 10, source);
        byte[] leaf = LEAVES.get(3);
        byte[] root = ROOTS.get(10);
        assertThatThrownBy(() -> InclusionProof.verify(leaf, 10, 10, root, p.hashes()))
                .isInstanceOf(ProofException.class).hasMessage("leaf index 10 is not in a tree of size 10");
        assertThatThrownBy(() -> InclusionProof.verify(leaf, 3, 10, root, p.hashes().subList(0, 3)))
                .isInstanceOf(ProofException.class)
                .hasMessage("inclusion proof for leaf 3 in a tree of size 10 must have 4 hashes, has 3");
        List<byte[]> longer = new ArrayList<>(p.hashes());
        longer.add(root);
        assertThatThrownBy(() -> InclusionProof.verify(leaf, 3, 10, root, longer))
                .isInstanceOf(ProofException.class)
                .hasMessage("inclusion proof for leaf 3 in a tree of size 10 must have 4 hashes, has 5");
        List<byte[]> shortHash = new ArrayList<>(p.hashes());
        shortHash.set(1, new byte[31]);
        assertThatThrownBy(() -> InclusionProof.verify(leaf, 3, 10, root, shortHash))
                .isInstanceOf(ProofException.class).hasMessage("inclusion proof hash 1 has 31 bytes, not 32");
        assertThatThrownBy(() -> p.verify(leaf, ROOTS.get(9)))
                .isInstanceOf(ProofException.class)
                .hasMessage("inclusion proof for leaf 3 leads to root " + MerkleHash.hex(root) + ", not "
                        + MerkleHash.hex(ROOTS.get(9)) + " of the tree of size 10");
        assertThatThrownBy(() -> InclusionProof.generate(5, 5, source))
                .hasMessage("leaf index 5 is not in a tree of size 5");
    }

    @Test
    void consistencyMessagesAndEdgeCases() throws Exception {
        ConsistencyProof.verify(0, MerkleHash.emptyRoot(), 10, ROOTS.get(10), List.of());
        ConsistencyProof.verify(0, MerkleHash.emptyRoot(), 0, MerkleHash.emptyRoot(), List.of());
        ConsistencyProof.verify(7, ROOTS.get(7), 7, ROOTS.get(7), List.of());
        assertThat(ConsistencyProof.generate(0, 10, source).hashes()).isEmpty();
        assertThat(ConsistencyProof.generate(10, 10, source).hashes()).isEmpty();
        assertThatThrownBy(() -> ConsistencyProof.verify(0, ROOTS.get(1), 10, ROOTS.get(10), List.of()))
                .isInstanceOf(ProofException.class)
                .hasMessage("old root " + MerkleHash.hex(ROOTS.get(1)) + " is not the hash of the empty tree");
        assertThatThrownBy(() -> ConsistencyProof.verify(7, ROOTS.get(7), 7, ROOTS.get(8), List.of()))
                .isInstanceOf(ProofException.class)
                .hasMessage("trees of the same size 7 have different roots " + MerkleHash.hex(ROOTS.get(7)) + " and "
                        + MerkleHash.hex(ROOTS.get(8)));
        assertThatThrownBy(() -> ConsistencyProof.verify(8, ROOTS.get(8), 7, ROOTS.get(7), List.of()))
                .isInstanceOf(ProofException.class).hasMessage("old tree size 8 is not between 0 and new tree size 7");
        ConsistencyProof p = ConsistencyProof.generate(3, 7, source);
        assertThatThrownBy(() -> ConsistencyProof.verify(3, ROOTS.get(3), 7, ROOTS.get(7), List.of()))
                .isInstanceOf(ProofException.class)
                .hasMessage("consistency proof from size 3 to 7 must have " + p.hashes().size() + " hashes, has 0");
        assertThatThrownBy(() -> p.verify(ROOTS.get(4), ROOTS.get(7)))
                .isInstanceOf(ProofException.class).hasMessageStartingWith("consistency proof from size 3 to 7 leads to old root ");
        assertThatThrownBy(() -> p.verify(ROOTS.get(3), ROOTS.get(8)))
                .isInstanceOf(ProofException.class).hasMessageStartingWith("consistency proof from size 3 to 7 leads to new root ");
    }

    @Test
    void hashSourceReportsMissingSubtrees() {
        assertThatThrownBy(() -> source.hash(11, 0)).isInstanceOf(ProofException.class)
                .hasMessage("no complete subtree at level 11 index 0 in a tree of 1100 leaves");
        assertThatThrownBy(() -> InclusionProof.generate(0, 1101, source)).isInstanceOf(ProofException.class);
    }
}
