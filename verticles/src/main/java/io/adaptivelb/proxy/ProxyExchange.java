package io.adaptivelb.proxy;

import io.adaptivelb.internals.VertxInternals;
import io.adaptivelb.telemetry.LatencyRecord;
import io.adaptivelb.upstream.ConnectionRequest;
import io.adaptivelb.upstream.ResponseListener;
import io.adaptivelb.upstream.UpstreamConnection;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponse;
import io.vertx.core.AsyncResult;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetSocket;

import java.util.BitSet;
import java.util.concurrent.TimeoutException;

/**
 * One client request, as a state machine: pick a backend, take a {@link TryLease} on it, get a
 * connection, send the request, relay the response, record what happened; a failed try goes to
 * another backend when {@link RetryRule} allows it. The client side is Vert.x's HTTP server, the
 * backend side a connection of the instance's upstream connector on the same event loop, so the
 * events below run one at a time. Each checks the state first: a late event from a state already left
 * does nothing. Every path ends in {@link #finish} once, and the client always gets an answer (or, if
 * it already has part of one, a cut connection).
 *
 * <p>States: CONNECTING (the try has a lease and waits for a connection, queued or connecting), SENT
 * (the request went out, its body may still be streaming; no response head yet), RELAYING (the
 * response head is relayed, its body streams to the client), FLUSHING (the backend's response ended,
 * its last bytes are on their way to the client), DONE. A protocol upgrade the backend accepted (101)
 * goes from SENT to SWITCHING (its 101 on the way to the client) and TUNNEL (a {@link Tunnel} relays
 * bytes both ways until either side closes), then DONE.
 */
