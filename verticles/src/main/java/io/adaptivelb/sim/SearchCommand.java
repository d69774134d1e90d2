package io.adaptivelb.sim;

import io.adaptivelb.config.BackendConfig;
import io.adaptivelb.config.LatencySpec;
import io.adaptivelb.config.PhaseConfig;
import io.adaptivelb.config.PolicySpec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The randomised search: many generated mixes of 3-10 backends (pure delay or capacity-bound, spread
 * speeds and sizes, sometimes a failing backend, sometimes one that slows down mid-run), each under a
 * closed loop of a random number of clients through a random number of proxies. Prints, per policy,
 * the distribution of its share of the optimum (min, p5, median, mean) and the worst mix for each.
 */
final class SearchCommand {

  private SearchCommand() {
  }

  static void run(String[] argv) throws IOException {
    Args a = new Args(argv, 1, Set.of("mixes", "seed", "policy", "duration", "warmup", "worst", "raw"));
    int mixes = (int) a.integer("mixes", 300);
    long seed = a.integer("seed", 1);
    double duration = a.number("duration", 20);
    double warmup = a.number("warmup", 5);
    List<String> specs = a.all("policy").isEmpty() ? SimulateMain.policies() : a.all("policy");
    double[][] shares = new double[specs.size()][mixes];
    String[] worst = new String[specs.size()];
    SplittableRandom r = new SplittableRandom(seed);
    for (int m = 0; m < mixes; m++) {
      Mix mix = Mix.draw(r, warmup + duration);
      for (int p = 0; p < specs.size(); p++) {
        Setup setup = new Setup(mix.fleet, PolicySpec.parse(specs.get(p)).settings(), mix.proxies, mix.clients, 0, 0, warmup,
          duration, 0, seed * 1000 + m, 50, 256, 0, 0, 0, 60);
        double share = Grade.of(Simulation.run(setup)).share();
        shares[p][m] = share;
        if (a.has("raw")) { // one line per run as it finishes, so several searches can be merged
          java.nio.file.Files.writeString(java.nio.file.Path.of(a.string("raw", null)),
            String.format(Locale.ROOT, "%d,%d,%s,%.4f%n", seed, m, specs.get(p), share), java.nio.charset.StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
        if (worst[p] == null || share < min(shares[p], m)) {
          worst[p] = String.format(Locale.ROOT, "%.2f on %s", share, mix);
        }
      }
    }
    System.out.printf(Locale.ROOT, "%d random mixes of 3-10 backends, closed loop, %.0f s measured after %.0f s warm-up, seed %d%n%n",
      mixes, duration, warmup, seed);
    System.out.println("| policy | min | p5 | median | mean |");
    System.out.println("|---|---:|---:|---:|---:|");
    for (int p = 0; p < specs.size(); p++) {
      double[] s = shares[p].clone();
      Arrays.sort(s);
      System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f |%n", specs.get(p), s[0],
        s[(int) Math.floor(0.05 * (s.length - 1))], s[s.length / 2], Arrays.stream(s).average().orElse(Double.NaN));
    }
    if (a.integer("worst", 1) > 0) {
      System.out.println();
      for (int p = 0; p < specs.size(); p++) {
        System.out.println("worst for " + specs.get(p) + ": " + worst[p]);
      }
    }
  }

  private static double min(double[] values, int upTo) {
    double m = Double.POSITIVE_INFINITY;
    for (int i = 0; i < upTo; i++) {
      m = Math.min(m, values[i]);
    }
    return m;
  }

  /** One generated mix and its load. */
  record Mix(List<BackendConfig> fleet, int proxies, int clients) {

    static Mix draw(SplittableRandom r, double horizonSec) {
      int n = 3 + r.nextInt(8);
      double pureShare = r.nextDouble(); // from all capacity-bound to all pure delay
      List<BackendConfig> fleet = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        double median = 2 + Math.exp(r.nextDouble() * Math.log(100)); // 3-102 ms, log-spread
        double sigma = 0.1 + 0.5 * r.nextDouble();
        LatencySpec latency = Fleets.lognormal(median, sigma);
        int capacity = r.nextDouble() < pureShare ? 0 : 1 + r.nextInt(32);
        fleet.add(Fleets.backend("b" + (i + 1), latency, capacity, 0, List.of()));
      }
      if (r.nextDouble() < 0.15) { // one backend fails often
        int i = r.nextInt(n);
        BackendConfig b = fleet.get(i);
        fleet.set(i, Fleets.backend(b.name(), b.latency(), b.capacity(), 0.1 + 0.4 * r.nextDouble(), List.of()));
      }
      if (r.nextDouble() < 0.25) { // one backend slows down mid-run
        int i = r.nextInt(n);
        BackendConfig b = fleet.get(i);
        LatencySpec slow = Fleets.lognormal(b.latency().ms() * (3 + 7 * r.nextDouble()), b.latency().sigma());
        double at = horizonSec * (0.3 + 0.4 * r.nextDouble());
        fleet.set(i, Fleets.backend(b.name(), b.latency(), b.capacity(), b.errorRate(),
          List.of(new PhaseConfig(at, slow, null, null))));
      }
      int[] proxyChoices = {1, 2, 2, 4, 16};
      int proxies = proxyChoices[r.nextInt(proxyChoices.length)];
      int clients = 10 + r.nextInt(291);
      return new Mix(List.copyOf(fleet), proxies, clients);
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder(proxies + " proxies, " + clients + " clients:");
      for (BackendConfig b : fleet) {
        s.append(String.format(Locale.ROOT, " [%.0fms s%.2f c%d%s%s]", b.latency().ms(), b.latency().sigma(), b.capacity(),
          b.errorRate() > 0 ? String.format(Locale.ROOT, " e%.2f", b.errorRate()) : "",
          b.phases().isEmpty() ? "" : String.format(Locale.ROOT, " ->%.0fms@%.0fs", b.phases().get(0).latency().ms(), b.phases().get(0).atSec())));
      }
      return s.toString();
    }
  }
}
