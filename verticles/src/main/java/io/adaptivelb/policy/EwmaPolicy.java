package io.adaptivelb.policy;

import io.adaptivelb.common.Clock;

import java.util.Arrays;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The original proposal's second policy: {@code ewma = alpha * latency + (1 - alpha) * ewma}, lowest
 * wins, ties in cycle order. A backend with no sample yet scores 0 so it is tried at once; the proxy
 * also sends warm-up probes at start so no backend begins empty.
 */
public final class EwmaPolicy extends LatencyPolicy {

  public static final PolicyType TYPE = PolicyType.named("ewma")
    .explain("The original proposal's second policy: `ewma = alpha × latency + (1 − alpha) × ewma`, seeded by the "
      + "first sample. A backend with no sample scores 0 so it is tried at once, and warm-up probes reach every "
      + "backend before the proxy opens its port. The lowest wins, ties in cycle order, so it herds onto the fastest "
      + "until that one slows down. Remedies, each off by default: `explore`, `forgetAfterMs`.")
    .score("EWMA of latency (ms)", "ms")
    .warmup()
    .params(SharedParams.ALPHA, Remedies.EXPLORE, Remedies.FORGET_AFTER_MS, SharedParams.FAILURE_PENALTY_MS)
    .builds((s, size, clock, random) -> new EwmaPolicy(size, s.get(SharedParams.ALPHA), s.get(SharedParams.FAILURE_PENALTY_MS),
      Remedies.of(s, false), clock, random));

  private final double alpha;
  private final Estimates ewma;
  private long[] samples;

  public EwmaPolicy(int size, double alpha, double failurePenaltyMs, Remedies remedies, Clock clock, RandomGenerator random) {
    super(TYPE, size, failurePenaltyMs, remedies, clock, random);
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1]");
    }
    this.alpha = alpha;
    this.ewma = new Estimates(size);
    this.samples = new long[size];
  }

  @Override
  double score(int backend) {
    return ewma.known(backend) ? ewma.ms(backend) : 0;
  }

  @Override
  void sample(int backend, double latencyMs) {
    ewma.set(backend, ewma.known(backend) ? alpha * latencyMs + (1 - alpha) * ewma.ms(backend) : latencyMs);
    samples[backend]++;
  }

  @Override
  void forget(int backend) {
    ewma.forget(backend);
  }

  @Override
  void resizeScores(int newSize) {
    ewma.resize(newSize);
    samples = Arrays.copyOf(samples, newSize);
  }

  @Override
  protected void describeInto(int backend, Map<String, Object> into) {
    into.put("score", ewma.known(backend) ? ewma.ms(backend) : null);
    into.put("samples", samples[backend]);
  }
}
