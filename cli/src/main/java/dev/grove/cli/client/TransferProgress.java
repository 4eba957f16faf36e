package dev.grove.cli.client;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of one upload or download, written to the error stream so that standard output stays parseable. On a terminal
 * one line is redrawn in place at most {@value #UPDATES_PER_SECOND} times a second; elsewhere (a pipe, a CI log, a test)
 * a single line is written when the transfer ends.
 */
public final class TransferProgress {
    static final int UPDATES_PER_SECOND = 4;
    private static final long INTERVAL_NANOS = 1_000_000_000L / UPDATES_PER_SECOND;

    private final PrintWriter err;
    private final String label;
    private final long total;
    private final boolean interactive;
    private final long started = System.nanoTime();
    private long transferred;
    private long lastDrawn = Long.MIN_VALUE;
    private boolean finished;

    /**
     * @param verb        what happens to the bytes, e.g. "upload" or "download"
     * @param label       what is transferred, e.g. the artifact's path
     * @param total       the expected number of bytes
     * @param interactive true when {@code err} is a terminal that understands carriage returns
     */
    public TransferProgress(PrintWriter err, String verb, String label, long total, boolean interactive) {
        this.err = err;
        this.label = verb + " " + label;
        this.total = total;
        this.interactive = interactive;
    }

    /** True when the error stream is most likely a terminal (there is a console and no one redirected it). */
    public static boolean terminalAttached() {
        return System.console() != null;
    }

    /** Counts {@code bytes} more; redraws the line when enough time has passed. Safe to call from any one thread. */
    public synchronized void advance(long bytes) {
        transferred += bytes;
        if (!interactive || finished) {
            return;
        }
        long now = System.nanoTime();
        if (lastDrawn == Long.MIN_VALUE || now - lastDrawn >= INTERVAL_NANOS) {
            lastDrawn = now;
            err.print("\r" + line() + "   ");
            err.flush();
        }
    }

    /** Ends the transfer: draws the final state on its own line. Calling it twice does nothing. */
    public synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        String rate = bytes((long) (transferred / seconds)) + "/s";
        err.print((interactive ? "\r" : "") + line() + "  " + rate + "   \n");
        err.flush();
    }

    public synchronized long transferred() {
        return transferred;
    }

    private String line() {
        long percent = total <= 0 ? 100 : Math.min(100, transferred * 100 / total);
        return label + "  " + bytes(transferred) + " / " + bytes(total) + "  " + percent + "%";
    }

    /** A byte count for people, in SI units (base 1000) as the site shows them: {@code 812 B}, {@code 4.1 kB}, {@code 12.0 MB}. */
    public static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = n;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
