package io.adaptivelb.policy;

/**
 * Named fixes for the proposal's policies' pathologies, all off by default so the faithful
 * behaviour is what you get unless you ask.
 *
 * @param explore       probability that a pick goes to a random eligible backend (epsilon-greedy):
 *                      starved and stale backends keep being sampled
 * @param forgetAfterMs a backend whose newest sample is older than this loses its history (0 = never):
 *                      a backend that was slow once is not judged on it forever
 * @param tryUnsampled  sma: a backend short of samples scores 0 (try it) instead of infinity (avoid it)
 */
public record Remedies(double explore, double forgetAfterMs, boolean tryUnsampled) {

  public static final Remedies NONE = new Remedies(0, 0, false);
}
