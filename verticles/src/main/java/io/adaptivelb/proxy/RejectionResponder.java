package io.adaptivelb.proxy;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http2.Http2Error;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server's invalid-request handler: answers a request the decoder refused with the status its
 * verdict names (414 and 431 for Netty's own size limits, 400 for anything else Netty refused), says
 * {@code Connection: close}, and closes, so nothing the client sent after it is ever interpreted. An
 * HTTP/2 stream refused by {@link Http2BodyLimits} gets the same answer on that stream alone.
 */
final class RejectionResponder {

  private static final Logger LOG = Logger.getLogger(RejectionResponder.class.getName());

  private RejectionResponder() {
  }

  static void answer(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = status(cause);
    String reason = cause instanceof RejectedRequest ? cause.getMessage() : "malformed request";
    if (LOG.isLoggable(Level.FINE)) {
      LOG.fine("refused request from " + request.remoteAddress() + ": " + status + " " + reason);
    }
    HttpServerResponse response = request.response();
    response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    send(response, status, reason).onComplete(ar -> request.connection().close());
  }

  /**
   * Refuses one HTTP/2 stream: the answer when the client has no response byte yet, and then, as RFC
   * 9113 §8.1 lets a server that answered early, RST_STREAM(NO_ERROR) so the client stops sending the
   * rest of the body (after the answer is written: a reset drops what is still queued on the stream).
   * A client that already has part of a response gets the stream reset (CANCEL): a cut, never a made-up end.
   */
  static void refuseStream(HttpServerRequest request, RejectedRequest why) {
    HttpServerResponse response = request.response();
    if (response.headWritten()) {
      response.reset(Http2Error.CANCEL.code());
      return;
    }
    response.headers().clear(); // a backend's head may be waiting to go out with its first body bytes
    ClientClose.afterBody(request, send(response, why.status(), why.getMessage()));
  }

  private static Future<Void> send(HttpServerResponse response, int status, String reason) {
    return response.setStatusCode(status)
      .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
      .end(status + " " + response.getStatusMessage() + ": " + reason + "\n");
  }

  static int status(Throwable cause) {
    if (cause instanceof RejectedRequest rejected) {
      return rejected.status();
    }
    if (cause instanceof TooLongHttpLineException) {
      return 414;
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return 431;
    }
    return 400;
  }
}
