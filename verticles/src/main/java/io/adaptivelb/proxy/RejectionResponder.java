package io.adaptivelb.proxy;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server's invalid-request handler: answers a request the decoder refused with the status its
 * verdict names (414 and 431 for Netty's own size limits, 400 for anything else Netty refused), says
 * {@code Connection: close}, and closes, so nothing the client sent after it is ever interpreted.
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
    response.setStatusCode(status)
      .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
      .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
      .end(status + " " + response.getStatusMessage() + ": " + reason + "\n")
      .onComplete(ar -> request.connection().close());
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
