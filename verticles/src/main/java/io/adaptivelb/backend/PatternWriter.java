package io.adaptivelb.backend;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;

/** Writes {@code size} bytes of {@link BodyPattern} with back-pressure: it pauses while the socket is full. */
final class PatternWriter {

  private final HttpServerResponse response;
  private final long size;
  private final Promise<Void> done = Promise.promise();
  private long written;

  PatternWriter(HttpServerResponse response, long size) {
    this.response = response;
    this.size = size;
  }

  Future<Void> start() {
    response.exceptionHandler(done::tryFail);
    response.closeHandler(v -> done.tryFail("client closed the connection"));
    writeSome();
    return done.future();
  }

  private void writeSome() {
    while (written < size) {
      if (response.writeQueueFull()) {
        response.drainHandler(v -> writeSome());
        return;
      }
      int n = (int) Math.min(BodyPattern.BLOCK, size - written);
      response.write(BodyPattern.slice(written, n));
      written += n;
    }
    response.end().onComplete(done::tryComplete, done::tryFail);
  }
}
