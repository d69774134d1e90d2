package io.adaptivelb.proxy;

import io.adaptivelb.upstream.ConnectionRequest;
import io.adaptivelb.upstream.StaleConnectionException;
import io.adaptivelb.upstream.UpstreamConnection;
import io.adaptivelb.upstream.UpstreamConnector;
import io.adaptivelb.upstream.UpstreamTunnel;

import java.util.concurrent.TimeoutException;

/**
 * An exchange's hold on its current try's backend: the wait for a connection, the connection, and the
 * request body on its way to it. Whatever ends a try lets go of all three here, so a connection is
 * never reused in an unknown state and no body byte goes to a try already over.
 */
final class BackendLink {

  private final ConnectionRequest requester;
  private UpstreamConnector waitingOn;
  private Upstream waitingFor;
  private UpstreamConnection connection;
  private BodyPump body;
  /** This try's request was already sent again after a stale pooled connection (once is enough). */
  private boolean resentOnFresh;

  BackendLink(ConnectionRequest requester) {
    this.requester = requester;
  }

  /** Asks {@code connector} for a connection to {@code to}; the requester hears back, maybe at once. */
  void acquire(UpstreamConnector connector, Upstream to) {
    resentOnFresh = false;
    waitingOn = connector;
    waitingFor = to;
    connector.acquire(to, to.address().host(), to.address().port(), to.tls(), requester);
  }

  /**
   * The pooled connection was closed by the backend just as the request went out (its keep-alive
   * timeout racing ours), before any response byte: like nginx, a request that can be replayed is sent
   * again, once, on a fresh connection to the same backend. It stays the same try: neither the backend's
   * health, the policy, the retry budget nor the attempt count hears of it. True when a fresh connection
   * is on its way to the requester.
   */
  boolean resendOnFresh(Throwable cause, boolean replayable, RequestDeadlines deadlines, UpstreamConnector connector) {
    if (resentOnFresh || !replayable || deadlines.expired() || !(cause instanceof StaleConnectionException)
      || waitingFor == null) {
      return false;
    }
    resentOnFresh = true;
    detach();
    deadlines.pauseTry(); // runs again once the fresh connection is there
    waitingOn = connector;
    connector.acquire(waitingFor, waitingFor.address().host(), waitingFor.address().port(), waitingFor.tls(), true,
      requester);
    return true;
  }

  /** The wait is over: a connection came, or none will. */
  void answered() {
    waitingOn = null;
  }

  /**
   * Gives up a wait still queued for a connection: true when it was queued. A try that is connecting
   * is not withdrawn (the connect timeout bounds it; the requester then hands the connection back).
   */
  boolean withdraw() {
    if (waitingOn == null || !waitingOn.withdraw(waitingFor, requester)) {
      return false;
    }
    waitingOn = null;
    return true;
  }

  void attach(UpstreamConnection c) {
    connection = c;
  }

  UpstreamConnection connection() {
    return connection;
  }

  void streaming(BodyPump pump) {
    body = pump;
  }

  /** Ends the try's exchange now; its listener hears {@code why} as the failure. */
  void abort(String why) {
    connection.abort(new TimeoutException(why));
  }

  /** The backend switched protocols: its connection leaves the try as a tunnel, never to be pooled again. */
  UpstreamTunnel tunnel() {
    UpstreamTunnel t = connection.openTunnel();
    connection = null;
    return t;
  }

  /** The response ended: the connection went back to its pool (or closed) on its own, and no more body goes out. */
  void released() {
    connection = null;
    detach();
  }

  /** No more body to the backend; the connection, if still held, closes. */
  void detach() {
    if (body != null) {
      body.stop();
      body = null;
    }
    if (connection != null) {
      connection.discard();
      connection = null;
    }
  }
}
