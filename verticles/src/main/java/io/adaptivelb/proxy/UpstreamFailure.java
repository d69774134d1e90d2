package io.adaptivelb.proxy;

import io.adaptivelb.upstream.PoolBusyException;
import io.vertx.core.http.ConnectionPoolTooBusyException;

import java.util.concurrent.TimeoutException;

/** Maps why the upstream exchange failed to the status the client gets. */
final class UpstreamFailure {

  private UpstreamFailure() {
  }

  /**
   * @param connected whether a connection to the backend had been obtained when it failed
   */
  static int status(Throwable failure, boolean connected) {
    if (failure instanceof PoolBusyException || failure instanceof ConnectionPoolTooBusyException) {
      return 503; // our own wait queue is full: the backend may be fine, we are overloaded
    }
    if (connected && failure instanceof TimeoutException) {
      return 504; // the backend accepted the request and went silent
    }
    return 502; // refused, reset, unreachable, or answered garbage
  }
}
