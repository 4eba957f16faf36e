package dev.grove.node.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFileTest {

    @TempDir
    Path data;

    @Test
    void createdOnceOwnerOnlyAndNeverOverwritten() throws Exception {
        Path dir = data.resolve("new-dir");
        assertThat(SecretFile.readOrCreate(dir, "k.json", "test key", () -> "first")).isEqualTo("first");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("k.json"))))
                .isEqualTo("rw-------");
        AtomicInteger asked = new AtomicInteger();
        assertThat(SecretFile.readOrCreate(dir, "k.json", "test key", () -> {
            asked.incrementAndGet();
            return "second";
        })).isEqualTo("first");
        assertThat(asked).as("an existing secret is not made again").hasValue(0);
    }

    @Test
    void processesStartingTogetherAgreeOnOneSecretAndLeaveNoTemporaryFile() throws Exception {
        int racers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<String>> read = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                String mine = "secret " + i;
                read.add(pool.submit(() -> {
                    start.await();
                    return SecretFile.readOrCreate(data, "k.json", "test key", () -> mine);
                }));
            }
            start.countDown();
            Set<String> seen = new HashSet<>();
            for (Future<String> f : read) {
                seen.add(f.get());
            }
            assertThat(seen).hasSize(1);
            assertThat(Files.readString(data.resolve("k.json"))).isEqualTo(seen.iterator().next());
        } finally {
            pool.shutdown();
        }
        try (Stream<Path> files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("k.json");
        }
    }
}
