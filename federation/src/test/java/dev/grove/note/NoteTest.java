package dev.grove.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.Hex;
import dev.grove.crypto.StrictBase64;
import dev.grove.tlog.Vectors;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Signed notes against golang.org/x/mod/sumdb/note (vectors under note/) and the published examples. */
class NoteTest {
    static final String ORIGIN = "node.grove.test/grove-log";
    static final long COSIGN_TIME = 1767225600L;

    /** role -> {seed hex, verifier key}, from note/keys.txt. */
    static Map<String, String[]> keys() {
        Map<String, String[]> out = new HashMap<>();
        for (String[] r : Vectors.records("note/keys.txt")) {
            out.put(r[0], new String[] {r[1], r[2]});
        }
        return out;
    }

    static NoteSigner signer(String role, String name) {
        return NoteSigner.ed25519(name, Ed25519PrivateKey.fromSeed(Hex.decode(keys().get(role)[0])));
    }

    // ---- Known answers published with Go's note package (its package documentation's example).

    static final String NEUMANN_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    static final String NEUMANN_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    static final String NEUMANN_TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    static final String NEUMANN_NOTE = NEUMANN_TEXT + "\n"
            + "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    @Test
    void peterNeumannKnownAnswer() throws Exception {
        byte[] skey = StrictBase64.decode(NEUMANN_SKEY.split("\\+", 5)[4]);
        assertThat(skey[0]).isEqualTo((byte) 0x01);
        NoteSigner signer = NoteSigner.ed25519("PeterNeumann", Ed25519PrivateKey.fromSeed(Arrays.copyOfRange(skey, 1, 33)));
        assertThat(signer.verifier()).hasToString(NEUMANN_VKEY);
        assertThat(signer.keyId()).isEqualTo(0xc74f20a3);
        assertThat(signer.sign(Note.unsigned(NEUMANN_TEXT))).hasToString(NEUMANN_NOTE);
        Note parsed = NoteVerifier.verify(NEUMANN_NOTE, NEUMANN_VKEY);
        assertThat(parsed.text()).isEqualTo(NEUMANN_TEXT);
        assertThat(NoteVerifier.parse(NEUMANN_VKEY)).isEqualTo(signer.verifier());
    }

    /** The doubly signed example: EnochRoot's key is unknown, so its signature is ignored, not an error. */
    @Test
    void unknownSignaturesAreIgnored() throws Exception {
        String doubly = NEUMANN_NOTE + "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01"
                + "oOTGwnWLox33WWd1RvMc+QQ=\n";
        Note n = NoteVerifier.verify(doubly, NEUMANN_VKEY);
        assertThat(n.signatures()).extracting(NoteSignature::name).containsExactly("PeterNeumann", "EnochRoot");
        assertThat(n).hasToString(doubly);
    }