final class ProxyExchange implements ConnectionRequest, ResponseListener, RequestDeadlines.Expiry,
  Http2BodyLimits.Refusal {

  private enum State { CONNECTING, SENT, RELAYING, FLUSHING, SWITCHING, TUNNEL, DONE }

  private final ProxyRuntime rt;
  private final BackendPool pool; // the backends this request may go to: its group's (a route chose the runtime)
  private final HttpServerRequest inbound;
  private final RequestDeadlines deadlines;
  private final OutboundRequest outbound;
  private State state = State.CONNECTING;
  private int attempts;
  private BitSet tried;
  private final BackendLink link = new BackendLink(this);
  private TryLease lease;
  private ResponseRelay relay;
  private Tunnel tunnel;
  private boolean clientGone;

  ProxyExchange(ProxyRuntime rt, HttpServerRequest inbound, String target) {
    this.rt = rt;
    this.pool = rt.pool;
    this.inbound = inbound;
    this.deadlines = new RequestDeadlines(rt, this, inbound.path());
    this.outbound = new OutboundRequest(inbound, target, rt, rt.ids.idFor(inbound.getHeader(RequestIds.HEADER)));
  }

  void run() {
    if (outbound.hasBody()) {
      inbound.pause(); // hold the body until a backend connection can take it
    }
    inbound.response().closeHandler(v -> clientClosed());
    rt.retryRule.requestArrived();
    if (outbound.upgrade() != null && !rt.config.protocols().websocket()) {
      refuseUpgrade();
      return;
    }
    deadlines.startRequest(rt.config.retries().requestTimeoutMs());
    attempt(pool.pick(null));
  }

  /**
   * {@code proxy.websocket: false}: the client hears plainly that the switch is not offered here (its
   * WebSocket library reports a 501), rather than getting whatever the backend makes of a plain GET.
   */
  private void refuseUpgrade() {
    inbound.response().setStatusCode(501)
      .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
      .putHeader(RequestIds.HEADER, outbound.requestId())
      .end("501 Not Implemented: protocol upgrades (" + outbound.upgrade() + ") are turned off (proxy.websocket)\n");
    finish(501, false);
  }

  private void attempt(int backend) {
    if (backend < 0) {
      GatewayAnswer.send(inbound, 503, null, outbound.requestId(), clientGone);
      finish(503, false);
      return;
    }
    attempts++;
    lease = pool.begin(backend);
    state = State.CONNECTING;
    deadlines.newTry();
    link.acquire(rt.upstreams(), lease.upstream());
  }

  @Override
  public void connected(UpstreamConnection c) {
    link.answered();
    if (state != State.CONNECTING) {
      c.releaseUnused();
    } else if (clientGone || deadlines.requestExpired()) {
      c.releaseUnused(); // nothing was sent on it: it is as good as it was
      tryFailed(new TimeoutException("request abandoned"), false);
    } else {
      state = State.SENT;
      link.attach(c);
      deadlines.runTry();
      link.streaming(outbound.send(c, lease.upstream(), this, deadlines, this));
    }
  }

  @Override
  public void connectFailed(Throwable cause) {
    link.answered();
    if (state == State.CONNECTING) {
      tryFailed(cause, true);
    }
  }

  @Override
  public void head(HttpResponse head) {
    deadlines.headArrived();
    lease.headersArrived();
    int status = head.status().code();
    if (status == LatencyRecord.SWITCHED) { // the connection lets a 101 through only to an upgrade request
      switchProtocols(head);
      return;
    }
    int next = status >= 500 ? nextBackend(false) : -1;
    if (next >= 0) { // a 5xx worth retrying: this answer is dropped, its connection not reused
      retry(next, status, true);
      return;
    }
    state = State.RELAYING;
    relay = new ResponseRelay(rt, inbound, head, link.connection(), deadlines, outbound.requestId(), lease.upstream());
  }

  /** The backend accepted the upgrade: no clock but the tunnel's idle timeout applies from here. */
  private void switchProtocols(HttpResponse head) {
    state = State.SWITCHING;
    deadlines.stop();
    SwitchingResponse.send(rt, inbound, head, outbound.requestId()).onComplete(this::switched);
  }

  /**
   * The client has the 101 and its connection is a socket: the try is over, a success whose latency is
   * the handshake's (a tunnel's lifetime says nothing about the backend's speed and would ruin every
   * latency-aware policy), and the tunnel starts.
   */
  private void switched(AsyncResult<NetSocket> client) {
    if (state != State.SWITCHING) { // the client left before its connection was handed over
      if (client.succeeded()) {
        client.result().close();
      }
      return;
    }
    if (client.failed()) {
      link.detach();
      abandoned();
      return;
    }
    state = State.TUNNEL;
    lease.end(LatencyRecord.SWITCHED, false, false);
    tunnel = new Tunnel(rt, client.result(), VertxInternals.channel(inbound.connection()), link.tunnel(), this::tunnelEnded);
    rt.tunnels.add(tunnel);
    tunnel.start();
  }

  private void tunnelEnded() {
    rt.tunnels.remove(tunnel);
    finish(LatencyRecord.SWITCHED, false);
  }

  @Override
  public void content(ByteBuf chunk) {
    relay.content(chunk); // a body piece while RELAYING, the only state with a response head
  }

  @Override
  public void ended(ByteBuf lastChunk) {
    link.released(); // back in its pool, or closed if the request body was cut short: no longer ours
    state = State.FLUSHING;
    relay.end(lastChunk).onComplete(ar -> relayed(ar.succeeded()));
  }

  /** The connection broke, or this exchange aborted it (timeouts, client gone). */
  @Override
  public void failed(Throwable cause) {
    link.detach();
    if (state == State.RELAYING) {
      relay.stop();
      relayed(false);
    } else if (state == State.SENT && link.resendOnFresh(cause, !clientGone && outbound.replayable(), deadlines, rt.upstreams())) {
      state = State.CONNECTING; // a stale pooled connection: the same try goes on, on a fresh one
    } else if (state == State.SENT) {
      tryFailed(cause, false);
    }
  }

  /** A try failed before a response head: another backend, or the failure is the answer. */
  private void tryFailed(Throwable cause, boolean connectFailure) {
    link.detach();
    if (clientGone) {
      abandoned(); // before an answer: the try teaches nothing
      return;
    }
    int status = deadlines.expired() ? 504 : UpstreamFailure.status(cause, !connectFailure);
    boolean backendFault = status != 503;
    int next = deadlines.requestExpired() ? -1 : nextBackend(connectFailure);
    if (next >= 0) {
      retry(next, status, backendFault);
    } else {
      answer(status, backendFault);
    }
  }

  private void answer(int status, boolean backendFault) {
    lease.end(status, true, backendFault);
    GatewayAnswer.send(inbound, status, lease.upstream().name(), outbound.requestId(), clientGone);
    finish(status, true);
  }

  private void abandoned() {
    lease.cancel();
    finish(TryLease.CLIENT_CLOSED, false);
  }

  private int nextBackend(boolean connectFailure) {
    (tried == null ? tried = new BitSet() : tried).set(lease.backend()); // made only when a try failed
    return rt.retryRule.next(pool, tried, lease.backend(), attempts, connectFailure, outbound.replayable(),
      clientGone || inbound.response().headWritten());
  }

  /** The failed try is over (the policy and health learn it, the bus gets its record); the request moves on. */
  private void retry(int next, int status, boolean backendFault) {
    link.detach();
    lease.end(status, true, backendFault);
    record(status, true, true);
    attempt(next);
  }

  /** The response was relayed whole ({@code ok}), or the relay broke on either side. */
  private void relayed(boolean ok) {
    if (state == State.DONE) {
      return;
    }
    int status = relay.status();
    boolean backendFailed = status >= 500;
    if (ok) {
      if (!inbound.isEnded()) {
        ClientClose.lingering(inbound); // answered mid-request-body (the backend connection closed itself)
      }
      lease.end(status, backendFailed, backendFailed);
      finish(status, backendFailed);
      return;
    }
    // Truncate, never pretend: the client's connection is cut, the backend's closed (never reused unknown)
    boolean clientLeft = clientGone || inbound.response().closed(); // the write side failed, not the backend
    link.detach();
    ClientClose.cut(inbound);
    // though the client got the status line: a backend silent mid-body is logged as the timeout it is,
    // one that broke off as a cut response
    int logged = clientLeft ? TryLease.CLIENT_CLOSED : deadlines.expired() ? 504 : ResponseRelay.RESPONSE_CUT;
    lease.end(logged, !clientLeft, !clientLeft);
    finish(logged, !clientLeft);
  }

  @Override
  public void requestTimedOut() {
    if (state == State.SENT || state == State.RELAYING) {
      link.abort("request timeout"); // failed() answers 504 without retrying
    } else if (state == State.CONNECTING && link.withdraw()) {
      answer(504, false); // the backend's connections all stayed busy: slow for the policy, no fault for health
    } else if (state == State.FLUSHING && inbound.response().headWritten()) {
      ClientClose.cut(inbound);
    }
  }

  /** The backend said nothing within the per-try timeout: fail this try (504, retried when safe). */
  @Override
  public void tryTimedOut() {
    if (state == State.SENT || state == State.RELAYING) {
      link.abort("per-try timeout");
    }
  }

  /**
   * An HTTP/2 stream's body broke a limit while streaming to the backend: the backend connection is
   * closed mid-request (it never gets the whole body) and the client gets the refusal on its stream.
   * The client's fault: neither the policy nor the backend's health learns from the try.
   */
  @Override
  public void bodyRefused(RejectedRequest why) {
    if (state != State.SENT && state != State.RELAYING) {
      return;
    }
    if (state == State.RELAYING) {
      relay.stop();
    }
    link.detach();
    lease.cancel();
    RejectionResponder.refuseStream(inbound, why);
    finish(why.status(), false);
  }

  private void clientClosed() {
    clientGone = true;
    if (state == State.SENT || state == State.RELAYING) {
      link.abort("client gone"); // the status is decided by clientGone
    } else if (state == State.CONNECTING && link.withdraw()) {
      abandoned(); // nothing was sent: nothing to learn
    } else if (state == State.SWITCHING) {
      link.detach();
      abandoned();
    }
  }

  private void finish(int status, boolean failed) {
    state = State.DONE;
    deadlines.stop();
    record(status, failed, false);
    AccessLine.write(rt, inbound, outbound.requestId(), deadlines, lease, attempts, status, bytesIn(), bytesOut());
  }

  /** Request body bytes read from the client, or the bytes it sent through its tunnel. */
  private long bytesIn() {
    return tunnel == null ? inbound.bytesRead() : tunnel.fromClient();
  }

  /** Response body bytes written to the client, or the bytes the tunnel relayed to it. */
  private long bytesOut() {
    return tunnel == null ? inbound.response().bytesWritten() : tunnel.toClient();
  }

  /** @param retried a failed try after which the request moved on; the request's own record comes later */
  private void record(int status, boolean failed, boolean retried) {
    rt.telemetry.add(new LatencyRecord(deadlines.arrivalEpochMs(), outbound.requestId(), inbound.method().name(),
      inbound.uri(), lease == null ? "-" : lease.upstream().name(), status, lease == null ? 0 : lease.upstreamMs(),
      deadlines.sinceArrivalMs(), retried ? 0 : bytesOut(), pool.policyConfig().type(), rt.mode().id, failed, attempts,
      retried, lease == null ? -1 : lease.load(), rt.group, bytesIn()));
  }
}
