package io.adaptivelb.policy;

import io.adaptivelb.common.Clock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The original proposal's policy, kept faithful: a backend's score is the mean of its last
 * {@code window} latencies, and infinity until it has {@code window} of them; the lowest score wins,
 * ties in cycle order.
 *
 * <p>Its pathologies are deliberate and visible: once one backend has a finite score, a backend
 * still short of samples is never chosen again (cold-start starvation), and a backend that was slow
 * once keeps that stale score for as long as it is not chosen. {@link Remedies} fixes each, on request.
 */
public final class SmaPolicy extends LatencyPolicy {

  public static final Param<Integer> WINDOW = Param.integer("window", 3, 1, 10_000,
    "latencies averaged; a backend's score is infinite until it has this many");
  public static final Param<Boolean> TRY_UNSAMPLED = Param.flag("tryUnsampled", false,
    "a backend short of samples scores 0 (try it) instead of infinity (avoid it): no cold-start starvation");

  public static final PolicyType TYPE = PolicyType.named("sma")
    .explain("The original proposal's policy. Score = mean of the last `window` latencies, and infinity until a backend "
      + "has `window` samples; the lowest score wins, ties in cycle order. Kept faithful, pathologies included: once "
      + "another backend has a finite score, one still short of samples is never tried (cold-start starvation), and a "
      + "backend that was slow once keeps its stale score. Remedies, each off by default: `explore`, `forgetAfterMs`, "
      + "`tryUnsampled`.")
    .score("mean of last N latencies (ms)", "ms")
    .params(WINDOW, Remedies.EXPLORE, Remedies.FORGET_AFTER_MS, TRY_UNSAMPLED, SharedParams.FAILURE_PENALTY_MS)
    .builds((s, size, clock, random) -> new SmaPolicy(size, s.get(WINDOW), s.get(SharedParams.FAILURE_PENALTY_MS),
      Remedies.of(s, s.get(TRY_UNSAMPLED)), clock, random));

  private final int window;
  private double[][] samples;
  private int[] count;
  private double[] sum;

  public SmaPolicy(int size, int window, double failurePenaltyMs, Remedies remedies, Clock clock, RandomGenerator random) {
    super(TYPE, size, failurePenaltyMs, remedies, clock, random);
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1");
    }
    this.window = window;
    this.samples = new double[size][window];
    this.count = new int[size];
    this.sum = new double[size];
  }

  @Override
  double score(int backend) {
    if (count[backend] < window) {
      return remedies.tryUnsampled() ? 0 : Double.POSITIVE_INFINITY;
    }
    return sum[backend] / window;
  }

  @Override
  void sample(int backend, double latencyMs) {
    int slot = count[backend] % window;
    if (count[backend] >= window) {
      sum[backend] -= samples[backend][slot];
    }
    samples[backend][slot] = latencyMs;
    sum[backend] += latencyMs;
    count[backend]++;
    if (count[backend] == 2 * window) {
      count[backend] = window; // keep the counter bounded; only "full or not" and the slot matter
      sum[backend] = Arrays.stream(samples[backend]).sum(); // and shed the drift of running sums
    }
  }

  @Override
  void forget(int backend) {
    count[backend] = 0;
    sum[backend] = 0;
  }

  @Override
  void resizeScores(int newSize) {
    samples = Arrays.copyOf(samples, newSize);
    for (int i = size; i < newSize; i++) {
      samples[i] = new double[window];
    }
    count = Arrays.copyOf(count, newSize);
    sum = Arrays.copyOf(sum, newSize);
  }

  @Override
  protected void describeInto(int backend, Map<String, Object> into) {
    into.put("score", score(backend));
    int n = Math.min(count[backend], window);
    List<Double> recent = new ArrayList<>(n);
    for (int k = n; k >= 1; k--) {
      recent.add(samples[backend][Math.floorMod(count[backend] - k, window)]);
    }
    into.put("window", recent);
  }
}
