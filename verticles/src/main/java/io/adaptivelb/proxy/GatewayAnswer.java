package io.adaptivelb.proxy;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The proxy's own answer when no backend gave one (502, 503, 504): a short text naming the backend
 * that failed. When the client already has part of a response, it cannot get another status: its
 * connection is cut instead, so it sees a truncated response and never a wrong one.
 */
final class GatewayAnswer {

  private GatewayAnswer() {
  }

  /** @param backend the backend that failed, null when there was none to try */
  static void send(HttpServerRequest inbound, int status, String backend, String requestId, boolean clientGone) {
    HttpServerResponse out = inbound.response();
    Future<Void> answered = null;
    if (out.headWritten()) {
      ClientClose.cut(inbound);
    } else if (!clientGone) {
      if (!inbound.isEnded() && !ClientClose.http2(inbound)) {
        out.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE); // the unread body would desync the connection
      }
      answered = out.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .putHeader(RequestIds.HEADER, requestId)
        .end(status + " " + UpstreamFailure.reason(status, backend != null)
          + (backend == null ? "" : " (backend " + backend + ")") + "\n");
    }
    if (!inbound.isEnded()) {
      ClientClose.afterBody(inbound, answered);
    } else {
      inbound.resume();
    }
  }
}
