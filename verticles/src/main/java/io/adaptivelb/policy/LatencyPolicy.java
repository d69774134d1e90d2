package io.adaptivelb.policy;

import io.adaptivelb.common.Clock;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;
import java.util.random.RandomGenerator;

/**
 * What sma and ewma share: a score learnt from latency, lowest wins with ties in cycle order, plus the
 * optional remedies (exploration and forgetting), which need the injected clock and random source.
 */
abstract class LatencyPolicy extends LowestScorePolicy {

  protected final Remedies remedies;
  private final Clock clock;
  private final RandomGenerator random;
  private long[] lastSampleNanos;

  LatencyPolicy(PolicyType type, int size, double failurePenaltyMs, Remedies remedies, Clock clock,
                RandomGenerator random) {
    super(type, size, failurePenaltyMs);
    this.remedies = remedies;
    this.clock = clock;
    this.random = random;
    this.lastSampleNanos = new long[size];
  }

  /** Lower is better; infinity means "never choose while anything finite is eligible". */
  abstract double score(int backend);

  /** Drop everything learnt about {@code backend}. */
  abstract void forget(int backend);

  abstract void sample(int backend, double latencyMs);

  /** With the explore remedy, now and then a random eligible backend instead of the best. */
  @Override
  public int pick(Eligibility eligible) {
    if (remedies.explore() > 0 && random.nextDouble() < remedies.explore()) {
      return LowestScore.random(eligible, random);
    }
    return super.pick(eligible);
  }

  /** With the forget remedy, histories gone stale are dropped before the comparison. */
  @Override
  public int peek(Eligibility eligible) {
    forgetStale();
    return super.peek(eligible);
  }

  @Override
  protected IntToDoubleFunction scores() {
    return this::score;
  }

  @Override
  protected final void learn(int backend, int load, double latencyMs) {
    lastSampleNanos[backend] = clock.nanoTime();
    sample(backend, latencyMs);
  }

  @Override
  protected void resize(int newSize) {
    lastSampleNanos = Arrays.copyOf(lastSampleNanos, newSize);
    resizeScores(newSize);
  }

  abstract void resizeScores(int newSize);

  private void forgetStale() {
    if (remedies.forgetAfterMs() <= 0) {
      return;
    }
    long now = clock.nanoTime();
    long limit = (long) (remedies.forgetAfterMs() * 1_000_000);
    for (int i = 0; i < size; i++) {
      if (lastSampleNanos[i] != 0 && now - lastSampleNanos[i] > limit) {
        forget(i);
        lastSampleNanos[i] = 0;
      }
    }
  }
}
