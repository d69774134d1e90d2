package io.adaptivelb.policy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Bookkeeping every policy shares: its name, requests in flight per slot, growth, and the failure penalty. */
abstract class AbstractPolicy implements RoutingPolicy {

  private final PolicyType type;
  private final double failurePenaltyMs;
  protected int[] inFlight;
  protected int size;

  /** @param type the policy's declaration: its name is the policy's */
  AbstractPolicy(PolicyType type, int size, double failurePenaltyMs) {
    this.type = type;
    this.failurePenaltyMs = failurePenaltyMs;
    this.inFlight = new int[size];
    this.size = size;
  }

  @Override
  public final String name() {
    return type.name();
  }

  @Override
  public void grow(int newSize) {
    if (newSize > size) {
      inFlight = Arrays.copyOf(inFlight, newSize);
      resize(newSize);
      size = newSize;
    }
  }

  /**
   * Grow the policy's own per-slot arrays, if it keeps any; new slots must mean "no history". Called
   * before {@link #size} changes.
   */
  protected void resize(int newSize) {
  }

  @Override
  public int begin(int backend) {
    return ++inFlight[backend];
  }

  @Override
  public void end(int backend, int load, double latencyMs, boolean failed) {
    int at = load > 0 ? load : inFlight[backend];
    if (inFlight[backend] > 0) {
      inFlight[backend]--;
    }
    observe(backend, at, latencyMs, failed);
  }

  @Override
  public void cancel(int backend) {
    if (inFlight[backend] > 0) {
      inFlight[backend]--;
    }
  }

  @Override
  public void observe(int backend, int load, double latencyMs, boolean failed) {
    learn(backend, load, failed ? Math.max(latencyMs, failurePenaltyMs) : latencyMs);
  }

  @Override
  public int inFlight(int backend) {
    return inFlight[backend];
  }

  /**
   * One more latency sample for {@code backend}, penalty already applied.
   *
   * @param load requests in flight to the backend when the request was dispatched, itself included
   *             (-1: unknown, a peer's record without it)
   */
  protected abstract void learn(int backend, int load, double latencyMs);

  @Override
  public Map<String, Object> describe(int backend) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("inFlight", inFlight[backend]);
    describeInto(backend, row);
    return row;
  }

  protected abstract void describeInto(int backend, Map<String, Object> into);
}
