package dev.grove.compat;

import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonNumber;
import dev.grove.json.JsonString;
import dev.grove.json.JsonValue;
import dev.grove.pkg.Contract;
import dev.grove.pkg.TensorSpec;
import dev.grove.semver.SemVer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a release keeps the interface of the previous release of its major version, so callers written against
 * {@code M.x} keep working. Compatible means: every old input is still there with the same dtype and shape, and is not
 * made required if it was optional; a new input is optional; every old output is still there with the same dtype; an
 * output's old labels are a prefix of its new labels; and its shape is unchanged except that a dimension equal to the old
 * label count may grow to the new label count.
 */
public final class InterfaceCompatibility {
    private InterfaceCompatibility() {
    }

    /** Whether the rule applies: same major, major at least 1, neither version a pre-release. */
    public static boolean mustBeCompatible(SemVer previous, SemVer next) {
        return previous.major() == next.major() && previous.major() >= 1 && !previous.isPrerelease()
                && !next.isPrerelease();
    }

    /**
     * The first break, naming the field, e.g. {@code interface.outputs[probabilities].labels[1]: was "fr", now "de"};
     * empty when next keeps previous's interface.
     */
    public static Optional<String> firstBreak(Contract previous, Contract next) {
        for (TensorSpec old : previous.inputs()) {
            String at = "interface.inputs[" + old.name() + "]";
            TensorSpec now = find(next.inputs(), old.name());
            if (now == null) {
                return Optional.of(at + ": removed");
            }
            if (!old.dtype().equals(now.dtype())) {
                return Optional.of(at + ".dtype: was " + quote(old.dtype()) + ", now " + quote(now.dtype()));
            }
            if (!old.shape().equals(now.shape())) {
                return Optional.of(at + ".shape: was " + shape(old.shape()) + ", now " + shape(now.shape()));
            }
            if (old.optional() && !now.optional()) {
                return Optional.of(at + ".optional: was true, now false");
            }
        }
        for (TensorSpec now : next.inputs()) {
            if (find(previous.inputs(), now.name()) == null && !now.optional()) {
                return Optional.of("interface.inputs[" + now.name() + "]: new input must be optional");
            }
        }
        for (TensorSpec old : previous.outputs()) {
            String at = "interface.outputs[" + old.name() + "]";
            TensorSpec now = find(next.outputs(), old.name());
            if (now == null) {
                return Optional.of(at + ": removed");
            }
            if (!old.dtype().equals(now.dtype())) {
                return Optional.of(at + ".dtype: was " + quote(old.dtype()) + ", now " + quote(now.dtype()));
            }
            List<String> oldLabels = old.labels();
            List<String> newLabels = now.labels();
            for (int i = 0; i < oldLabels.size(); i++) {
                if (i >= newLabels.size()) {
                    return Optional.of(at + ".labels[" + i + "]: was " + quote(oldLabels.get(i)) + ", now removed");
                }
                if (!oldLabels.get(i).equals(newLabels.get(i))) {
                    return Optional.of(at + ".labels[" + i + "]: was " + quote(oldLabels.get(i)) + ", now "
                            + quote(newLabels.get(i)));
                }
            }
            if (old.shape().size() != now.shape().size()) {
                return Optional.of(at + ".shape: was " + shape(old.shape()) + ", now " + shape(now.shape()));
            }
            for (int i = 0; i < old.shape().size(); i++) {
                long o = old.shape().get(i);
                long n = now.shape().get(i);
                boolean grewWithLabels = !oldLabels.isEmpty() && o == oldLabels.size() && n == newLabels.size();
                if (o != n && !grewWithLabels) {
                    return Optional.of(at + ".shape[" + i + "]: was " + o + ", now " + n);
                }
            }
        }
        return Optional.empty();
    }

    private static TensorSpec find(List<TensorSpec> specs, String name) {
        for (TensorSpec s : specs) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    private static String quote(String s) {
        return Json.write(new JsonString(s));
    }

    private static String shape(List<Long> dims) {
        List<JsonValue> values = new ArrayList<>(dims.size());
        for (Long d : dims) {
            values.add(JsonNumber.of(d));
        }
        return Json.write(JsonArray.of(values));
    }
}
