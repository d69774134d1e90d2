package io.adaptivelb.policy;

/**
 * Named fixes for the proposal's policies' pathologies, all off by default so the faithful
 * behaviour is what you get unless you ask. sma and ewma take {@link #EXPLORE} and
 * {@link #FORGET_AFTER_MS}; {@code tryUnsampled} is sma's alone ({@link SmaPolicy#TRY_UNSAMPLED}).
 *
 * @param explore       probability that a pick goes to a random eligible backend (epsilon-greedy)
 * @param forgetAfterMs age of a backend's newest sample at which it loses its history (0 = never)
 * @param tryUnsampled  sma: a backend short of samples scores 0 (try it) instead of infinity (avoid it)
 */
public record Remedies(double explore, double forgetAfterMs, boolean tryUnsampled) {

  public static final Param<Double> EXPLORE = Param.number("explore", 0, 0, 1,
    "probability that a pick goes to a random eligible backend, so starved and stale backends keep being sampled (0 = off)");
  public static final Param<Double> FORGET_AFTER_MS = Param.number("forgetAfterMs", 0, 0, 86_400_000,
    "a backend whose newest sample is older than this (ms) loses its history, so slow once is not slow forever (0 = never)");

  public static final Remedies NONE = new Remedies(0, 0, false);

  /** The remedies a policy's settings turn on. */
  static Remedies of(PolicySettings settings, boolean tryUnsampled) {
    return new Remedies(settings.get(EXPLORE), settings.get(FORGET_AFTER_MS), tryUnsampled);
  }
}
