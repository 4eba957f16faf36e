package dev.grove.node.secrets;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The public half of one secret file this process holds, as {@link SharedKeys} compares it with the node's other
 * processes.
 *
 * @param name      what the key is, also its name in the database ("log key", "report issuer key", "witness key")
 * @param file      the secret file it was read from
 * @param publicKey a text that changes with the key and gives nothing of the secret away (its public key or key id)
 */
public record HeldKey(String name, Path file, String publicKey) {

    public HeldKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(publicKey, "publicKey");
    }
}
