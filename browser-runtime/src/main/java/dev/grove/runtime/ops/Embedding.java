package dev.grove.runtime.ops;

/** Embedding lookup: row {@code ids[t]} of a {@code [vocab, dim]} table becomes row {@code t} of the {@code [T, dim]} output. */
public final class Embedding {
    private Embedding() {
    }

    public static float[] lookup(int[] ids, float[] table, int vocab, int dim) {
        Checks.positive(vocab, "vocab");
        Checks.positive(dim, "dim");
        Checks.length(table, (long) vocab * dim, "embedding table [" + vocab + ", " + dim + "]");
        float[] out = new float[ids.length * dim];
        for (int t = 0; t < ids.length; t++) {
            int id = ids[t];
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("token id " + id + " at position " + t + " is outside [0, " + vocab + ")");
            }
            System.arraycopy(table, id * dim, out, t * dim, dim);
        }
        return out;
    }
}
