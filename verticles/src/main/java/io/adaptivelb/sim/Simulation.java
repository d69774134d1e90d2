package io.adaptivelb.sim;

import io.adaptivelb.config.BackendConfig;
import io.adaptivelb.config.PhaseConfig;
import io.adaptivelb.policy.Eligibility;
import io.adaptivelb.policy.PolicySettings;
import io.adaptivelb.policy.PolicyType;
import io.adaptivelb.policy.RoutingPolicy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A discrete-event simulation of P proxies in front of B backends, each proxy driving its own instance
 * of a production policy class with the simulated clock and a seeded random source. A proxy learns at
 * once from its own requests and from its peers' records when their batch arrives, as over the event bus.
 * Single-threaded and deterministic for a seed.
 */
public final class Simulation {

  private static final int SEND = 0;
  private static final int ARRIVAL = 1;
  private static final int DONE = 2;
  private static final int RESPONSE = 3;
  private static final int FLUSH = 4;
  private static final int DELIVER = 5;
  private static final int PHASE = 6;

  private final Setup setup;
  private final EventQueue events = new EventQueue();
  private final SimClock clock = new SimClock();
  private final Backends backends;
  private final SplittableRandom loadRandom;
  private final Proxy[] proxies;
  private final Bus bus;
  private final Requests requests = new Requests();
  private final Measured measured;
  private final int[] clientProxy;

  private double loadStartMs = -1;
  private double windowStartMs = Double.POSITIVE_INFINITY;
  private double windowEndMs = Double.POSITIVE_INFINITY;
  private int probeChains;
  private boolean stopped;

  private Simulation(Setup setup) {
    this.setup = setup;
    SplittableRandom master = new SplittableRandom(setup.seed());
    this.backends = new Backends(setup.backends(), master.split());
    this.loadRandom = master.split();
    SplittableRandom subsetRandom = master.split();
    int b = setup.backends().size();
    this.proxies = new Proxy[setup.proxies()];
    for (int p = 0; p < proxies.length; p++) {
      int[] members = members(b, setup.subset(), subsetRandom);
      proxies[p] = new Proxy(members, b, setup.policy().build(members.length, clock, master.split()));
    }
    this.bus = new Bus(proxies, setup.batch());
    this.measured = new Measured(b);
    this.clientProxy = new int[Math.max(0, setup.clients())];
    for (int c = 0; c < clientProxy.length; c++) {
      clientProxy[c] = c % proxies.length; // connections spread evenly over the proxies, as over event loops
    }
  }

  /** Runs the setup to its end and returns what was measured. */
  public static Result run(Setup setup) {
    return new Simulation(setup).run();
  }

  private static int[] members(int backends, int subset, SplittableRandom random) {
    if (subset <= 0 || subset >= backends) {
      int[] all = new int[backends];
      Arrays.setAll(all, i -> i);
      return all;
    }
    int[] pool = new int[backends];
    Arrays.setAll(pool, i -> i);
    for (int i = 0; i < subset; i++) { // partial Fisher-Yates
      int j = i + random.nextInt(backends - i);
      int t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
    }
    int[] chosen = Arrays.copyOf(pool, subset);
    Arrays.sort(chosen);
    return chosen;
  }

  private Result run() {
    schedulePhases();
    startProbes();
    if (probeChains == 0) {
      startLoad(setup.loadAtSec() * 1000);
    }
    while (!events.isEmpty() && !stopped) {
      events.pop();
      double now = events.time();
      if (now > windowEndMs) {
        break;
      }
      clock.setMs(now);
      int a = events.a();
      switch (events.kind()) {
        case SEND -> send(clientProxy[a], a);
        case ARRIVAL -> arrival();
        case DONE -> done(a);
        case RESPONSE -> response(a);
        case FLUSH -> bus.flush(a, now, this);
        case DELIVER -> bus.deliver(a);
        case PHASE -> phase(a, events.b());
        default -> throw new IllegalStateException("unknown event " + events.kind());
      }
    }
    double end = Double.isFinite(windowEndMs) ? windowEndMs : clock.ms();
    return measured.result(setup, windowStartMs, end, proxies[0].policy);
  }

  private void schedulePhases() {
    List<BackendConfig> configs = setup.backends();
    for (int i = 0; i < configs.size(); i++) {
      List<PhaseConfig> phases = configs.get(i).phases();
      for (int k = 0; k < phases.size(); k++) {
        events.add(phases.get(k).atSec() * 1000, PHASE, i, k);
      }
    }
  }

  private void phase(int backend, int index) {
    backends.apply(backend, setup.backends().get(backend).phases().get(index));
    for (int r = backends.admitNext(backend); r >= 0; r = backends.admitNext(backend)) {
      startService(r, backend); // a larger capacity lets queued requests in at once
    }
  }

