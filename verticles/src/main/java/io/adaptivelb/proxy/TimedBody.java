package io.adaptivelb.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * The client's request body on its way to a backend, telling the exchange who is the slow side, so
 * the per-try timeout times the backend and never the client: the pipe pauses the body when the
 * backend stops taking it (the backend is slow: {@code backendWaited}); a chunk from the client or a
 * resume means the proxy waits on the client again ({@code clientWaited}), which the client's own
 * body idle timeout bounds; after the last byte, only the backend is left to wait for.
 */
final class TimedBody implements ReadStream<Buffer> {

  private final ReadStream<Buffer> body;
  private final Runnable backendWaited;
  private final Runnable clientWaited;

  TimedBody(ReadStream<Buffer> body, Runnable backendWaited, Runnable clientWaited) {
    this.body = body;
    this.backendWaited = backendWaited;
    this.clientWaited = clientWaited;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    body.handler(handler == null ? null : chunk -> {
      clientWaited.run();
      handler.handle(chunk);
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> handler) {
    body.endHandler(handler == null ? null : v -> {
      backendWaited.run();
      handler.handle(v);
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
    backendWaited.run();
    body.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    clientWaited.run();
    body.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    body.fetch(amount);
    return this;
  }
}
