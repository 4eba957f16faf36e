package dev.grove.node.mirror;

import dev.grove.federation.Fault;
import dev.grove.note.Cosignature;
import dev.grove.note.Note;
import dev.grove.note.NoteException;
import dev.grove.note.NoteSignature;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * What {@code GET /v1/peers} and {@code grove peers} say of one source of a followed log (a peer): its state, why, and
 * the facts behind it (last contact, the last checkpoint it served, the log's last new checkpoint, the source's current
 * fault, the size this node cosigned of the log as a witness).
 *
 * <p>The state is the first that holds of: {@code quarantined} (the log's proven misbehaviour), {@code unreachable} (the
 * source's current fault is a connection failure, a timeout or an HTTP error), {@code faulty} (any other fault of the
 * source), {@code standby} (never asked: another source of the log answered every round), {@code behind} (entries of
 * the log's verified checkpoint not copied yet), {@code stale} (no newer checkpoint, while this node's witness cosigned
 * a larger one of that log: the log, or the path to it, serves an old one), {@code caught-up}. The log's own state
 * ({@code logState}) is the same without the source's part: quarantined, behind, stale or caught up.
 */
final class PeerStatus {

    /** A peer's state. */
    enum State {
        CAUGHT_UP("caught-up"), BEHIND("behind"), STALE("stale"), STANDBY("standby"), UNREACHABLE("unreachable"),
        FAULTY("faulty"), QUARANTINED("quarantined");

        private final String wireName;

        State(String wireName) {
            this.wireName = wireName;
        }

        String wireName() {
            return wireName;
        }

        static State fromWireName(String name) {
            for (State s : values()) {
                if (s.wireName.equals(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown peer state '" + name + "'");
        }
    }

    private PeerStatus() {
    }

    /**
     * The source's JSON document from its {@code peers} row joined with its log's {@code mirrored_logs} row and this
     * node's witness state of that log.
     */
    static JsonObject describe(Row r, OffsetDateTime now) {
        Long size = r.getLong("checkpoint_size");
        long next = r.getLong("next_entry");
        OffsetDateTime checked = r.getOffsetDateTime("checked_at");
        String note = r.getString("checkpoint_note");
        JsonObject checkpoint = null;
        if (size != null) {
            checkpoint = new JsonObject()
                    .put("size", size)
                    .put("root", PeerStore.b64(r.getBuffer("checkpoint_root").getBytes()))
                    .put("note", note)
                    .put("cosignedAt", freshestCosignature(note, r.getString("origin")).map(Instant::toString)
                            .orElse(null));
        }
        Long witnessedSize = r.getLong("witnessed_size");
        OffsetDateTime witnessedAt = r.getOffsetDateTime("witnessed_at");
        JsonObject witnessed = witnessedSize == null ? null
                : new JsonObject().put("size", witnessedSize).put("at", text(witnessedAt));
        String kind = r.getString("fault_kind");
        JsonObject fault = kind == null ? null : new JsonObject()
                .put("kind", kind)
                .put("reason", r.getString("fault_reason"))
                .put("since", text(r.getOffsetDateTime("fault_since")))
                .put("attempts", r.getInteger("fault_attempts"))
                .put("nextRetry", text(r.getOffsetDateTime("next_retry")));
        OffsetDateTime grown = r.getOffsetDateTime("grown_at");

        long verified = size == null ? 0 : size;
        Optional<String> frozen = witnessedSize != null && witnessedSize > verified
                ? Optional.of("served checkpoint of size " + verified + ", but this node cosigned size " + witnessedSize
                + " of that log at " + text(witnessedAt))
                : Optional.empty();
        // the log's state, whichever source it was read from
        State logState;
        String logReason;
        if ("quarantined".equals(r.getString("status"))) {
            logState = State.QUARANTINED;
            logReason = r.getString("reason");
        } else if (size == null) {
            logState = State.BEHIND;
            logReason = "no checkpoint verified yet";
        } else if (next < size) {
            logState = State.BEHIND;
            logReason = (size - next) + " entries of the verified checkpoint of size " + size + " not copied yet";
        } else if (frozen.isPresent()) {
            logState = State.STALE;
            logReason = frozen.get();
        } else {
            logState = State.CAUGHT_UP;
            logReason = "holds every entry of the verified checkpoint of size " + size;
        }
        if (frozen.isPresent() && logState != State.STALE && logState != State.QUARANTINED) {
            logReason = logReason + "; " + frozen.get();
        }
        State state = logState;
        String reason = logReason;
        if (logState != State.QUARANTINED && kind != null) {
            boolean down = kind.equals(Fault.Kind.UNREACHABLE.wireName()) || kind.equals(Fault.Kind.HTTP_ERROR.wireName());
            state = down ? State.UNREACHABLE : State.FAULTY;
            reason = (down ? "unreachable since " + text(r.getOffsetDateTime("fault_since")) + ": " : kind + ": ")
                    + r.getString("fault_reason") + " (" + r.getInteger("fault_attempts") + " failed attempts, next at "
                    + text(r.getOffsetDateTime("next_retry")) + ")";
        } else if (logState != State.QUARANTINED && r.getOffsetDateTime("contacted_at") == null
                && r.getLong("contacted_sources") > 0) {
            state = State.STANDBY;
            reason = "not asked yet: another source of log " + r.getString("origin") + " answered every round";
        }
        Long seen = r.getLong("seen_size");
        return new JsonObject()
                .put("url", r.getString("url"))
                .put("origin", r.getString("origin"))
                .put("logKey", r.getString("log_key"))
                .put("status", r.getString("status"))
                .put("reason", r.getString("reason"))
                .put("state", state.wireName())
                .put("stateReason", reason)
                .put("treeSize", size)
                .put("nextEntry", next)
                .put("servedSize", r.getLong("log_size"))
                .put("checkpoint", checkpoint)
                .put("lagEntries", size == null ? null : size - next)
                .put("lagSeconds", checked == null ? null
                        : Math.max(0, Duration.between(checked, now).toMillis()) / 1000.0)
                .put("checkedAt", text(checked))
                .put("lastContact", text(r.getOffsetDateTime("contacted_at")))
                .put("lastCheckpoint", size == null || grown == null ? null
                        : new JsonObject().put("size", size).put("at", text(grown)))
                .put("fault", fault)
                .put("lastServed", seen == null ? null
                        : new JsonObject().put("size", seen).put("at", text(r.getOffsetDateTime("seen_at"))))
                .put("logState", logState.wireName())
                .put("logStateReason", logReason)
                .put("witnessed", witnessed);
    }

    /**
     * The latest time a witness cosignature on the note claims (c2sp.org/tlog-cosignature timestamps), not verified:
     * this node holds no key of the peer's witnesses. Lines by the log's own key, or not 72 bytes long, are not
     * cosignatures.
     */
    static Optional<Instant> freshestCosignature(String note, String origin) {
        if (note == null) {
            return Optional.empty();
        }
        Optional<Instant> latest = Optional.empty();
        try {
            for (NoteSignature line : Note.parse(note).signatures()) {
                if (line.name().equals(origin) || line.signature().length != Cosignature.SIGNATURE_LENGTH) {
                    continue;
                }
                Instant t = Instant.ofEpochSecond(Cosignature.parse(line).timestamp());
                if (latest.isEmpty() || t.isAfter(latest.get())) {
                    latest = Optional.of(t);
                }
            }
        } catch (NoteException | java.time.DateTimeException e) {
            return latest;
        }
        return latest;
    }

    private static String text(OffsetDateTime t) {
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).toString();
    }
}
