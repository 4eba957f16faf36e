/**
 * C2SP signed notes (https://c2sp.org/signed-note): {@link dev.grove.note.Note} parses and formats the text and its
 * signature lines, {@link dev.grove.note.NoteSigner} and {@link dev.grove.note.NoteVerifier} sign and verify with Ed25519
 * (signature type 0x01, verifier keys {@code <name>+<hex key ID>+<base64(type || public key)>}), and
 * {@link dev.grove.note.Cosignature} implements the timestamped Ed25519 witness cosignatures of C2SP tlog-cosignature
 * (https://c2sp.org/tlog-cosignature, signature type 0x04).
 *
 * <p>Parsing only parses; verifying is a separate step that returns what it verified or throws a
 * {@link dev.grove.note.NoteException} with a precise message. Compatible with Go's {@code golang.org/x/mod/sumdb/note}
 * (same bytes signed, same signature lines), and stricter where the spec leaves room: signatures must be canonical base64,
 * a note carries at most 100 signatures, and a repeated signature line is refused rather than dropped.
 *
 * <p>Pure Java for TeaVM: no reflection, no {@code java.security.MessageDigest}, no {@code java.util.concurrent}.
 */
package dev.grove.note;
