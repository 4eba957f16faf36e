package dev.grove.runtime.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpServer;
import dev.grove.pkg.Contract;
import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.Model;
import dev.grove.runtime.model.TensorSpec;
import dev.grove.runtime.safetensors.Dtype;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.safetensors.SafetensorsWriter;
import dev.grove.runtime.train.Dataset;
import dev.grove.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TeaVM builds in a real headless Chromium against the JVM engine, on the same weights and inputs: the Wasm-GC build
 * must give the JVM's output bits exactly; the JavaScript build (which computes {@code float} arithmetic in double
 * precision) must stay within {@link #JS_TOLERANCE} of each probability. Models: the two golden models of
 * {@code GoldenOutputsTest}, the scaffold model {@code grove init} writes (mlp, n-grams 1-3, ReLU), its int8 form and a
 * bigger tiny transformer; weights from a fixed integer generator. Then every garden package in {@code examples/garden},
 * with its own contract and weights, on its held-out data.
 */
class WasmGcParityTest {
    /**
     * Largest accepted |JS − JVM| per probability. The JavaScript build computes float arithmetic in double precision
     * and rounds only where it stores, so through an int8 layer's dequantization and an 11-way softmax a probability
     * near 1 differs by up to about ten float ulps (1.19e-6 seen); every test also requires the JVM's label (and a
     * cascade's member) in JS, and Wasm-GC's exact bits.
     */
    static final double JS_TOLERANCE = 2e-6;

    static final List<String> INPUTS = List.of("hello world", "Grüße, 世界 😀", "", "a",
            "The quick brown fox jumps over the lazy dog.", "Le renard brun rapide saute par-dessus le chien paresseux.",
            "Der schnelle braune Fuchs springt über den faulen Hund.", "¿Dónde está la biblioteca?",
            "Всеобщая декларация прав человека", "    spaces   and\ttabs\nand newlines  ",
            "1234567890 !@#$%^&*()", "x".repeat(300));

    static Chromium chromium;
    static HttpServer server;
    static Page page;

    @BeforeAll
    static void start() throws Exception {
        chromium = Chromium.launch();
        server = Webapp.serve(Webapp.dir());
        page = chromium.browser.newPage();
        page.navigate("http://127.0.0.1:" + server.getAddress().getPort() + "/index.html?runtime=wasm-gc");
        page.waitForFunction("() => document.body.dataset.state === 'ready'");
        page.evaluate("async () => { const m = await import('./grove.js');"
                + " window.rt = { 'wasm-gc': await m.createRuntime({prefer: 'wasm-gc'}),"
                + " js: await m.createRuntime({prefer: 'js'}) };"
                + " window.auto = await m.createRuntime(); }");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (chromium != null) {
            chromium.close();
        }
    }

    record Case(String name, Map<String, String> config) {
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        out.add(new Case("golden mlp", config("architecture", "mlp", "buckets", "256", "classes", "3", "hidden", "16",
                "activation", "gelu")));
        out.add(new Case("golden tiny-transformer", config("architecture", "tiny-transformer", "d_model", "8",
                "heads", "2", "layers", "2", "ff", "16", "context", "24", "classes", "3", "causal", "true")));
        out.add(new Case("scaffold mlp", config("architecture", "mlp", "ngram_orders", "1,2,3", "buckets", "4096",
                "hidden", "32", "activation", "relu", "classes", "3", "weights", "f32")));
        out.add(new Case("scaffold mlp int8", config("architecture", "mlp", "ngram_orders", "1,2,3", "buckets", "4096",
                "hidden", "32", "activation", "relu", "classes", "3", "weights", "int8")));
        out.add(new Case("tiny-transformer d32", config("architecture", "tiny-transformer", "d_model", "32",
                "heads", "4", "layers", "2", "ff", "64", "context", "64", "classes", "6", "activation", "gelu")));
        return out;
    }

    static Map<String, String> config(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Weights from the generator of {@code GoldenOutputsTest} (same bits for its two models). */
    static byte[] weights(Architecture a) {
        SafetensorsWriter w = new SafetensorsWriter();
        int seed = 12345;
        for (TensorSpec s : a.expectedTensors()) {
            int n = (int) s.elementCount();
            if (s.dtype() == Dtype.I8) {
                byte[] v = new byte[n];
                for (int i = 0; i < n; i++) {
                    seed = seed * 1103515245 + 12345;
                    v[i] = (byte) (((seed >>> 8) & 0xff) - 128 == -128 ? -127 : ((seed >>> 8) & 0xff) - 128);
                }
                w.addI8(s.name(), s.shape(), v);
            } else {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    seed = seed * 1103515245 + 12345;
                    v[i] = ((seed >>> 8) & 0xffff) / 65536f - 0.5f;
                }
                if (s.name().endsWith(".scale")) {
                    for (int i = 0; i < n; i++) {
                        v[i] = (v[i] + 0.5f) / 64f + 1e-4f;
                    }
                }
                w.addF32(s.name(), s.shape(), v);
            }
        }
        return w.toBytes();
    }

    static String bits(float[] p) {
        StringBuilder sb = new StringBuilder();
        for (float f : p) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format("%08x", Float.floatToIntBits(f)));
        }
        return sb.toString();
    }

    static final String RUN_ALL = """
            ([kind, config, b64, inputs]) => {
              const rt = window.rt[kind];
              const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
              const h = rt.loadUnverified(config, bytes);
              const out = inputs.map(t => {
                const p = rt.runRaw(h, t);
                const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
                const bits = [];
                for (let i = 0; i < p.length; i++) bits.push(dv.getUint32(i * 4, true).toString(16).padStart(8, '0'));
                return { bits: bits.join(' '), values: Array.from(p) };
              });
              rt.release(h);
              return out;
            }""";

    @Test
    void chromiumPicksWasmGc() {
        assertThat(page.evaluate("() => window.auto.kind")).isEqualTo("wasm-gc");
        assertThat(page.evaluate("() => window.auto.fallback")).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void wasmGcIsBitIdenticalToTheJvm_andJsWithinTolerance() throws Exception {
        double worstJs = 0;
        int jsExact = 0;
        int total = 0;
        for (Case c : cases()) {
            Architecture a = Architecture.fromConfig(c.config());
            byte[] w = weights(a);
            Model m = Model.load(a, SafetensorsFile.parse(w));
            String b64 = Base64.getEncoder().encodeToString(w);
            List<Map<String, Object>> wasm = (List<Map<String, Object>>) page.evaluate(RUN_ALL,
                    List.of("wasm-gc", c.config(), b64, INPUTS));
            List<Map<String, Object>> js = (List<Map<String, Object>>) page.evaluate(RUN_ALL,
                    List.of("js", c.config(), b64, INPUTS));
            for (int i = 0; i < INPUTS.size(); i++) {
                float[] jvm = m.predict(INPUTS.get(i));
                String where = c.name() + " on \"" + INPUTS.get(i) + "\"";
                assertThat(wasm.get(i).get("bits")).as("Wasm-GC bits, " + where).isEqualTo(bits(jvm));
                List<Number> jsValues = (List<Number>) js.get(i).get("values");
                assertThat(jsValues).as("JS output length, " + where).hasSize(jvm.length);
                for (int k = 0; k < jvm.length; k++) {
                    double d = Math.abs(jsValues.get(k).doubleValue() - jvm[k]);
                    assertThat(d).as("|JS - JVM| of class " + k + ", " + where).isLessThanOrEqualTo(JS_TOLERANCE);
                    worstJs = Math.max(worstJs, d);
                }
                jsExact += js.get(i).get("bits").equals(bits(jvm)) ? 1 : 0;
                total++;
            }
        }
        System.out.printf("parity: %d model/input pairs; Wasm-GC bit-identical in all; JS bit-identical in %d, "
                + "worst |JS - JVM| = %.3g (tolerance %.0g)%n", total, jsExact, worstJs, JS_TOLERANCE);
    }

    /** The garden packages and the held-out file each is evaluated on (the contract's labels name the classes). */
    static final Map<String, String> GARDEN = config("langid", "langid-heldout.tsv", "langid-int8",
            "langid-heldout.tsv", "langid-small", "langid-heldout.tsv", "langid-small-int8", "langid-heldout.tsv",
            "langid-nordic", "langid-heldout.tsv",
            "langid-merged", "langid-heldout.tsv", "langid-pruned", "langid-heldout.tsv", "sentiment",
            "sentiment-heldout.tsv");

    @Test
    @SuppressWarnings("unchecked")
    void gardenModelsGiveTheJvmsOutputsOnTheirHeldOutData() throws Exception {
        Path examples = Path.of("..", "examples");
        int pairs = 0;
        int jsSameClass = 0;
        double worstJs = 0;
        for (Map.Entry<String, String> g : GARDEN.entrySet()) {
            Path dir = examples.resolve("garden").resolve(g.getKey());
            Contract contract = Contract.parse(Files.readAllBytes(dir.resolve("grove.json")));
            Map<String, String> config = ContractArchitecture.config(contract.architecture());
            byte[] w = Files.readAllBytes(dir.resolve("weights/model.safetensors"));
            Model m = Model.load(Architecture.fromConfig(config), SafetensorsFile.parse(w));
            Dataset held = Dataset.parse(Files.readAllBytes(examples.resolve("data").resolve(g.getValue())));
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < held.size(); i++) {
                texts.add(held.text(i));
            }
            String b64 = Base64.getEncoder().encodeToString(w);
            List<Map<String, Object>> wasm = (List<Map<String, Object>>) page.evaluate(RUN_ALL,
                    List.of("wasm-gc", config, b64, texts));
            List<Map<String, Object>> js = (List<Map<String, Object>>) page.evaluate(RUN_ALL,
                    List.of("js", config, b64, texts));
            for (int i = 0; i < texts.size(); i++) {
                float[] jvm = m.predict(texts.get(i));
                String where = "garden/" + g.getKey() + " on held-out line " + (i + 1);
                assertThat(wasm.get(i).get("bits")).as("Wasm-GC bits, " + where).isEqualTo(bits(jvm));
                List<Number> jsValues = (List<Number>) js.get(i).get("values");
                assertThat(jsValues).as("JS output length, " + where).hasSize(jvm.length);
                int jsBest = 0;
                for (int k = 0; k < jvm.length; k++) {
                    double d = Math.abs(jsValues.get(k).doubleValue() - jvm[k]);
                    assertThat(d).as("|JS - JVM| of class " + k + ", " + where).isLessThanOrEqualTo(JS_TOLERANCE);
                    worstJs = Math.max(worstJs, d);
                    jsBest = jsValues.get(k).doubleValue() > jsValues.get(jsBest).doubleValue() ? k : jsBest;
                }
                jsSameClass += jsBest == argmax(jvm) ? 1 : 0;
                pairs++;
            }
        }
        System.out.printf("garden parity: %d held-out inputs over %d packages; Wasm-GC bit-identical in all; JS picks "
                + "the JVM's class in %d, worst |JS - JVM| = %.3g%n", pairs, GARDEN.size(), jsSameClass, worstJs);
        assertThat(pairs).as("held-out inputs run").isGreaterThan(7 * 200);
        assertThat(jsSameClass).as("inputs on which JS picks the JVM's class").isEqualTo(pairs);
    }

    static final String RUN_ADAPTER = """
            ([kind, baseConfig, baseB64, config, b64, inputs]) => {
              const rt = window.rt[kind];
              const bytes = (s) => Uint8Array.from(atob(s), c => c.charCodeAt(0));
              const base = rt.loadUnverified(baseConfig, bytes(baseB64));
              const h = rt.loadAdapterUnverified(base, config, bytes(b64));
              const out = inputs.map(t => {
                const p = rt.runRaw(h, t);
                const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
                const bits = [];
                for (let i = 0; i < p.length; i++) bits.push(dv.getUint32(i * 4, true).toString(16).padStart(8, '0'));
                return { bits: bits.join(' '), values: Array.from(p) };
              });
              rt.release(h);
              rt.release(base);
              return out;
            }""";

    static final String RUN_CASCADE = """
            async ([kind, architecture, members, labels, inputs]) => {
              const rt = window.rt[kind];
              const handles = members.map(([config, b64]) =>
                rt.loadUnverified(config, Uint8Array.from(atob(b64), c => c.charCodeAt(0))));
              const cascade = rt.cascadeUnverified(architecture, handles, labels);
              const out = [];
              for (const t of inputs) {
                const r = await rt.runCascade(cascade, t);
                const dv = new DataView(r.float32.buffer, r.float32.byteOffset, r.float32.byteLength);
                const bits = [];
                for (let i = 0; i < r.float32.length; i++) bits.push(dv.getUint32(i * 4, true).toString(16).padStart(8, '0'));
                out.push({ member: r.member, label: r.label, bits: bits.join(' '), values: r.probabilities });
              }
              rt.release(cascade);
              return out;
            }""";

    /**
     * The garden's adapter over its base, loaded in the page as the run panel does after verifying both: base weights,
     * then W + (alpha/rank)·(B·A)ᵀ computed in the browser; Wasm-GC gives the JVM's bits, JS stays within tolerance.
     */
    @Test
    @SuppressWarnings("unchecked")
    void gardenAdapterOverItsBaseGivesTheJvmsOutputs() throws Exception {
        Path examples = Path.of("..", "examples");
        Path adapterDir = examples.resolve("garden/langid-nordic-adapter");
        Contract contract = Contract.parse(Files.readAllBytes(adapterDir.resolve("grove.json")));
        Path baseDir = examples.resolve("garden").resolve(contract.adapter().orElseThrow().name().name());
        Contract baseContract = Contract.parse(Files.readAllBytes(baseDir.resolve("grove.json")));
        Map<String, String> baseConfig = ContractArchitecture.config(baseContract.architecture());
        Map<String, String> config = ContractArchitecture.config(contract.architecture());
        byte[] bw = Files.readAllBytes(baseDir.resolve("weights/model.safetensors"));
        byte[] aw = Files.readAllBytes(adapterDir.resolve("weights/model.safetensors"));
        Architecture base = Architecture.fromConfig(baseConfig);
        Model m = dev.grove.runtime.model.LoraAdapter.fromConfig(config).load(base, SafetensorsFile.parse(bw),
                SafetensorsFile.parse(aw));
        Model plain = Model.load(base, SafetensorsFile.parse(bw));
        Dataset held = Dataset.parse(Files.readAllBytes(examples.resolve("data/langid-heldout.tsv")));
        List<String> texts = new ArrayList<>(INPUTS);
        for (int i = 0; i < held.size(); i++) {
            texts.add(held.text(i));
        }
        List<Object> args = List.of(baseConfig, Base64.getEncoder().encodeToString(bw), config,
                Base64.getEncoder().encodeToString(aw), texts);
        List<Object> wasmArgs = new ArrayList<>(List.of("wasm-gc"));
        wasmArgs.addAll(args);
        List<Object> jsArgs = new ArrayList<>(List.of("js"));
        jsArgs.addAll(args);
        List<Map<String, Object>> wasm = (List<Map<String, Object>>) page.evaluate(RUN_ADAPTER, wasmArgs);
        List<Map<String, Object>> js = (List<Map<String, Object>>) page.evaluate(RUN_ADAPTER, jsArgs);
        int differsFromBase = 0;
        for (int i = 0; i < texts.size(); i++) {
            float[] jvm = m.predict(texts.get(i));
            String where = "garden adapter on input " + (i + 1);
            assertThat(wasm.get(i).get("bits")).as("Wasm-GC bits, " + where).isEqualTo(bits(jvm));
            List<Number> jsValues = (List<Number>) js.get(i).get("values");
            assertThat(jsValues).as("JS output length, " + where).hasSize(jvm.length);
            for (int k = 0; k < jvm.length; k++) {
                assertThat(Math.abs(jsValues.get(k).doubleValue() - jvm[k])).as("|JS - JVM| of class " + k + ", "
                        + where).isLessThanOrEqualTo(JS_TOLERANCE);
            }
            differsFromBase += bits(jvm).equals(bits(plain.predict(texts.get(i)))) ? 0 : 1;
        }
        // the adapter is applied: these are not the base's outputs
        assertThat(differsFromBase).as("inputs whose output the adapter changes").isGreaterThan(texts.size() / 2);
    }

    /**
     * The garden's cascade on its held-out data and the fixed inputs: the same member answers with the same label on
     * the JVM, in Wasm-GC (same bits) and in JS (within tolerance), and the data reaches both members.
     */
    @Test
    @SuppressWarnings("unchecked")
    void gardenCascadeRoutesAlikeOnJvmWasmGcAndJs() throws Exception {
        Path examples = Path.of("..", "examples");
        Path dir = examples.resolve("garden").resolve("langid-cascade");
        Contract cascade = Contract.parse(Files.readAllBytes(dir.resolve("grove.json")));
        dev.grove.pkg.CascadeConfig config = dev.grove.pkg.CascadeConfig.fromArchitecture(cascade.architecture());
        List<Model> models = new ArrayList<>();
        List<Object> members = new ArrayList<>();
        for (dev.grove.pkg.CascadeMember m : config.members()) {
            Path member = examples.resolve("garden").resolve(m.name().name());
            byte[] contractBytes = Files.readAllBytes(member.resolve("grove.json"));
            assertThat(dev.grove.crypto.Sha256.of(contractBytes)).as(m.ref().toString()).isEqualTo(m.digest());
            Map<String, String> c = ContractArchitecture.config(Contract.parse(contractBytes).architecture());
            byte[] w = Files.readAllBytes(member.resolve("weights/model.safetensors"));
            models.add(Model.load(Architecture.fromConfig(c), SafetensorsFile.parse(w)));
            members.add(List.of(c, Base64.getEncoder().encodeToString(w)));
        }
        dev.grove.runtime.cascade.Cascade jvmCascade = new dev.grove.runtime.cascade.Cascade(config, models);
        Dataset held = Dataset.parse(Files.readAllBytes(examples.resolve("data").resolve("langid-heldout.tsv")));
        List<String> texts = new ArrayList<>(INPUTS);
        for (int i = 0; i < held.size(); i++) {
            texts.add(held.text(i));
        }
        List<String> labels = cascade.outputs().get(0).labels();
        Map<String, Object> arch = new com.google.gson.Gson().fromJson(dev.grove.json.Json.write(cascade.architecture()),
                Map.class);
        List<Map<String, Object>> wasm = (List<Map<String, Object>>) page.evaluate(RUN_CASCADE,
                List.of("wasm-gc", arch, members, labels, texts));
        List<Map<String, Object>> js = (List<Map<String, Object>>) page.evaluate(RUN_CASCADE,
                List.of("js", arch, members, labels, texts));
        int[] answered = new int[config.members().size()];
        for (int i = 0; i < texts.size(); i++) {
            dev.grove.runtime.cascade.Cascade.Answer a = jvmCascade.route(texts.get(i));
            answered[a.member()]++;
            String where = "cascade on input " + (i + 1) + " \"" + texts.get(i) + "\"";
            assertThat(((Number) wasm.get(i).get("member")).intValue()).as("Wasm-GC member, " + where)
                    .isEqualTo(a.member());
            assertThat(wasm.get(i).get("bits")).as("Wasm-GC bits, " + where).isEqualTo(bits(a.probabilities()));
            assertThat(((Number) js.get(i).get("member")).intValue()).as("JS member, " + where).isEqualTo(a.member());
            assertThat(js.get(i).get("label")).as("JS label, " + where).isEqualTo(labels.get(argmax(a.probabilities())));
            List<Number> jsValues = (List<Number>) js.get(i).get("values");
            for (int k = 0; k < jsValues.size(); k++) {
                assertThat(Math.abs(jsValues.get(k).doubleValue() - a.probabilities()[k])).as("|JS - JVM|, " + where)
                        .isLessThanOrEqualTo(JS_TOLERANCE);
            }
        }
        System.out.printf("cascade parity: %d inputs, answered by member %s; JVM, Wasm-GC and JS route alike%n",
                texts.size(), java.util.Arrays.toString(answered));
        for (int count : answered) {
            assertThat(count).as("every member answers some inputs").isPositive();
        }
    }

    static int argmax(float[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            best = p[k] > p[best] ? k : best;
        }
        return best;
    }
}
