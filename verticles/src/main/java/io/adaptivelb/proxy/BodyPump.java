package io.adaptivelb.proxy;

import io.adaptivelb.internals.VertxInternals;
import io.adaptivelb.upstream.UpstreamConnection;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * Streams a client's request body to a backend connection with back-pressure: the client is not read
 * while the backend's socket is full. Stops for good when the exchange no longer wants the body sent.
 */
final class BodyPump {

  private final ReadStream<Buffer> body;
  private final UpstreamConnection to;
  private boolean stopped;

  BodyPump(ReadStream<Buffer> body, UpstreamConnection to) {
    this.body = body;
    this.to = to;
    body.handler(this::chunk);
    body.endHandler(v -> {
      if (!stopped) {
        stopped = true;
        to.endBody();
      }
    });
    body.resume();
  }

  private void chunk(Buffer chunk) {
    if (stopped) {
      return;
    }
    to.writeBody(VertxInternals.byteBuf(chunk), body);
  }

  /** No more of the body goes to this connection; whoever stops the pump decides what the client stream does next. */
  void stop() {
    if (!stopped) {
      stopped = true;
      body.handler(null);
      body.endHandler(null);
    }
  }
}
