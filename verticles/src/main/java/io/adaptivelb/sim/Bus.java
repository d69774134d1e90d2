package io.adaptivelb.sim;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The event bus between proxies: each proxy's records go out in batches, when {@code batch} are waiting
 * or a flush interval after the first, and reach every other proxy after the transport delay.
 */
final class Bus {

  private final Simulation.Proxy[] proxies;
  private final int batch;
  private final Pending[] pending;
  private final double[] flushAt;
  private final ArrayDeque<Pending> inTransit = new ArrayDeque<>();

  Bus(Simulation.Proxy[] proxies, int batch) {
    this.proxies = proxies;
    this.batch = Math.max(1, batch);
    this.pending = new Pending[proxies.length];
    this.flushAt = new double[proxies.length];
    for (int p = 0; p < proxies.length; p++) {
      pending[p] = new Pending(p, this.batch);
      flushAt[p] = Double.POSITIVE_INFINITY;
    }
  }

  void publish(int p, int backend, int load, double latencyMs, boolean failed, double now, Simulation sim) {
    if (proxies.length == 1) {
      return; // nobody to tell
    }
    Pending b = pending[p];
    b.add(backend, load, latencyMs, failed);
    if (b.count >= batch) {
      send(p, now, sim);
    } else if (b.count == 1) {
      flushAt[p] = now + sim.flushMs();
      sim.schedule(flushAt[p], Simulation.flushKind(), p);
    }
  }

  /** The flush timer of proxy {@code p} fired (ignored when a full batch went out since it was set). */
  void flush(int p, double now, Simulation sim) {
    if (now >= flushAt[p] && pending[p].count > 0) {
      send(p, now, sim);
    }
  }

  private void send(int p, double now, Simulation sim) {
    flushAt[p] = Double.POSITIVE_INFINITY;
    Pending full = pending[p];
    pending[p] = new Pending(p, batch);
    if (sim.busDelayMs() <= 0) {
      deliver(full);
    } else {
      inTransit.addLast(full);
      sim.schedule(now + sim.busDelayMs(), Simulation.deliverKind(), 0);
    }
  }

  /** The oldest batch in transit arrives (the delay is constant, so arrivals keep their order). */
  void deliver(int ignored) {
    deliver(inTransit.pollFirst());
  }

  private void deliver(Pending b) {
    for (int q = 0; q < proxies.length; q++) {
      if (q == b.origin) {
        continue;
      }
      Simulation.Proxy peer = proxies[q];
      for (int k = 0; k < b.count; k++) {
        int local = peer.local[b.backend[k]];
        if (local >= 0) {
          peer.policy.observe(local, b.load[k], b.latencyMs[k], b.failed[k]);
        }
      }
    }
  }

  private static final class Pending {
    final int origin;
    int[] backend;
    int[] load;
    double[] latencyMs;
    boolean[] failed;
    int count;

    Pending(int origin, int capacity) {
      this.origin = origin;
      int n = Math.min(capacity, 64);
      backend = new int[n];
      load = new int[n];
      latencyMs = new double[n];
      failed = new boolean[n];
    }

    void add(int b, int l, double ms, boolean f) {
      if (count == backend.length) {
        int n = count * 2;
        backend = Arrays.copyOf(backend, n);
        load = Arrays.copyOf(load, n);
        latencyMs = Arrays.copyOf(latencyMs, n);
        failed = Arrays.copyOf(failed, n);
      }
      backend[count] = b;
      load[count] = l;
      latencyMs[count] = ms;
      failed[count] = f;
      count++;
    }
  }
}
