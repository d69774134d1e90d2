package io.adaptivelb.proxy;

import io.adaptivelb.telemetry.LatencyRecord;
import io.adaptivelb.upstream.ConnectionRequest;
import io.adaptivelb.upstream.ResponseListener;
import io.adaptivelb.upstream.UpstreamConnection;
import io.adaptivelb.upstream.UpstreamConnector;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponse;
import io.vertx.core.http.HttpServerRequest;

import java.util.BitSet;
import java.util.concurrent.TimeoutException;

/**
 * One client request, as a state machine: pick a backend, take a {@link TryLease} on it, get a
 * connection, send the request, relay the response, record what happened. A try that fails goes to
 * another backend when {@link RetryRule} allows it. The client side is Vert.x's HTTP server; the
 * backend side a connection of the instance's {@link UpstreamConnector}, on the same event loop, so
 * every event below runs on that loop, one at a time. Each event checks the state first: a late event
 * from a state already left does nothing. Every path ends in {@link #finish} exactly once, and the
 * client always gets an answer (or, if it already has part of one, a cut connection).
 */
final class ProxyExchange implements ConnectionRequest, ResponseListener, RequestDeadlines.Expiry {

  private enum State {
    CONNECTING, // the try has a lease and waits for a connection (queued, or connecting)
    SENT,       // the request went out (its body may still be streaming); no response head yet
    RELAYING,   // the response head is relayed; its body streams to the client
    FLUSHING,   // the backend's response ended; its last bytes are on their way to the client
    DONE
  }

  private final ProxyRuntime rt;
  private final HttpServerRequest inbound;
  private final RequestDeadlines deadlines;
  private OutboundRequest outbound;
  private State state = State.CONNECTING;
  private int attempts;
  private BitSet tried;
  private TryLease lease;
  /** Where the current try asked for a connection, while it waits for one. */
  private UpstreamConnector waitingOn;
  private UpstreamConnection connection;
  private BodyPump bodyPump;
  private ResponseRelay relay;
  private boolean clientGone;

  ProxyExchange(ProxyRuntime rt, HttpServerRequest inbound) {
    this.rt = rt;
    this.inbound = inbound;
    this.deadlines = new RequestDeadlines(rt.vertx(), rt.tryTimeouts, this);
  }

  void run() {
    outbound = new OutboundRequest(inbound, rt, rt.ids.idFor(inbound.getHeader(RequestIds.HEADER)));
    if (outbound.hasBody()) {
      inbound.pause(); // hold the body until a backend connection can take it
    }
    inbound.response().closeHandler(v -> clientClosed());
    rt.retryRule.requestArrived();
    deadlines.startRequest(rt.config.retries().requestTimeoutMs());
    attempt(rt.pool.pick(null));
  }

  private void attempt(int backend) {
    if (backend < 0) {
      GatewayAnswer.send(inbound, 503, null, outbound.requestId(), clientGone);
      finish(503, false);
      return;
    }
    attempts++;
    lease = rt.pool.begin(backend);
    state = State.CONNECTING;
    deadlines.newTry();
    Upstream upstream = lease.upstream();
    waitingOn = rt.upstreams();
    waitingOn.acquire(upstream, upstream.address().host(), upstream.address().port(), this);
  }

  @Override
  public void connected(UpstreamConnection c) {
    waitingOn = null;
    if (state != State.CONNECTING) {
      c.releaseUnused();
    } else if (clientGone || deadlines.requestExpired()) {
      c.releaseUnused(); // nothing was sent on it: it is as good as it was
      tryFailed(new TimeoutException("request abandoned"), false);
    } else {
      state = State.SENT;
      connection = c;
      deadlines.runTry();
      bodyPump = outbound.send(c, lease.upstream(), this, deadlines);
    }
  }

  @Override
  public void connectFailed(Throwable cause) {
    waitingOn = null;
    if (state == State.CONNECTING) {
      tryFailed(cause, true);
    }
  }

  @Override
  public void head(HttpResponse head) {
    deadlines.headArrived();
    lease.headersArrived();
    int status = head.status().code();
    if (status >= 500) {
      int next = nextBackend(false);
      if (next >= 0) { // drop this answer; its connection is not reused
        detach();
        retry(next, status, true);
        return;
      }
    }
    state = State.RELAYING;
    relay = new ResponseRelay(inbound, head, connection, deadlines);
  }

  @Override
  public void content(ByteBuf chunk) {
    relay.content(chunk);
  }

  @Override
  public void ended(ByteBuf lastChunk) {
    connection = null; // back in its pool, or closed if the request body was cut short: no longer ours
    detach();
    state = State.FLUSHING;
    relay.end(lastChunk).onComplete(ar -> relayed(ar.succeeded()));
  }

