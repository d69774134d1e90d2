package io.adaptivelb.proxy;

import io.adaptivelb.telemetry.LatencyRecord;
import io.adaptivelb.upstream.ConnectionRequest;
import io.adaptivelb.upstream.ResponseListener;
import io.adaptivelb.upstream.UpstreamConnection;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponse;
import io.vertx.core.http.HttpServerRequest;

/**
 * One client request, as a state machine: pick a backend, take a {@link TryLease} on it, get a
 * connection, send the request, relay the response, record what happened; a failed try goes to
 * another backend when {@link RetryRule} allows it. The client's HTTP server and the backend's
 * connection share one event loop, so the events below run one at a time; each checks the state
 * first, and a late event from a state already left does nothing. Every path ends in {@link #finish}
 * once, and the client always gets an answer (or, if it already has part of one, a cut connection).
 *
 * <p>States: CONNECTING (the try has a lease and waits for a connection, queued or connecting), SENT
 * (the request went out, its body may still be streaming; no response head yet), RELAYING (the
 * response head is relayed, its body streams to the client), FLUSHING (the backend's response ended,
 * its last bytes are on their way to the client), DONE. A protocol upgrade the backend accepted (101)
 * goes from SENT to UPGRADED: {@link ProtocolSwitch} relays the 101 and then runs the tunnel, and ends
 * the exchange through {@link #finish}. What an exchange leaves behind (records, an access-log line) is
 * {@link ExchangeLog}'s.
 */
final class ProxyExchange implements ConnectionRequest, ResponseListener, RequestDeadlines.Expiry,
  Http2BodyLimits.Refusal {

  private enum State { CONNECTING, SENT, RELAYING, FLUSHING, UPGRADED, DONE }

  private final ProxyRuntime rt; // its group's: a route chose it, and with it the backends this request may go to
  private final HttpServerRequest inbound;
  private final RequestDeadlines deadlines;
  private final OutboundRequest outbound;
  private final ProtocolSwitch upgrade;
  private final ExchangeLog log;
  private State state = State.CONNECTING;
  private final RetryRule.Tries tries;
  private final BackendLink link = new BackendLink(this);
  private TryLease lease;
  private ResponseRelay relay;
  private boolean clientGone;

  ProxyExchange(ProxyRuntime rt, HttpServerRequest inbound, String target) {
    this.rt = rt;
    this.inbound = inbound;
    this.deadlines = new RequestDeadlines(rt, this, inbound.path());
    this.outbound = new OutboundRequest(inbound, target, rt, rt.ids.idFor(inbound.getHeader(RequestIds.HEADER)));
    this.upgrade = new ProtocolSwitch(rt, inbound, outbound.requestId());
    this.log = new ExchangeLog(rt, inbound, outbound.requestId(), deadlines, upgrade);
    this.tries = rt.retryRule.requestArrived(rt.pool, outbound.replayable());
  }

  void run() {
    inbound.response().closeHandler(v -> clientClosed());
    if (upgrade.refused(outbound.upgrade())) {
      finish(501, false);
      return;
    }
    deadlines.startRequest(rt.config.retries().requestTimeoutMs());
    attempt(rt.pool.pick(null));
  }

  private void attempt(int backend) {
    if (backend < 0) {
      GatewayAnswer.send(inbound, 503, null, outbound.requestId(), clientGone);
      finish(503, false);
      return;
    }
    tries.started();
    lease = rt.pool.begin(backend);
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
      tryFailed(null, false);
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
      state = State.UPGRADED; // from here no clock but the tunnel's idle timeout applies
      upgrade.start(head, lease, link, deadlines, this::finish);
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
      relayed(false);
    } else if (state == State.SENT && link.resendOnFresh(cause, !clientGone && outbound.replayable(), deadlines, rt.upstreams())) {
      state = State.CONNECTING; // a stale pooled connection: the same try goes on, on a fresh one
    } else if (state == State.SENT) {
      tryFailed(cause, false);
    }
  }

  /** A try failed before a response head (no cause: given up unsent): another backend, or the failure is the answer. */
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
    return tries.next(lease.backend(), connectFailure, clientGone || inbound.response().headWritten());
  }

  /** The failed try is over (the policy and health learn it, the bus gets its record); the request moves on. */
  private void retry(int next, int status, boolean backendFault) {
    link.detach();
    lease.end(status, true, backendFault);
    log.retried(lease, status, tries.count());
    attempt(next);
  }

  /** The response was relayed whole ({@code ok}), or the relay broke on either side. */
  private void relayed(boolean ok) {
    if (state == State.DONE) {
      return;
    }
    link.detach(); // a connection still held after a broken relay closes: never reused in an unknown state
    int status = relay.outcome(ok, clientGone);
    lease.end(status, status >= 500, status >= 500);
    finish(status, status >= 500);
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
   * An HTTP/2 stream's body broke a limit on its way: the backend connection closes (it never gets the
   * whole body), the refusal goes on the stream; the client's fault, so nothing is learnt from the try.
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
    } else if (state == State.UPGRADED) {
      upgrade.clientClosed();
    }
  }

  private void finish(int status, boolean failed) {
    state = State.DONE;
    deadlines.stop();
    log.finished(lease, status, failed, tries.count());
  }
}
