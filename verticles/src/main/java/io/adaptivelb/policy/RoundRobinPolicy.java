package io.adaptivelb.policy;

import java.util.Map;
import java.util.function.IntToDoubleFunction;

/** The next eligible backend in a fixed cycle, whatever happened before. */
public final class RoundRobinPolicy extends LowestScorePolicy {

  public static final PolicyType TYPE = PolicyType.named("round-robin")
    .explain("The next eligible backend in a fixed cycle, whatever happened before. Ignores latency: the baseline.")
    .builds((s, size, clock, random) -> new RoundRobinPolicy(size));

  public RoundRobinPolicy(int size) {
    super(TYPE, size, 0);
  }

  /** Every backend ties, so the cycle alone decides. */
  @Override
  protected IntToDoubleFunction scores() {
    return backend -> 0;
  }

  @Override
  protected void learn(int backend, int load, double latencyMs) {
    // Round robin ignores latency by definition.
  }

  @Override
  protected void describeInto(int backend, Map<String, Object> into) {
  }
}
