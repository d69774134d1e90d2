package io.adaptivelb.telemetry;

/** Event-bus addresses of telemetry (records, state, counters, statistics); docs/architecture.md shows each message shape. */
public final class Addresses {

  /** {@link RecordBatch}: latency records of forwarded requests, published by every proxy instance. */
  public static final String LATENCY = "lb.latency";
  /** JSON: one proxy instance's policy and backend state, published twice a second and after every change. */
  public static final String POLICY_STATE = "lb.policy.state";
  /** JSON: one simulated backend's counters (connections, requests, queue), published every second. */
  public static final String BACKEND_COUNTERS = "lb.backend.counters";
  /**
   * Request/reply, sent by a stopping proxy instance after its last records: the metrics role answers
   * once it has consumed every batch that instance published before (one sender's messages arrive in
   * order), so it does not stop, and close its CSV, while records are still on their way.
   */
  public static final String LATENCY_DRAINED = "lb.latency.drained";
  /** Request/reply: answers the {@code /stats} JSON snapshot. */
  public static final String STATS = "lb.stats";

  private Addresses() {
  }
}
