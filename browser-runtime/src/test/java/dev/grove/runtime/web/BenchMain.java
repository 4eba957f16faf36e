package dev.grove.runtime.web;

import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpServer;
import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.Mlp;
import dev.grove.runtime.model.Model;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.testing.Chromium;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The benchmark behind {@code bench/run.sh} (report only): per-input inference time on the JVM, in headless Chromium on
 * the Wasm-GC and JS builds, and with TensorFlow.js on the same weights; and the runtime's download size.
 */
public final class BenchMain {
    private BenchMain() {
    }

    record Bench(String name, Map<String, String> config) {
    }

    public static void main(String[] args) throws Exception {
        Path benchDir = Paths.get(args.length > 0 ? args[0] : "bench").toAbsolutePath().normalize();
        Path webapp = Webapp.dir().toAbsolutePath().normalize();
        List<String> inputs = WasmGcParityTest.INPUTS.subList(0, 11);
        List<Bench> benches = List.of(
                new Bench("garden mlp (n-grams 1-3, 4096 buckets, hidden 32, 6 classes)", WasmGcParityTest.config(
                        "architecture", "mlp", "buckets", "4096", "hidden", "32", "activation", "relu", "classes", "6")),
                new Bench("mlp 256-512-10 (as in the toolchain notes)", WasmGcParityTest.config("architecture", "mlp",
                        "buckets", "256", "hidden", "512", "activation", "relu", "classes", "10")),
                new Bench("mlp int8 (4096 buckets, hidden 32)", WasmGcParityTest.config("architecture", "mlp",
                        "buckets", "4096", "hidden", "32", "activation", "relu", "classes", "6", "weights", "int8")),
                new Bench("tiny-transformer d32 (2 layers, 4 heads, context 64)", WasmGcParityTest.config(
                        "architecture", "tiny-transformer", "d_model", "32", "heads", "4", "layers", "2", "ff", "64",
                        "context", "64", "classes", "6", "activation", "gelu")));

        System.out.println("download size (bytes, raw / gzip -9):");
        long wasm = gz(webapp.resolve("wasm-gc/grove-runtime.wasm"));
        long wasmJs = gz(webapp.resolve("wasm-gc/grove-runtime.wasm-runtime.js"));
        long js = gz(webapp.resolve("js/grove-runtime.js"));
        long glue = gz(webapp.resolve("grove.js"));
        System.out.printf("  Wasm-GC runtime: %d gzipped (wasm %d + loader %d) + grove.js %d%n", wasm + wasmJs, wasm,
                wasmJs, glue);
        System.out.printf("  JS runtime: %d gzipped + grove.js %d%n", js, glue);

        try (Chromium chromium = Chromium.launch()) {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            mount(server, "/grove-runtime/", webapp);
            mount(server, "/bench/", benchDir);
            server.start();
            try {
                Page page = chromium.browser.newPage();
                page.navigate("http://127.0.0.1:" + server.getAddress().getPort() + "/bench/bench.html");
                page.waitForFunction("() => document.body.dataset.state === 'ready'",
                        null, new Page.WaitForFunctionOptions().setTimeout(60_000));
                System.out.printf("%nper-input inference, ms (mean over %d inputs × reps; lower is better)%n",
                        inputs.size());
                System.out.printf("%-62s %9s %9s %9s %9s %9s%n", "model", "JVM", "Wasm-GC", "JS", "tfjs-cpu",
                        "tfjs-wasm");
                for (Bench b : benches) {
                    run(page, b, inputs);
                }
            } finally {
                server.stop(0);
            }
        }
    }

    static void run(Page page, Bench b, List<String> inputs) throws Exception {
        Architecture a = Architecture.fromConfig(b.config());
        byte[] weights = WasmGcParityTest.weights(a);
        SafetensorsFile file = SafetensorsFile.parse(weights);
        Model m = Model.load(a, file);
        int reps = 200;
        double jvm = jvm(m, inputs, reps);
        String b64 = Base64.getEncoder().encodeToString(weights);
        double wasm = ((Number) page.evaluate("([c, w, i, r]) => benchGrove('wasm-gc', c, w, i, r)",
                List.of(b.config(), b64, inputs, reps))).doubleValue();
        double js = ((Number) page.evaluate("([c, w, i, r]) => benchGrove('js', c, w, i, r)",
                List.of(b.config(), b64, inputs, reps))).doubleValue();
        String cpu = "-";
        String tfwasm = "-";
        if (a instanceof Mlp mlp && mlp.weights().configName().equals("f32")) {
            List<Map<String, Object>> layers = new ArrayList<>();
            for (int i = 0; i < mlp.layerCount(); i++) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("w", f32(file.floats("dense" + i + ".weight")));
                l.put("b", f32(file.floats("dense" + i + ".bias")));
                l.put("in", mlp.layerIn(i));
                l.put("out", mlp.layerOut(i));
                layers.add(l);
            }
            List<List<Double>> features = new ArrayList<>();
            for (String t : inputs) {
                List<Double> f = new ArrayList<>();
                for (float v : mlp.features().features(t)) {
                    f.add((double) v);
                }
                features.add(f);
            }
            cpu = tfjs(page, "cpu", layers, features, reps / 4);
            tfwasm = tfjs(page, "wasm", layers, features, reps / 4);
        }
        System.out.printf("%-62s %9.4f %9.4f %9.4f %9s %9s%n", b.name(), jvm, wasm, js, cpu, tfwasm);
    }

    @SuppressWarnings("unchecked")
    static String tfjs(Page page, String backend, List<Map<String, Object>> layers, List<List<Double>> features,
            int reps) {
        try {
            Map<String, Object> r = (Map<String, Object>) page.evaluate(
                    "([b, l, f, r]) => benchTfjs(b, l, f, r)", List.of(backend, layers, features, reps));
            return String.format("%.4f", ((Number) r.get("ms")).doubleValue());
        } catch (RuntimeException e) {
            System.out.println("  tfjs " + backend + " failed: " + e.getMessage().lines().findFirst().orElse(""));
            return "n/a";
        }
    }

    static double jvm(Model m, List<String> inputs, int reps) {
        long sink = 0;
        long warm = System.nanoTime();
        while (System.nanoTime() - warm < 2_000_000_000L) { // warm-up: 2 s for the JIT to compile the hot loops
            for (String t : inputs) {
                sink += Float.floatToIntBits(m.predict(t)[0]);
            }
        }
        long t0 = System.nanoTime();
        for (int r = 0; r < reps; r++) {
            for (String t : inputs) {
                sink += Float.floatToIntBits(m.predict(t)[0]);
            }
        }
        double ms = (System.nanoTime() - t0) / 1e6 / (reps * inputs.size());
        if (sink == 42) {
            System.out.print("");
        }
        return ms;
    }

    static String f32(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    static long gz(Path file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out) {
            {
                def.setLevel(9);
            }
        }) {
            z.write(Files.readAllBytes(file));
        }
        System.out.printf("  %-40s %8d / %7d%n", file.getFileName(), Files.size(file), out.size());
        return out.size();
    }

    static void mount(HttpServer server, String prefix, Path root) {
        server.createContext(prefix, exchange -> {
            try (exchange) {
                Path file = root.resolve(exchange.getRequestURI().getPath().substring(prefix.length())).normalize();
                if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = Files.readAllBytes(file);
                exchange.getResponseHeaders().set("Content-Type", Webapp.mimeType(file.toString()));
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
    }
}
