package dev.grove.runtime.web;

import dev.grove.crypto.Sha256;
import dev.grove.crypto.StrictBase64;
import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonString;
import dev.grove.json.JsonValue;
import dev.grove.pkg.CascadeConfig;
import dev.grove.pkg.CascadeMember;
import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.Model;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.tlog.ProofException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.teavm.jso.JSBody;
import org.teavm.jso.JSExport;
import org.teavm.jso.typedarrays.Float32Array;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * The browser entry point, compiled by TeaVM to WebAssembly-GC and to JavaScript (see {@code src/main/js/grove.js}, the
 * module that fetches and calls these functions). Every function is synchronous; results that carry more than a number
 * are JSON strings. A package load goes {@link #begin} → {@link #addArtifact} for each artifact → {@link #finish}, as
 * {@link PackageLoader} describes; only {@link #finish} hands out a handle that {@link #run} accepts.
 */
public final class GroveRuntime {
    private static final Map<Integer, PackageLoader> LOADS = new HashMap<>();
    private static final Map<Integer, Handle> HANDLES = new HashMap<>();
    /** Finished loads that an adapter can be loaded over, by handle. */
    private static final Map<Integer, PackageLoader.Base> BASES = new HashMap<>();
    private static int next = 1;

    private static final Map<Integer, RunningCascade> CASCADES = new HashMap<>();

    /** A loaded model; {@code digest} and {@code labels} are empty for weights loaded without verification. */
    private record Handle(Model model, int classes, String digest, List<String> labels) {
    }

    /** A cascade and the members bound so far (null until bound). */
    private static final class RunningCascade {
        final CascadeConfig config;
        /** The verified cascade, or null for one built with {@link #cascadeUnverified}. */
        final LoadedCascade verified;
        final Model[] members;

        RunningCascade(CascadeConfig config, LoadedCascade verified) {
            this.config = config;
            this.verified = verified;
            this.members = new Model[config.members().size()];
        }
    }

    private GroveRuntime() {
    }

    public static void main(String[] args) {
        // a library: everything happens through the exports
    }

    /** The version document's path for {@code ref}, e.g. {@code /v1/packages/demo/langid/versions/1.0.0}. */
    @JSExport
    public static String versionPath(String ref) {
        return PackageLoader.versionPath(ref);
    }

    /** The namespace document's path for {@code ref}. */
    @JSExport
    public static String namespacePath(String ref) {
        return PackageLoader.namespacePath(ref);
    }

    /**
     * Checks the version document (see {@link PackageLoader#begin}); empty strings stand for absent documents.
     *
     * @return {@code {"ok":true,"load":id,"ref","digest","fetch":[{"path","url","size","digest"}],"report":[...]}} or
     *     {@code {"ok":false,"check","error","report":[...]}}
     */
    @JSExport
    public static String begin(String nodeUrl, String ref, String versionDocument, String nodeDocument,
            String namespaceDocument, String pinnedLogKey) {
        PackageLoader l;
        try {
            l = PackageLoader.begin(nodeUrl, ref, versionDocument, absent(nodeDocument), absent(namespaceDocument),
                    absent(pinnedLogKey));
        } catch (PackageRefusedException e) {
            return refusal(e, null);
        }
        int id = next++;
        LOADS.put(id, l);
        return Json.write(JsonObject.builder()
                .put("ok", true)
                .put("load", id)
                .put("ref", l.ref())
                .put("digest", l.packageDigest())
                .put("fetch", l.fetchesJson())
                .put("checkpoint", l.checkpointNote())
                .put("logKey", l.logKey())
                .put("adapter", l.adapterBase().<JsonValue>map(b -> JsonObject.builder()
                        .put("base", JsonObject.builder().put("ref", b.ref().toString())
                                .put("digest", b.digest().toString()).build()).build())
                        .orElse(dev.grove.json.JsonNull.INSTANCE))
                .put("report", l.report().toJson())
                .build());
    }

    /**
     * Holds the checkpoint a load was proven against to {@code before}, the largest of that log this browser verified
     * (see {@link PackageLoader#holdTo}), reading hash tiles from {@code tiles}: a JSON object of tile path to base64
     * bytes, the ones fetched so far.
     *
     * @return {@code {"ok":true,"keep":true|false}} (keep: the new checkpoint is the largest now),
     *     {@code {"ok":false,"need":["tile/0/000.p/5",...]}} (fetch those from the log and call again), or a refusal as
     *     {@link #begin} returns it
     */
    @JSExport
    public static String history(int load, String before, String tiles) {
        PackageLoader l = LOADS.get(load);
        if (l == null) {
            return refusal(new PackageRefusedException("state", "no package load " + load), null);
        }
        JsonObject given;
        try {
            given = Json.parseObject(tiles.isEmpty() ? "{}" : tiles);
        } catch (RuntimeException e) {
            return refusal(new PackageRefusedException("history", "the tiles given are not a JSON object", e), l.report());
        }
        Set<String> need = new LinkedHashSet<>();
        try {
            boolean keep = l.holdTo(before, path -> {
                JsonValue b64 = given.get(path.toString()).orElse(null);
                if (!(b64 instanceof JsonString s)) {
                    need.add(path.toString());
                    throw new ProofException("tile " + path + " not fetched yet");
                }
                return StrictBase64.decode(s.value());
            });
            return Json.write(JsonObject.builder().put("ok", true).put("keep", keep).build());
        } catch (ProofException e) {
            if (!need.isEmpty()) {
                return Json.write(JsonObject.builder().put("ok", false).put("need", JsonArray.ofStrings(
                        new ArrayList<>(need))).build());
            }
            LOADS.remove(load);
            return refusal(new PackageRefusedException("log", "the log's tiles do not show its checkpoints consistent: "
                    + e.getMessage()), l.report());
        } catch (PackageRefusedException e) {
            LOADS.remove(load);
            return refusal(e, l.report());
        }
    }

    /** Checks one artifact's bytes (a {@code Uint8Array} or {@code Int8Array} view) against the contract. */
    @JSExport
    public static String addArtifact(int load, String path, Int8Array bytes) {
        PackageLoader l = LOADS.get(load);
        if (l == null) {
            return refusal(new PackageRefusedException("state", "no package load " + load), null);
        }
        try {
            l.addArtifact(path, toBytes(bytes));
            return "{\"ok\":true}";
        } catch (PackageRefusedException e) {
            LOADS.remove(load);
            return refusal(e, l.report());
        }
    }

    /**
     * As {@link #addArtifact}, with the bytes' SHA-256 computed by the page (WebCrypto's {@code digest}, 64 lowercase
     * hex digits): the check against the contract is this runtime's, as with {@link #addArtifact}.
     */
    @JSExport
    public static String addArtifactHashed(int load, String path, Int8Array bytes, String sha256) {
        PackageLoader l = LOADS.get(load);
        if (l == null) {
            return refusal(new PackageRefusedException("state", "no package load " + load), null);
        }
        Sha256 given;
        try {
            given = Sha256.parse("sha256:" + sha256);
        } catch (IllegalArgumentException e) {
            LOADS.remove(load);
            return refusal(new PackageRefusedException("state", "the page's SHA-256 of " + path + " is not 64 hex "
                    + "digits"), l.report());
        }
        try {
            l.addArtifact(path, toBytes(bytes), b -> given);
            return "{\"ok\":true}";
        } catch (PackageRefusedException e) {
            LOADS.remove(load);
            return refusal(e, l.report());
        }
    }

    /**
     * Completes a load.
     *
     * @return {@code {"ok":true,"handle":h,"ref","digest","labels":[...],"report":[...]}} or a refusal as
     *     {@link #begin} returns it
     */
    @JSExport
    public static String finish(int load) {
        return finish(load, false);
    }

    /**
     * As {@link #finish}, for a package an adapter is then loaded over ({@link #finishOver}): the handle also keeps
     * the base's weights, which the adapter's delta is added to, until it is released.
     */
    @JSExport
    public static String finishBase(int load) {
        return finish(load, true);
    }

    private static String finish(int load, boolean asBase) {
        PackageLoader l = LOADS.remove(load);
        if (l == null) {
            return refusal(new PackageRefusedException("state", "no package load " + load), null);
        }
        if (l.isCascade()) {
            return finishCascade(l);
        }
        LoadedPackage p;
        try {
            p = l.finish();
        } catch (PackageRefusedException e) {
            return refusal(e, l.report());
        }
        int handle = next++;
        HANDLES.put(handle, new Handle(p.model(), p.labels().size(), p.digest(), p.labels()));
        if (asBase) {
            try {
                BASES.put(handle, l.asBase());
            } catch (PackageRefusedException e) {
                // not reached: the load finished
            }
        }
        return finished(handle, p);
    }

    /**
     * Completes the load of an adapter package over its base, loaded before with {@link #finishBase} (the base named by
     * {@code begin}'s {@code adapter.base}).
     *
     * @return as {@link #finish}, or a refusal when the handle is not that base or the adapter does not fit it
     */
    @JSExport
    public static String finishOver(int load, int baseHandle) {
        PackageLoader l = LOADS.remove(load);
        if (l == null) {
            return refusal(new PackageRefusedException("state", "no package load " + load), null);
        }
        PackageLoader.Base base = BASES.get(baseHandle);
        if (base == null) {
            return refusal(new PackageRefusedException("base", "no verified package with handle " + baseHandle
                    + " to load the adapter over"), l.report());
        }
        LoadedPackage p;
        try {
            p = l.finishOver(base);
        } catch (PackageRefusedException e) {
            return refusal(e, l.report());
        }
        int handle = next++;
        HANDLES.put(handle, new Handle(p.model(), p.labels().size(), p.digest(), p.labels()));
        return finished(handle, p);
    }

    private static String finished(int handle, LoadedPackage p) {
        return Json.write(JsonObject.builder()
                .put("ok", true)
                .put("handle", handle)
                .put("ref", p.ref())
                .put("digest", p.digest())
                .put("labels", JsonArray.ofStrings(p.labels()))
                .put("report", p.report().toJson())
                .build());
    }

    /**
     * A finished cascade: {@code {"ok":true,"cascade":c,"ref","digest","labels":[...],"rule","members":[{"ref","digest",
     * "threshold"?}],"report":[...]}}; load each member (by its ref, from the same node) when {@link #cascadeStep} needs
     * it, and bind it with {@link #cascadeMember}.
     */
    private static String finishCascade(PackageLoader l) {
        LoadedCascade c;
        try {
            c = l.finishCascade();
        } catch (PackageRefusedException e) {
            return refusal(e, l.report());
        }
        int id = next++;
        CASCADES.put(id, new RunningCascade(c.config(), c));
        return Json.write(JsonObject.builder()
                .put("ok", true)
                .put("cascade", id)
                .put("ref", c.ref())
                .put("digest", c.digest())
                .put("labels", JsonArray.ofStrings(c.labels()))
                .put("rule", c.config().rule().wireName())
                .put("members", membersJson(c.config()))
                .put("report", c.report().toJson())
                .build());
    }

    private static JsonArray membersJson(CascadeConfig config) {
        List<JsonValue> members = new ArrayList<>();
        for (int i = 0; i < config.members().size(); i++) {
            CascadeMember m = config.members().get(i);
            JsonObject.Builder b = JsonObject.builder().put("ref", m.ref().toString()).put("digest", m.digest().toString());
            if (i < config.thresholds().size()) {
                b.put("threshold", (double) config.thresholds().get(i));
            }
            members.add(b.build());
        }
        return JsonArray.of(members);
    }

    /**
     * Binds member {@code index} of a cascade to a loaded package ({@link #finish}'s handle): refused unless the package
     * has the digest the cascade names for that member and the cascade's labels.
     *
     * @return {@code {"ok":true}} or {@code {"ok":false,"check":"member","error"}}
     */
    @JSExport
    public static String cascadeMember(int cascade, int index, int handle) {
        RunningCascade c = CASCADES.get(cascade);
        Handle h = HANDLES.get(handle);
        if (c == null || h == null || index < 0 || index >= c.members.length) {
            return refusal(new PackageRefusedException("state", "no cascade " + cascade + ", member " + index
                    + " or package handle " + handle), null);
        }
        if (c.verified != null) {
            java.util.Optional<String> problem = c.verified.memberProblem(index, h.digest(), h.labels());
            if (problem.isPresent()) {
                return refusal(new PackageRefusedException("member", problem.get()), null);
            }
        }
        c.members[index] = h.model();
        return "{\"ok\":true}";
    }

    /**
     * Runs member {@code index} of a cascade on {@code text} and decides whether it answers: its probabilities
     * followed by one more value, 1 when this member answers (the last member always does) and 0 when the input goes on
     * to the next member; null when the cascade is unknown or the member is not bound yet.
     */
    @JSExport
    public static Float32Array cascadeStep(int cascade, int index, String text) {
        RunningCascade c = CASCADES.get(cascade);
        if (c == null || index < 0 || index >= c.members.length || c.members[index] == null) {
            return null;
        }
        float[] p = c.members[index].predict(text);
        float[] out = new float[p.length + 1];
        System.arraycopy(p, 0, out, 0, p.length);
        out[p.length] = c.config.answers(index, p) ? 1f : 0f;
        return Float32Array.copyFromJavaArray(out);
    }

    /**
     * A cascade from a contract's {@code architecture} block with <b>no verification at all</b> (tests, benchmarks):
     * members bound to it with {@link #cascadeMember} are not compared with the digests it names.
     *
     * @return {@code {"ok":true,"cascade":c,"members":[...]}} or {@code {"ok":false,"error"}}
     */
    @JSExport
    public static String cascadeUnverified(String architecture) {
        try {
            CascadeConfig config = CascadeConfig.fromArchitecture(Json.parseObject(architecture));
            int id = next++;
            CASCADES.put(id, new RunningCascade(config, null));
            return Json.write(JsonObject.builder().put("ok", true).put("cascade", id)
                    .put("members", membersJson(config)).build());
        } catch (RuntimeException e) {
            return Json.write(JsonObject.builder().put("ok", false).put("error", String.valueOf(e.getMessage()))
                    .build());
        }
    }

    /** Class probabilities for {@code text}, or null for an unknown handle. */
    @JSExport
    public static Float32Array run(int handle, String text) {
        Handle h = HANDLES.get(handle);
        if (h == null) {
            return null;
        }
        return Float32Array.copyFromJavaArray(h.model().predict(text));
    }

    /** Forgets a handle or an unfinished load. */
    @JSExport
    public static void release(int handle) {
        HANDLES.remove(handle);
        BASES.remove(handle);
        LOADS.remove(handle);
        CASCADES.remove(handle);
    }

    /**
     * Loads weights with <b>no verification at all</b> (for bytes the caller already trusts: tests, benchmarks, a file
     * the user picked). {@code config} is the runtime's flat configuration as a JSON object of strings.
     *
     * @return {@code {"ok":true,"handle":h,"classes":n}} or {@code {"ok":false,"error"}}
     */
    @JSExport
    public static String loadUnverified(String config, Int8Array weights) {
        try {
            Map<String, String> c = new LinkedHashMap<>();
            for (Map.Entry<String, JsonValue> e : Json.parseObject(config).members().entrySet()) {
                c.put(e.getKey(), ((JsonString) e.getValue()).value());
            }
            Architecture a = Architecture.fromConfig(c);
            Model m = Model.load(a, SafetensorsFile.parse(toBytes(weights)));
            int handle = next++;
            HANDLES.put(handle, new Handle(m, a.classes(), "", List.of()));
            BASES.put(handle, new PackageLoader.Base("unverified", "unverified", "unverified", List.of(), a,
                    SafetensorsFile.parse(toBytes(weights))));
            return Json.write(JsonObject.builder().put("ok", true).put("handle", handle).put("classes", a.classes())
                    .build());
        } catch (Exception e) {
            return Json.write(JsonObject.builder().put("ok", false).put("error", String.valueOf(e.getMessage()))
                    .build());
        }
    }

    /**
     * Loads adapter weights over a handle from {@link #loadUnverified}, with <b>no verification at all</b> (tests,
     * benchmarks). {@code config} is the adapter's flat configuration ({@code architecture=lora, rank, alpha}).
     *
     * @return {@code {"ok":true,"handle":h,"classes":n}} or {@code {"ok":false,"error"}}
     */
    @JSExport
    public static String loadAdapterUnverified(int baseHandle, String config, Int8Array weights) {
        try {
            PackageLoader.Base base = BASES.get(baseHandle);
            if (base == null) {
                throw new IllegalArgumentException("no base with handle " + baseHandle);
            }
            Map<String, String> c = new LinkedHashMap<>();
            for (Map.Entry<String, JsonValue> e : Json.parseObject(config).members().entrySet()) {
                c.put(e.getKey(), ((JsonString) e.getValue()).value());
            }
            Model m = dev.grove.runtime.model.LoraAdapter.fromConfig(c).load(base.architecture(), base.weights(),
                    SafetensorsFile.parse(toBytes(weights)));
            int handle = next++;
            HANDLES.put(handle, new Handle(m, base.architecture().classes(), "", List.of()));
            return Json.write(JsonObject.builder().put("ok", true).put("handle", handle)
                    .put("classes", base.architecture().classes()).build());
        } catch (Exception e) {
            return Json.write(JsonObject.builder().put("ok", false).put("error", String.valueOf(e.getMessage()))
                    .build());
        }
    }

    /**
     * Starts an anonymous-report token from the node's issuer document ({@code GET /v1/reports/issuer}), blinded with
     * {@code crypto.getRandomValues}.
     *
     * @return {@code {"ok":true,"request":id,"keyId","blindedMessage"}} (send the blinded message to
     *     {@code POST /v1/reports/tokens}) or {@code {"ok":false,"error"}}
     */
    @JSExport
    public static String reportTokenBegin(String issuerDocument) {
        return BrowserReports.begin(issuerDocument, GroveRuntime::cryptoRandom);
    }

    /**
     * Finishes a token with the node's blind signature: unblinds and verifies it.
     *
     * @return {@code {"ok":true,"token":{"keyId","message","signature"}}} or {@code {"ok":false,"error"}}
     */
    @JSExport
    public static String reportTokenFinish(int request, String blindSignature) {
        return BrowserReports.finish(request, blindSignature);
    }

    /** The randomized-response answer to send for the visitor's true answer (epsilon ln 3). */
    @JSExport
    public static boolean reportRandomize(boolean helped) {
        return BrowserReports.randomize(helped, GroveRuntime::cryptoRandom);
    }

    private static void cryptoRandom(byte[] out) {
        Int8Array random = randomValues(out.length);
        byte[] bytes = toBytes(random);
        System.arraycopy(bytes, 0, out, 0, out.length);
    }

    @JSBody(params = "n", script = "var a = new Int8Array(n); crypto.getRandomValues(a); return a;")
    private static native Int8Array randomValues(int n);

    /**
     * Copies a JavaScript byte view into a Java array with one bulk copy through a direct buffer (in Wasm-GC the fast
     * path; element-wise copies cost a boundary crossing per byte).
     */
    static byte[] toBytes(Int8Array view) {
        int n = view.getLength();
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(n, 1));
        Int8Array.fromJavaBuffer(buffer).set(Int8Array.create(view.getBuffer(), view.getByteOffset(), n));
        byte[] out = new byte[n];
        buffer.get(out, 0, n);
        return out;
    }

    private static String absent(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String refusal(PackageRefusedException e, Report report) {
        JsonObject.Builder b = JsonObject.builder()
                .put("ok", false)
                .put("check", e.check())
                .put("error", e.getMessage());
        Report r = e.report() != null ? e.report() : report;
        if (r != null) {
            b.put("report", r.toJson());
        }
        return Json.write(b.build());
    }
}
