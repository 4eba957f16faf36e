package dev.grove.note;

import dev.grove.crypto.Ed25519PrivateKey;
import java.nio.charset.StandardCharsets;

/** Signs notes with an Ed25519 key under a key name (C2SP signed-note, signature type 0x01). */
public final class NoteSigner {
    private final String name;
    private final Ed25519PrivateKey key;
    private final NoteVerifier verifier;

    private NoteSigner(String name, Ed25519PrivateKey key) {
        this.name = name;
        this.key = key;
        this.verifier = NoteVerifier.ed25519(name, key.publicKey());
    }

    /** @throws IllegalArgumentException when the name is empty or contains white space or '+' */
    public static NoteSigner ed25519(String name, Ed25519PrivateKey key) {
        if (!NoteText.isValidName(name)) {
            throw new IllegalArgumentException("invalid key name '" + name + "'");
        }
        return new NoteSigner(name, key);
    }

    public String name() {
        return name;
    }

    public int keyId() {
        return verifier.keyId();
    }

    /** The verifier of this signer's signatures; its {@code toString()} is the verifier key to publish. */
    public NoteVerifier verifier() {
        return verifier;
    }

    /** The signature line for the text (which must end in a newline). */
    public NoteSignature sign(String text) {
        Note.checkText(text);
        return NoteSignature.of(name, verifier.keyId(), key.sign(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The note with this signer's signature added (replacing an earlier signature by the same key). */
    public Note sign(Note note) {
        return note.withSignature(sign(note.text()));
    }

    @Override
    public String toString() {
        return "NoteSigner[" + verifier + "]";
    }
}
