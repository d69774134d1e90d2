package io.adaptivelb.sim;

import java.util.ArrayDeque;

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
        int local = peer.local[b.backend.values[k]];
        if (local >= 0) {
          peer.policy.observe(local, b.load.values[k], b.latencyMs.values[k], b.failed.values[k]);
        }
      }
    }
  }

  private static final class Pending {
    final int origin;
    final Columns columns;
    final Columns.Column<int[]> backend;
    final Columns.Column<int[]> load;
    final Columns.Column<double[]> latencyMs;
    final Columns.Column<boolean[]> failed;
    int count;

    Pending(int origin, int capacity) {
      this.origin = origin;
      columns = new Columns(Math.min(capacity, 64));
      backend = columns.add(int[].class);
      load = columns.add(int[].class);
      latencyMs = columns.add(double[].class);
      failed = columns.add(boolean[].class);
    }

    void add(int b, int l, double ms, boolean f) {
      columns.fit(count);
      backend.values[count] = b;
      load.values[count] = l;
      latencyMs.values[count] = ms;
      failed.values[count] = f;
      count++;
    }
  }
}
