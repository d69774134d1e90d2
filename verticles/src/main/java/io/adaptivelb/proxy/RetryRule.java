package io.adaptivelb.proxy;

import io.adaptivelb.health.RetryBudget;
import io.vertx.core.http.HttpMethod;

import java.util.BitSet;
import java.util.Set;

/**
 * When a failed try goes to another backend. A connect failure may be retried for any method: no byte
 * of the request was sent. Any other failure (timeout, reset, a 5xx answer) only for an idempotent
 * request without a body, which can be sent again as it was. Never once the client has heard anything
 * of a response or has left, never beyond {@code maxAttempts} tries, never to a backend already tried,
 * and only within the retry budget (which stops retries from multiplying an overload).
 */
final class RetryRule {

  private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT,
    HttpMethod.DELETE, HttpMethod.OPTIONS, HttpMethod.TRACE);

  private final int maxAttempts;
  private final RetryBudget budget;

  RetryRule(int maxAttempts, RetryBudget budget) {
    this.maxAttempts = maxAttempts;
    this.budget = budget;
  }

  /** Whether a request can be sent again after a try that reached the backend. */
  static boolean replayable(HttpMethod method, boolean hasBody) {
    return !hasBody && IDEMPOTENT.contains(method);
  }

  /** A request enters: the budget grows with the traffic it limits, and the request's tries are counted. */
  Tries requestArrived(BackendPool pool, boolean replayable) {
    budget.request();
    return new Tries(pool, replayable);
  }

  /** One request's tries: how many started, and the backends whose try failed. */
  final class Tries {

    private final BackendPool pool;
    private final boolean replayable;
    private BitSet failed; // made only when a try failed
    private int started;

    private Tries(BackendPool pool, boolean replayable) {
      this.pool = pool;
      this.replayable = replayable;
    }

    void started() {
      started++;
    }

    int count() {
      return started;
    }

    /** @return the backend for the next try after the one at {@code backend} failed, or -1 */
    int next(int backend, boolean connectFailure, boolean clientHeard) {
      (failed == null ? failed = new BitSet() : failed).set(backend);
      return RetryRule.this.next(pool, failed, backend, started, connectFailure, replayable, clientHeard);
    }
  }

  /**
   * The backend for the next try of a request whose try at {@code failed} just failed (already in
   * {@code tried}), or -1 when the failure is the answer.
   *
   * @param clientHeard the client has a status line or has left
   */
  int next(BackendPool pool, BitSet tried, int failed, int attempts, boolean connectFailure, boolean replayable,
           boolean clientHeard) {
    if (attempts >= maxAttempts || clientHeard || !(connectFailure || replayable)
      || !pool.hasAlternative(tried, failed) // else the backend's own answer beats a made-up one
      || !budget.tryRetry()) {
      return -1;
    }
    return pool.pick(tried);
  }
}
