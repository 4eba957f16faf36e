package dev.grove.node.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Debian's nginx ({@code nginx-light}) serving a folder as static files on a free loopback port, unprivileged
 * ({@code -p PREFIX -c CONF}, {@code daemon off;}), with {@code Access-Control-Allow-Origin: *} as a static mirror
 * should send. A test that needs it fails when nginx is not installed ({@code .ci/run} installs it): it is never
 * skipped.
 */
public final class Nginx implements AutoCloseable {

    public static final Path EXECUTABLE = Path.of("/usr/sbin/nginx");

    private final Process process;
    private final Path prefix;
    private final int port;

    private Nginx(Process process, Path prefix, int port) {
        this.process = process;
        this.prefix = prefix;
        this.port = port;
    }

    /** Serves {@code root} at {@code http://127.0.0.1:<port>/}; returns once nginx accepts connections. */
    public static Nginx serve(Path root) {
        assertThat(Files.isExecutable(EXECUTABLE)).as(EXECUTABLE + " is not installed: apt-get install -y nginx-light "
                + "(a static folder written by grove export is served by nginx in this test)").isTrue();
        try {
            Path prefix = Files.createTempDirectory("nginx-");
            int port = freePort();
            String conf = """
                    daemon off;
                    master_process off;
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log warn;
                    events { worker_connections 64; }
                    http {
                        access_log off;
                        default_type application/octet-stream;
                        types {
                            text/html html;
                            text/css css;
                            text/javascript js mjs;
                            application/wasm wasm;
                            application/json json;
                        }
                        client_body_temp_path %1$s/body;
                        proxy_temp_path %1$s/proxy;
                        fastcgi_temp_path %1$s/fastcgi;
                        uwsgi_temp_path %1$s/uwsgi;
                        scgi_temp_path %1$s/scgi;
                        server {
                            listen 127.0.0.1:%2$d;
                            root %3$s;
                            location / {
                                add_header Access-Control-Allow-Origin * always;
                            }
                        }
                    }
                    """.formatted(prefix, port, root.toAbsolutePath());
            Path file = prefix.resolve("nginx.conf");
            Files.writeString(file, conf);
            Process process = new ProcessBuilder(EXECUTABLE.toString(), "-p", prefix.toString(), "-e",
                    prefix.resolve("error.log").toString(), "-c", file.toString())
                    .redirectErrorStream(true).redirectOutput(prefix.resolve("stdout.log").toFile()).start();
            Nginx nginx = new Nginx(process, prefix, port);
            nginx.awaitListening(Duration.ofSeconds(30));
            return nginx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitListening(Duration deadline) throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new AssertionError("nginx exited with " + process.exitValue() + ": "
                        + Files.readString(prefix.resolve("stdout.log")) + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(ie);
                }
            }
        }
        throw new AssertionError("nginx does not listen on port " + port + " after " + deadline.toSeconds() + " s"
                + log());
    }

    private String log() throws IOException {
        Path log = prefix.resolve("error.log");
        return Files.exists(log) ? "; error.log: " + Files.readString(log) : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
