package dev.grove.node.blob;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * A request body for the stores' tests: the bytes in chunks on one context, paused until resumed (as a request is before
 * it is handed to a store), honouring pause; optionally failing as a closed connection after some bytes.
 */
final class BytesStream implements ReadStream<Buffer> {

    private final Context context;
    private final byte[] bytes;
    private final int chunk;
    private final long failAt;
    private int position;
    private boolean paused = true;
    private boolean over;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;

    private BytesStream(Context context, byte[] bytes, int chunk, long failAt) {
        this.context = context;
        this.bytes = bytes;
        this.chunk = chunk;
        this.failAt = failAt;
    }

    /** All of {@code bytes}, then the end. */
    static BytesStream of(Context context, byte[] bytes) {
        return new BytesStream(context, bytes, 64 << 10, -1);
    }

    /** The first {@code failAt} bytes, then a failure as of a connection reset. */
    static BytesStream failingAfter(Context context, byte[] bytes, long failAt) {
        return new BytesStream(context, bytes, 64 << 10, failAt);
    }

    private void schedule() {
        context.runOnContext(v -> pump());
    }

    private void pump() {
        if (paused || over) {
            return;
        }
        if (failAt >= 0 && position >= failAt) {
            over = true;
            if (exceptionHandler != null) {
                exceptionHandler.handle(new IOException("connection reset"));
            }
            return;
        }
        if (position >= bytes.length) {
            over = true;
            if (endHandler != null) {
                endHandler.handle(null);
            }
            return;
        }
        int end = (int) Math.min(bytes.length, Math.min(position + (long) chunk, failAt < 0 ? Long.MAX_VALUE : failAt));
        Buffer next = Buffer.buffer(Arrays.copyOfRange(bytes, position, end));
        position = end;
        if (handler != null) {
            handler.handle(next);
        }
        schedule();
    }

    @Override
    public BytesStream exceptionHandler(Handler<Throwable> handler) {
        exceptionHandler = handler;
        return this;
    }

    @Override
    public BytesStream handler(Handler<Buffer> handler) {
        this.handler = handler;
        return this;
    }

    @Override
    public BytesStream pause() {
        paused = true;
        return this;
    }

    @Override
    public BytesStream resume() {
        if (paused) {
            paused = false;
            schedule();
        }
        return this;
    }

    @Override
    public BytesStream fetch(long amount) {
        return resume();
    }

    @Override
    public BytesStream endHandler(Handler<Void> endHandler) {
        this.endHandler = endHandler;
        return this;
    }
}
