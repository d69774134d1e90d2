package io.adaptivelb.policy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latency learnt per backend and per band of requests in flight (1, 2, 3-4, 5-8, ... 65+), the model
 * under least-latency and marginal: a pure-delay backend looks the same in every band, a capacity-bound
 * one gets slower in the higher bands. Each band is an EWMA that decays toward zero with time constant
 * tau while not refreshed, so a backend judged slow is tried again within a few tau.
 */
final class LatencyBands {

  static final int BANDS = 8;
  private static final String[] NAMES = {"1", "2", "3-4", "5-8", "9-16", "17-32", "33-64", "65+"};

  private final double alpha;
  private final double tauNanos;
  /** Peak-EWMA style: a sample above the decayed estimate replaces it at once. */
  private final boolean believeHigherAtOnce;
  private double[][] estimateMs;
  private long[][] stampNanos;

  LatencyBands(int size, double alpha, double tauMs, boolean believeHigherAtOnce) {
    this.alpha = alpha;
    this.tauNanos = tauMs * 1_000_000;
    this.believeHigherAtOnce = believeHigherAtOnce;
    this.estimateMs = new double[0][];
    this.stampNanos = new long[0][];
    resize(size);
  }

  /** The band of a request that finds {@code inFlight} requests in flight, itself included. */
  static int band(int inFlight) {
    if (inFlight <= 1) {
      return 0;
    }
    int band = 32 - Integer.numberOfLeadingZeros(inFlight - 1); // 2 -> 1, 3-4 -> 2, 5-8 -> 3, ...
    return Math.min(BANDS - 1, band);
  }

  /**
   * The decayed estimate for a request that would make {@code inFlight} in flight; a band never seen
   * borrows the nearest lower band (optimistic: try more load until it hurts). NaN when none was seen.
   */
  double predict(int backend, int inFlight, long now) {
    for (int b = band(inFlight); b >= 0; b--) {
      double e = estimateMs[backend][b];
      if (!Double.isNaN(e)) {
        return e * Math.exp(-Math.max(0, now - stampNanos[backend][b]) / tauNanos);
      }
    }
    return Double.NaN;
  }

  /** Files a sample under the band of the load it was dispatched into. */
  void learn(int backend, int inFlight, double latencyMs, long now) {
    int b = band(inFlight);
    double old = estimateMs[backend][b];
    if (Double.isNaN(old)) {
      estimateMs[backend][b] = latencyMs;
    } else {
      double decayed = old * Math.exp(-Math.max(0, now - stampNanos[backend][b]) / tauNanos);
      estimateMs[backend][b] = believeHigherAtOnce && latencyMs > decayed
        ? latencyMs : alpha * latencyMs + (1 - alpha) * decayed;
    }
    stampNanos[backend][b] = now;
  }

  /** The least latency learnt in any band (undecayed): the backend's latency when it does not queue. */
  double unqueuedMs(int backend) {
    double min = Double.NaN;
    for (double e : estimateMs[backend]) {
      if (!Double.isNaN(e) && !(e >= min)) {
        min = e;
      }
    }
    return min;
  }

  void resize(int newSize) {
    int old = estimateMs.length;
    estimateMs = Arrays.copyOf(estimateMs, newSize);
    stampNanos = Arrays.copyOf(stampNanos, newSize);
    for (int i = old; i < newSize; i++) {
      estimateMs[i] = new double[BANDS];
      Arrays.fill(estimateMs[i], Double.NaN);
      stampNanos[i] = new long[BANDS];
    }
  }

  /** The estimates learnt so far, by band name, for the policy's state. */
  Map<String, Object> describe(int backend) {
    Map<String, Object> bands = new LinkedHashMap<>();
    for (int b = 0; b < BANDS; b++) {
      if (!Double.isNaN(estimateMs[backend][b])) {
        bands.put(NAMES[b], Math.round(estimateMs[backend][b] * 1000) / 1000.0);
      }
    }
    return bands;
  }
}
