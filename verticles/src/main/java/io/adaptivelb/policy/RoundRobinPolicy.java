package io.adaptivelb.policy;

import java.util.Map;

/** The next eligible backend in a fixed cycle, whatever happened before. */
public final class RoundRobinPolicy extends AbstractPolicy {

  public static final PolicyType TYPE = PolicyType.named("round-robin")
    .explain("The next eligible backend in a fixed cycle, whatever happened before. Ignores latency: the baseline.")
    .builds((s, size, clock, random) -> new RoundRobinPolicy(size));

  private int next;

  public RoundRobinPolicy(int size) {
    super(size, 0);
  }

  @Override
  public String name() {
    return TYPE.name();
  }

  @Override
  public int pick(Eligibility eligible) {
    int chosen = peek(eligible);
    if (chosen >= 0) {
      next = (chosen + 1) % eligible.size();
    }
    return chosen;
  }

  @Override
  public int peek(Eligibility eligible) {
    int n = eligible.size();
    for (int step = 0; step < n; step++) {
      int i = (next + step) % n;
      if (eligible.test(i)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  protected void resize(int newSize) {
  }

  @Override
  protected void learn(int backend, int load, double latencyMs) {
    // Round robin ignores latency by definition.
  }

  @Override
  protected void describeInto(int backend, Map<String, Object> into) {
  }
}
