package io.adaptivelb.proxy;

import io.adaptivelb.internals.VertxInternals;
import io.adaptivelb.telemetry.LatencyRecord;
import io.netty.handler.codec.http.HttpResponse;
import io.vertx.core.AsyncResult;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetSocket;

/**
 * The protocol-upgrade side of one exchange (WebSocket, or any HTTP/1.1 {@code Upgrade}): refusing it
 * when {@code proxy.websocket} is off; once the backend accepted it (101), relaying the 101 (SWITCHING)
 * and then joining the client's and the backend's connections in a {@link Tunnel} the proxy instance
 * can cut when it stops (TUNNEL), until the exchange ends (OVER). The try ends when the tunnel starts,
 * a success whose latency is the handshake's: a tunnel's lifetime says nothing about the backend's
 * speed and would ruin every latency-aware policy. The bytes counted here are what the exchange's
 * record reports for a tunnel.
 */
final class ProtocolSwitch {

  /** How the exchange ends: its status and whether it failed. */
  interface Ending {
    void finish(int status, boolean failed);
  }

  /** What {@link #start} was given: the try the backend accepted the upgrade in, its connection, the exchange's end. */
  private record Accepted(TryLease lease, BackendLink link, Ending ending) {
  }

  private enum Stage { NONE, SWITCHING, TUNNEL, OVER }

  private Stage stage = Stage.NONE;
  private Accepted accepted;
  /** Once the client's connection is a socket: what the bytes are counted on. */
  private Tunnel tunnel;
  private final ProxyRuntime rt;
  private final HttpServerRequest inbound;
  private final String requestId;

  ProtocolSwitch(ProxyRuntime rt, HttpServerRequest inbound, String requestId) {
    this.rt = rt;
    this.inbound = inbound;
    this.requestId = requestId;
  }

  /**
   * @param upgrade the protocol the client asked for, null when it asked for none
   * @return whether the upgrade was refused with a 501: the client's WebSocket library then reports
   * plainly that the switch is not offered here, rather than whatever the backend makes of a plain GET
   */
  boolean refused(String upgrade) {
    if (upgrade == null || rt.config.protocols().websocket()) {
      return false;
    }
    inbound.response().setStatusCode(501)
      .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
      .putHeader(RequestIds.HEADER, requestId)
      .end("501 Not Implemented: protocol upgrades (" + upgrade + ") are turned off (proxy.websocket)\n");
    return true;
  }

  /**
   * The backend accepted the upgrade on {@code link}'s connection, within the try {@code lease}; the
   * request's clocks stop (the tunnel has its own idle timeout).
   */
  void start(HttpResponse head, TryLease lease, BackendLink link, RequestDeadlines deadlines, Ending ending) {
    accepted = new Accepted(lease, link, ending);
    stage = Stage.SWITCHING;
    deadlines.stop();
    SwitchingResponse.send(rt, inbound, head, requestId).onComplete(this::switched);
  }

  /** The client has the 101 and its connection is a socket (or it failed on the way). */
  private void switched(AsyncResult<NetSocket> client) {
    if (stage != Stage.SWITCHING) { // the client left before its connection was handed over
      if (client.succeeded()) {
        client.result().close();
      }
    } else if (client.failed()) {
      abandon();
    } else {
      stage = Stage.TUNNEL;
      accepted.lease().end(LatencyRecord.SWITCHED, false, false);
      tunnel = new Tunnel(rt, client.result(), VertxInternals.channel(inbound.connection()), accepted.link().tunnel(),
        this::tunnelEnded);
      rt.tunnels.add(tunnel);
      tunnel.start();
    }
  }

  /** Before the tunnel started the client leaving ends the exchange; after, the tunnel sees it close. */
  void clientClosed() {
    if (stage == Stage.SWITCHING) {
      abandon();
    }
  }

  private void abandon() {
    stage = Stage.OVER;
    accepted.link().detach();
    accepted.lease().cancel(); // nothing came of the try: nothing to learn
    accepted.ending().finish(TryLease.CLIENT_CLOSED, false);
  }

  private void tunnelEnded() {
    stage = Stage.OVER;
    rt.tunnels.remove(tunnel);
    accepted.ending().finish(LatencyRecord.SWITCHED, false);
  }

  /** Request body bytes read from the client, or the bytes it sent through its tunnel. */
  long bytesIn() {
    return tunnel == null ? inbound.bytesRead() : tunnel.fromClient();
  }

  /** Response body bytes written to the client, or the bytes the tunnel relayed to it. */
  long bytesOut() {
    return tunnel == null ? inbound.response().bytesWritten() : tunnel.toClient();
  }
}
