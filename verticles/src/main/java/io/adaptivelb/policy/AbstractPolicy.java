package io.adaptivelb.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Bookkeeping every policy shares: the backend list, requests in flight and the failure penalty. */
abstract class AbstractPolicy implements RoutingPolicy {

  protected final List<String> backends;
  protected final int[] inFlight;
  private final double failurePenaltyMs;

  AbstractPolicy(List<String> backends, double failurePenaltyMs) {
    if (backends.isEmpty()) {
      throw new IllegalArgumentException("a policy needs at least one backend");
    }
    this.backends = List.copyOf(backends);
    this.inFlight = new int[backends.size()];
    this.failurePenaltyMs = failurePenaltyMs;
  }

  @Override
  public List<String> backends() {
    return backends;
  }

  @Override
  public void begin(int backend) {
    inFlight[backend]++;
  }

  @Override
  public void end(int backend, double latencyMs, boolean failed) {
    if (inFlight[backend] > 0) {
      inFlight[backend]--;
    }
    observe(backend, latencyMs, failed);
  }

  @Override
  public void observe(int backend, double latencyMs, boolean failed) {
    learn(backend, failed ? Math.max(latencyMs, failurePenaltyMs) : latencyMs);
  }

  /** One more latency sample for {@code backend}, penalty already applied. */
  protected abstract void learn(int backend, double latencyMs);

  /** The policy's own fields for one backend, in display order. */
  protected abstract void describe(int backend, Map<String, Object> into);

  /** The choice {@link #pick()} would make, without the side effects of making it. */
  protected abstract int peek();

  @Override
  public PolicyState state() {
    List<Map<String, Object>> rows = new ArrayList<>(backends.size());
    for (int i = 0; i < backends.size(); i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", backends.get(i));
      row.put("inFlight", inFlight[i]);
      describe(i, row);
      rows.add(row);
    }
    return new PolicyState(name(), backends.get(peek()), rows);
  }
}
