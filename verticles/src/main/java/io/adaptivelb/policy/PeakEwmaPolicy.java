package io.adaptivelb.policy;

import io.adaptivelb.common.Clock;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Power of two choices on cost = peak EWMA of latency × (requests in flight + 1), after Finagle's
 * and Linkerd's balancers. The estimate jumps up to a higher sample at once (a slowdown is believed
 * immediately) and otherwise decays with time constant {@code tau}, also while no sample arrives, so an
 * idle backend's bad reputation fades and it gets tried again. A backend with no history costs
 * {@code defaultRttMs}.
 *
 * <p>With {@code weighted} sampling (off by default, so the policy stays Finagle's and Linkerd's), the
 * two candidates are drawn in proportion to 1 / estimate instead of uniformly: a backend ten times
 * faster is drawn ten times as often. Uniform drawing caps the best of three backends at 2/3 of the
 * traffic (the other two are drawn together a third of the time), which is not enough when it can
 * serve three quarters of it; the cost comparison still spreads load once the fast one queues.
 */
public final class PeakEwmaPolicy extends AbstractPolicy {

  public static final String UNIFORM = "uniform";
  public static final String WEIGHTED = "weighted";
  public static final Param<String> SAMPLING = Param.choice("sampling", UNIFORM, List.of(UNIFORM, WEIGHTED),
    "how the two candidates are drawn: uniformly (Finagle's and Linkerd's), or weighted by 1 / peak EWMA");

  public static final PolicyType TYPE = PolicyType.named("p2c-peak-ewma")
    .explain("Two backends drawn at random; the lower `peakEwma × (inFlight + 1)` wins (Finagle, Linkerd). The "
      + "estimate jumps up to a slower sample at once and otherwise decays with `tauMs`, also while idle, so a "
      + "backend's bad reputation fades; a backend with no history costs `defaultRttMs`. Drawn uniformly, the best of "
      + "three backends never gets more than 2/3 of the traffic; `sampling: weighted` draws the two in proportion to "
      + "1 / peak EWMA instead.")
    .score("cost = peak EWMA ms × (in flight + 1)", "ms × requests")
    .params(SharedParams.TAU_MS, SharedParams.DEFAULT_RTT_MS, SAMPLING, SharedParams.FAILURE_PENALTY_MS)
    .variant(SAMPLING, WEIGHTED)
    .builds((s, size, clock, random) -> new PeakEwmaPolicy(size, s.get(SharedParams.TAU_MS), s.get(SharedParams.DEFAULT_RTT_MS),
      s.get(SharedParams.FAILURE_PENALTY_MS), WEIGHTED.equals(s.get(SAMPLING)), clock, random));

  private static final double MIN_ESTIMATE_MS = 0.01;

  private final double tauNanos;
  private final double defaultRttMs;
  private final Clock clock;
  private final RandomGenerator random;
  private final boolean weighted;
  private final Estimates estimateMs;
  private double[] weights; // scratch for weighted draws; 0 = not eligible
  private long[] stampNanos;

  public PeakEwmaPolicy(int size, double tauMs, double defaultRttMs, double failurePenaltyMs, Clock clock,
                        RandomGenerator random) {
    this(size, tauMs, defaultRttMs, failurePenaltyMs, false, clock, random);
  }

  public PeakEwmaPolicy(int size, double tauMs, double defaultRttMs, double failurePenaltyMs, boolean weighted,
                        Clock clock, RandomGenerator random) {
    super(TYPE, size, failurePenaltyMs);
    if (!(tauMs > 0)) {
      throw new IllegalArgumentException("tau must be positive");
    }
    this.tauNanos = tauMs * 1_000_000;
    this.defaultRttMs = defaultRttMs;
    this.clock = clock;
    this.random = random;
    this.weighted = weighted;
    this.weights = new double[size];
    this.estimateMs = new Estimates(size);
    this.stampNanos = new long[size];
  }

  @Override
  public int pick(Eligibility eligible) {
    long now = clock.nanoTime();
    if (!weighted) {
      return TwoChoices.pick(eligible, random, i -> cost(i, now));
    }
    for (int i = 0; i < weights.length; i++) {
      weights[i] = i < eligible.size() && eligible.test(i) ? weight(i, now) : 0;
    }
    return TwoChoices.pickWeighted(eligible, weights, random, i -> cost(i, now));
  }

  /** How often a backend is drawn, relative to the others: inversely to its latency estimate. */
  double weight(int backend, long now) {
    // floored so an estimate decayed to (almost) nothing is drawn often, never infinitely often
    return 1 / Math.max(estimate(backend, now), MIN_ESTIMATE_MS);
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
    if (!estimateMs.known(backend)) {
      return defaultRttMs;
    }
    long elapsed = Math.max(0, now - stampNanos[backend]);
    return estimateMs.ms(backend) * Math.exp(-elapsed / tauNanos);
  }

  @Override
  protected void learn(int backend, int load, double latencyMs) {
    long now = clock.nanoTime();
    if (!estimateMs.known(backend)) {
      estimateMs.set(backend, latencyMs);
    } else {
      double decayed = estimate(backend, now);
      if (latencyMs > decayed) {
        estimateMs.set(backend, latencyMs); // peak: believe a slowdown at once
      } else {
        double w = Math.exp(-Math.max(0, now - stampNanos[backend]) / tauNanos);
        estimateMs.set(backend, estimateMs.ms(backend) * w + latencyMs * (1 - w));
      }
    }
    stampNanos[backend] = now;
  }

  @Override
  protected void resize(int newSize) {
    estimateMs.resize(newSize);
    stampNanos = Arrays.copyOf(stampNanos, newSize);
    weights = new double[newSize];
  }

  @Override
  protected void describeInto(int backend, Map<String, Object> into) {
    long now = clock.nanoTime();
    into.put("score", cost(backend, now));
    into.put("peakEwmaMs", estimate(backend, now));
    if (weighted) {
      into.put("drawWeight", weight(backend, now));
    }
  }
}
