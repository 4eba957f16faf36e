package dev.grove.node.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.stream.Stream;

/** The browser runtime's files as the grove-browser-runtime module built them (a directory or a jar on the classpath). */
public final class BrowserRuntimeFiles {

    private BrowserRuntimeFiles() {
    }

    /** Copies {@code grove-runtime/} (its page, grove.js and both builds) into {@code target}. */
    public static void copyTo(Path target) throws Exception {
        URL marker = BrowserRuntimeFiles.class.getClassLoader().getResource("grove-runtime/wasm-gc/grove-runtime.wasm");
        assertThat(marker).as("grove-runtime/ on the classpath: build browser-runtime with its TeaVM executions")
                .isNotNull();
        URI uri = marker.toURI();
        if (uri.getScheme().equals("jar")) {
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                copyTree(jar.getPath("/grove-runtime"), target);
            }
        } else {
            copyTree(Paths.get(uri).getParent().getParent(), target);
        }
    }

    /** Copies a directory tree (from a jar's file system too). */
    public static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }
}
