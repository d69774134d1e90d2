package io.adaptivelb.policy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latency learnt per backend and per band of requests in flight (1, 2, 3-4, 5-8, ... 65+), the model
 * under least-latency and marginal: a pure-delay backend looks the same in every band, a capacity-bound
 * one gets slower in the higher bands. Each band is an EWMA whose old value counts less the older it
 * is (weight {@code (1 - alpha) e^(-age / tau)}), so a fresh sample after a long silence mostly replaces
 * it; and each keeps the EWMA of its squared deviations, so a policy can tell queueing from noise. For
 * the first request to an idle backend the estimate decays toward zero with time constant tau while not
 * refreshed, so a backend judged slow is tried again within a few tau, one request at a time.
 */
final class LatencyBands {

  static final int BANDS = 8;
  private static final String[] NAMES = {"1", "2", "3-4", "5-8", "9-16", "17-32", "33-64", "65+"};

  private final double alpha;
  private final double tauNanos;
  /** Peak-EWMA style: a sample above the decayed estimate replaces it at once. */
  private final boolean believeHigherAtOnce;
  private double[][] estimateMs;
  /** EWMA of the squared deviation from the estimate, for how far an estimate can be trusted. */
  private double[][] varianceMs2;
  private long[][] stampNanos;

  LatencyBands(int size, double alpha, double tauMs, boolean believeHigherAtOnce) {
    this.alpha = alpha;
    this.tauNanos = tauMs * 1_000_000;
    this.believeHigherAtOnce = believeHigherAtOnce;
    this.estimateMs = new double[0][];
    this.varianceMs2 = new double[0][];
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
   * The estimate for a request that would make {@code inFlight} in flight, decayed only when it would be
   * the only one; a band never seen borrows the nearest lower band (optimistic: try more load until it
   * hurts). NaN when none was seen.
   */
  double predict(int backend, int inFlight, long now) {
    for (int b = band(inFlight); b >= 0; b--) {
      double e = estimateMs[backend][b];
      if (!Double.isNaN(e)) {
        return inFlight > 1 ? e : e * Math.exp(-Math.max(0, now - stampNanos[backend][b]) / tauNanos);
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
      // One sample says little about the spread: assume a coefficient of variation of 1 until more come.
      varianceMs2[backend][b] = latencyMs * latencyMs;
    } else {
      double freshness = Math.exp(-Math.max(0, now - stampNanos[backend][b]) / tauNanos);
      double keep = (1 - alpha) * freshness;
      double w = 1 - keep;
      double d = latencyMs - old;
      varianceMs2[backend][b] = keep * (varianceMs2[backend][b] + w * d * d);
      estimateMs[backend][b] = believeHigherAtOnce && latencyMs > old * freshness
        ? latencyMs : old + w * d;
    }
    stampNanos[backend][b] = now;
  }

  /** The standard error of the estimate predict uses for {@code inFlight}; 0 when none was seen. */
  double standardErrorMs(int backend, int inFlight) {
    for (int b = band(inFlight); b >= 0; b--) {
      if (!Double.isNaN(estimateMs[backend][b])) {
        return sqrt(varianceMs2[backend][b] * alpha / (2 - alpha));
      }
    }
    return 0;
  }

  /**
   * The least upper bound, {@code z} standard errors above, of any band's estimate: a latency the
   * backend reaches without queueing that noise alone does not explain away.
   */
  double unqueuedUpperMs(int backend, double z) {
    double min = Double.NaN;
    for (int b = 0; b < BANDS; b++) {
      double e = estimateMs[backend][b];
      if (!Double.isNaN(e)) {
        double upper = e + z * sqrt(varianceMs2[backend][b] * alpha / (2 - alpha));
        if (!(upper >= min)) {
          min = upper;
        }
      }
    }
    return min;
  }

  private static double sqrt(double v) {
    return Math.sqrt(Math.max(0, v));
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
    varianceMs2 = Arrays.copyOf(varianceMs2, newSize);
    stampNanos = Arrays.copyOf(stampNanos, newSize);
    for (int i = old; i < newSize; i++) {
      estimateMs[i] = new double[BANDS];
      Arrays.fill(estimateMs[i], Double.NaN);
      varianceMs2[i] = new double[BANDS];
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
