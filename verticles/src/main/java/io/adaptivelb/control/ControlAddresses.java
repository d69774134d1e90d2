package io.adaptivelb.control;

/**
 * Event-bus addresses of runtime commands (the admin API and discovery send them, the roles apply
 * them); the README documents each message shape.
 */
public final class ControlAddresses {

  /** Publish, JSON {@code {"op": ...}}: runtime changes every proxy instance applies (policy, connection, backends). */
  public static final String PROXY = "lb.control.proxy";
  /** Publish, JSON {@code {"name": "b1", "latency": {...}, "capacity": n, "errorRate": x}}: change a simulated backend's profile. */
  public static final String BACKEND = "lb.control.backend";
  /** Publish, JSON {@code {"op": "reset"}}: the metrics role forgets its statistics. */
  public static final String METRICS = "lb.control.metrics";

  private ControlAddresses() {
  }
}
