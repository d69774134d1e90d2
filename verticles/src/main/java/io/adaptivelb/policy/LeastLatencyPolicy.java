package io.adaptivelb.policy;

import io.adaptivelb.common.Clock;

import java.util.Map;

/**
 * Sends each request where it is predicted to finish soonest, with the prediction learnt per
 * concurrency level: for every backend, an EWMA of latency for each band of requests in flight
 * (1, 2, 3–4, 5–8, ... 65+). A pure-delay backend looks the same at any load, so the fastest takes
 * everything; a capacity-bound one gets slower in the higher bands, so traffic spills over exactly
 * when its queue would cost more than going elsewhere. Every dispatch raises the backend's in-flight
 * count and so its prediction: concurrent picks spread out instead of herding.
 *
 * <p>A band never seen borrows the nearest lower band (optimistic: try more load until it hurts).
 * Estimates decay toward zero with time constant {@code tau} while not refreshed, so a backend judged
 * slow (by a cold JVM's first requests, say) is tried again within a few tau; like peak EWMA, a sample
 * above the decayed estimate replaces it at once, so a backend that really is slow is believed again
 * after one request. A band above the nearest lower one, not refreshed, settles toward it with time
 * constant {@code settleMs}, so a load judged slow by a few unlucky samples is tried again. Failures
 * count as {@code failurePenaltyMs} at least.
 */
public final class LeastLatencyPolicy extends BandedLatencyPolicy {

  public static final PolicyType TYPE = PolicyType.named("least-latency")
    .explain("Each request goes where it is predicted to finish soonest: an EWMA (`alpha`) of latency per band of "
      + "requests in flight (1, 2, 3–4, 5–8, … 65+), so a capacity-bound backend looks slower under load and traffic "
      + "spills over just when its queue would cost more than going elsewhere. An unseen band borrows the nearest "
      + "lower one; an estimate not refreshed decays with `tauMs` for a request that would be alone at that backend, "
      + "so a backend judged slow is tried again soon, one request at a time (an unmeasured one too); the estimate at a "
      + "higher load, not refreshed, settles with `settleMs` toward the one below it, so a load judged slow is tried again.")
    .score("predicted latency of one more request (ms)", "ms")
    // A band not used goes stale, so this policy's estimates decay faster than peak EWMA's.
    .params(SharedParams.ALPHA, SharedParams.TAU_MS.withDefault(2_000.0), SharedParams.SETTLE_MS, SharedParams.DEFAULT_RTT_MS,
      SharedParams.FAILURE_PENALTY_MS)
    .builds((s, size, clock, random) -> new LeastLatencyPolicy(size, s.get(SharedParams.ALPHA), s.get(SharedParams.TAU_MS),
      s.get(SharedParams.SETTLE_MS), s.get(SharedParams.DEFAULT_RTT_MS), s.get(SharedParams.FAILURE_PENALTY_MS), clock));

  public LeastLatencyPolicy(int size, double alpha, double tauMs, double settleMs, double defaultRttMs,
                            double failurePenaltyMs, Clock clock) {
    super(TYPE, size, alpha, tauMs, true, settleMs, 0, defaultRttMs, failurePenaltyMs, clock);
  }

  /** The predicted latency itself: where one more request finishes soonest. */
  @Override
  double score(int backend, long now) {
    return predict(backend, now);
  }

  @Override
  protected void describeInto(int backend, Map<String, Object> into) {
    into.put("score", predict(backend, clock.nanoTime()));
    into.put("latencyByInFlight", bands.describe(backend));
  }
}
