package dev.grove.runtime.ops;

/** Mean pooling of a {@code [rows, dim]} matrix over its rows: {@code y_c = (Σ_r x[r, c]) / rows}. */
public final class Pooling {
    private Pooling() {
    }

    public static float[] mean(float[] x, int rows, int dim) {
        Checks.positive(rows, "rows");
        Checks.positive(dim, "dim");
        Checks.length(x, (long) rows * dim, "input [" + rows + ", " + dim + "]");
        float[] y = new float[dim];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < dim; c++) {
                y[c] += x[r * dim + c];
            }
        }
        float fr = rows;
        for (int c = 0; c < dim; c++) {
            y[c] = y[c] / fr;
        }
        return y;
    }
}
