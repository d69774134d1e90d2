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
 * after one request. Failures count as {@code failurePenaltyMs} at least.
 */
public final class LeastLatencyPolicy extends AbstractPolicy {

  public static final PolicyType TYPE = PolicyType.named("least-latency")
    .explain("Each request goes where it is predicted to finish soonest: an EWMA (`alpha`) of latency per band of "
      + "requests in flight (1, 2, 3–4, 5–8, … 65+), so a capacity-bound backend looks slower under load and traffic "
      + "spills over just when its queue would cost more than going elsewhere. An unseen band borrows the nearest "
      + "lower one; estimates not refreshed decay with `tauMs`, so a backend judged slow is tried again soon.")
    .score("predicted latency of one more request (ms)", "ms")
    // A band not used goes stale, so this policy's estimates decay faster than peak EWMA's.
    .params(SharedParams.ALPHA, SharedParams.TAU_MS.withDefault(2_000.0), SharedParams.DEFAULT_RTT_MS,
      SharedParams.FAILURE_PENALTY_MS)
    .builds((s, size, clock, random) -> new LeastLatencyPolicy(size, s.get(SharedParams.ALPHA), s.get(SharedParams.TAU_MS),
      s.get(SharedParams.DEFAULT_RTT_MS), s.get(SharedParams.FAILURE_PENALTY_MS), clock));

  private final double defaultRttMs;
  private final Clock clock;
  private final LatencyBands bands;
  private int cursor;

  public LeastLatencyPolicy(int size, double alpha, double tauMs, double defaultRttMs, double failurePenaltyMs,
                            Clock clock) {
    super(size, failurePenaltyMs);
    this.defaultRttMs = defaultRttMs;
    this.clock = clock;
    this.bands = new LatencyBands(size, alpha, tauMs, true);
  }

  @Override
  public String name() {
    return TYPE.name();
  }

  /** Predicted latency of one more request to {@code backend}. */
  double predict(int backend, long now) {
    double e = bands.predict(backend, inFlight[backend] + 1, now);
    return Double.isNaN(e) ? defaultRttMs : e;
  }

  @Override
  public int pick(Eligibility eligible) {
    int chosen = peek(eligible);
    if (chosen >= 0) {
      cursor = (chosen + 1) % eligible.size();
    }
    return chosen;
  }

  @Override
  public int peek(Eligibility eligible) {
    long now = clock.nanoTime();
    return LowestScore.among(eligible, cursor, i -> predict(i, now));
  }

  /**
   * Files the sample under the load it was dispatched into: behind a FIFO queue that is what it waited
   * for. A peer's record is filed under its load there too: a sample taken under heavy load filed in
   * our idle band would make an idle backend look slow and starve it.
   */
  @Override
  protected void learn(int backend, int load, double latencyMs) {
    bands.learn(backend, load > 0 ? load : Math.max(1, inFlight[backend]), latencyMs, clock.nanoTime());
  }

  @Override
  protected void resize(int newSize) {
    bands.resize(newSize);
  }

  @Override
  protected void describeInto(int backend, Map<String, Object> into) {
    into.put("score", predict(backend, clock.nanoTime()));
    into.put("latencyByInFlight", bands.describe(backend));
  }
}
