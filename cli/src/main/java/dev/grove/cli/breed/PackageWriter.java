package dev.grove.cli.breed;

import dev.grove.cli.pack.ContractPins;
import dev.grove.cli.pack.PackageDirectory;
import dev.grove.cli.pack.PrettyJson;
import dev.grove.cli.pack.VerificationException;
import dev.grove.crypto.Sha256;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonNumber;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;
import dev.grove.pkg.PackageName;
import dev.grove.runtime.breed.Bred;
import dev.grove.runtime.train.Evaluation;
import dev.grove.runtime.web.ArchitectureJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes a complete package directory for a trained or bred model: {@code weights/model.safetensors}, the lineage card
 * (operator, parameters, parents by package digest, data by digest), the evaluation card (accuracy on held-out data,
 * broken down by class, plus any extra metrics), the {@link ModelCard} ({@code README.md}) rendered from those, and the
 * contract, whose pins ({@link ContractPins}) are filled last.
 */
public final class PackageWriter {
    public static final String WEIGHTS = "weights/model.safetensors";

    private PackageWriter() {
    }

    /** What the contract says about the package besides its interface and architecture. */
    public record Identity(PackageName name, String version, String summary, String license, String task,
                           List<String> tags) {
    }

    /** A dataset cited by digest. */
    public record DataRef(String name, Sha256 digest, String description) {
        public static DataRef of(Path file, String description) throws IOException {
            return new DataRef(file.getFileName().toString(), Sha256.of(Files.readAllBytes(file)), description);
        }

        JsonObject json() {
            JsonObject.Builder b = JsonObject.builder().put("name", name).put("digest", digest.toString());
            if (description != null) {
                b.put("description", description);
            }
            return b.build();
        }
    }

    /** The lineage card's body: operator, parameters, parents, data. */
    public record Lineage(String operator, JsonObject parameters, List<ParentPackage> parents,
                          Optional<String> parentOrigin, List<DataRef> data) {
    }

    /** A text-classification interface: one string in, one probability per label out. */
    public static JsonObject interfaceFor(List<String> labels) {
        JsonObject input = JsonObject.builder()
                .put("name", "text").put("dtype", "string").put("shape", JsonArray.of()).build();
        JsonObject output = JsonObject.builder()
                .put("name", "probabilities").put("dtype", "float32")
                .put("shape", JsonArray.of(JsonNumber.of(labels.size())))
                .put("labels", JsonArray.ofStrings(labels))
                .build();
        return JsonObject.builder().put("inputs", JsonArray.of(input)).put("outputs", JsonArray.of(output)).build();
    }

    /** One entry of an evaluation card: accuracy overall and per class, then {@code extra} metrics. */
    public static JsonObject evaluation(DataRef heldout, Evaluation ev, String factor, List<JsonObject> extra) {
        List<JsonValue> breakdown = new ArrayList<>();
        for (int i = 0; i < ev.labels().size(); i++) {
            if (ev.samples(i) > 0) {
                breakdown.add(JsonObject.builder().put("factor", factor).put("level", ev.labels().get(i))
                        .put("value", round(ev.accuracy(i))).put("samples", ev.samples(i)).build());
            }
        }
        List<JsonValue> metrics = new ArrayList<>();
        metrics.add(JsonObject.builder().put("name", "accuracy").put("value", round(ev.accuracy()))
                .put("samples", ev.samples()).put("breakdown", JsonArray.of(breakdown)).build());
        metrics.addAll(extra);
        return JsonObject.builder()
                .put("dataset", JsonObject.builder().put("name", heldout.name()).put("digest", heldout.digest().toString())
                        .build())
                .put("metrics", JsonArray.of(metrics))
                .build();
    }

    public static JsonObject metric(String name, double value, int samples) {
        return JsonObject.builder().put("name", name).put("value", round(value)).put("samples", samples).build();
    }

    /** A float parameter as its shortest decimal ({@code Float.toString}), which parses back to the same float. */
    public static JsonNumber number(float value) {
        return new JsonNumber(Float.toString(value));
    }

    static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    /**
     * Writes the package into {@code dir}, which must be absent or empty.
     *
     * @throws VerificationException when {@code dir} holds anything
     */
    public static void write(Path dir, Identity id, JsonObject iface, Bred model, Lineage lineage,
                             List<JsonObject> evaluations, ModelCard.Notes notes) throws IOException {
        write(dir, id, iface, new Weights(model.safetensors(), ArchitectureJson.toJson(model.architecture()),
                model.parameters(), java.util.Optional.empty(), List.of()), lineage, evaluations, notes);
    }

    /**
     * What the contract pins besides the cards: the weights file, the architecture block, the parameter count, an
     * adapter's {@code adapter} block, and files carried beside the weights (an adapter's training data, by path).
     */
    public record Weights(byte[] safetensors, JsonObject architecture, long parameters, Optional<JsonObject> adapter,
                          List<Carried> carried) {
    }

    /** A file the package carries: its path in the package, media type and bytes. */
    public record Carried(String path, String mediaType, byte[] bytes) {
    }

