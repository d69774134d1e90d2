package io.adaptivelb.proxy;

import io.adaptivelb.config.ConnectionMode;
import io.adaptivelb.policy.RoutingPolicy;
import io.adaptivelb.telemetry.LatencyRecord;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;

/**
 * One client request forwarded to one backend: pick, connect, stream the request body, stream the
 * response back, record what happened. Bodies flow through {@code pipe} with back-pressure and are
 * never held whole. Every path ends in exactly one {@link #finish} and the client always gets an answer.
 */
final class ProxyExchange {

  /** nginx's convention for "the client went away before we could answer". */
  static final int CLIENT_CLOSED = 499;

  private final Forwarding fwd;
  private final HttpServerRequest inbound;
  private final RoutingPolicy policy;
  private final long arrivalNanos = System.nanoTime();
  private final long arrivalEpochMs = System.currentTimeMillis();
  private String requestId;
  private int backend;
  private long dispatchNanos;
  private long headersNanos;
  private HttpClientRequest upstreamRequest;
  private boolean clientGone;
  private boolean finished;

  ProxyExchange(Forwarding fwd, HttpServerRequest inbound) {
    this.fwd = fwd;
    this.inbound = inbound;
    this.policy = fwd.policy();
  }

  void run() {
    inbound.pause(); // hold the body until the upstream request can take it
    requestId = fwd.ids().idFor(inbound.getHeader(RequestIds.HEADER));
    inbound.response().closeHandler(v -> clientClosed());
    backend = policy.pick();
    policy.begin(backend);
    dispatchNanos = System.nanoTime();
    Upstream upstream = fwd.upstreams().get(backend);
    RequestOptions options = new RequestOptions()
      .setServer(upstream.address())
      .setMethod(inbound.method())
      .setURI(inbound.uri())
      .setIdleTimeout(fwd.config().upstreamTimeoutMs());
    fwd.client().request(options)
      .compose(this::send)
      .onComplete(ar -> {
        if (ar.succeeded()) {
          relay(ar.result());
        } else {
          fail(ar.cause());
        }
      });
  }

  private Future<HttpClientResponse> send(HttpClientRequest request) {
    upstreamRequest = request;
    if (clientGone) {
      request.reset();
      return Future.failedFuture("client closed the connection");
    }
    MultiMap headers = request.headers();
    HopByHopHeaders.copyEndToEnd(inbound.headers(), headers);
    ForwardedHeaders.addToRequest(inbound, headers);
    headers.set(RequestIds.HEADER, requestId);
    if (fwd.config().connection() == ConnectionMode.NON_PERSISTENT) {
      headers.set(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    Future<HttpClientResponse> response;
    if (inbound.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
      response = request.send(inbound);
    } else if (inbound.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
      request.setChunked(true);
      response = request.send(inbound);
    } else {
      inbound.resume(); // HTTP/1.1: neither header means no body
      response = request.send();
    }
    return response.map(r -> r.pause()); // no body byte may slip past before the pipe is in place
  }

  private void relay(HttpClientResponse response) {
    headersNanos = System.nanoTime();
    HttpServerResponse out = inbound.response();
    out.setStatusCode(response.statusCode()).setStatusMessage(response.statusMessage());
    HopByHopHeaders.copyEndToEnd(response.headers(), out.headers());
    ForwardedHeaders.addToResponse(out.headers());
    if (!out.headers().contains(HttpHeaders.CONTENT_LENGTH) && bodyAllowed(response.statusCode())) {
      out.setChunked(true);
    }
    boolean backendFailed = response.statusCode() >= 500;
    response.pipe().endOnFailure(false).to(out).onComplete(ar -> {
      if (ar.succeeded()) {
        finish(response.statusCode(), backendFailed);
      } else {
        // Truncate, never pretend: the client sees the connection cut, and this upstream
        // connection is discarded instead of going back to the pool in an unknown state.
        boolean clientLeft = clientGone || out.closed(); // the write side failed, not the backend
        upstreamRequest.reset();
        out.reset();
        finish(clientLeft ? CLIENT_CLOSED : response.statusCode(), !clientLeft);
      }
    });
  }

  private boolean bodyAllowed(int status) {
    return !(inbound.method().name().equals("HEAD") || status == 204 || status == 304 || status < 200);
  }

  private void fail(Throwable cause) {
    if (upstreamRequest != null) {
      upstreamRequest.reset();
    }
    if (clientGone) {
      finish(CLIENT_CLOSED, false);
      return;
    }
    int status = UpstreamFailure.status(cause, upstreamRequest != null);
    HttpServerResponse out = inbound.response();
    if (out.headWritten()) {
      out.reset();
    } else {
      if (!inbound.isEnded()) {
        out.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE); // the unread body would desync the connection
      }
      out.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .putHeader(RequestIds.HEADER, requestId)
        .end(status + " " + reason(status) + " (backend " + fwd.upstreams().get(backend).name() + ")\n");
    }
    inbound.resume();
    finish(status, true);
  }

  private void clientClosed() {
    clientGone = true;
    if (upstreamRequest != null && !finished) {
      upstreamRequest.reset();
    }
  }

  private static String reason(int status) {
    return switch (status) {
      case 503 -> "Service Unavailable: upstream wait queue full";
      case 504 -> "Gateway Timeout: backend did not answer in time";
      default -> "Bad Gateway: backend unreachable or broken";
    };
  }

  private void finish(int status, boolean failed) {
    if (finished) {
      return;
    }
    finished = true;
    long now = System.nanoTime();
    double upstreamMs = ((headersNanos == 0 ? now : headersNanos) - dispatchNanos) / 1e6;
    double totalMs = (now - arrivalNanos) / 1e6;
    policy.end(backend, upstreamMs, failed);
    fwd.telemetry().add(new LatencyRecord(arrivalEpochMs, requestId, inbound.method().name(), inbound.path(),
      fwd.upstreams().get(backend).name(), status, upstreamMs, totalMs, inbound.response().bytesWritten(),
      policy.name(), fwd.config().connection().id, failed));
  }
}
