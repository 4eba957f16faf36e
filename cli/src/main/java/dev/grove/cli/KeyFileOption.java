package dev.grove.cli;

import dev.grove.cli.command.CommandFailure;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.KeyFileException;
import dev.grove.crypto.SigningKeyFile;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The {@code --key FILE} option: a private key file written by {@code grove keygen}. */
public final class KeyFileOption {

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "Private key file (from grove keygen).")
    Path file;

    /** The signing key; a missing or malformed file is a usage error naming the file. */
    public Ed25519PrivateKey read() throws IOException {
        try {
            return SigningKeyFile.read(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw CommandFailure.usage("key file " + file + " does not exist; make one with: grove keygen --out " + file);
        } catch (KeyFileException e) {
            throw CommandFailure.usage(file + ": " + e.getMessage());
        }
    }
}