    /** Writes a package whose weights and architecture block are given as they are (an adapter's). */
    public static void write(Path dir, Identity id, JsonObject iface, Weights model, Lineage lineage,
                             List<JsonObject> evaluations, ModelCard.Notes notes) throws IOException {
        if (!PackageDirectory.isAbsentOrEmpty(dir)) {
            throw new VerificationException(dir + " is not empty; write the child package into a new directory");
        }
        Files.createDirectories(dir.resolve("weights"));
        Files.write(dir.resolve(WEIGHTS), model.safetensors());
        List<JsonValue> artifactList = new ArrayList<>();
        for (Carried c : model.carried()) {
            Path file = dir.resolve(c.path());
            Files.createDirectories(file.getParent());
            Files.write(file, c.bytes());
        }
        JsonObject subject = JsonObject.builder().put("name", id.name().toString()).put("version", id.version()).build();

        List<JsonValue> parents = new ArrayList<>();
        for (ParentPackage p : lineage.parents()) {
            JsonObject.Builder b = JsonObject.builder().put("digest", p.digest().toString());
            lineage.parentOrigin().ifPresent(o -> b.put("origin", o));
            parents.add(b.put("ref", p.ref()).build());
        }
        List<JsonValue> data = new ArrayList<>();
        for (DataRef d : lineage.data()) {
            data.add(d.json());
        }
        JsonObject card = JsonObject.builder()
                .put("schema", "grove.lineage/v1")
                .put("subject", subject)
                .put("operator", lineage.operator())
                .put("parameters", lineage.parameters())
                .put("parents", JsonArray.of(parents))
                .put("data", JsonArray.of(data))
                .build();
        Files.write(dir.resolve(PackageDirectory.LINEAGE), PrettyJson.bytes(card));
        JsonObject evaluation = JsonObject.builder()
                .put("schema", "grove.evaluation/v1")
                .put("subject", subject)
                .put("evaluations", JsonArray.of(evaluations))
                .build();
        Files.write(dir.resolve(PackageDirectory.EVALUATION), PrettyJson.bytes(evaluation));

        JsonObject weights = JsonObject.builder()
                .put("path", WEIGHTS).put("mediaType", ParentPackage.SAFETENSORS)
                .put("size", 0).put("digest", Sha256.of(new byte[0]).toString())
                .build();
        artifactList.add(weights);
        for (Carried c : model.carried()) {
            artifactList.add(JsonObject.builder().put("path", c.path()).put("mediaType", c.mediaType())
                    .put("size", 0).put("digest", Sha256.of(new byte[0]).toString()).build());
        }
        JsonObject contract = JsonObject.builder()
                .put("schema", "grove.contract/v1")
                .put("name", id.name().toString())
                .put("version", id.version())
                .put("summary", id.summary())
                .put("license", id.license())
                .put("task", id.task())
                .put("tags", JsonArray.ofStrings(id.tags()))
                .put("interface", iface)
                .put("architecture", model.architecture())
                .put("resources", JsonObject.builder().put("parameters", model.parameters()).put("bytes", 0).build())
                .put("artifacts", JsonArray.of(artifactList))
                .put("cards", JsonObject.empty())
                .build();
        if (model.adapter().isPresent()) {
            contract = ContractPins.with(contract, "adapter", model.adapter().get());
        }
        // The model card cites the weights by digest, so they are pinned first; the card is then an artifact like the
        // weights (signed, digest-pinned), listed after them.
        contract = ContractPins.fill(contract, PackageDirectory.at(dir));
        Files.write(dir.resolve(ModelCard.PATH), ModelCard.render(contract, card, evaluation, parentCards(lineage),
                notes));
        JsonObject readme = JsonObject.builder()
                .put("path", ModelCard.PATH).put("mediaType", ModelCard.MEDIA_TYPE)
                .put("size", 0).put("digest", Sha256.of(new byte[0]).toString())
                .build();
        List<JsonValue> withReadme = new ArrayList<>(contract.array("artifacts").values());
        withReadme.add(readme);
        contract = ContractPins.with(contract, "artifacts", JsonArray.of(withReadme));
        contract = ContractPins.fill(contract, PackageDirectory.at(dir));
        Files.write(dir.resolve(PackageDirectory.CONTRACT), PrettyJson.bytes(contract));
    }

    /** The parents' own model cards, where their contracts list one. */
    private static List<ModelCard.ParentCard> parentCards(Lineage lineage) {
        List<ModelCard.ParentCard> cards = new ArrayList<>();
        for (ParentPackage p : lineage.parents()) {
            JsonArray artifacts = p.contract().array("artifacts");
            for (int i = 0; i < artifacts.size(); i++) {
                JsonObject a = artifacts.object(i);
                if (a.optString("path").filter(ModelCard.PATH::equals).isPresent()) {
                    a.optString("digest").ifPresent(d -> cards.add(new ModelCard.ParentCard(p.ref(), d)));
                }
            }
        }
        return cards;
    }
}
