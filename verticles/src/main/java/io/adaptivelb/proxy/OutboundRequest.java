package io.adaptivelb.proxy;

import io.adaptivelb.config.ConnectionMode;
import io.adaptivelb.internals.VertxInternals;
import io.adaptivelb.upstream.ResponseListener;
import io.adaptivelb.upstream.UpstreamConnection;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;

/**
 * What a backend gets for a client's request, on each try: the same method, target (less a route's
 * stripped prefix) and end-to-end
 * headers, plus the proxy's own (forwarding headers, request id, Host when the client sent none),
 * always as HTTP/1.1 (an HTTP/2 client's head is translated by {@link Http2Requests}), and then the
 * body streaming with back-pressure ({@link BodyPump}). A protocol upgrade ({@link UpgradeRequest})
 * keeps its {@code Connection: Upgrade} and {@code Upgrade}.
 */
final class OutboundRequest {

  private final HttpServerRequest inbound;
  private final String target;
  private final ProxyRuntime rt;
  private final String requestId;
  private final boolean hasBody;
  /** The protocols the client asks to switch to, passed on to the backend; null: not an upgrade. */
  private final String upgrade;
  private boolean continueSent;

  /**
   * Holds the client's body (its request is paused) until a try's connection can take it.
   *
   * @param target the request target for the backend (the client's, less a route's stripped prefix)
   */
  OutboundRequest(HttpServerRequest inbound, String target, ProxyRuntime rt, String requestId) {
    this.inbound = inbound;
    this.target = target;
    this.rt = rt;
    this.requestId = requestId;
    // "Content-Length: 0" is no body (Java's HttpClient sends it on every GET): such a request can be replayed.
    String length = inbound.headers().get(HttpHeaders.CONTENT_LENGTH);
    this.hasBody = (length != null && !length.equals("0")) || inbound.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    this.upgrade = UpgradeRequest.protocols(inbound, hasBody);
    if (hasBody) {
      inbound.pause();
    }
  }

  /** The protocols the client asks to switch to (its {@code Upgrade} less h2c), or null: not an upgrade. */
  String upgrade() {
    return upgrade;
  }

  /** Whether the request can be sent again as it was, after a try that reached a backend. */
  boolean replayable() {
    return RetryRule.replayable(inbound.method(), hasBody);
  }

  String requestId() {
    return requestId;
  }

  /**
   * Sends the request to {@code to} on {@code c}, its response to {@code listener}. Without a body the
   * head is the whole request, so a retry can send it again.
   *
   * @return the body on its way (null: none)
   */
  BodyPump send(UpstreamConnection c, Upstream to, ResponseListener listener, RequestDeadlines deadlines,
                Http2BodyLimits.Refusal refusal) {
    if (hasBody && !continueSent && inbound.headers().contains(HttpHeaders.EXPECT)) {
      // The decoder let only "100-continue" through: the client may hold its body until it hears 100.
      // Like nginx, the proxy says it itself once a backend connection can take the body, and does not
      // pass the expectation on (the body is on its way either way, so a backend's 100 means nothing).
      continueSent = true;
      inbound.response().writeContinue();
    }
    c.send(head(to), hasBody, listener);
    if (!hasBody) {
      return null;
    }
    // An HTTP/1 body was held to the limits by the decoder already; an HTTP/2 stream's is held here.
    ReadStream<Buffer> body = ClientClose.http2(inbound)
      ? new WatchedBody(inbound, new Http2BodyLimits(rt.config.limits(), rt.bodyIdleTimeouts, refusal)) : inbound;
    return new BodyPump(new WatchedBody(body, new BodyTiming(deadlines::backendTimed, deadlines::clientTimed)), c);
  }

  private HttpRequest head(Upstream to) {
    MultiMap headers = VertxInternals.trustedHeaders(); // every value is the client's, already checked, or ours
    HopByHopHeaders.copyEndToEnd(inbound.headers(), headers);
    Http2Requests.toHttp1(inbound, headers); // Host from :authority, Cookie joined again
    rt.forwarded.addToRequest(inbound, headers, rt.clientTls); // X-Forwarded-Host is the client's Host, not our default
    if (!headers.contains(HttpHeaders.HOST)) {
      headers.set(HttpHeaders.HOST, to.authority()); // an HTTP/1.0 client may send none; HTTP/1.1 backends need one
    }
    headers.set(RequestIds.HEADER, requestId);
    if (upgrade != null) {
      // hop-by-hop, so dropped above: the switch is asked for again on this hop (a switched
      // connection is never reused, whatever the connection mode)
      headers.set(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE);
      headers.set(HttpHeaders.UPGRADE, upgrade);
    } else if (rt.mode() == ConnectionMode.NON_PERSISTENT) {
      headers.set(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    if (hasBody) {
      headers.remove(HttpHeaders.EXPECT);
      if (!inbound.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
        headers.set(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED);
      }
    }
    HttpMethod method = HttpMethod.valueOf(inbound.method().name()); // the standard ones are constants
    return hasBody
      ? new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, target, VertxInternals.nettyView(headers))
      : new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, target, Unpooled.EMPTY_BUFFER,
        VertxInternals.nettyView(headers), EmptyHttpHeaders.INSTANCE);
  }
}
