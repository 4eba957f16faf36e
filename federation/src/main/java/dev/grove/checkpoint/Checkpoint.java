package dev.grove.checkpoint;

import dev.grove.crypto.StrictBase64;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A checkpoint body (C2SP tlog-checkpoint): the origin line, the tree size in decimal without leading zeros, the base64
 * RFC 6962 root hash, then optional non-empty extension lines, each line ending in a newline. {@link #parse} accepts
 * exactly what {@link #format()} prints.
 *
 * @param origin the log's identity; in Grove {@code <node host>/grove-log}
 * @param size number of entries in the tree
 * @param rootHash the 32-byte root hash (copied in and out)
 * @param extensions extension lines, usually none
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {
    /** Largest checkpoint body accepted by {@link #parse}. */
    public static final int MAX_SIZE = 64 * 1024;

    public Checkpoint {
        if (origin.isEmpty() || origin.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("checkpoint origin must be one non-empty line, got '" + origin + "'");
        }
        if (size < 0) {
            throw new IllegalArgumentException("checkpoint size must not be negative, got " + size);
        }
        if (rootHash.length != 32) {
            throw new IllegalArgumentException("checkpoint root hash must have 32 bytes, got " + rootHash.length);
        }
        rootHash = rootHash.clone();
        for (String e : extensions) {
            if (e.isEmpty() || e.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("checkpoint extension lines must be non-empty single lines");
            }
        }
        extensions = java.util.Collections.unmodifiableList(new ArrayList<>(extensions));
    }

    /** A checkpoint without extension lines. */
    public Checkpoint(String origin, long size, byte[] rootHash) {
        this(origin, size, rootHash, List.of());
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /**
     * Parses a checkpoint body (a note's text, ending in a newline). Does not check any signature.
     *
     * @throws CheckpointException naming the first rule the body breaks
     */
    public static Checkpoint parse(String body) throws CheckpointException {
        if (body.length() > MAX_SIZE) {
            throw new CheckpointException("checkpoint has " + body.length() + " characters, at most " + MAX_SIZE
                    + " are accepted");
        }
        if (body.isEmpty() || body.charAt(body.length() - 1) != '\n') {
            throw new CheckpointException("checkpoint does not end with a newline");
        }
        List<String> lines = new ArrayList<>();
        int from = 0;
        for (int i = body.indexOf('\n'); i >= 0; i = body.indexOf('\n', from)) {
            lines.add(body.substring(from, i));
            from = i + 1;
        }
        if (lines.size() < 3) {
            throw new CheckpointException("checkpoint has " + lines.size() + " lines, at least 3 are needed");
        }
        String origin = lines.get(0);
        if (origin.isEmpty()) {
            throw new CheckpointException("checkpoint origin line is empty");
        }
        long size = parseSize(lines.get(1));
        byte[] root;
        try {
            root = StrictBase64.decode(lines.get(2));
        } catch (IllegalArgumentException e) {
            root = null;
        }
        if (root == null || root.length != 32) {
            throw new CheckpointException("checkpoint root hash is not the base64 of 32 bytes: '"
                    + abbreviate(lines.get(2)) + "'");
        }
        List<String> extensions = new ArrayList<>();
        for (int i = 3; i < lines.size(); i++) {
            if (lines.get(i).isEmpty()) {
                throw new CheckpointException("checkpoint line " + (i + 1) + " is empty");
            }
            extensions.add(lines.get(i));
        }
        return new Checkpoint(origin, size, root, extensions);
    }

    private static long parseSize(String s) throws CheckpointException {
        boolean ok = !s.isEmpty() && s.length() <= 19 && (s.length() == 1 || s.charAt(0) != '0');
        for (int i = 0; ok && i < s.length(); i++) {
            ok = s.charAt(i) >= '0' && s.charAt(i) <= '9';
        }
        if (ok && s.length() == 19 && s.compareTo("9223372036854775807") > 0) {
            ok = false;
        }
        if (!ok) {
            throw new CheckpointException("checkpoint size is not a decimal number without leading zeros: '"
                    + abbreviate(s) + "'");
        }
        return Long.parseLong(s);
    }

    /** The body: origin, size, base64 root hash and extension lines, each followed by a newline. */
    public String format() {
        StringBuilder sb = new StringBuilder(origin).append('\n').append(size).append('\n')
                .append(StrictBase64.encode(rootHash)).append('\n');
        for (String e : extensions) {
            sb.append(e).append('\n');
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && c.origin.equals(origin) && c.size == size
                && Arrays.equals(c.rootHash, rootHash) && c.extensions.equals(extensions);
    }

    @Override
    public int hashCode() {
        return (origin.hashCode() * 31 + Long.hashCode(size)) * 31 + Arrays.hashCode(rootHash);
    }

    @Override
    public String toString() {
        return "Checkpoint[" + origin + " " + size + " " + StrictBase64.encode(rootHash)
                + (extensions.isEmpty() ? "" : " " + extensions) + "]";
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
