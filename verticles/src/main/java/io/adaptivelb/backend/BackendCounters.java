package io.adaptivelb.backend;

import java.util.concurrent.atomic.AtomicLong;

/** What a simulated backend has seen; updated on its event loop, readable from any thread (tests, stats). */
public final class BackendCounters {

  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

  void connectionAccepted() {
    connections.incrementAndGet();
  }

  void requestServed(boolean error) {
    requests.incrementAndGet();
    if (error) {
      errors.incrementAndGet();
    }
  }

  /** TCP connections accepted since start. */
  public long connections() {
    return connections.get();
  }

  /** Requests answered since start (errors included). */
  public long requests() {
    return requests.get();
  }

  /** Requests answered with the simulated 500. */
  public long errors() {
    return errors.get();
  }
}
