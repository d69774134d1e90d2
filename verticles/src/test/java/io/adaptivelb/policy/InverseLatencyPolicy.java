package io.adaptivelb.policy;

import java.util.Arrays;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Weighted random by inverse latency: each request draws a backend at random, a backend's chance
 * being proportional to 1 / latency^power, where latency is an EWMA of its samples. Unlike "lowest
 * wins", a slower backend keeps getting a little traffic, so its estimate never goes stale and no
 * herd forms on the fastest.
 */
public final class InverseLatencyPolicy extends AbstractPolicy {

  public static final Param<Double> POWER = Param.number("power", 1, 0, 8,
    "how strongly speed is favoured: weight = 1 / latency^power (0 = uniform random)");

  public static final PolicyType TYPE = PolicyType.named("inverse-latency")
    .explain("Each request draws a backend at random with weight 1 / latency^`power`, latency being an EWMA "
      + "(`alpha`) of the backend's samples: a backend twice as fast is drawn twice as often at `power` 1. "
      + "A slow backend still gets some requests, so its estimate stays fresh. A backend with no sample "
      + "counts as `defaultRttMs`.")
    .score("EWMA of latency (ms)", "ms")
    .params(SharedParams.ALPHA, POWER, SharedParams.DEFAULT_RTT_MS, SharedParams.FAILURE_PENALTY_MS)
    .builds((settings, size, clock, random) -> new InverseLatencyPolicy(size, settings.get(SharedParams.ALPHA),
      settings.get(POWER), settings.get(SharedParams.DEFAULT_RTT_MS), settings.get(SharedParams.FAILURE_PENALTY_MS),
      random));

  /** Floor of an estimate, so a 0 ms sample gives a large weight, never an infinite one. */
  private static final double MIN_MS = 0.01;

  private final double alpha;
  private final double power;
  private final double defaultRttMs;
  private final RandomGenerator random;
  private double[] ewmaMs; // NaN: no sample yet

  public InverseLatencyPolicy(int size, double alpha, double power, double defaultRttMs, double failurePenaltyMs,
                              RandomGenerator random) {
    super(TYPE, size, failurePenaltyMs);
    this.alpha = alpha;
    this.power = power;
    this.defaultRttMs = defaultRttMs;
    this.random = random;
    this.ewmaMs = new double[size];
    Arrays.fill(ewmaMs, Double.NaN);
  }

  double latency(int backend) {
    return Double.isNaN(ewmaMs[backend]) ? defaultRttMs : ewmaMs[backend];
  }

  double weight(int backend) {
    return 1 / Math.pow(Math.max(latency(backend), MIN_MS), power);
  }

  @Override
  public int pick(Eligibility eligible) {
    double total = 0;
    for (int i = 0; i < eligible.size(); i++) {
      if (eligible.test(i)) {
        total += weight(i);
      }
    }
    double x = random.nextDouble() * total;
    int last = -1;
    for (int i = 0; i < eligible.size(); i++) {
      if (eligible.test(i)) {
        last = i;
        x -= weight(i);
        if (x < 0) {
          return i;
        }
      }
    }
    return last; // -1 when nothing is eligible; rounding can leave x a hair above 0: the last one
  }

  /** The likeliest pick: the backend believed fastest. */
  @Override
  public int peek(Eligibility eligible) {
    return LowestScore.among(eligible, 0, this::latency);
  }

  @Override
  protected void learn(int backend, int load, double latencyMs) {
    double old = ewmaMs[backend];
    ewmaMs[backend] = Double.isNaN(old) ? latencyMs : alpha * latencyMs + (1 - alpha) * old;
  }

  @Override
  protected void resize(int newSize) {
    int old = ewmaMs.length;
    ewmaMs = Arrays.copyOf(ewmaMs, newSize);
    Arrays.fill(ewmaMs, old, newSize, Double.NaN);
  }

  @Override
  protected void describeInto(int backend, Map<String, Object> into) {
    into.put("score", latency(backend));
    into.put("drawWeight", weight(backend));
  }
}
