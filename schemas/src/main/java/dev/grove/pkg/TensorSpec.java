package dev.grove.pkg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One named input or output of a model's interface. A shape dimension is a size or -1 (chosen by the caller); labels name
 * the entries of a classification output (empty when absent).
 */
public record TensorSpec(String name, String dtype, List<Long> shape, List<String> labels, boolean optional) {
    /** The dtypes of protocol.md. */
    public static final Set<String> DTYPES = Collections.unmodifiableSet(new LinkedHashSet<>(
            Arrays.asList("string", "float32", "float16", "int8", "int32", "int64", "bool")));

    /** @throws IllegalArgumentException for an empty name, unknown dtype or a dimension below -1 */
    public TensorSpec {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("tensor name must not be empty");
        }
        if (!DTYPES.contains(dtype)) {
            throw new IllegalArgumentException("unknown dtype '" + PackageName.abbreviate(dtype)
                    + "' (expected one of string, float32, float16, int8, int32, int64, bool)");
        }
        List<Long> dims = new ArrayList<>(shape.size());
        for (Long d : shape) {
            if (d == null || d < -1) {
                throw new IllegalArgumentException("shape dimension must be a non-negative integer or -1, got " + d);
            }
            dims.add(d);
        }
        shape = Collections.unmodifiableList(dims);
        labels = Collections.unmodifiableList(new ArrayList<>(labels));
    }
}
