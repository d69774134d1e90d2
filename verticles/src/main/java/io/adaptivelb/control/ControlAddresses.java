package io.adaptivelb.control;

/**
 * Event-bus addresses of runtime commands (the admin API and discovery send them, the roles apply
 * them); docs/architecture.md shows each message shape.
 */
public final class ControlAddresses {

  /** Publish, JSON {@code {"op": ...}}: runtime changes every proxy instance applies (policy, connection, backends). */
  public static final String PROXY = "lb.control.proxy";
  /** Prefix of {@link #backend}. */
  public static final String BACKEND = "lb.control.backend";
  /** Publish, JSON {@code {"op": "reset"}}: the metrics role forgets its statistics. */
  public static final String METRICS = "lb.control.metrics";

  /**
   * Request (or publish), JSON {@code {"latency": {...}, "capacity": n, "errorRate": x}} (any subset): change
   * simulated backend {@code name}'s profile. The reply is {@code {"name": ..., "profile": {...}}}; a bad
   * change fails with 400; no handler means no simulated backend of that name anywhere in the cluster.
   */
  public static String backend(String name) {
    return BACKEND + "." + name;
  }

  private ControlAddresses() {
  }
}
