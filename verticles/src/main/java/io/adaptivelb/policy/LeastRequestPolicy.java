package io.adaptivelb.policy;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Fewest requests in flight, chosen by power of two choices (Envoy's least_request). Needs no latency
 * history, so it has no cold start, and it reacts to a slow backend as soon as requests pile up there.
 */
public final class LeastRequestPolicy extends AbstractPolicy {

  public static final PolicyType TYPE = PolicyType.named("least-request")
    .explain("Two backends drawn at random; the one with fewer requests in flight wins (Envoy's least_request). "
      + "No latency history, so no cold start; it reacts to a slow backend as soon as requests pile up there.")
    .score("requests in flight", "requests")
    .builds((s, size, clock, random) -> new LeastRequestPolicy(size, random));

  private final RandomGenerator random;

  public LeastRequestPolicy(int size, RandomGenerator random) {
    super(TYPE, size, 0);
    this.random = random;
  }

  @Override
  public int pick(Eligibility eligible) {
    return TwoChoices.pick(eligible, random, i -> inFlight[i]);
  }

  @Override
  public int peek(Eligibility eligible) {
    return LowestScore.among(eligible, 0, i -> inFlight[i]);
  }

  @Override
  protected void learn(int backend, int load, double latencyMs) {
    // Only in-flight counts matter, and begin/end keep them.
  }

  @Override
  protected void describeInto(int backend, Map<String, Object> into) {
    into.put("score", (double) inFlight[backend]);
  }
}
