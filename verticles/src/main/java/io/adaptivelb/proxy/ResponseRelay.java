package io.adaptivelb.proxy;

import io.adaptivelb.internals.VertxInternals;
import io.adaptivelb.upstream.UpstreamConnection;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Relays a backend's response to the client with back-pressure: the backend connection is not read
 * while the client's write queue is full. The per-try clock runs while the proxy waits on the backend
 * for body bytes and stops while the client is the slow side. Never buffers the body.
 */
final class ResponseRelay {

  /**
   * Logged (CSV, stats, meters) for a response the backend broke off mid-body: the client got its
   * status line and part of the body, then the connection was cut. No real response has this status.
   */
  static final int RESPONSE_CUT = 592;

  private final HttpServerRequest inbound;
  private final HttpServerResponse out;
  private final UpstreamConnection from;
  private final RequestDeadlines deadlines;
  private final int status;
  private boolean over;

  /** Writes nothing yet: the status line and headers go out with the first body bytes or the end. */
  ResponseRelay(ProxyRuntime rt, HttpServerRequest inbound, HttpResponse head, UpstreamConnection from,
                RequestDeadlines deadlines, String requestId, Upstream backend) {
    this.inbound = inbound;
    this.out = inbound.response();
    this.from = from;
    this.deadlines = deadlines;
    HttpResponseStatus s = head.status();
    this.status = s.code();
    out.setStatusCode(status);
    if (!s.reasonPhrase().equals(HttpResponseStatus.valueOf(status).reasonPhrase())) {
      out.setStatusMessage(s.reasonPhrase()); // only a non-standard reason phrase costs a new status line object
    }
    HopByHopHeaders.copyEndToEnd(VertxInternals.vertxView(head.headers()), out.headers());
    rt.forwarded.addToResponse(out.headers(), requestId);
    if (rt.config.rewriteRedirects()) {
      RedirectRewrite.apply(out.headers(), backend, RedirectRewrite.clientOrigin(inbound, rt.clientTls));
    }
    // an event stream's body may be silent for longer than other responses (proxy.streaming)
    deadlines.responseStreams(rt.config.streaming().streams(head.headers().get(HttpHeaders.CONTENT_TYPE)));
    if (!out.headers().contains(HttpHeaders.CONTENT_LENGTH) && bodyAllowed(inbound.method(), status)) {
      out.setChunked(true);
    }
    if (!inbound.isEnded() && !ClientClose.http2(inbound)) {
      // The backend answered before the request body ended: neither connection is at a message
      // boundary any more. The backend one closes when the response ends; the client one after the
      // answer (ClientClose.lingering). An HTTP/2 stream ends on its own.
      out.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    deadlines.runTry();
  }

  /**
   * Ends the client's side of a relay that is over and says what to log for it (a status of 500 or
   * more is the backend's failure). Relayed whole ({@code ok}): the backend's status. Broken on either
   * side: the client's connection is cut, never pretending the response was whole, and the relay is
   * logged as the client leaving, as the timeout a backend silent mid-body is, or as
   * {@link #RESPONSE_CUT} for one that broke off, although the client got the status line.
   */
  int outcome(boolean ok, boolean clientGone) {
    if (ok) {
      if (!inbound.isEnded()) {
        ClientClose.lingering(inbound); // answered mid-request-body (the backend connection closed itself)
      }
      return status;
    }
    stop();
    boolean clientLeft = clientGone || out.closed(); // the write side failed, not the backend
    ClientClose.cut(inbound);
    return clientLeft ? TryLease.CLIENT_CLOSED : deadlines.expired() ? 504 : RESPONSE_CUT;
  }

  void content(ByteBuf chunk) {
    out.write(VertxInternals.heapCopy(chunk));
    if (out.writeQueueFull()) {
      deadlines.pauseTry();
      from.pauseResponse();
      out.drainHandler(v -> {
        if (!over) { // after the end the connection is no longer ours to resume
          deadlines.runTry();
          from.resumeResponse();
        }
      });
    } else {
      deadlines.runTry();
    }
  }

  /** The last bytes (often all of them; null: none) and the end go to the client in one write. */
  Future<Void> end(ByteBuf lastChunk) {
    stop();
    return lastChunk == null ? out.end() : out.end(VertxInternals.heapCopy(lastChunk));
  }

  /** Nothing more comes from the backend. */
  void stop() {
    over = true;
    deadlines.pauseTry();
  }

  private static boolean bodyAllowed(HttpMethod method, int status) {
    return !(method == HttpMethod.HEAD || status == 204 || status == 304 || status < 200);
  }
}
