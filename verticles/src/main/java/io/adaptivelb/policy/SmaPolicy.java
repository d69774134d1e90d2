package io.adaptivelb.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The original proposal's policy, kept faithful: a backend's score is the mean of its last
 * {@code window} latencies, and infinity until it has {@code window} of them; the lowest score wins,
 * ties in cycle order.
 *
 * <p>Its pathologies are deliberate and visible: once one backend has a finite score, a backend
 * still short of samples is never chosen again (cold-start starvation), and a backend that was slow
 * once keeps that stale score for as long as it is not chosen.
 */
public final class SmaPolicy extends AbstractPolicy {

  private final int window;
  private final double[][] samples;
  private final int[] count;
  private final double[] sum;
  private int cursor;

  public SmaPolicy(List<String> backends, int window, double failurePenaltyMs) {
    super(backends, failurePenaltyMs);
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1");
    }
    this.window = window;
    this.samples = new double[backends.size()][window];
    this.count = new int[backends.size()];
    this.sum = new double[backends.size()];
  }

  @Override
  public String name() {
    return "sma";
  }

  @Override
  public int pick() {
    int chosen = peek();
    cursor = (chosen + 1) % backends.size();
    return chosen;
  }

  @Override
  protected int peek() {
    return LowestScore.among(backends.size(), cursor, this::score);
  }

  double score(int backend) {
    return count[backend] < window ? Double.POSITIVE_INFINITY : sum[backend] / window;
  }

  @Override
  protected void learn(int backend, double latencyMs) {
    int slot = count[backend] % window;
    if (count[backend] >= window) {
      sum[backend] -= samples[backend][slot];
    }
    samples[backend][slot] = latencyMs;
    sum[backend] += latencyMs;
    count[backend]++;
    if (count[backend] == 2 * window) {
      count[backend] = window; // keep the counter bounded; only "full or not" and the slot matter
      sum[backend] = recomputeSum(backend); // and shed the floating-point drift of running sums
    }
  }

  private double recomputeSum(int backend) {
    double total = 0;
    for (double v : samples[backend]) {
      total += v;
    }
    return total;
  }

  @Override
  protected void describe(int backend, Map<String, Object> into) {
    into.put("score", score(backend));
    int n = Math.min(count[backend], window);
    List<Double> recent = new ArrayList<>(n);
    for (int k = n; k >= 1; k--) {
      recent.add(samples[backend][Math.floorMod(count[backend] - k, window)]);
    }
    into.put("window", recent);
  }
}
