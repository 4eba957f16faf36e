package dev.grove.cli;

import dev.grove.cli.command.CommandFailure;
import dev.grove.crypto.KeyId;
import dev.grove.note.NoteException;
import dev.grove.note.NoteVerifier;
import dev.grove.verify.TrustPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The log half of a client's trust policy: {@code --log-key KEY}, {@code --witness KEY ... --min-witnesses K} and
 * {@code --max-age AGE}. The checkpoint a version is proven against must be signed by the log's key (given, or pinned),
 * carry valid cosignatures (c2sp.org/tlog-cosignature) by at least K of the witnesses, so that a node showing this client
 * a history it did not show the witnesses is refused, and be cosigned recently enough, so that a node showing a frozen
 * old view is refused.
 */
public final class WitnessOptions {

    @Option(names = "--witness", paramLabel = "KEY", arity = "1..*",
            description = "Verifier key of a witness whose cosignature counts (repeatable); a Grove node publishes its"
                    + " witness key at /.well-known/grove/witness-key.")
    List<String> witnesses = new ArrayList<>();

    @Option(names = "--min-witnesses", paramLabel = "K",
            description = "How many of the --witness keys must have cosigned the checkpoint (default: 1 when --witness"
                    + " is given).")
    Integer minWitnesses;

    @Option(names = "--max-age", paramLabel = "AGE",
            description = "Refuse a checkpoint whose freshest cosignature by a --witness is older than AGE (e.g. 90s,"
                    + " 15m, 2h, 1d): a node that keeps showing an old view of its log is caught.")
    String maxAge;

    @Option(names = "--log-key", paramLabel = "KEY",
            description = "The log's verifier key, pinned for its origin (default: the key pinned earlier, else the one"
                    + " the log's own node publishes at /.well-known/grove/node, pinned on first use).")
    String logKey;

    /** The {@code --log-key} given, if any. */
    public Optional<String> logKey() {
        return Optional.ofNullable(logKey);
    }

    /**
     * The policy for a log held to {@code key}, with these publisher keys (empty: the namespace's).
     *
     * @throws CommandFailure (usage) for a malformed witness key, K or age
     */
    public TrustPolicy policy(NoteVerifier key, Set<KeyId> publishers) {
        List<NoteVerifier> keys = new ArrayList<>();
        for (String text : witnesses) {
            NoteVerifier w;
            try {
                w = NoteVerifier.parse(text.trim());
            } catch (NoteException e) {
                throw CommandFailure.usage("--witness: " + e.getMessage());
            }
            if (w.type() != NoteVerifier.COSIGNATURE_V1) {
                throw CommandFailure.usage("--witness " + w + " is not a witness (cosignature/v1, type 0x04) key");
            }
            keys.add(w);
        }
        int k = minWitnesses != null ? minWitnesses : keys.isEmpty() ? 0 : 1;
        if (k < 0 || k > keys.size()) {
            throw CommandFailure.usage("--min-witnesses must be between 0 and the number of --witness keys ("
                    + keys.size() + "), got " + k);
        }
        long age = maxAge == null ? 0 : seconds(maxAge);
        if (age > 0 && keys.isEmpty()) {
            throw CommandFailure.usage("--max-age needs --witness: a checkpoint's age is the time of its freshest "
                    + "cosignature by a witness you know");
        }
        return TrustPolicy.forLog(key).withPublishers(publishers).withWitnesses(keys, k).withMaxAge(age);
    }

    /** These options as command-line arguments again (for a command that runs {@code grove pull} itself). */
    List<String> arguments() {
        List<String> args = new ArrayList<>();
        for (String w : witnesses) {
            args.add("--witness");
            args.add(w);
        }
        if (minWitnesses != null) {
            args.add("--min-witnesses");
            args.add(minWitnesses.toString());
        }
        if (maxAge != null) {
            args.add("--max-age");
            args.add(maxAge);
        }
        if (logKey != null) {
            args.add("--log-key");
            args.add(logKey);
        }
        return args;
    }

    /** {@code 90}, {@code 90s}, {@code 15m}, {@code 2h}, {@code 1d} as seconds. */
    static long seconds(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (!t.isEmpty() && "smhd".indexOf(t.charAt(t.length() - 1)) >= 0) {
            unit = switch (t.charAt(t.length() - 1)) {
                case 'm' -> 60;
                case 'h' -> 3600;
                case 'd' -> 86400;
                default -> 1;
            };
            t = t.substring(0, t.length() - 1);
        }
        try {
            long n = Long.parseLong(t);
            if (n <= 0 || n > Long.MAX_VALUE / unit) {
                throw new NumberFormatException();
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw CommandFailure.usage("--max-age '" + text + "' is not a positive age such as 90s, 15m, 2h or 1d");
        }
    }
}
