package dev.grove.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.Hex;
import dev.grove.note.Cosignature;
import dev.grove.note.Note;
import dev.grove.note.NoteSigner;
import dev.grove.note.NoteVerifier;
import dev.grove.tlog.HashSources;
import dev.grove.tlog.MerkleHash;
import dev.grove.tlog.Vectors;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckpointTest {
    static final String ORIGIN = "node.grove.test/grove-log";
    static final String ROOT_1100 = "koMbWUUhX2csgDsY894bDHb6VEt60YJ9mP+hRWPQmK0=";

    static Map<String, String[]> keys() {
        Map<String, String[]> out = new HashMap<>();
        for (String[] r : Vectors.records("note/keys.txt")) {
            out.put(r[0], new String[] {r[1], r[2]});
        }
        return out;
    }

    static final String LOG_KEY = keys().get("log")[1];

    @Test
    void verifiesGoSignedCheckpointOfTheTestLog() throws Exception {
        Checkpoint c = CheckpointVerifier.verify(Vectors.text("tlog/log/checkpoint"), LOG_KEY);
        assertThat(c.origin()).isEqualTo(ORIGIN);
        assertThat(c.size()).isEqualTo(1100);
        assertThat(c.rootHash()).isEqualTo(Base64.getDecoder().decode(ROOT_1100));
        assertThat(c.extensions()).isEmpty();
        assertThat(c.format()).isEqualTo(ORIGIN + "\n1100\n" + ROOT_1100 + "\n");
        // The root is the one the tree's leaves give, as Go computed them.
        List<byte[]> leaves = new ArrayList<>();
        for (String[] r : Vectors.records("tlog/merkle.txt", "leaf")) {
            leaves.add(Vectors.hex(r[2]));
        }
        assertThat(HashSources.fromLeafHashes(leaves).rootHash(c.size())).isEqualTo(c.rootHash());
    }

    @Test
    void extensionLinesRoundTrip() throws Exception {
        Checkpoint c = CheckpointVerifier.verify(Vectors.text("note/checkpoint_extension.txt"), LOG_KEY);
        assertThat(c.size()).isEqualTo(256);
        assertThat(c.extensions()).containsExactly("extension one");
        assertThat(Checkpoint.parse(c.format())).isEqualTo(c);
    }

    @Test
    void formatThenSignGivesGoBytes() {
        NoteSigner log = NoteSigner.ed25519(ORIGIN, Ed25519PrivateKey.fromSeed(Hex.decode(keys().get("log")[0])));
        Checkpoint c = new Checkpoint(ORIGIN, 1100, Base64.getDecoder().decode(ROOT_1100));
        assertThat(log.sign(Note.unsigned(c.format())).toString()).isEqualTo(Vectors.text("tlog/log/checkpoint"));
    }

    @Test
    void emptyTreeCheckpoint() throws Exception {
        Checkpoint c = new Checkpoint("a", 0, MerkleHash.emptyRoot());
        assertThat(c.format()).isEqualTo("a\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
        assertThat(Checkpoint.parse(c.format())).isEqualTo(c);
    }

    @Test
    void verifiesWitnessQuorum() throws Exception {
        String cosigned = Vectors.text("note/checkpoint_cosigned.txt");
        NoteVerifier witness = NoteVerifier.parse(keys().get("witness")[1]);
        CheckpointVerifier v = CheckpointVerifier.forLog(NoteVerifier.parse(LOG_KEY));
        assertThat(v.verifyCosigned(cosigned, List.of(witness), 1).size()).isEqualTo(1100);
        NoteVerifier absent = NoteVerifier.cosignatureV1("witness.grove.test/w2",
                Ed25519PrivateKey.fromSeed(new byte[32]).publicKey());
        assertThatThrownBy(() -> v.verifyCosigned(cosigned, List.of(witness, absent), 2))
                .isInstanceOf(CheckpointException.class)
                .hasMessage("checkpoint has 1 of the 2 witness cosignatures needed (missing: witness.grove.test/w2)");
        // A witness cosigning a different text (size 1101) makes the whole checkpoint fail.
        Ed25519PrivateKey wkey = Ed25519PrivateKey.fromSeed(Hex.decode(keys().get("witness")[0]));
        Note note = Note.parse(cosigned);
        Note wrong = note.withSignature(Cosignature.sign(witness.name(), wkey, 1767225600L,
                note.text().replace("\n1100\n", "\n1101\n")));
        assertThatThrownBy(() -> v.verifyCosigned(wrong.toString(), List.of(witness), 1))
                .isInstanceOf(CheckpointException.class)
                .hasMessage("invalid cosignature by key witness.grove.test/w1+" + witness.keyIdHex());
    }

    @Test
    void verifyFailures() throws Exception {
        String note = Vectors.text("tlog/log/checkpoint");
        assertThatThrownBy(() -> CheckpointVerifier.verify(note, keys().get("other")[1]))
                .isInstanceOf(CheckpointException.class).hasMessage("no signature by key other.grove.test/key+25f58ff3");
        assertThatThrownBy(() -> CheckpointVerifier.verify(note.replace("\n1100\n", "\n1099\n"), LOG_KEY))
                .isInstanceOf(CheckpointException.class).hasMessage("invalid signature by key " + ORIGIN + "+ac6eacf9");
        assertThatThrownBy(() -> CheckpointVerifier.verify(note, "not a key"))
                .isInstanceOf(CheckpointException.class).hasMessage("verifier key is not <name>+<key ID>+<key>: 'not a key'");
        assertThatThrownBy(() -> CheckpointVerifier.verify(note.replace("\n\n", "\n"), LOG_KEY))
                .isInstanceOf(CheckpointException.class).hasMessage("note has no blank line before its signatures");
        // The log key signs a text that is no checkpoint, or a checkpoint of another origin.
        NoteSigner log = NoteSigner.ed25519(ORIGIN, Ed25519PrivateKey.fromSeed(Hex.decode(keys().get("log")[0])));
        String notCheckpoint = log.sign(Note.unsigned("hello\n")).toString();
        assertThatThrownBy(() -> CheckpointVerifier.verify(notCheckpoint, LOG_KEY))
                .isInstanceOf(CheckpointException.class).hasMessage("checkpoint has 1 lines, at least 3 are needed");
        String otherOrigin = log.sign(Note.unsigned("elsewhere/log\n1\n" + ROOT_1100 + "\n")).toString();
        assertThatThrownBy(() -> CheckpointVerifier.verify(otherOrigin, LOG_KEY))
                .isInstanceOf(CheckpointException.class)
                .hasMessage("checkpoint origin 'elsewhere/log' is not the log's origin '" + ORIGIN + "'");
        assertThat(CheckpointVerifier.forLog(NoteVerifier.parse(LOG_KEY), "elsewhere/log").verify(otherOrigin).size())
                .isEqualTo(1);
        assertThatThrownBy(() -> CheckpointVerifier.forLog(NoteVerifier.parse(keys().get("witness")[1])))
                .hasMessageStartingWith("a log signs checkpoints with an Ed25519 (type 0x01) key");
    }

    @ParameterizedTest(name = "parse_{0}")
    @CsvSource(delimiter = '|', value = {
        "missingFinalNewline | o\\n1\\n" + ROOT_1100 + " | checkpoint does not end with a newline",
        "empty | '' | checkpoint does not end with a newline",
        "twoLines | o\\n1\\n | checkpoint has 2 lines, at least 3 are needed",
        "emptyOrigin | \\n1\\n" + ROOT_1100 + "\\n | checkpoint origin line is empty",
        "emptySize | o\\n\\n" + ROOT_1100 + "\\n | checkpoint size is not a decimal number without leading zeros: ''",
        "leadingZero | o\\n01\\n" + ROOT_1100 + "\\n | checkpoint size is not a decimal number without leading zeros: '01'",
        "signedSize | o\\n+1\\n" + ROOT_1100 + "\\n | checkpoint size is not a decimal number without leading zeros: '+1'",
        "negativeSize | o\\n-1\\n" + ROOT_1100 + "\\n | checkpoint size is not a decimal number without leading zeros: '-1'",
        "hexSize | o\\n0x10\\n" + ROOT_1100 + "\\n | checkpoint size is not a decimal number without leading zeros: '0x10'",
        "sizeOverflow | o\\n9223372036854775808\\n" + ROOT_1100 + "\\n | checkpoint size is not a decimal number without leading zeros: '9223372036854775808'",
        "rootNotBase64 | o\\n1\\n!!!!\\n | checkpoint root hash is not the base64 of 32 bytes: '!!!!'",
        "rootTooShort | o\\n1\\nAAAA\\n | checkpoint root hash is not the base64 of 32 bytes: 'AAAA'",
        "rootUnpadded | o\\n1\\nkoMbWUUhX2csgDsY894bDHb6VEt60YJ9mP+hRWPQmK0\\n | checkpoint root hash is not the base64 of 32 bytes: 'koMbWUUhX2csgDsY894bDHb6VEt60YJ9mP+hRWPQmK0'",
        "rootHex | o\\n1\\n" + "928311594521" + "\\n | checkpoint root hash is not the base64 of 32 bytes: '928311594521'",
        "emptyExtension | o\\n1\\n" + ROOT_1100 + "\\n\\nx\\n | checkpoint line 4 is empty",
        "trailingBlankLine | o\\n1\\n" + ROOT_1100 + "\\n\\n | checkpoint line 4 is empty",
    })
    void parse_rejects(String reason, String escaped, String message) {
        String body = escaped.replace("\\n", "\n");
        assertThatThrownBy(() -> Checkpoint.parse(body)).as(reason).isInstanceOf(CheckpointException.class)
                .hasMessage(message);
    }

    @Test
    void parse_largestSize() throws Exception {
        Checkpoint c = Checkpoint.parse("o\n9223372036854775807\n" + ROOT_1100 + "\n");
        assertThat(c.size()).isEqualTo(Long.MAX_VALUE);
        assertThat(Checkpoint.parse("o\n0\n" + ROOT_1100 + "\n").size()).isZero();
    }

    @Test
    void constructorChecks() {
        byte[] root = new byte[32];
        assertThatThrownBy(() -> new Checkpoint("", 1, root))
                .hasMessage("checkpoint origin must be one non-empty line, got ''");
        assertThatThrownBy(() -> new Checkpoint("o", -1, root)).hasMessage("checkpoint size must not be negative, got -1");
        assertThatThrownBy(() -> new Checkpoint("o", 1, new byte[31]))
                .hasMessage("checkpoint root hash must have 32 bytes, got 31");
        assertThatThrownBy(() -> new Checkpoint("o", 1, root, List.of("")))
                .hasMessage("checkpoint extension lines must be non-empty single lines");
        Checkpoint c = new Checkpoint("o", 1, root);
        c.rootHash()[0] = 1;
        assertThat(c.rootHash()[0]).isZero();
    }
}
