package dev.grove.runtime.breed;

import dev.grove.runtime.safetensors.SafetensorsException;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.safetensors.TensorInfo;
import java.util.Arrays;
import java.util.Optional;

/**
 * Compares a claimed child's weights with the weights a re-run of its operator produced: the same tensor names, and for
 * each tensor the same dtype, shape and bytes. Metadata and the order of tensors in the file are not compared.
 */
public final class Reproduction {
    private Reproduction() {
    }

    /** The first difference, described for a person (e.g. {@code tensor 'dense0.weight' differs at byte 1234}), or empty. */
    public static Optional<String> firstDifference(SafetensorsFile expected, SafetensorsFile claimed) {
        try {
            for (TensorInfo e : expected.tensors()) {
                if (!claimed.contains(e.name())) {
                    return Optional.of("tensor '" + e.name() + "' is missing from the claimed weights");
                }
                TensorInfo c = claimed.tensor(e.name());
                if (c.dtype() != e.dtype()) {
                    return Optional.of("tensor '" + e.name() + "' has dtype " + c.dtype() + ", the re-run gives "
                            + e.dtype());
                }
                if (!Arrays.equals(c.shape(), e.shape())) {
                    return Optional.of("tensor '" + e.name() + "' has shape " + TensorInfo.shapeString(c.shape())
                            + ", the re-run gives " + TensorInfo.shapeString(e.shape()));
                }
                byte[] eb = expected.bytes(e.name());
                byte[] cb = claimed.bytes(e.name());
                int at = Arrays.mismatch(eb, cb);
                if (at >= 0) {
                    return Optional.of("tensor '" + e.name() + "' differs from the re-run at byte " + at + " (element "
                            + at / e.dtype().size() + ")");
                }
            }
            for (TensorInfo c : claimed.tensors()) {
                if (!expected.contains(c.name())) {
                    return Optional.of("tensor '" + c.name() + "' is not produced by the re-run");
                }
            }
            return Optional.empty();
        } catch (SafetensorsException e) {
            return Optional.of(e.getMessage());
        }
    }
}
