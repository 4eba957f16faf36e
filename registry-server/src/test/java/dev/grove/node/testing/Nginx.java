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
import java.util.List;

/**
 * Debian's nginx ({@code nginx-light}) on a free loopback port, unprivileged ({@code -p PREFIX -c CONF},
 * {@code daemon off;}): either serving a folder as static files, with {@code Access-Control-Allow-Origin: *} as a static
 * mirror should send ({@link #serve}), or as a round-robin load balancer in front of several node processes
 * ({@link #balance}). A test that needs it fails when nginx is not installed ({@code .ci/run} installs it): it is never
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
        return start("(a static folder written by grove export is served by nginx in this test)", """
                server {
                    listen 127.0.0.1:%1$d;
                    root %2$s;
                    location / {
                        add_header Access-Control-Allow-Origin * always;
                    }
                }
                """, root.toAbsolutePath());
    }

    /**
     * Balances {@code http://127.0.0.1:<port>/} round-robin over the nodes on these loopback ports, the way an operator
     * puts nginx in front of several processes of one node: bodies streamed to the upstream as they arrive
     * ({@code proxy_request_buffering off}, no size cap: the node enforces its own), answers streamed back, and a request
     * that could not reach a process (refused, reset before an answer) tried on the next one, except a POST, which
     * nginx never resends. The client's address is appended to {@code X-Forwarded-For}, which a node reads only from
     * a proxy it trusts ({@code --trusted-proxy}).
     */
    public static Nginx balance(List<Integer> upstreamPorts) {
        StringBuilder servers = new StringBuilder();
        for (int port : upstreamPorts) {
            servers.append("        server 127.0.0.1:").append(port).append(" max_fails=1 fail_timeout=2s;\n");
        }
        return start("(a load balancer in front of several node processes in this test)", """
                upstream grove {
                %2$s    keepalive 16;
                }
                server {
                    listen 127.0.0.1:%1$d;
                    client_max_body_size 0;
                    proxy_request_buffering off;
                    proxy_buffering off;
                    proxy_http_version 1.1;
                    location / {
                        proxy_pass http://grove;
                        proxy_set_header Connection "";
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_connect_timeout 2s;
                        proxy_read_timeout 120s;
                        proxy_send_timeout 120s;
                        proxy_next_upstream error timeout;
                    }
                }
                """, servers.toString());
    }

    private static Nginx start(String why, String server, Object extra) {
        assertThat(Files.isExecutable(EXECUTABLE)).as(EXECUTABLE + " is not installed: apt-get install -y nginx-light "
                + why).isTrue();
        try {
            Path prefix = Files.createTempDirectory("nginx-");
            int port = freePort();
            String conf = """
                    daemon off;
                    master_process off;
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log warn;
                    events { worker_connections 512; }
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
                    %2$s
                    }
                    """.formatted(prefix, server.formatted(port, extra).indent(4));
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

    /** nginx's error log so far (failure messages of tests quote it). */
    public String errorLog() {
        try {
            return log();
        } catch (IOException e) {
            return "; error.log unreadable: " + e;
        }
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
        TestDatabase.deleteRecursively(prefix);
    }
}
