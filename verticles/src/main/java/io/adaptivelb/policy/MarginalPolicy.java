package io.adaptivelb.policy;

import io.adaptivelb.common.Clock;

import java.util.Map;

/**
 * Sends each request where it costs the whole system least, not where it finishes soonest. For every
 * backend it learns the latency per band of requests in flight (1, 2, 3-4, 5-8, ... as least-latency
 * does, here with a plain EWMA) and scores a backend by its predicted latency {@code T} times the
 * square of its slowdown {@code T / s}, where {@code s} is the least latency learnt in any band: what
 * the backend takes when it does not queue. {@code T^2 / s} is the marginal cost of one more request at
 * an M/M/1 server (the derivative of rate x latency: the request's own time plus the delay it adds to
 * those queued after it); in a closed loop (a fixed number of clients, as wrk) a request queued at a
 * saturated backend adds no throughput at all while it could add some elsewhere, so the marginal cost
 * there rises faster still: over random mixes in the simulator (closed loop), {@code T^3 / s^2} came
 * nearer the optimum than {@code T^2 / s} (worst case and 5th percentile), and a steeper power did no better.
 * Greedy least-latency keeps queueing at a fast capacity-bound backend until its queue is as slow as
 * the next backend, which parks clients where they add no throughput; the slowdown factor stops that
 * when the queue is a fraction of that long. A backend that does not queue (pure delay) has slowdown 1
 * and is judged by its latency alone; so that noise is not read as queueing, {@code T} and {@code s}
 * must be more than two standard errors of their band estimates apart before any slowdown counts.
 *
 * <p>A band never seen borrows the nearest lower band (try more load until it hurts). An estimate not
 * refreshed decays toward zero with time constant {@code tau} for a request that would be alone at that
 * backend, so a backend judged slow is tried again within a few tau, one request at a time; an
 * unmeasured backend too. A band above the nearest lower one, not refreshed, settles toward it with time
 * constant {@code settleMs}: a band is refreshed only when the load reaches it, so one judged slow by a
 * few unlucky samples (a pure-delay backend's noise) would otherwise keep the load below it for good.
 * Failures count as {@code failurePenaltyMs} at least.
 */
public final class MarginalPolicy extends BandedLatencyPolicy {

  public static final PolicyType TYPE = PolicyType.named("marginal")
    .explain("Each request goes where it costs the whole system least, not where it finishes soonest. Latency is "
      + "learnt per band of requests in flight (as least-latency does, with an EWMA of weight `alpha`), and a "
      + "backend scores `T × (T / s)²`: its predicted latency `T` times the square of its slowdown over `s`, the "
      + "least latency learnt in any band (what it takes without queueing). A fast capacity-bound backend so stops "
      + "taking requests long before its queue is as slow as the next backend, where greedy least-latency would park "
      + "clients that add no throughput; a backend that does not queue is judged by its latency alone. The slowdown "
      + "counts only beyond noise: `T` less two standard errors over `s` plus two (each band keeps its spread). An "
      + "estimate not refreshed decays with `tauMs` for a request that would be alone at that backend, so a backend "
      + "judged slow is tried again, one request at a time (an unmeasured one too); the estimate at a higher load, not "
      + "refreshed, settles with `settleMs` toward the one below it, so a load judged slow by a few unlucky samples is tried again.")
    .score("predicted latency × slowdown² (ms)", "ms")
    // Measured in the simulator, a short tau (as least-latency's) costs this policy more in retries than it gains.
    .params(SharedParams.ALPHA, SharedParams.TAU_MS, SharedParams.SETTLE_MS, SharedParams.FAILURE_PENALTY_MS)
    .builds((s, size, clock, random) -> new MarginalPolicy(size, s.get(SharedParams.ALPHA), s.get(SharedParams.TAU_MS),
      s.get(SharedParams.SETTLE_MS), s.get(SharedParams.FAILURE_PENALTY_MS), clock));

  /**
   * How many standard errors apart the predicted and the unqueued latency must be before the difference
   * counts as queueing. With plain estimates, the least of eight noisy band estimates reads low, so a
   * pure-delay backend with spread-out latencies looked slowed down and lost its work to slower ones
   * (share of the optimum 0.3 on such mixes); 2 was the best of 1, 2 and 3 over 120 random mixes.
   */
  private static final double NOISE_Z = 2;

  /** A backend never measured predicts 0, so every backend is tried at once instead of being starved by a guess. */
  public MarginalPolicy(int size, double alpha, double tauMs, double settleMs, double failurePenaltyMs, Clock clock) {
    super(TYPE, size, alpha, tauMs, false, settleMs, NOISE_Z, 0, failurePenaltyMs, clock);
  }

  /** The least latency learnt in any band (undecayed): the backend's latency when it does not queue. */
  double unqueuedMs(int backend) {
    return bands.unqueuedMs(backend);
  }

  /** Predicted latency times the square of the slowdown over the unqueued latency: the marginal cost. */
  @Override
  double score(int backend, long now) {
    double t = predict(backend, now);
    double s = bands.unqueuedUpperMs(backend);
    double low = t - NOISE_Z * bands.standardErrorMs(backend, inFlight[backend] + 1);
    if (!(s > 0) || !(low > s)) {
      return t;
    }
    double slowdown = low / s;
    return t * slowdown * slowdown;
  }

  @Override
  protected void describeInto(int backend, Map<String, Object> into) {
    long now = clock.nanoTime();
    into.put("score", score(backend, now));
    into.put("predictedMs", predict(backend, now));
    double s = unqueuedMs(backend);
    into.put("unqueuedMs", Double.isNaN(s) ? null : s);
    into.put("latencyByInFlight", bands.describe(backend));
  }
}
