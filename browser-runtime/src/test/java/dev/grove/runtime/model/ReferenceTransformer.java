package dev.grove.runtime.model;

import dev.grove.runtime.safetensors.SafetensorsFile;

/**
 * An independent, naive double-precision implementation of {@link TinyTransformer}'s forward pass (its own loops,
 * {@link Math#exp} and {@link Math#tanh}), used to check the engine within a tolerance.
 */
final class ReferenceTransformer {
    private ReferenceTransformer() {
    }

    static double[] logits(TinyTransformer a, SafetensorsFile f, String text) throws Exception {
        int[] ids = a.tokens(text);
        int t = ids.length;
        int d = a.dModel();
        double[][] x = new double[t][d];
        double[] tok = dbl(f.floats("embed.token"));
        double[] pos = dbl(f.floats("embed.position"));
        for (int i = 0; i < t; i++) {
            for (int c = 0; c < d; c++) {
                x[i][c] = tok[ids[i] * d + c] + pos[i * d + c];
            }
        }
        for (int b = 0; b < a.layers(); b++) {
            String p = "block" + b + ".";
            double[][] h = layerNorm(x, f, p + "ln1", a.eps());
            double[][] q = linear(h, f, p + "attn.q");
            double[][] k = linear(h, f, p + "attn.k");
            double[][] v = linear(h, f, p + "attn.v");
            double[][] att = new double[t][d];
            int dh = d / a.heads();
            for (int head = 0; head < a.heads(); head++) {
                for (int i = 0; i < t; i++) {
                    int visible = a.causal() ? i + 1 : t;
                    double[] s = new double[visible];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < visible; j++) {
                        for (int c = 0; c < dh; c++) {
                            s[j] += q[i][head * dh + c] * k[j][head * dh + c];
                        }
                        s[j] /= Math.sqrt(dh);
                        max = Math.max(max, s[j]);
                    }
                    double z = 0;
                    for (int j = 0; j < visible; j++) {
                        s[j] = Math.exp(s[j] - max);
                        z += s[j];
                    }
                    for (int j = 0; j < visible; j++) {
                        for (int c = 0; c < dh; c++) {
                            att[i][head * dh + c] += s[j] / z * v[j][head * dh + c];
                        }
                    }
                }
            }
            add(x, linear(att, f, p + "attn.o"));
            double[][] g = linear(layerNorm(x, f, p + "ln2", a.eps()), f, p + "ff1");
            for (double[] row : g) {
                for (int c = 0; c < row.length; c++) {
                    double u = row[c];
                    row[c] = 0.5 * u * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (u + 0.044715 * u * u * u)));
                }
            }
            add(x, linear(g, f, p + "ff2"));
        }
        x = layerNorm(x, f, "final_ln", a.eps());
        double[][] pooled = new double[1][d];
        for (double[] row : x) {
            for (int c = 0; c < d; c++) {
                pooled[0][c] += row[c] / t;
            }
        }
        return linear(pooled, f, "head")[0];
    }

    private static double[] dbl(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static double[][] linear(double[][] x, SafetensorsFile f, String name) throws Exception {
        double[] w = dbl(f.floats(name + ".weight"));
        double[] b = dbl(f.floats(name + ".bias"));
        int out = b.length;
        int in = w.length / out;
        double[][] y = new double[x.length][out];
        for (int r = 0; r < x.length; r++) {
            for (int j = 0; j < out; j++) {
                double s = b[j];
                for (int i = 0; i < in; i++) {
                    s += x[r][i] * w[i * out + j];
                }
                y[r][j] = s;
            }
        }
        return y;
    }

    private static double[][] layerNorm(double[][] x, SafetensorsFile f, String name, float eps) throws Exception {
        double[] g = dbl(f.floats(name + ".weight"));
        double[] b = dbl(f.floats(name + ".bias"));
        double[][] y = new double[x.length][];
        for (int r = 0; r < x.length; r++) {
            double mean = 0;
            for (double v : x[r]) {
                mean += v / x[r].length;
            }
            double var = 0;
            for (double v : x[r]) {
                var += (v - mean) * (v - mean) / x[r].length;
            }
            y[r] = new double[x[r].length];
            for (int c = 0; c < x[r].length; c++) {
                y[r][c] = (x[r][c] - mean) / Math.sqrt(var + eps) * g[c] + b[c];
            }
        }
        return y;
    }

    private static void add(double[][] x, double[][] y) {
        for (int r = 0; r < x.length; r++) {
            for (int c = 0; c < x[r].length; c++) {
                x[r][c] += y[r][c];
            }
        }
    }
}
