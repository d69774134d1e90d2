package io.adaptivelb.policy;

import java.util.Map;

/**
 * Chooses a backend for each request and learns from how requests went. Implementations are plain,
 * single-threaded Java: each proxy event loop owns its own instance. Backends are slot indices that
 * never change meaning; a new backend gets a new slot ({@link #grow(int)}), a removed one simply stops
 * being eligible.
 *
 * <p>Life of a request: {@link #pick(Eligibility)}, then {@link #begin(int)} when it is dispatched,
 * then {@link #end(int, double, boolean)} when it is over. Records of requests forwarded by other proxy
 * instances arrive through {@link #observe(int, double, boolean)}.
 */
public interface RoutingPolicy {

  /** The policy id as written in the config ({@code sma}, {@code ewma}, ...). */
  String name();

  /** Index of the backend the next request should go to, or -1 when none is eligible. */
  int pick(Eligibility eligible);

  /** What {@link #pick(Eligibility)} would choose now, without the side effects of choosing. */
  int peek(Eligibility eligible);

  /** Makes room for backends up to {@code size} slots (new slots start with no history). */
  void grow(int size);

  /** @return requests in flight to the backend, this one included: the load it was dispatched into */
  int begin(int backend);

  /** The request dispatched with {@link #begin(int)} is over; a failure is learnt as a penalty, never as fast. */
  default void end(int backend, double latencyMs, boolean failed) {
    end(backend, -1, latencyMs, failed);
  }

  /** Like {@link #end(int, double, boolean)}, with what {@link #begin(int)} returned (-1: unknown). */
  void end(int backend, int load, double latencyMs, boolean failed);

  /** The request dispatched with {@link #begin(int)} was abandoned by its client: nothing to learn from it. */
  void cancel(int backend);

  /** A request that another proxy instance forwarded. */
  default void observe(int backend, double latencyMs, boolean failed) {
    observe(backend, -1, latencyMs, failed);
  }

  /** Like {@link #observe(int, double, boolean)}, with the load it was dispatched into there (-1: unknown). */
  void observe(int backend, int load, double latencyMs, boolean failed);

  int inFlight(int backend);

  /** The policy's beliefs about one backend (score, samples, ...), for {@code /stats} and the dashboard. */
  Map<String, Object> describe(int backend);
}
