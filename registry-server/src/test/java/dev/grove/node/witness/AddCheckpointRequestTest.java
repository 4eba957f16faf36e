package dev.grove.node.witness;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.note.Cosignature;
import dev.grove.note.Note;
import dev.grove.note.NoteSignature;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The wire format of add-checkpoint, checked against the examples of c2sp.org/tlog-witness, byte for byte. */
class AddCheckpointRequestTest {

    /** The example request body of the spec (C2SP/C2SP tlog-witness.md, "add-checkpoint"). */
    static final String SPEC_REQUEST = """
            old 20852014
            PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=
            jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=
            5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=
            /6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=

            example.com/behind-the-sofa
            20852163
            CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

            \u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
            \u2014 example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=
            """;

    /** The example response body of the spec: cosignature lines of two witness keys. */
    static final String SPEC_RESPONSE = """
            \u2014 witness.example/w1 CMp+6LWBU0anHGH5aNDTJkH/gj79sG+T6+iP2ThYN5krrDJbR1HDnucjL39QsZTSvVjyQLrdk3DXDqI5G2HgLatVs0pWh6Up69HVOw==
            \u2014 witness.example/w1 I7rEps0pvK2UqkS2gSpVUDhrhVtQV9lgF6pRrWAvjJHjyWpW7VcE3SiOlVlbQNt64vWhO+DlkL0+UfzuOBMh9ChdMkP1vi/lCAsmlw==
            \u2014 witness.example/w2 AWui8Sk55XjYLOijihBjhqEH6nS1ndDymE0a+6idX7pLcnoB+dhnz0854aLZgrrKbYKA7nC3HNJhm/kWl7oJlqU3rXXvpysAdyP3wQ==
            """;

    @Test
    void parsesTheSpecExampleAndWritesItBackByteForByte() throws Exception {
        byte[] bytes = SPEC_REQUEST.getBytes(StandardCharsets.UTF_8);
        AddCheckpointRequest request = AddCheckpointRequest.parse(bytes);
        assertThat(request.oldSize()).isEqualTo(20852014);
        assertThat(request.proof()).hasSize(4);
        Checkpoint checkpoint = Checkpoint.parse(request.checkpoint().text());
        assertThat(checkpoint.origin()).isEqualTo("example.com/behind-the-sofa");
        assertThat(checkpoint.size()).isEqualTo(20852163);
        assertThat(request.checkpoint().signatures()).hasSize(2);
        assertThat(request.toBytes()).isEqualTo(bytes);
    }

    @Test
    void theSpecExampleResponseReadsAsCosignatureLinesOnTheCheckpoint() throws Exception {
        Note note = AddCheckpointRequest.parse(SPEC_REQUEST.getBytes(StandardCharsets.UTF_8)).checkpoint();
        List<NoteSignature> lines = NoteLines.parse(note.text(), SPEC_RESPONSE);
        assertThat(lines).extracting(NoteSignature::name)
                .containsExactly("witness.example/w1", "witness.example/w1", "witness.example/w2");
        // the example's bytes are placeholders (their "timestamps" exceed 2^63), but each has the cosignature/v1 length
        for (NoteSignature line : lines) {
            assertThat(line.signature()).hasSize(Cosignature.SIGNATURE_LENGTH);
        }
        // what a Grove witness writes has the same shape: one line, em dash, name, base64(key ID || time || signature)
        WitnessKey key = new WitnessKey("witness.example/w3", dev.grove.crypto.Ed25519PrivateKey.generate());
        String answer = key.cosign(note.text(), 1_700_000_000L).line() + "\n";
        assertThat(answer).matches("\u2014 witness\\.example/w3 [A-Za-z0-9+/]{102}==\n");
        assertThat(Cosignature.verify(Note.parse(note.toString() + answer), key.verifier()).timestamp())
                .isEqualTo(1_700_000_000L);
    }

    @Test
    void zeroOldSizeIsWrittenAsZeroWithNoProof() throws Exception {
        Note note = AddCheckpointRequest.parse(SPEC_REQUEST.getBytes(StandardCharsets.UTF_8)).checkpoint();
        String body = new String(new AddCheckpointRequest(0, List.of(), note).toBytes(), StandardCharsets.UTF_8);
        assertThat(body).startsWith("old 0\n\nexample.com/behind-the-sofa\n");
    }

    @Test
    void refusesWhatTheSpecForbids() {
        assertThatThrownBy(() -> parse("old 1\n\n")).hasMessageContaining("checkpoint: ");
        assertThatThrownBy(() -> parse("old 01\n\n")).hasMessage(
                "old size is not a decimal number without leading zeros: '01'");
        assertThatThrownBy(() -> parse("old 1")).hasMessageContaining("request ends inside the old size");
        assertThatThrownBy(() -> parse("old 1\nAAAA\n\n")).hasMessage(
                "consistency proof line 1 is not the base64 of a 32-byte hash");
        assertThatThrownBy(() -> parse("old 99999999999999999999\n\n")).hasMessageContaining("not a decimal number");
    }

    private static AddCheckpointRequest parse(String body) throws WitnessException {
        return AddCheckpointRequest.parse(body.getBytes(StandardCharsets.UTF_8));
    }
}
