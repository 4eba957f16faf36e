package dev.grove.runtime.train;

import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.Mlp;
import dev.grove.runtime.model.ModelException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The garden's data files in {@code examples/data} (tests run in the module directory). */
public final class GardenData {
    public static final Path DIR = Path.of("..", "examples", "data");

    private GardenData() {
    }

    public static Dataset read(String file, List<String> labels) {
        try {
            return Dataset.parse(Files.readAllBytes(DIR.resolve(file)), labels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Mlp mlp(int buckets, String hidden, int classes) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("architecture", "mlp");
        c.put("buckets", Integer.toString(buckets));
        c.put("hidden", hidden);
        c.put("classes", Integer.toString(classes));
        try {
            return (Mlp) Architecture.fromConfig(c);
        } catch (ModelException e) {
            throw new IllegalStateException(e);
        }
    }
}
