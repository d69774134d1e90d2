package io.adaptivelb.policy;

import io.adaptivelb.common.Clock;

import java.util.function.IntToDoubleFunction;

/**
 * What least-latency and marginal share: latency learnt per band of requests in flight
 * ({@link LatencyBands}), each sample filed under the load it was dispatched into, and a prediction for
 * one more request from the band it would fall in. Each scores that prediction its own way, lowest wins.
 */
abstract class BandedLatencyPolicy extends LowestScorePolicy {

  protected final Clock clock;
  protected final LatencyBands bands;
  private final double unmeasuredMs;

  /** @param unmeasuredMs the prediction for a backend never measured */
  BandedLatencyPolicy(PolicyType type, int size, double alpha, double tauMs, boolean believeHigherAtOnce,
                      double settleMs, double noiseZ, double unmeasuredMs, double failurePenaltyMs, Clock clock) {
    super(type, size, failurePenaltyMs);
    if (!(alpha > 0 && alpha <= 1) || !(tauMs > 0)) {
      throw new IllegalArgumentException("alpha must be in (0, 1] and tau positive");
    }
    this.clock = clock;
    this.bands = new LatencyBands(size, alpha, tauMs, believeHigherAtOnce, settleMs, noiseZ);
    this.unmeasuredMs = unmeasuredMs;
  }

  /**
   * Predicted latency of one more request to {@code backend}; while not refreshed, decayed toward 0 for
   * the next request only when none is in flight there (a probe), so a stale estimate draws one request
   * and not a crowd.
   */
  double predict(int backend, long now) {
    double e = bands.predict(backend, inFlight[backend] + 1, now);
    if (Double.isNaN(e)) {
      // One request at a time finds out what an unmeasured backend takes: until it answers, the guess
      // would draw every request (a slow backend behind a queue held most clients for seconds).
      return inFlight[backend] == 0 ? unmeasuredMs : Double.POSITIVE_INFINITY;
    }
    return e;
  }

  /** Lower wins. */
  abstract double score(int backend, long now);

  @Override
  protected IntToDoubleFunction scores() {
    long now = clock.nanoTime();
    return backend -> score(backend, now);
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
}
