package io.adaptivelb.sim;

import io.adaptivelb.config.BackendConfig;
import io.adaptivelb.config.PolicySpec;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Datacenter size: P proxies in front of B backends from each capacity-bound fleet mix, Poisson arrivals
 * at a share of what the fleet serves, every policy, one line each with its wall time.
 */
final class ScaleCommand {

  private ScaleCommand() {
  }

  static void run(String[] argv) throws IOException {
    Args a = new Args(argv, 1, Set.of("proxies", "backends", "requests", "utilization", "mix", "policy", "seed",
      "warmup", "subset", "bus-delay-ms"));
    int proxies = (int) a.integer("proxies", 100);
    int count = (int) a.integer("backends", 1000);
    long requests = a.integer("requests", 1_000_000);
    double utilization = a.number("utilization", 0.7);
    List<String> mixes = a.all("mix").isEmpty() ? List.of("uniform", "capacity", "mixed", "degrading") : a.all("mix");
    List<String> specs = a.all("policy").isEmpty() ? SimulateMain.policies() : a.all("policy");
    long seed = a.integer("seed", 1);
    System.out.printf(Locale.ROOT, "%d proxies x %d backends, %,d measured requests after %.1f s warm-up, Poisson at %.0f%% of the fleet's capacity, seed %d%n%n",
      proxies, count, requests, a.number("warmup", 1), 100 * utilization, seed);
    System.out.println("| mix | policy | req/s | % of best | mean ms | p99 ms | best mean ms | simulated s | wall s |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for (String mix : mixes) {
      // Phases fall within the measured window: its length follows from the rate.
      List<BackendConfig> probe = Fleets.generate(mix, count, 1, seed);
      double rate = utilization * Capacity.of(probe);
      double horizon = a.number("warmup", 1) + requests / rate;
      List<BackendConfig> fleet = Fleets.generate(mix, count, horizon, seed);
      for (String spec : specs) {
        Setup setup = new Setup(fleet, PolicySpec.parse(spec).settings(), proxies, 0, rate, 0, a.number("warmup", 1), 0, requests,
          seed, 50, 256, a.number("bus-delay-ms", 0), 0, (int) a.integer("subset", 0), 60);
        long t0 = System.nanoTime();
        Result r = Simulation.run(setup);
        double wall = (System.nanoTime() - t0) / 1e9;
        Grade g = Grade.of(r);
        System.out.printf(Locale.ROOT, "| %s | %s | %,.0f | %s | %.2f | %.2f | %.2f | %.2f | %.1f |%n", mix, spec, r.rps(),
          Table.pct(g.share()), r.meanMs(), r.p99Ms(), g.optimum(), r.windowSec(), wall);
      }
    }
  }
}
