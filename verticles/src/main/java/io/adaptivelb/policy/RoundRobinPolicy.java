package io.adaptivelb.policy;

import java.util.List;
import java.util.Map;

/** The next backend in a fixed cycle, whatever happened before. */
public final class RoundRobinPolicy extends AbstractPolicy {

  private int next;

  public RoundRobinPolicy(List<String> backends) {
    super(backends, 0);
  }

  @Override
  public String name() {
    return "round-robin";
  }

  @Override
  public int pick() {
    int chosen = next;
    next = (next + 1) % backends.size();
    return chosen;
  }

  @Override
  protected int peek() {
    return next;
  }

  @Override
  protected void learn(int backend, double latencyMs) {
    // Round robin ignores latency by definition.
  }

  @Override
  protected void describe(int backend, Map<String, Object> into) {
  }
}
