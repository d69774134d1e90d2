package io.adaptivelb.policy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The original proposal's second policy: {@code ewma = alpha * latency + (1 - alpha) * ewma}, lowest
 * wins, ties in cycle order. A backend with no sample yet scores 0 so it is tried at once; the proxy
 * also sends warm-up probes at start so no backend begins empty.
 */
public final class EwmaPolicy extends AbstractPolicy {

  private final double alpha;
  private final double[] ewma;
  private final long[] samples;
  private int cursor;

  public EwmaPolicy(List<String> backends, double alpha, double failurePenaltyMs) {
    super(backends, failurePenaltyMs);
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1]");
    }
    this.alpha = alpha;
    this.ewma = new double[backends.size()];
    this.samples = new long[backends.size()];
    Arrays.fill(ewma, Double.NaN);
  }

  @Override
  public String name() {
    return "ewma";
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
    return Double.isNaN(ewma[backend]) ? 0 : ewma[backend];
  }

  @Override
  protected void learn(int backend, double latencyMs) {
    ewma[backend] = Double.isNaN(ewma[backend]) ? latencyMs : alpha * latencyMs + (1 - alpha) * ewma[backend];
    samples[backend]++;
  }

  @Override
  protected void describe(int backend, Map<String, Object> into) {
    into.put("score", Double.isNaN(ewma[backend]) ? null : ewma[backend]);
    into.put("samples", samples[backend]);
  }
}