  /** A proxy whose policy asks for warm-up probes sends them to every backend, one after another, before taking traffic. */
  private void startProbes() {
    PolicySettings c = setup.policy();
    if (!c.type().warmup() || c.get(PolicyType.WARMUP_PROBES) <= 0) {
      return;
    }
    for (int p = 0; p < proxies.length; p++) {
      for (int local = 0; local < proxies[p].members.length; local++) {
        probeChains++;
        dispatch(p, local, -c.get(PolicyType.WARMUP_PROBES)); // client < 0: a probe, -n meaning n probes left including this one
      }
    }
  }

  private void startLoad(double at) {
    loadStartMs = at;
    windowStartMs = at + setup.warmupSec() * 1000;
    if (setup.requests() <= 0) {
      windowEndMs = windowStartMs + setup.durationSec() * 1000;
    }
    if (setup.closedLoop()) {
      for (int c = 0; c < clientProxy.length; c++) {
        events.add(at + loadRandom.nextDouble(), SEND, c, 0); // wrk's connections start within a millisecond
      }
    } else {
      events.add(at + interArrivalMs(), ARRIVAL, 0, 0);
    }
  }

  private double interArrivalMs() {
    return loadRandom.nextExponential() * 1000 / setup.ratePerSec();
  }

  private void arrival() {
    send(loadRandom.nextInt(proxies.length), Integer.MAX_VALUE);
    events.add(clock.ms() + interArrivalMs(), ARRIVAL, 0, 0);
  }

  /** A new request from {@code client} (MAX_VALUE: an open-loop arrival) reaches proxy {@code p}. */
  private void send(int p, int client) {
    Proxy proxy = proxies[p];
    int local = proxy.policy.pick(proxy.eligible);
    dispatch(p, local, client);
  }

  private void dispatch(int p, int local, int client) {
    Proxy proxy = proxies[p];
    int load = proxy.policy.begin(local);
    int backend = proxy.members[local];
    int r = requests.open(p, backend, local, client, load, clock.ms());
    if (backends.enter(backend, r)) {
      startService(r, backend);
    }
  }

  private void startService(int r, int backend) {
    events.add(clock.ms() + backends.serviceMs(backend), DONE, r, 0);
  }

  private void done(int r) {
    int backend = requests.backend[r];
    requests.failed[r] = backends.fails(backend);
    int next = backends.leave(backend);
    if (next >= 0) {
      startService(next, backend);
    }
    if (setup.overheadMs() > 0) {
      events.add(clock.ms() + setup.overheadMs(), RESPONSE, r, 0);
    } else {
      response(r);
    }
  }

  private void response(int r) {
    double now = clock.ms();
    int p = requests.proxy[r];
    int backend = requests.backend[r];
    int load = requests.load[r];
    int client = requests.client[r];
    boolean failed = requests.failed[r];
    int local = requests.local(r);
    double latency = now - requests.startMs[r];
    requests.close(r);
    proxies[p].policy.end(local, load, latency, failed);
    bus.publish(p, backend, load, latency, failed, now, this);
    if (client < 0) {
      probeDone(p, backend, client);
      return;
    }
    if (now >= windowStartMs) {
      measured.add(now - windowStartMs, backend, latency, failed);
      if (setup.requests() > 0 && measured.count() >= setup.requests()) {
        windowEndMs = now;
        stopped = true;
        return;
      }
    }
    if (client != Integer.MAX_VALUE) {
      send(clientProxy[client], client);
    }
  }

  private void probeDone(int p, int backend, int client) {
    if (client < -1) {
      dispatch(p, proxies[p].local[backend], client + 1);
    } else if (--probeChains == 0) {
      startLoad(Math.max(clock.ms(), setup.loadAtSec() * 1000));
    }
  }

  void schedule(double at, int kind, int a) {
    events.add(at, kind, a, 0);
  }

  double flushMs() {
    return setup.flushMs();
  }

  double busDelayMs() {
    return setup.busDelayMs();
  }

  static int flushKind() {
    return FLUSH;
  }

  static int deliverKind() {
    return DELIVER;
  }

  /** One proxy: its members (global backend ids by local slot), the reverse map and its policy instance. */
  static final class Proxy {
    final int[] members;
    final int[] local;
    final RoutingPolicy policy;
    final Eligibility eligible;

    Proxy(int[] members, int backends, RoutingPolicy policy) {
      this.members = members;
      this.local = new int[backends];
      Arrays.fill(local, -1);
      for (int i = 0; i < members.length; i++) {
        local[members[i]] = i;
      }
      this.policy = policy;
      this.eligible = Eligibility.all(members.length);
    }
  }
}