    /** The C2SP signed-note example: a text with an empty line inside, split at the last blank line. */
    @Test
    void c2spExampleParses() throws Exception {
        String example = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n\n"
                + "\u2014 quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcX"
                + "xj99ihAQwaqP3ZekRwNtIc=\n";
        Note n = Note.parse(example);
        assertThat(n.text()).endsWith(":\n\ned è subito sera.\n");
        assertThat(n.signatures()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("quasimodo.example/salvatore");
            assertThat(s.signature()).hasSize(64);
        });
        assertThat(n).hasToString(example);
    }

    /** The example cosignature of C2SP tlog-cosignature carries the time of its example message, 1679315147. */
    @Test
    void c2spCosignatureExampleTimestamp() throws Exception {
        String example = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
                + "\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGk"
                + "u9nTo+zyWE+xeMcTOAYQ8=\n"
                + "\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZ"
                + "qhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";
        Note n = Note.parse(example);
        Cosignature c = Cosignature.parse(n.signatures().get(1));
        assertThat(c.timestamp()).isEqualTo(1679315147L);
        assertThat(c.name()).isEqualTo("witness.example.com/w1");
        assertThat(new String(Cosignature.message(1679315147L, n.text().getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8)).isEqualTo("cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n"
                        + "20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
    }

    // ---- Go's vectors.

    @Test
    void verifierKeysMatchGo() throws Exception {
        Map<String, String[]> keys = keys();
        assertThat(signer("log", ORIGIN).verifier()).hasToString(keys.get("log")[1]);
        assertThat(signer("other", "other.grove.test/key").verifier()).hasToString(keys.get("other")[1]);
        Ed25519PrivateKey witness = Ed25519PrivateKey.fromSeed(Hex.decode(keys.get("witness")[0]));
        assertThat(NoteVerifier.cosignatureV1("witness.grove.test/w1", witness.publicKey()))
                .hasToString(keys.get("witness")[1]);
        for (String[] k : keys.values()) {
            assertThat(NoteVerifier.parse(k[1])).hasToString(k[1]);
        }
        assertThat(NoteVerifier.parse(keys.get("witness")[1]).type()).isEqualTo(NoteVerifier.COSIGNATURE_V1);
    }

    /** Ed25519 is deterministic: the same key and text give Go's signature bytes exactly. */
    @Test
    void signaturesMatchGoByteForByte() throws Exception {
        NoteSigner log = signer("log", ORIGIN);
        String goNote = Vectors.text("tlog/log/checkpoint");
        Note parsed = Note.parse(goNote);
        assertThat(log.sign(Note.unsigned(parsed.text()))).hasToString(goNote);
        List<String[]> rows = Vectors.records("note/checkpoints.txt");
        assertThat(rows).hasSizeGreaterThan(40);
        for (String[] r : rows) {
            String note = String.join(" ", r).replace('|', '\n');
            Note n = NoteVerifier.verify(note, log.verifier().toString());
            assertThat(log.sign(Note.unsigned(n.text()))).hasToString(note);
        }
        String ext = Vectors.text("note/checkpoint_extension.txt");
        assertThat(log.sign(Note.unsigned(Note.parse(ext).text()))).hasToString(ext);
        String poem = Vectors.text("note/text_with_blank_line.txt");
        assertThat(signer("other", "other.grove.test/key").sign(Note.unsigned(Note.parse(poem).text())))
                .hasToString(poem);
    }

    /** Log, second key and witness cosignature (type 0x04) together, as Go wrote them. */
    @Test
    void cosignedCheckpointMatchesGo() throws Exception {
        String goNote = Vectors.text("note/checkpoint_cosigned.txt");
        Note parsed = Note.parse(goNote);
        Ed25519PrivateKey witnessKey = Ed25519PrivateKey.fromSeed(Hex.decode(keys().get("witness")[0]));
        Note mine = signer("other", "other.grove.test/key").sign(signer("log", ORIGIN).sign(Note.unsigned(parsed.text())))
                .withSignature(Cosignature.sign("witness.grove.test/w1", witnessKey, COSIGN_TIME, parsed.text()));
        assertThat(mine).hasToString(goNote);
        NoteVerifier witness = NoteVerifier.parse(keys().get("witness")[1]);
        Cosignature c = Cosignature.verify(parsed, witness);
        assertThat(c.timestamp()).isEqualTo(COSIGN_TIME);
        assertThat(c.keyId()).isEqualTo(witness.keyId());
        // The Ed25519 verifier of the same witness key and name is a different key (type 0x01): no signature by it.
        NoteVerifier plain = NoteVerifier.ed25519("witness.grove.test/w1", witness.publicKey());
        assertThatThrownBy(() -> plain.verify(parsed)).isInstanceOf(NoteException.class)
                .hasMessage("no signature by key witness.grove.test/w1+" + plain.keyIdHex());
    }

    @Test
    void cosignatureFailures() throws Exception {
        NoteVerifier witness = NoteVerifier.parse(keys().get("witness")[1]);
        String goNote = Vectors.text("note/checkpoint_cosigned.txt");
        // A different time with the same Ed25519 signature no longer verifies.
        Note parsed = Note.parse(goNote);
        NoteSignature cosig = parsed.signatures().get(2);
        byte[] sig = cosig.signature();
        sig[7] ^= 1;
        Note shifted = parsed.withSignature(NoteSignature.of(cosig.name(), cosig.keyId(), sig));
        assertThatThrownBy(() -> Cosignature.verify(shifted, witness)).isInstanceOf(NoteException.class)
                .hasMessage("invalid cosignature by key witness.grove.test/w1+" + witness.keyIdHex());
        Note missing = Note.of(parsed.text(), parsed.signatures().subList(0, 2));
        assertThatThrownBy(() -> Cosignature.verify(missing, witness)).isInstanceOf(NoteException.class)
                .hasMessage("no cosignature by key witness.grove.test/w1+" + witness.keyIdHex());
        assertThatThrownBy(() -> Cosignature.parse(parsed.signatures().get(0))).isInstanceOf(NoteException.class)
                .hasMessage("cosignature by node.grove.test/grove-log has 64 bytes, expected 72");
        byte[] future = new byte[72];
        future[0] = (byte) 0x80;
        assertThatThrownBy(() -> Cosignature.parse(NoteSignature.of("w", 1, future))).isInstanceOf(NoteException.class)
                .hasMessage("cosignature by w has a timestamp above 2^63-1");
    }

    @Test
    void verifyFailures() throws Exception {
        NoteSigner log = signer("log", ORIGIN);
        String goNote = Vectors.text("tlog/log/checkpoint");
        String tampered = goNote.replace("\n1100\n", "\n1101\n");
        assertThatThrownBy(() -> NoteVerifier.verify(tampered, log.verifier().toString()))
                .isInstanceOf(NoteException.class).hasMessage("invalid signature by key " + ORIGIN + "+ac6eacf9");
        String otherKey = keys().get("other")[1];
        assertThatThrownBy(() -> NoteVerifier.verify(goNote, otherKey))
                .isInstanceOf(NoteException.class).hasMessage("no signature by key other.grove.test/key+25f58ff3");
        // Same name, other key: the key IDs differ, so the log's signature is ignored, and none is left.
        NoteVerifier impostor = NoteSigner.ed25519(ORIGIN, Ed25519PrivateKey.fromSeed(new byte[32])).verifier();
        assertThatThrownBy(() -> impostor.verify(Note.parse(goNote)))
                .isInstanceOf(NoteException.class).hasMessage("no signature by key " + ORIGIN + "+" + impostor.keyIdHex());
    }

    @Test
    void signerReplacesItsOwnEarlierSignature() throws Exception {
        NoteSigner log = signer("log", ORIGIN);
        Note once = log.sign(Note.unsigned("a\n"));
        assertThat(log.sign(once).signatures()).hasSize(1);
        assertThatThrownBy(() -> log.sign("no newline")).hasMessage("note text must end with a newline");
        assertThatThrownBy(() -> log.sign("tab\there\n")).hasMessage("note text contains control character U+0009");
        assertThatThrownBy(() -> NoteSigner.ed25519("a b", Ed25519PrivateKey.fromSeed(new byte[32])))
                .hasMessage("invalid key name 'a b'");
    }

    /**
     * One stored malformed note per reason (note/invalid/, written by the Go program from a valid checkpoint), each with
     * the exact message. Go's note.Open rejects all of them too, except the two where Grove is stricter: a repeated
     * signature line (Go drops it) and base64 with non-zero padding bits (Go decodes it).
     */
    @ParameterizedTest(name = "parse_{0}")
    @CsvSource(delimiter = '|', value = {
        "missingBlankLine | note has no blank line before its signatures",
        "missingFinalNewline | note does not end with a newline",
        "noSignatureLines | note has no signature lines after its last blank line",
        "trailingBlankLine | note has no signature lines after its last blank line",
        "controlCharacter | note contains control character U+0009 at byte 25",
        "carriageReturn | note contains control character U+000D at byte 25",
        "invalidUtf8 | note is not valid UTF-8 at byte 25",
        "overlongUtf8 | note is not valid UTF-8 at byte 25",
        "surrogateUtf8 | note is not valid UTF-8 at byte 25",
        "missingEmDash | signature line 1 does not start with an em dash (U+2014) and a space",
        "missingSpaceAfterDash | signature line 1 does not start with an em dash (U+2014) and a space",
        "missingSignature | signature line 1 has no space between key name and signature",
        "emptyKeyName | signature line 1 has an invalid key name ''",
        "plusInKeyName | signature line 1 has an invalid key name 'a+b'",
        "spaceInKeyName | signature line 1 has an invalid key name 'a\u00a0b'",
        "notBase64 | signature line 1 has a signature that is not canonical base64",
        "nonCanonicalBase64 | signature line 1 has a signature that is not canonical base64",
        "emptySignature | signature line 1 has a signature of 0 bytes, at least 5 are needed",
        "shortSignature | signature line 1 has a signature of 4 bytes, at least 5 are needed",
        "repeatedLine | signature line 2 repeats signature line 1",
        "tooManySignatures | note has more than 100 signatures",
    })
    void parse_rejects(String reason, String message) {
        byte[] note = Vectors.bytes("note/invalid/" + reason + ".txt");
        assertThatThrownBy(() -> Note.parse(note)).as(reason).isInstanceOf(NoteException.class).hasMessage(message);
        String goVerdict = goVerdicts().get(reason);
        if (reason.equals("repeatedLine")) {
            assertThat(goVerdict).isEqualTo("accepted");
        } else if (reason.equals("nonCanonicalBase64")) {
            assertThat(goVerdict).isEqualTo("note has no verifiable signatures");
        } else {
            assertThat(goVerdict).as(reason).isEqualTo("malformed note");
        }
    }

    @Test
    void parse_everyStoredReasonIsTested() {
        assertThat(goVerdicts()).hasSize(21);
    }

    static Map<String, String> goVerdicts() {
        Map<String, String> out = new HashMap<>();
        for (String[] r : Vectors.records("note/invalid/go-verdicts.txt")) {
            out.put(r[0], String.join(" ", Arrays.asList(r).subList(1, r.length)));
        }
        return out;
    }

    @Test
    void parse_unpairedSurrogateInString() {
        assertThatThrownBy(() -> Note.parse("a\uD800\n\n\u2014 k AAAAAAA=\n")).isInstanceOf(NoteException.class)
                .hasMessage("note is not valid UTF-8: unpaired surrogate at character 1");
    }

    @Test
    void parse_tooLarge() {
        byte[] big = new byte[Note.MAX_SIZE + 1];
        Arrays.fill(big, (byte) 'a');
        assertThatThrownBy(() -> Note.parse(big)).isInstanceOf(NoteException.class)
                .hasMessage("note has 1048577 bytes, at most 1048576 are accepted");
    }

    @Test
    void parse_acceptsHundredSignaturesAndNonAsciiNames() throws Exception {
        StringBuilder sb = new StringBuilder("text\n\n");
        for (int i = 0; i < 100; i++) {
            sb.append("\u2014 k").append(i).append(" AAAAAAA=\n");
        }
        assertThat(Note.parse(sb.toString()).signatures()).hasSize(100);
        Note n = Note.parse("t\n\n\u2014 h\u00e9llo.example/\u6728 AAAAAAA=\n");
        assertThat(n.signatures().get(0).name()).isEqualTo("h\u00e9llo.example/\u6728");
        assertThat(n.signatures().get(0).keyId()).isZero();
    }

    @ParameterizedTest(name = "parseKey_{0}")
    @CsvSource(delimiter = '|', value = {
        "noPlus | PeterNeumann | verifier key is not <name>+<key ID>+<key>: 'PeterNeumann'",
        "onePlus | PeterNeumann+c74f20a3 | verifier key is not <name>+<key ID>+<key>: 'PeterNeumann+c74f20a3'",
        "emptyName | +c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW | verifier key has an invalid name ''",
        "spaceInName | Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW | verifier key has an invalid name 'Peter Neumann'",
        "shortHash | PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW | verifier key ID must be 8 lowercase hex digits: 'c74f20a'",
        "upperHash | PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW | verifier key ID must be 8 lowercase hex digits: 'C74F20A3'",
        "wrongHash | PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW | verifier key ID c74f20a4 does not match its name and key (expected c74f20a3)",
        "wrongName | PeterNeuman+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW | verifier key ID c74f20a3 does not match its name and key (expected 94245f47)",
        "notBase64 | PeterNeumann+c74f20a3+ARpc2QcUPDhM!! | verifier key material is not canonical base64: 'ARpc2QcUPDhM!!'",
        "emptyKey | PeterNeumann+c74f20a3+ | verifier key has no key material",
        "unknownType | PeterNeumann+c74f20a3+AhpjZA== | verifier key has unsupported signature type 0x02 (supported: 0x01 Ed25519, 0x04 cosignature/v1)",
        "shortKey | PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10Q= | verifier key has 31 bytes of Ed25519 key, expected 32",
    })
    void parseKey_rejects(String reason, String key, String message) {
        assertThatThrownBy(() -> NoteVerifier.parse(key)).as(reason).isInstanceOf(NoteException.class)
                .hasMessage(message);
    }
}
