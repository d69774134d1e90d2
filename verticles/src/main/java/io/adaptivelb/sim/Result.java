package io.adaptivelb.sim;

/**
 * What one simulated run measured over its window.
 *
 * @param policy      the policy's name as it reports it
 * @param startSec    when the measured window began, in simulated seconds since the backends started
 * @param requests    requests answered inside the window, failures included
 * @param perBackend  answers per backend (global index)
 * @param costMs      mean latency with a failure counted as at least {@link Grade#FAILURE_MS}
 * @param trace       every answer in the window, for timelines
 */
public record Result(Setup setup, String policy, double startSec, double windowSec, long requests, long errors,
                     double meanMs, double costMs, double p50Ms, double p95Ms, double p99Ms, long[] perBackend, Trace trace) {

  /** Answers per second, failures included. */
  public double rps() {
    return requests / windowSec;
  }

  /** Successful answers per second. */
  public double goodRps() {
    return (requests - errors) / windowSec;
  }

  public double share(int backend) {
    return requests == 0 ? 0 : (double) perBackend[backend] / requests;
  }

  /** Per answer: milliseconds since the window began, backend, latency. */
  public record Trace(float[] atMs, int[] backend, float[] latencyMs) {
  }
}
