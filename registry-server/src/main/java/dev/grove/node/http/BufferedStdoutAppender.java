package dev.grove.node.http;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Log lines to standard output in batches: written into a 64 KiB buffer and flushed when it fills and every
 * {@link #setFlushMillis flushMillis} (100 ms by default), instead of one {@code write} per line as a console appender
 * does ({@code System.out} flushes every write). For the access log, which writes a line per request: behind its queue
 * (logback.xml) one system call then carries hundreds of lines, and a line reaches the output at most
 * {@code flushMillis} late. A batch always ends at the end of a line (the buffer is flushed before a line that does
 * not fit), so lines written to the same output by other appenders never cut into these. Stopping flushes; standard
 * output stays open.
 */
public final class BufferedStdoutAppender extends OutputStreamAppender<ILoggingEvent> {

    static final int BUFFER_BYTES = 64 * 1024;

    private long flushMillis = 100;
    private ScheduledExecutorService flusher;

    /** How late a line may reach the output, at most (milliseconds, at least 1). */
    public void setFlushMillis(long flushMillis) {
        this.flushMillis = Math.max(1, flushMillis);
    }

    @Override
    public void start() {
        setImmediateFlush(false);
        setOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), BUFFER_BYTES));
        super.start();
        flusher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "grove-log-flush");
            thread.setDaemon(true);
            return thread;
        });
        flusher.scheduleWithFixedDelay(this::flush, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (flusher != null) {
            flusher.shutdownNow();
        }
        super.stop();
    }

    /** Flushes instead of closing: the stream is the process's standard output. */
    @Override
    protected void closeOutputStream() {
        flush();
    }

    private void flush() {
        streamWriteLock.lock();
        try {
            if (getOutputStream() != null) {
                getOutputStream().flush();
            }
        } catch (IOException e) {
            addError("cannot flush the log lines to standard output", e);
        } finally {
            streamWriteLock.unlock();
        }
    }
}
