package io.adaptivelb.proxy;

import io.adaptivelb.internals.VertxInternals;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * Ends a client connection that is no longer at a message boundary (the answer went out before the
 * request body ended) without destroying the answer: closing with unread bytes would make the kernel
 * send a reset, which can destroy the answer before the client has read it. So the rest of the body
 * is read and dropped (the body limits bound how long), then the connection closes, as nginx's
 * lingering close does. An HTTP/2 stream needs none of this: only the stream is reset or ends.
 */
final class ClientClose {

  private ClientClose() {
  }

  /** After the answer: the client reads it and then end of stream at once, while what it still sends is dropped. */
  static void lingering(HttpServerRequest inbound) {
    if (!http2(inbound) && VertxInternals.channel(inbound.connection()) instanceof DuplexChannel duplex) {
      duplex.shutdownOutput();
    }
    afterBody(inbound);
  }

  /**
   * Reads the rest of the request body and drops it, then closes (Vert.x closes only when the client
   * asked). An HTTP/2 stream is over when its body ends: its connection carries other streams and stays.
   */
  static void afterBody(HttpServerRequest inbound) {
    inbound.handler(chunk -> { });
    if (!http2(inbound)) {
      inbound.endHandler(v -> inbound.connection().close());
    }
    inbound.resume();
  }

  /**
   * Whether the request came over HTTP/2, where a stream ends on its own at any point: no connection
   * is out of step, and h2 forbids {@code Connection: close}.
   */
  static boolean http2(HttpServerRequest inbound) {
    return inbound.version() == HttpVersion.HTTP_2;
  }
}
