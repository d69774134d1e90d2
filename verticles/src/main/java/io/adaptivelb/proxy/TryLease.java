package io.adaptivelb.proxy;

import io.adaptivelb.telemetry.LatencyRecord;

/**
 * One try of a request at one backend, from {@link BackendPool#begin} until {@link #end} or
 * {@link #cancel}, whichever comes first: the later calls do nothing, so every path of the exchange
 * may close its try without knowing whether another path already did (tower's load handle, Finagle's
 * metric token).
 *
 * <p>It owns the one rule of what a try teaches, and {@link BackendPool#observe} applies the same rule
 * to the records of the other proxy instances, so every instance learns the same from the same try:
 * <ul>
 *   <li>the routing policy learns the try's latency (until the response headers, or until it failed)
 *       and whether it failed, unless the client left ({@link #CLIENT_CLOSED}): then the try is
 *       dropped without a sample, whether the client left before the answer or in the middle of it;</li>
 *   <li>passive health, this instance's own judgement only, counts a failure that says something about
 *       the backend ({@code backendFault}) and a success; other failures (our own full wait queue, a
 *       request deadline spent waiting for a connection) and a client that left count as neither.</li>
 * </ul>
 */
final class TryLease {

  /** nginx's convention for "the client went away before we could answer". */
  static final int CLIENT_CLOSED = 499;

  private final BackendPool pool;
  private final int backend;
  private final int load;
  private final long dispatchNanos;
  /** Until the response headers arrived (0: not yet), or until the try ended without them. */
  private long measuredNanos;
  private boolean over;

  TryLease(BackendPool pool, int backend, int load) {
    this.pool = pool;
    this.backend = backend;
    this.load = load;
    this.dispatchNanos = System.nanoTime();
  }

  /** Whether a try that ended with {@code status} teaches the routing policy anything. */
  static boolean teaches(int status) {
    return status != CLIENT_CLOSED;
  }

  /** Whether a peer's record teaches this instance's policy: by the same rule as a try of its own. */
  static boolean teaches(LatencyRecord record) {
    return teaches(record.status());
  }

  int backend() {
    return backend;
  }

  Upstream upstream() {
    return pool.upstream(backend);
  }

  /** Requests in flight to the backend when this one was dispatched, this one included. */
  int load() {
    return load;
  }

  /** The response headers arrived: the latency the policy learns stops here. */
  void headersArrived() {
    measuredNanos = System.nanoTime();
  }

  /** From dispatch until the response headers, or until the try ended or now when none came. */
  double upstreamMs() {
    return ((measuredNanos == 0 ? System.nanoTime() : measuredNanos) - dispatchNanos) / 1e6;
  }

  /**
   * The try is over with {@code status} (what the client got, or the failure a retry moved on from).
   *
   * @param failed       the backend failed the try: 5xx, connect failure, timeout, reset
   * @param backendFault the failure says something about the backend's health
   */
  void end(int status, boolean failed, boolean backendFault) {
    if (over) {
      return;
    }
    over = true;
    if (measuredNanos == 0) {
      measuredNanos = System.nanoTime();
    }
    if (!teaches(status)) {
      pool.policy().cancel(backend);
    } else {
      pool.policy().end(backend, load, upstreamMs(), failed);
      if (backendFault) {
        pool.healthFailure(backend);
      } else if (!failed) {
        pool.healthSuccess(backend);
      }
    }
    pool.released(backend);
  }

  /** The try is dropped before anything was learnt (the client left before the backend answered). */
  void cancel() {
    end(CLIENT_CLOSED, false, false);
  }
}
