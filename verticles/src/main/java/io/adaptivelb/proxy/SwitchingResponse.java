package io.adaptivelb.proxy;

import io.adaptivelb.internals.VertxInternals;
import io.netty.handler.codec.http.HttpResponse;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetSocket;

/**
 * The backend's 101 relayed to the client: its end-to-end headers (the {@code Sec-WebSocket-*} ones
 * among them), {@code Connection: Upgrade} and the backend's {@code Upgrade}, the proxy's own
 * ({@code X-Request-Id}, {@code Via}); then Vert.x hands the client connection over as a plain socket
 * ({@link HttpServerRequest#toNetSocket}), which writes the head and takes its HTTP handlers out of the
 * pipeline. Nothing is read from the client between the two.
 */
final class SwitchingResponse {

  private SwitchingResponse() {
  }

  /** @return the client's connection as a socket, once the 101 is on its way to it */
  static Future<NetSocket> send(ProxyRuntime rt, HttpServerRequest inbound, HttpResponse head, String requestId) {
    MultiMap out = inbound.response().headers();
    MultiMap in = VertxInternals.vertxView(head.headers());
    HopByHopHeaders.copyEndToEnd(in, out);
    out.set(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE);
    String protocol = in.get(HttpHeaders.UPGRADE);
    if (protocol != null) {
      out.set(HttpHeaders.UPGRADE, protocol);
    }
    rt.forwarded.addToResponse(out, requestId);
    return inbound.toNetSocket(); // the status is Vert.x's 101
  }
}
