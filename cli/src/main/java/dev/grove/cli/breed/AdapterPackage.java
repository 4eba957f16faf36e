package dev.grove.cli.breed;

import dev.grove.cli.pack.PackageDirectory;
import dev.grove.cli.pack.VerificationException;
import dev.grove.crypto.Sha256;
import dev.grove.json.JsonException;
import dev.grove.json.JsonObject;
import dev.grove.pkg.AdapterBase;
import dev.grove.pkg.Contract;
import dev.grove.pkg.DocumentException;
import dev.grove.runtime.model.LoraAdapter;
import dev.grove.runtime.model.Model;
import dev.grove.runtime.model.ModelException;
import dev.grove.runtime.safetensors.SafetensorsException;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.web.ContractArchitecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An adapter package read from its directory: the base its contract names, its {@link LoraAdapter} and its weights
 * (checked against the digest the contract pins). It runs only over that base.
 */
public record AdapterPackage(Path dir, AdapterBase base, LoraAdapter adapter, SafetensorsFile weights) {

    /** The base an adapter directory's contract names, or empty when the directory is not an adapter package. */
    public static Optional<AdapterBase> baseOf(Path dir) throws IOException {
        try {
            return Contract.parse(PackageDirectory.at(dir).read(PackageDirectory.CONTRACT)).adapter();
        } catch (DocumentException e) {
            throw new VerificationException(dir + ": " + e.getMessage(), e);
        }
    }

    /** @throws VerificationException when the directory is not an adapter package whose weights the runtime accepts */
    public static AdapterPackage load(Path path) throws IOException {
        PackageDirectory dir = PackageDirectory.at(path);
        try {
            Contract contract = Contract.parse(dir.read(PackageDirectory.CONTRACT));
            AdapterBase base = contract.adapter().orElseThrow(() -> new VerificationException(path
                    + ": not an adapter package (its architecture family is not " + AdapterBase.FAMILY + ")"));
            LoraAdapter adapter = LoraAdapter.fromConfig(ContractArchitecture.config(contract.architecture()));
            JsonObject artifact = ParentPackage.weightsArtifact(contract.json(), path.toString());
            byte[] bytes = Files.readAllBytes(dir.artifact(artifact.string("path")));
            Sha256 pinned = Sha256.parse(artifact.string("digest"));
            if (!Sha256.of(bytes).equals(pinned)) {
                throw new VerificationException(path + ": " + artifact.string("path") + " does not match the digest "
                        + "its contract pins (" + pinned + ")");
            }
            return new AdapterPackage(path, base, adapter, SafetensorsFile.parse(bytes));
        } catch (DocumentException | JsonException | ModelException | SafetensorsException
                 | IllegalArgumentException e) {
            throw new VerificationException(path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The base with this adapter applied, after checking that {@code base} is the package the adapter names (package
     * digest and weights digest) and that the adapter's tensors fit it.
     */
    public Model model(ParentPackage base) {
        if (!base.digest().equals(this.base.digest())) {
            throw new VerificationException("the base at " + base.dir().root() + " is " + base.ref() + " "
                    + base.digest() + ", but the adapter names " + this.base.ref() + " " + this.base.digest());
        }
        String weights = ParentPackage.weightsArtifact(base.contract(), base.ref()).string("digest");
        if (!weights.equals(this.base.weights().toString())) {
            throw new VerificationException("the base's weights are " + weights + ", but the adapter names "
                    + this.base.weights());
        }
        try {
            return adapter.load(base.architecture(), base.weights(), weights());
        } catch (ModelException e) {
            throw new VerificationException("the adapter does not fit its base " + base.ref() + ": " + e.getMessage(),
                    e);
        }
    }
}
