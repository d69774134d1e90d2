package io.adaptivelb.policy;

import java.util.List;

/**
 * Chooses a backend for each request and learns from how requests went. Implementations are plain,
 * single-threaded Java: each proxy event loop owns its own instance.
 *
 * <p>Life of a request: {@link #pick()}, then {@link #begin(int)} when it is dispatched, then
 * {@link #end(int, double, boolean)} when it is over. Records of requests forwarded by other proxy
 * instances arrive through {@link #observe(int, double, boolean)}.
 */
public interface RoutingPolicy {

  /** The policy id as written in the config ({@code sma}, {@code ewma}, ...). */
  String name();

  List<String> backends();

  /** Index into {@link #backends()} of the backend the next request should go to. */
  int pick();

  void begin(int backend);

  /** The request dispatched with {@link #begin(int)} is over; a failure is learnt as a penalty, never as fast. */
  void end(int backend, double latencyMs, boolean failed);

  /** A request that another proxy instance forwarded. */
  void observe(int backend, double latencyMs, boolean failed);

  /** What the policy believes now, for {@code /stats} and the dashboard. */
  PolicyState state();
}
