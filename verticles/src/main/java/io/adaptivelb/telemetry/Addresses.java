package io.adaptivelb.telemetry;

/** Event-bus addresses shared by the roles; the README documents each message shape. */
public final class Addresses {

  /** {@link RecordBatch}: latency records of forwarded requests, published by every proxy instance. */
  public static final String LATENCY = "lb.latency";
  /** JSON: one proxy instance's policy and backend state, published twice a second and after every change. */
  public static final String POLICY_STATE = "lb.policy.state";
  /** JSON: one simulated backend's counters (connections, requests, queue), published every second. */
  public static final String BACKEND_COUNTERS = "lb.backend.counters";
  /** Request/reply: answers the {@code /stats} JSON snapshot. */
  public static final String STATS = "lb.stats";
  /** Publish, JSON {@code {"op": ...}}: runtime changes every proxy instance applies (policy, connection, backends). */
  public static final String PROXY_CONTROL = "lb.control.proxy";
  /** Prefix of {@link #backendControl}. */
  public static final String BACKEND_CONTROL = "lb.control.backend";
  /** Publish, JSON {@code {"op": "reset"}}: the metrics role forgets its statistics. */
  public static final String METRICS_CONTROL = "lb.control.metrics";

  /**
   * Request (or publish), JSON {@code {"latency": {...}, "capacity": n, "errorRate": x}} (any subset): change
   * simulated backend {@code name}'s profile. The reply is {@code {"name": ..., "profile": {...}}}; a bad
   * change fails with 400; no reply handler means no simulated backend of that name in the cluster.
   */
  public static String backendControl(String name) {
    return BACKEND_CONTROL + "." + name;
  }

  private Addresses() {
  }
}
