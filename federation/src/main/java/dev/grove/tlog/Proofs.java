package dev.grove.tlog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Shared helpers of {@link InclusionProof} and {@link ConsistencyProof}. */
final class Proofs {
    private Proofs() {
    }

    static List<byte[]> copyHashes(List<byte[]> hashes, String what) {
        List<byte[]> copy = new ArrayList<>(hashes.size());
        for (int i = 0; i < hashes.size(); i++) {
            byte[] h = hashes.get(i);
            if (h == null || h.length != MerkleHash.SIZE) {
                throw new IllegalArgumentException(what + " hash " + i + " must have 32 bytes, got "
                        + (h == null ? "null" : h.length));
            }
            copy.add(h.clone());
        }
        return java.util.Collections.unmodifiableList(copy);
    }

    static void checkHashes(List<byte[]> hashes, String what) throws ProofException {
        for (int i = 0; i < hashes.size(); i++) {
            byte[] h = hashes.get(i);
            if (h == null || h.length != MerkleHash.SIZE) {
                throw new ProofException(what + " hash " + i + " has " + (h == null ? "no" : h.length)
                        + " bytes, not 32");
            }
        }
    }

    static List<byte[]> hashAll(HashSource source, List<long[]> ranges) throws ProofException {
        List<byte[]> out = new ArrayList<>(ranges.size());
        for (long[] r : ranges) {
            out.add(source.subtreeHash(r[0], r[1]));
        }
        return out;
    }

    static boolean sameHashes(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    static int hashCode(List<byte[]> hashes) {
        int h = 1;
        for (byte[] b : hashes) {
            h = 31 * h + Arrays.hashCode(b);
        }
        return h;
    }

    static String format(List<byte[]> hashes) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < hashes.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(MerkleHash.hex(hashes.get(i)));
        }
        return sb.append(']').toString();
    }
}
