package io.adaptivelb.sim;

import io.adaptivelb.config.BackendConfig;
import io.adaptivelb.policy.PolicySettings;

import java.util.List;

/**
 * One simulated run.
 *
 * @param clients     closed loop: this many clients, each sending its next request when the last is
 *                    answered (wrk's connections); 0 for open loop
 * @param ratePerSec  open loop: Poisson arrivals at this rate; ignored when {@code clients > 0}
 * @param loadAtSec   when the load starts, in seconds after the backends started (phases count from there too);
 *                    later if the proxies' warm-up probes take longer
 * @param warmupSec   simulated seconds of load before measurement starts
 * @param durationSec measured seconds; ignored when {@code requests > 0}
 * @param requests    measure until this many requests have been answered (0: use {@code durationSec})
 * @param flushMs     a proxy publishes its records to its peers in batches, at most this long after the first
 * @param batch       ... or as soon as this many are waiting (the lab's telemetry publisher: 50 ms, 256)
 * @param busDelayMs  transport delay of a batch from one proxy to the others
 * @param overheadMs  proxy and network time added to every request (the lab's loopback hop)
 * @param subset      each proxy routes over this many backends drawn at random (0: all of them)
 * @param buckets     number of timeline buckets over the measured window, for the pictures
 */
public record Setup(List<BackendConfig> backends, PolicySettings policy, int proxies, int clients, double ratePerSec,
                    double loadAtSec, double warmupSec, double durationSec, long requests, long seed, double flushMs, int batch,
                    double busDelayMs, double overheadMs, int subset, int buckets) {

  public Setup {
    if (backends.isEmpty()) {
      throw new IllegalArgumentException("backends: at least one is needed");
    }
    if (proxies < 1) {
      throw new IllegalArgumentException("proxies: at least 1");
    }
    if (clients <= 0 && !(ratePerSec > 0)) {
      throw new IllegalArgumentException("load: clients > 0 (closed loop) or rate > 0 (open loop)");
    }
    if (requests <= 0 && !(durationSec > 0)) {
      throw new IllegalArgumentException("duration: seconds > 0 or requests > 0");
    }
  }

  public boolean closedLoop() {
    return clients > 0;
  }

  public Setup withPolicy(PolicySettings p) {
    return new Setup(backends, p, proxies, clients, ratePerSec, loadAtSec, warmupSec, durationSec, requests, seed, flushMs, batch,
      busDelayMs, overheadMs, subset, buckets);
  }

  public Setup withBackends(List<BackendConfig> b) {
    return new Setup(b, policy, proxies, clients, ratePerSec, loadAtSec, warmupSec, durationSec, requests, seed, flushMs, batch,
      busDelayMs, overheadMs, subset, buckets);
  }

  public Setup withSeed(long s) {
    return new Setup(backends, policy, proxies, clients, ratePerSec, loadAtSec, warmupSec, durationSec, requests, s, flushMs, batch,
      busDelayMs, overheadMs, subset, buckets);
  }
}
