package dev.grove.runtime.breed;

import dev.grove.runtime.model.LoraAdapter;
import dev.grove.runtime.model.Model;
import dev.grove.runtime.model.Mlp;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.train.Dataset;
import dev.grove.runtime.train.Evaluation;
import dev.grove.runtime.train.GardenData;
import dev.grove.runtime.train.TrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Scratch: not a test. */
public class AdapterSweep {
    public static void main(String[] args) throws Exception {
        List<String> labels = List.of("en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "nb");
        Mlp base = GardenData.mlp(1024, "16", 10);
        SafetensorsFile w = SafetensorsFile.parse(Files.readAllBytes(Path.of("../examples/garden/langid/weights/model.safetensors")));
        Dataset nordic = GardenData.read(args.length > 5 ? args[5] : "langid-nordic-train.tsv", labels);
        Dataset held = GardenData.read("langid-heldout.tsv", labels);
        Model bm = Model.load(base, w);
        print("base", Evaluation.of(bm, held));
        int rank = Integer.parseInt(args[0]);
        float alpha = Float.parseFloat(args[1]);
        int epochs = Integer.parseInt(args[2]);
        float lr = Float.parseFloat(args[3]);
        List<String> layers = List.of(args[4].split(","));
        AdapterParams p = new AdapterParams("lora", new LoraAdapter(rank, alpha), layers, new TrainingOptions(epochs, 16, lr, 7, 1f));
        Adapter.Trained t = Adapter.train(base, w, nordic, p, (e, n, l, a) -> {});
        SafetensorsFile af = SafetensorsFile.parse(t.safetensors());
        Model m = p.adapter().load(base, w, af);
        print("adapter r" + rank + " a" + alpha + " e" + epochs + " lr" + lr + " " + layers + " bytes " + t.safetensors().length, Evaluation.of(m, held));
    }

    static void print(String what, Evaluation e) {
        StringBuilder sb = new StringBuilder(what + ": all " + String.format("%.1f", 100 * e.accuracy()));
        int c = 0, n = 0;
        for (int i = 0; i < e.labels().size(); i++) {
            sb.append(' ').append(e.labels().get(i)).append(' ').append(String.format("%.1f", 100 * e.accuracy(i)));
            if (i < 7) { c += Math.round(e.accuracy(i) * e.samples(i)); n += e.samples(i); }
        }
        sb.append(" | other7 ").append(String.format("%.2f", 100.0 * c / n));
        System.out.println(sb);
    }
}
