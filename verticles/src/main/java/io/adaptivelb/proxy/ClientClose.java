package io.adaptivelb.proxy;

import io.adaptivelb.internals.VertxInternals;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http2.Http2Error;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * Ends a client connection that is no longer at a message boundary (the answer went out before the
 * request body ended) without destroying the answer: closing with unread bytes would make the kernel
 * send a reset, which can destroy the answer before the client has read it. So the rest of the body
 * is read and dropped (the body limits bound how long), then the connection closes, as nginx's
 * lingering close does. An HTTP/2 stream needs none of this: once its answer is written, the client is
 * asked to stop sending with RST_STREAM(NO_ERROR) (RFC 9113 §8.1, as nginx does), and nothing more of
 * that body is read; the connection's other streams go on.
 */
final class ClientClose {

  private ClientClose() {
  }

  /**
   * After the answer (written): the client reads it and then end of stream at once, while what it still
   * sends is dropped.
   */
  static void lingering(HttpServerRequest inbound) {
    if (http2(inbound)) {
      stopHttp2Body(inbound);
      return;
    }
    if (VertxInternals.channel(inbound.connection()) instanceof DuplexChannel duplex) {
      duplex.shutdownOutput();
    }
    afterBody(inbound, null);
  }

  /**
   * Reads the rest of the request body and drops it, then closes (Vert.x closes only when the client
   * asked). On HTTP/2 the stream is reset instead, once {@code answered} (the answer's write) completes.
   */
  static void afterBody(HttpServerRequest inbound, Future<?> answered) {
    if (http2(inbound)) {
      if (answered == null) {
        stopHttp2Body(inbound);
      } else {
        answered.onComplete(ar -> stopHttp2Body(inbound));
      }
      return;
    }
    inbound.handler(chunk -> { });
    inbound.endHandler(v -> inbound.connection().close());
    inbound.resume();
  }

  /**
   * Cuts a response the client already has part of: the connection closes (HTTP/1), or the stream is
   * reset with INTERNAL_ERROR (HTTP/2, as nginx does). A reset with NO_ERROR, Vert.x's default, reads as
   * a clean end to clients such as curl when the response carries no length: a made-up end.
   */
  static void cut(HttpServerRequest inbound) {
    inbound.response().reset(Http2Error.INTERNAL_ERROR.code());
  }

  /**
   * An HTTP/2 stream whose answer is complete but whose request body is not: RST_STREAM(NO_ERROR) asks
   * the client to stop sending it. Only after the answer is written, since a reset drops what is still
   * queued on the stream.
   */
  static void stopHttp2Body(HttpServerRequest inbound) {
    if (!inbound.isEnded() && !inbound.response().closed()) {
      inbound.response().reset(Http2Error.NO_ERROR.code());
    }
  }

  /**
   * Whether the request came over HTTP/2, where a stream ends on its own at any point: no connection
   * is out of step, and h2 forbids {@code Connection: close}.
   */
  static boolean http2(HttpServerRequest inbound) {
    return inbound.version() == HttpVersion.HTTP_2;
  }
}
