package io.adaptivelb.upstream;

/** Every connection to the backend is busy and its wait queue is full: the proxy, not the backend, is overloaded. */
public final class PoolBusyException extends RuntimeException {

  PoolBusyException(String backend, int queued) {
    super("connection pool to " + backend + " busy and " + queued + " requests already waiting", null, false, false);
  }
}
