package dev.grove.verify;

import dev.grove.crypto.StrictBase64;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonString;
import dev.grove.json.JsonValue;
import dev.grove.tlog.MerkleHash;
import java.util.ArrayList;
import java.util.List;

/**
 * What a version document says about the version's place in its origin's log (its {@code log} member), and what
 * {@code grove pull} keeps beside a package ({@value #FILE}, the members of {@link Included}).
 */
public sealed interface LogProof {
    /** The file {@code grove pull} writes into a package directory. */
    String FILE = "grove.log.json";
    /** Far more than a tree of 2^63 leaves needs: a cap on hostile input. */
    int MAX_HASHES = 128;

    /** The document carries no {@code log} member. */
    record Absent() implements LogProof {
    }

    /** The entry has an index but is not in a signed checkpoint yet ({@code {"index": N}}). */
    record Pending(long index) implements LogProof {
    }

    /** Entry {@code index} of the tree of {@code treeSize} in {@code checkpoint} (a signed note), with its proof. */
    record Included(long index, long treeSize, String checkpoint, List<byte[]> inclusion) implements LogProof {
        public Included {
            inclusion = List.copyOf(inclusion);
        }

        /** The {@value #FILE} document. */
        public JsonObject toJson() {
            List<JsonValue> hashes = new ArrayList<>();
            inclusion.forEach(h -> hashes.add(new JsonString(StrictBase64.encode(h))));
            return JsonObject.builder()
                    .put("index", index)
                    .put("treeSize", treeSize)
                    .put("checkpoint", checkpoint)
                    .put("inclusion", JsonArray.of(hashes))
                    .build();
        }
    }

    /**
     * The proof in a version document's {@code log} member (absent, pending or included).
     *
     * @throws Refusal DOCUMENT when it is malformed
     */
    static LogProof of(JsonObject versionDocument) {
        JsonValue log = versionDocument.get("log").orElse(null);
        if (log == null) {
            return new Absent();
        }
        if (!(log instanceof JsonObject o)) {
            throw new Refusal(Refusal.Check.DOCUMENT, "the version document's log proof is not an object");
        }
        if (!o.has("checkpoint")) {
            try {
                return new Pending(o.integer("index"));
            } catch (RuntimeException e) {
                throw new Refusal(Refusal.Check.DOCUMENT, "the version document's log proof is malformed: "
                        + e.getMessage(), e);
            }
        }
        return included(o, "the version document's log proof");
    }

    /**
     * Parses {@code {"index","treeSize","checkpoint","inclusion":[base64...]}}.
     *
     * @param what names the proof in messages
     * @throws Refusal DOCUMENT when it is malformed
     */
    static Included included(JsonObject o, String what) {
        try {
            long index = o.integer("index");
            long size = o.integer("treeSize");
            String checkpoint = o.string("checkpoint");
            JsonArray hashes = o.array("inclusion");
            if (hashes.size() > MAX_HASHES) {
                throw new IllegalArgumentException("it has " + hashes.size() + " hashes; at most " + MAX_HASHES);
            }
            List<byte[]> inclusion = new ArrayList<>();
            for (int i = 0; i < hashes.size(); i++) {
                byte[] h = StrictBase64.decode(hashes.string(i));
                if (h.length != MerkleHash.SIZE) {
                    throw new IllegalArgumentException("inclusion[" + i + "] is not a 32-byte hash");
                }
                inclusion.add(h);
            }
            return new Included(index, size, checkpoint, inclusion);
        } catch (RuntimeException e) {
            throw new Refusal(Refusal.Check.DOCUMENT, what + " is malformed: " + e.getMessage(), e);
        }
    }
}
