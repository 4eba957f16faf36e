import dev.grove.cli.breed.ParentPackage;
import dev.grove.runtime.model.Model;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The garden's packages on the JVM engine, for compare.sh: reads texts from standard input (one per line) and prints,
 * per line, the top label of each package directory given, tab-separated. The packages here are unsigned build output
 * (grove run verifies signed ones), so they are loaded as grove breed loads a parent.
 *
 * <p>Run: {@code java -cp cli/target/grove.jar examples/garden/Predict.java DIR...}
 */
public final class Predict {
    public static void main(String[] args) throws Exception {
        List<Model> models = new ArrayList<>();
        List<List<String>> labels = new ArrayList<>();
        for (String dir : args) {
            ParentPackage pkg = ParentPackage.load(Path.of(dir));
            models.add(pkg.model());
            labels.add(pkg.labels());
        }
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            StringBuilder row = new StringBuilder();
            for (int m = 0; m < models.size(); m++) {
                float[] p = models.get(m).predict(line);
                int best = 0;
                for (int k = 1; k < p.length; k++) {
                    best = p[k] > p[best] ? k : best;
                }
                row.append(m == 0 ? "" : "\t").append(labels.get(m).get(best));
            }
            out.println(row);
        }
        out.flush();
    }
}
