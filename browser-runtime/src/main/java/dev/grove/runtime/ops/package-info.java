/**
 * Op-set v1 of the Grove runtime: the operators a Grove model may use, on plain {@code float[]} arrays.
 *
 * <h2>Determinism contract</h2>
 * Every operator is specified down to the order of its floating-point operations, so that the JVM (the reference) and the
 * TeaVM WebAssembly-GC build give bit-identical results, and so that an independent implementation (JavaScript with
 * {@code Math.fround} after each step, TF.js, NumPy in float32) can reproduce them:
 * <ul>
 *   <li>all arithmetic is IEEE 754 binary32 ({@code float}) with round-to-nearest-even, no fused multiply-add (Java 17's
 *       default strict semantics), no parallelism, no reassociation;</li>
 *   <li>a sum {@code Σ_i a_i} means: start from {@code 0f} and add the terms one at a time in increasing index order;
 *       {@code acc += a * b} is a rounded product followed by a rounded sum;</li>
 *   <li>{@code sqrt} is the correctly rounded square root (IEEE, identical everywhere);</li>
 *   <li>{@code exp} and {@code tanh} come from {@link dev.grove.runtime.ops.DetMath}, which computes them in binary64 with
 *       only {@code + - * /} and rounds once to binary32, instead of the platform's {@code Math.exp}, whose last bits are
 *       not specified and differ between the JVM and browsers.</li>
 * </ul>
 *
 * <h2>Layouts</h2>
 * Matrices are row-major {@code float[]}: element {@code (r, c)} of an {@code [R, C]} matrix is at {@code r * C + c}. A
 * dense layer's weight is stored {@code [in, out]} (the transpose of PyTorch's {@code nn.Linear.weight}) so that
 * {@code y = x W + b}. A sequence of {@code T} vectors of width {@code D} is a {@code [T, D]} matrix.
 */
package dev.grove.runtime.ops;
