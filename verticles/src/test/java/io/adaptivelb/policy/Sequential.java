package io.adaptivelb.policy;

/** Drives a policy with one request at a time: pick, dispatch, and learn the backend's latency at once. */
final class Sequential {

  private Sequential() {
  }

  /** @return how many of the {@code requests} each backend got */
  static int[] run(RoutingPolicy policy, int requests, double... latencyByBackend) {
    int[] counts = new int[latencyByBackend.length];
    for (int i = 0; i < requests; i++) {
      int pick = policy.pick(Eligibility.all(latencyByBackend.length));
      policy.end(pick, policy.begin(pick), latencyByBackend[pick], false);
      counts[pick]++;
    }
    return counts;
  }
}
