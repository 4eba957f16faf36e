package dev.grove.node.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.runtime.breed.AdapterParams;
import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.LoraAdapter;
import dev.grove.runtime.train.TrainingOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdapterRerunTest {
    static final Architecture BASE = base();

    static Architecture base() {
        try {
            return Architecture.fromConfig(Map.of("architecture", "mlp", "buckets", "1024", "hidden", "16",
                    "classes", "10"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static AdapterParams params(int rank, int epochs, int batch) {
        return new AdapterParams(AdapterParams.LORA, new LoraAdapter(rank, 4f), List.of("dense0", "dense1"),
                new TrainingOptions(epochs, batch, 0.001f, 7, 1f));
    }

    /** The garden's adapter is far below the bound; a hostile rank and batch size of one are above it. */
    @Test
    void matrixWorkCountsBatchesRankAndTheAdaptedMatrices() {
        // 2 epochs × 23 batches of 16 over 361 samples × 3 × rank 1 × (1024·16 + 16·10)
        assertThat(AdapterRerun.matrixWork(BASE, new LoraAdapter(1, 4f), params(1, 2, 16), 361))
                .isEqualTo(2L * 23 * 3 * (1024 * 16 + 16 * 10));
        assertThat(AdapterRerun.matrixWork(BASE, new LoraAdapter(1, 4f), params(1, 2, 16), 361))
                .isLessThan(AdapterRerun.MAX_MATRIX_WORK);
        assertThat(AdapterRerun.matrixWork(BASE, new LoraAdapter(4096, 4f), params(4096, 1000, 1), 1000))
                .isGreaterThan(AdapterRerun.MAX_MATRIX_WORK);
    }
}
