package dev.grove.cli.breed;

import dev.grove.cli.pack.PackageDirectory;
import dev.grove.cli.pack.VerificationException;
import dev.grove.crypto.Sha256;
import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonException;
import dev.grove.json.JsonObject;
import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.Model;
import dev.grove.runtime.model.ModelException;
import dev.grove.runtime.safetensors.SafetensorsException;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.web.ArchitectureJson;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A parent package read from its directory: the contract (and its digest, which lineage cards cite), the architecture
 * it names and its safetensors weights, checked against the digest the contract pins.
 */
public record ParentPackage(PackageDirectory dir, JsonObject contract, Sha256 digest, String name, String version,
                            List<String> labels, Architecture architecture, SafetensorsFile weights) {

    public static final String SAFETENSORS = "application/vnd.safetensors";

    /** @throws VerificationException when the directory is not a package with safetensors weights the runtime accepts */
    public static ParentPackage load(java.nio.file.Path path) throws IOException {
        PackageDirectory dir = PackageDirectory.at(path);
        byte[] contractBytes = dir.read(PackageDirectory.CONTRACT);
        try {
            JsonObject contract = Json.parseObject(contractBytes);
            String name = contract.string("name");
            String version = contract.string("version");
            Architecture architecture = ArchitectureJson.fromJson(contract.object("architecture"));
            JsonObject weightsArtifact = weightsArtifact(contract, path.toString());
            byte[] bytes = java.nio.file.Files.readAllBytes(dir.artifact(weightsArtifact.string("path")));
            Sha256 pinned = Sha256.parse(weightsArtifact.string("digest"));
            if (!Sha256.of(bytes).equals(pinned)) {
                throw new VerificationException(path + ": " + weightsArtifact.string("path") + " does not match the "
                        + "digest its contract pins (" + pinned + ")");
            }
            SafetensorsFile weights = SafetensorsFile.parse(bytes);
            Model.load(architecture, weights); // every tensor fits the architecture
            return new ParentPackage(dir, contract, Sha256.of(contractBytes), name, version, labels(contract),
                    architecture, weights);
        } catch (JsonException | ModelException | SafetensorsException | IllegalArgumentException e) {
            throw new VerificationException(path + ": " + e.getMessage(), e);
        }
    }

    /** The artifact of media type {@value #SAFETENSORS} (the first, when there are several). */
    public static JsonObject weightsArtifact(JsonObject contract, String where) {
        JsonArray artifacts = contract.array("artifacts");
        for (int i = 0; i < artifacts.size(); i++) {
            JsonObject a = artifacts.object(i);
            if (SAFETENSORS.equals(a.optString("mediaType").orElse(""))) {
                return a;
            }
        }
        throw new VerificationException(where + ": the contract lists no " + SAFETENSORS + " artifact");
    }

    static List<String> labels(JsonObject contract) {
        JsonArray outputs = contract.object("interface").array("outputs");
        JsonArray labels = outputs.object(0).array("labels");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            out.add(labels.string(i));
        }
        return out;
    }

    public String ref() {
        return name + "@" + version;
    }

    public Model model() {
        try {
            return Model.load(architecture, weights);
        } catch (ModelException e) {
            throw new IllegalStateException(e); // checked in load
        }
    }
}
