package io.adaptivelb.proxy;

import io.adaptivelb.upstream.PoolBusyException;

import java.util.concurrent.TimeoutException;

/** What a failed try means for the client: the status it gets, and the reason given with it. */
final class UpstreamFailure {

  private UpstreamFailure() {
  }

  /**
   * @param connected whether a connection to the backend had been obtained when it failed
   */
  static int status(Throwable failure, boolean connected) {
    if (failure instanceof PoolBusyException) {
      return 503; // our own wait queue is full: the backend may be fine, we are overloaded
    }
    if (connected && failure instanceof TimeoutException) {
      return 504; // the backend accepted the request and went silent
    }
    return 502; // refused, reset, unreachable, or answered garbage
  }

  /** @param tried whether a backend was tried (a 503 without one: none was available) */
  static String reason(int status, boolean tried) {
    return switch (status) {
      case 503 -> tried ? "Service Unavailable: upstream wait queue full" : "Service Unavailable: no backend available";
      case 504 -> "Gateway Timeout: backend did not answer in time";
      default -> "Bad Gateway: backend unreachable or broken";
    };
  }
}
