package io.adaptivelb.sim;

import io.adaptivelb.backend.LatencyDistribution;
import io.adaptivelb.config.BackendConfig;
import io.adaptivelb.config.PhaseConfig;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The simulated backends, modelled as the lab's: at most {@code capacity} requests in service (0 =
 * unbounded) and the rest in a FIFO queue; a service time drawn from the configured distribution when
 * service starts, rounded to whole milliseconds as the lab's timers are; a failure decided when the
 * answer leaves; phases that change latency, capacity or error rate at given times.
 */
final class Backends {

  private final LatencyDistribution[] latency;
  private final int[] capacity;
  private final double[] errorRate;
  private final int[] active;
  private final int[][] queue;
  private final int[] head;
  private final int[] queued;
  private final RandomGenerator random;

  Backends(List<BackendConfig> configs, RandomGenerator random) {
    int n = configs.size();
    this.latency = new LatencyDistribution[n];
    this.capacity = new int[n];
    this.errorRate = new double[n];
    this.active = new int[n];
    this.queue = new int[n][];
    this.head = new int[n];
    this.queued = new int[n];
    this.random = random;
    for (int i = 0; i < n; i++) {
      BackendConfig c = configs.get(i);
      latency[i] = LatencyDistribution.of(c.latency());
      capacity[i] = c.capacity();
      errorRate[i] = c.errorRate();
    }
  }

  int size() {
    return capacity.length;
  }

  /** Whether the request can be served at once; if not it is queued and {@link #leave} hands it out later. */
  boolean enter(int backend, int request) {
    if (capacity[backend] == 0 || active[backend] < capacity[backend]) {
      active[backend]++;
      return true;
    }
    push(backend, request);
    return false;
  }

  /** A service time in ms, as the lab's backend draws it for a request it starts serving. */
  double serviceMs(int backend) {
    return Math.round(latency[backend].sampleMs(random));
  }

  boolean fails(int backend) {
    return errorRate[backend] > 0 && random.nextDouble() < errorRate[backend];
  }

  /** A request finished; returns the queued request that starts now, or -1. */
  int leave(int backend) {
    active[backend]--;
    return admitNext(backend);
  }

  /** The next queued request when a slot is free (it is then counted as active), or -1. */
  int admitNext(int backend) {
    if (queued[backend] == 0 || (capacity[backend] != 0 && active[backend] >= capacity[backend])) {
      return -1;
    }
    active[backend]++;
    int[] q = queue[backend];
    int r = q[head[backend]];
    head[backend] = (head[backend] + 1) % q.length;
    queued[backend]--;
    return r;
  }

  void apply(int backend, PhaseConfig phase) {
    if (phase.latency() != null) {
      latency[backend] = LatencyDistribution.of(phase.latency());
    }
    if (phase.capacity() != null) {
      capacity[backend] = phase.capacity();
    }
    if (phase.errorRate() != null) {
      errorRate[backend] = phase.errorRate();
    }
  }

  int busy(int backend) {
    return active[backend] + queued[backend];
  }

  private void push(int backend, int request) {
    int[] q = queue[backend];
    if (q == null) {
      q = queue[backend] = new int[16];
    } else if (queued[backend] == q.length) {
      int[] bigger = new int[q.length * 2];
      for (int k = 0; k < queued[backend]; k++) {
        bigger[k] = q[(head[backend] + k) % q.length];
      }
      q = queue[backend] = bigger;
      head[backend] = 0;
    }
    q[(head[backend] + queued[backend]) % q.length] = request;
    queued[backend]++;
  }
}
