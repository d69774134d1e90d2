package io.adaptivelb.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A client's request body passed on as it is, with a {@link Watcher} told of every step of its flow
 * before it happens: each chunk, the end, and whoever reads it pausing, resuming or letting go. The
 * watcher may hold back a chunk or the end (a body it refused is not read on). Wrapping one in another
 * puts two watchers on the same body, the inner one first to hear the client.
 */
final class WatchedBody implements ReadStream<Buffer> {

  /** Hears the body's flow on the client's context. */
  interface Watcher {

    /** A chunk came from the client; false holds it back from whoever reads the body. */
    boolean chunk(Buffer chunk);

    /** The client's last byte came; false holds the end back. */
    boolean ended();

    /** Whoever reads the body stops reading (the backend is the slow side). */
    void paused();

    /** Whoever reads the body reads again: the client owes the next bytes. */
    void resumed();

    /** Whoever read the body is done with it. */
    void released();
  }

  private final ReadStream<Buffer> body;
  private final Watcher watcher;

  WatchedBody(ReadStream<Buffer> body, Watcher watcher) {
    this.body = body;
    this.watcher = watcher;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    if (handler == null) {
      watcher.released();
      body.handler(null);
      return this;
    }
    body.handler(chunk -> {
      if (watcher.chunk(chunk)) {
        handler.handle(chunk);
      }
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> handler) {
    body.endHandler(handler == null ? null : v -> {
      if (watcher.ended()) {
        handler.handle(v);
      }
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    body.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    watcher.paused();
    body.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    watcher.resumed();
    body.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    body.fetch(amount);
    return this;
  }
}
