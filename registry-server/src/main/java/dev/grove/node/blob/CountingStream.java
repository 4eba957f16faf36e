package dev.grove.node.blob;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A body stream that counts the bytes it has passed on, so that its pace can be watched, and that can be failed from
 * outside ({@link #abort}), so that whoever reads it stops and cleans up. Used on one event loop.
 */
final class CountingStream implements ReadStream<Buffer> {

    private final ReadStream<Buffer> source;
    private long count;
    private Handler<Throwable> exceptionHandler;

    CountingStream(ReadStream<Buffer> source) {
        this.source = source;
    }

    long count() {
        return count;
    }

    /**
     * Fails the stream as if its connection had failed: its reader's exception handler gets {@code failure}, and the
     * source is paused. (Closing the connection after answering would not tell the reader: once the response has ended,
     * the request is not told its connection closed.)
     */
    void abort(Throwable failure) {
        source.pause();
        source.handler(null);
        if (exceptionHandler != null) {
            exceptionHandler.handle(failure);
        }
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        exceptionHandler = handler;
        source.exceptionHandler(handler);
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        source.handler(handler == null ? null : chunk -> {
            count += chunk.length();
            handler.handle(chunk);
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        source.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        source.resume();
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        source.fetch(amount);
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        source.endHandler(endHandler);
        return this;
    }
}
