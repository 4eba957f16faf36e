package dev.grove.node.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The site built into the node, as files: the {@code site/} folder (classpath {@code grove-site/}) with the browser
 * runtime in its {@code grove-runtime/} folder, as a static host serves them. Read from the node's jar or, in a build
 * tree, from the classes directories.
 */
public final class BundledSite {

    private BundledSite() {
    }

    /**
     * Copies the site into {@code dir} (created when absent; files already there with the same names are replaced).
     *
     * @return how many files were written
     */
    public static int copyTo(Path dir) throws IOException {
        int files = copy(SiteRoutes.BUNDLED_SITE + "/index.html", dir);
        files += copy(SiteRoutes.BUNDLED_RUNTIME + "/grove.js", dir.resolve(SiteRoutes.BUNDLED_RUNTIME));
        return files;
    }

    /** Copies the classpath folder that holds {@code marker} into {@code target}. */
    private static int copy(String marker, Path target) throws IOException {
        URL url = BundledSite.class.getClassLoader().getResource(marker);
        if (url == null) {
            throw new IOException(marker + " is not on the classpath: this build has no site (build the node with"
                    + " browser-runtime's TeaVM executions)");
        }
        URI uri;
        try {
            uri = url.toURI();
        } catch (URISyntaxException e) {
            throw new IOException("cannot read " + url, e);
        }
        if (uri.getScheme().equals("jar")) {
            FileSystem jar;
            boolean opened = false;
            try {
                jar = FileSystems.getFileSystem(uri);
            } catch (FileSystemNotFoundException e) {
                jar = FileSystems.newFileSystem(uri, Map.of());
                opened = true;
            }
            try {
                String folder = marker.substring(0, marker.indexOf('/'));
                return copyTree(jar.getPath("/" + folder), target);
            } finally {
                if (opened) {
                    jar.close();
                }
            }
        }
        return copyTree(Paths.get(uri).getParent(), target);
    }

    private static int copyTree(Path from, Path to) throws IOException {
        int files = 0;
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                    files++;
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return files;
    }
}