  /** The connection broke, or this exchange aborted it (timeouts, client gone). */
  @Override
  public void failed(Throwable cause) {
    detach();
    if (state == State.RELAYING) {
      relay.stop();
      relayed(false);
    } else if (state == State.SENT) {
      tryFailed(cause, false);
    }
  }

  /** A try failed before a response head: another backend, or the failure is the answer. */
  private void tryFailed(Throwable cause, boolean connectFailure) {
    detach();
    if (clientGone) {
      lease.cancel();
      finish(TryLease.CLIENT_CLOSED, false);
      return;
    }
    int status = deadlines.requestExpired() || deadlines.tryExpired() ? 504 : UpstreamFailure.status(cause, !connectFailure);
    boolean backendFault = status != 503;
    int next = deadlines.requestExpired() ? -1 : nextBackend(connectFailure);
    if (next >= 0) {
      retry(next, status, backendFault);
      return;
    }
    lease.end(status, true, backendFault);
    GatewayAnswer.send(inbound, status, lease.upstream().name(), outbound.requestId(), false);
    finish(status, true);
  }

  private int nextBackend(boolean connectFailure) {
    if (tried == null) {
      tried = new BitSet();
    }
    tried.set(lease.backend());
    return rt.retryRule.next(rt.pool, tried, lease.backend(), attempts, connectFailure,
      RetryRule.replayable(inbound.method(), outbound.hasBody()), clientGone || inbound.response().headWritten());
  }

  /** The failed try is over (the policy and health learn it, the bus gets its record); the request moves on. */
  private void retry(int next, int status, boolean backendFault) {
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
    // Truncate, never pretend: the client sees its connection cut, and the backend connection is
    // closed rather than going back to its pool in an unknown state.
    boolean clientLeft = clientGone || inbound.response().closed(); // the write side failed, not the backend
    detach();
    inbound.response().reset();
    // a backend silent mid-body is logged as the timeout it is, though the client got the status line
    int logged = clientLeft ? TryLease.CLIENT_CLOSED : deadlines.tryExpired() ? 504 : status;
    lease.end(logged, !clientLeft, !clientLeft);
    finish(logged, !clientLeft);
  }

  @Override
  public void requestTimedOut() {
    if (state == State.SENT || state == State.RELAYING) {
      connection.abort(new TimeoutException("request timeout")); // failed() answers 504 without retrying
    } else if (state == State.CONNECTING && withdrawFromQueue()) {
      // all of the backend's connections stayed busy: the policy learns it as slow, health not as a fault
      lease.end(504, true, false);
      GatewayAnswer.send(inbound, 504, lease.upstream().name(), outbound.requestId(), clientGone);
      finish(504, true);
    } else if (state == State.FLUSHING && inbound.response().headWritten()) {
      inbound.response().reset();
    }
  }

  /** The backend said nothing within the per-try timeout: fail this try (504, retried when safe). */
  @Override
  public void tryTimedOut() {
    if (state == State.SENT || state == State.RELAYING) {
      connection.abort(new TimeoutException("per-try timeout"));
    }
  }

  private void clientClosed() {
    clientGone = true;
    if (state == State.SENT || state == State.RELAYING) {
      connection.abort(new TimeoutException("client gone")); // the status is decided by clientGone
    } else if (state == State.CONNECTING && withdrawFromQueue()) {
      lease.cancel(); // nothing was sent: nothing to learn
      finish(TryLease.CLIENT_CLOSED, false);
    }
  }

  /**
   * Gives up a try still queued for a connection, so a request timeout or a client leaving takes
   * effect now. A try that is connecting is not withdrawn: the connect timeout bounds it, and
   * {@link #connected} then drops it.
   */
  private boolean withdrawFromQueue() {
    if (waitingOn == null || !waitingOn.withdraw(lease.upstream(), this)) {
      return false;
    }
    waitingOn = null;
    return true;
  }

  /** No more body to this try's backend; its connection, if still ours, closes: never reused in an unknown state. */
  private void detach() {
    if (bodyPump != null) {
      bodyPump.stop();
      bodyPump = null;
    }
    if (connection != null) {
      connection.discard();
      connection = null;
    }
  }

  private void finish(int status, boolean failed) {
    state = State.DONE;
    deadlines.stop();
    record(status, failed, false);
  }

  /** @param retried a failed try after which the request moved on; the request's own record comes later */
  private void record(int status, boolean failed, boolean retried) {
    rt.telemetry.add(new LatencyRecord(deadlines.arrivalEpochMs(), outbound.requestId(), inbound.method().name(), inbound.path(),
      lease == null ? "-" : lease.upstream().name(), status, lease == null ? 0 : lease.upstreamMs(),
      deadlines.sinceArrivalMs(), retried ? 0 : inbound.response().bytesWritten(),
      rt.pool.policyConfig().type(), rt.mode().id, failed, attempts, retried, lease == null ? -1 : lease.load()));
  }
}
