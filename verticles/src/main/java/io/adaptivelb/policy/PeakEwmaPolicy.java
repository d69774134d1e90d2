package io.adaptivelb.policy;

import java.util.Arrays;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Power of two choices on cost = peak EWMA of latency × (requests in flight + 1), after Finagle's
 * and Linkerd's balancers. The estimate jumps up to a higher sample at once (a slowdown is believed
 * immediately) and otherwise decays with time constant {@code tau}, also while no sample arrives, so an
 * idle backend's bad reputation fades and it gets tried again. A backend with no history costs
 * {@code defaultRttMs}.
 */
public final class PeakEwmaPolicy extends AbstractPolicy {

  private final double tauNanos;
  private final double defaultRttMs;
  private final Clock clock;
  private final RandomGenerator random;
  private double[] estimateMs;
  private long[] stampNanos;

  public PeakEwmaPolicy(int size, double tauMs, double defaultRttMs, double failurePenaltyMs, Clock clock,
                        RandomGenerator random) {
    super(size, failurePenaltyMs);
    if (!(tauMs > 0)) {
      throw new IllegalArgumentException("tau must be positive");
    }
    this.tauNanos = tauMs * 1_000_000;
    this.defaultRttMs = defaultRttMs;
    this.clock = clock;
    this.random = random;
    this.estimateMs = new double[size];
    this.stampNanos = new long[size];
    Arrays.fill(estimateMs, Double.NaN);
  }

  @Override
  public String name() {
    return "p2c-peak-ewma";
  }

  @Override
  public int pick(Eligibility eligible) {
    long now = clock.nanoTime();
    return TwoChoices.pick(eligible, random, i -> cost(i, now));
  }

  @Override
  public int peek(Eligibility eligible) {
    long now = clock.nanoTime();
    return LowestScore.among(eligible, 0, i -> cost(i, now));
  }

  double cost(int backend, long now) {
    return estimate(backend, now) * (inFlight[backend] + 1);
  }

  /** The estimate decayed to {@code now}; decay toward zero lets an unused backend be retried. */
  double estimate(int backend, long now) {
    if (Double.isNaN(estimateMs[backend])) {
      return defaultRttMs;
    }
    long elapsed = Math.max(0, now - stampNanos[backend]);
    return estimateMs[backend] * Math.exp(-elapsed / tauNanos);
  }

  @Override
  protected void learn(int backend, double latencyMs) {
    long now = clock.nanoTime();
    if (Double.isNaN(estimateMs[backend])) {
      estimateMs[backend] = latencyMs;
    } else {
      double decayed = estimate(backend, now);
      if (latencyMs > decayed) {
        estimateMs[backend] = latencyMs; // peak: believe a slowdown at once
      } else {
        double w = Math.exp(-Math.max(0, now - stampNanos[backend]) / tauNanos);
        estimateMs[backend] = estimateMs[backend] * w + latencyMs * (1 - w);
      }
    }
    stampNanos[backend] = now;
  }

  @Override
  protected void resize(int newSize) {
    int old = estimateMs.length;
    estimateMs = Arrays.copyOf(estimateMs, newSize);
    Arrays.fill(estimateMs, old, newSize, Double.NaN);
    stampNanos = Arrays.copyOf(stampNanos, newSize);
  }

  @Override
  protected void describeInto(int backend, Map<String, Object> into) {
    long now = clock.nanoTime();
    into.put("score", cost(backend, now));
    into.put("peakEwmaMs", estimate(backend, now));
  }
}
