package dev.grove.note;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.checkpoint.CheckpointException;
import dev.grove.tlog.Vectors;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Mutated notes and checkpoints: the parsers let only their declared exception escape, and print what they read. */
class NoteFuzzTest {
    @Test
    void mutatedNotesOnlyThrowNoteException() {
        byte[] seed = Vectors.bytes("note/checkpoint_cosigned.txt");
        Random random = new Random(7);
        int parsed = 0;
        for (int i = 0; i < 20000; i++) {
            byte[] b = seed.clone();
            for (int k = 1 + random.nextInt(3); k > 0 && b.length > 0; k--) {
                int pos = random.nextInt(b.length);
                switch (random.nextInt(4)) {
                    case 0 -> b[pos] = (byte) random.nextInt(256);
                    case 1 -> b[pos] = (byte) "\n —+ =A/".charAt(random.nextInt(8));
                    case 2 -> b[pos] = '\n';
                    default -> b = java.util.Arrays.copyOf(b, pos);
                }
            }
            try {
                Note n = Note.parse(b);
                assertThat(n.toBytes()).isEqualTo(b);
                parsed++;
                try {
                    Checkpoint.parse(n.text());
                } catch (CheckpointException expected) {
                    // declared
                }
            } catch (NoteException expected) {
                // declared
            }
        }
        assertThat(parsed).isGreaterThan(100);
    }

    @Test
    void randomVerifierKeysOnlyThrowNoteException() {
        Random random = new Random(11);
        String alphabet = "abc+0123456789ABCDEF/=";
        for (int i = 0; i < 20000; i++) {
            StringBuilder sb = new StringBuilder("n+");
            for (int k = random.nextInt(60); k > 0; k--) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                NoteVerifier v = NoteVerifier.parse(sb.toString());
                assertThat(v.toString()).isEqualTo(sb.toString());
            } catch (NoteException expected) {
                // declared
            }
        }
    }
}
