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
  private final double settleNanos;
  /** Peak-EWMA style: a sample above the decayed estimate replaces it at once. */
  private final boolean believeHigherAtOnce;
  /** Standard errors above its estimate at which a band counts as the backend's unqueued latency. */
  private final double noiseZ;
  private double[][] estimateMs;
  /** EWMA of the squared deviation from the estimate, for how far an estimate can be trusted. */
  private double[][] varianceMs2;
  private long[][] stampNanos;
  /** Per band, the nearest band at or below it that has an estimate (-1: none), so a lookup walks nothing. */
  private byte[][] seenAtOrBelow;
  /** The least upper bound over the bands (see {@link #unqueuedUpperMs}), kept up to date by {@link #learn}. */
  private double[] unqueuedUpperMs;

  /**
   * @param settleMs time constant with which a band above the nearest lower one, not refreshed, settles
   *                 toward it (0: never), so a band judged slow by a few unlucky samples is tried again
   * @param noiseZ   standard errors above a band's estimate for {@link #unqueuedUpperMs}
   */
  LatencyBands(int size, double alpha, double tauMs, boolean believeHigherAtOnce, double settleMs, double noiseZ) {
    this.alpha = alpha;
    this.tauNanos = tauMs * 1_000_000;
    this.settleNanos = settleMs * 1_000_000;
    this.believeHigherAtOnce = believeHigherAtOnce;
    this.noiseZ = noiseZ;
    this.estimateMs = new double[0][];
    this.varianceMs2 = new double[0][];
    this.stampNanos = new long[0][];
    this.seenAtOrBelow = new byte[0][];
    this.unqueuedUpperMs = new double[0];
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
   * The estimate for a request that would make {@code inFlight} in flight; a band never seen borrows the
   * nearest lower band (optimistic: try more load until it hurts). Not refreshed, it decays toward 0 when
   * the request would be the only one, and otherwise settles toward the nearest lower band when above it.
   * NaN when none was seen.
   */
  double predict(int backend, int inFlight, long now) {
    int b = seenAtOrBelow[backend][band(inFlight)];
    if (b < 0) {
      return Double.NaN;
    }
    double e = estimateMs[backend][b];
    double age = Math.max(0, now - stampNanos[backend][b]);
    if (inFlight <= 1) {
      return e * Math.exp(-age / tauNanos);
    }
    int below = b > 0 ? seenAtOrBelow[backend][b - 1] : -1;
    if (below < 0 || settleNanos <= 0) {
      return e;
    }
    double lower = estimateMs[backend][below];
    return e > lower ? lower + (e - lower) * Math.exp(-age / settleNanos) : e;
  }

  /** Files a sample under the band of the load it was dispatched into. */
  void learn(int backend, int inFlight, double latencyMs, long now) {
    int b = band(inFlight);
    double old = estimateMs[backend][b];
    if (Double.isNaN(old)) {
      estimateMs[backend][b] = latencyMs;
      // One sample says little about the spread: assume a coefficient of variation of 1 until more come.
      varianceMs2[backend][b] = latencyMs * latencyMs;
      for (int above = b; above < BANDS && seenAtOrBelow[backend][above] < b; above++) {
        seenAtOrBelow[backend][above] = (byte) b;
      }
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
    unqueuedUpperMs[backend] = leastUpper(backend);
  }

  /** The standard error of the estimate predict uses for {@code inFlight}; 0 when none was seen. */
  double standardErrorMs(int backend, int inFlight) {
    int b = seenAtOrBelow[backend][band(inFlight)];
    return b < 0 ? 0 : standardError(backend, b);
  }

  private double standardError(int backend, int b) {
    return Math.sqrt(Math.max(0, varianceMs2[backend][b] * alpha / (2 - alpha)));
  }

  /**
   * The least upper bound, {@code noiseZ} standard errors above, of any band's estimate: a latency the
   * backend reaches without queueing that noise alone does not explain away. NaN when none was seen.
   */
  double unqueuedUpperMs(int backend) {
    return unqueuedUpperMs[backend];
  }

  private double leastUpper(int backend) {
    double min = Double.NaN;
    for (int b = 0; b < BANDS; b++) {
      double e = estimateMs[backend][b];
      if (!Double.isNaN(e)) {
        double upper = e + noiseZ * standardError(backend, b);
        if (!(upper >= min)) {
          min = upper;
        }
      }
    }
    return min;
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
    seenAtOrBelow = Arrays.copyOf(seenAtOrBelow, newSize);
    unqueuedUpperMs = Arrays.copyOf(unqueuedUpperMs, newSize);
    for (int i = old; i < newSize; i++) {
      seenAtOrBelow[i] = new byte[BANDS];
      Arrays.fill(seenAtOrBelow[i], (byte) -1);
      unqueuedUpperMs[i] = Double.NaN;
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
