package io.adaptivelb.sim;

import io.adaptivelb.config.BackendConfig;
import io.adaptivelb.config.ConfigException;
import io.adaptivelb.config.PolicySpec;
import io.adaptivelb.policy.PolicyCatalog;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code java -jar adaptive-lb.jar simulate COMMAND [options]}: {@code run} one fleet under every policy,
 * {@code lab} the five lab scenarios as the harness runs them, {@code scale} the datacenter-size table,
 * {@code search} the randomised search over small mixes.
 */
public final class SimulateMain {

  /** Every policy in the catalog, each with its variants: what the harness and the benchmark compare. */
  static List<String> policies() {
    return PolicyCatalog.all().stream().flatMap(t -> t.specs().stream()).toList();
  }

  private static final Set<String> RUN_OPTIONS = Set.of("scenario", "fleet", "backends", "policy", "proxies", "clients",
    "rate", "utilization", "duration", "requests", "warmup", "seed", "flush-ms", "batch", "bus-delay-ms", "overhead-ms",
    "subset", "html");

  private SimulateMain() {
  }

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err));
  }

  /** The launcher's entry: tables go to standard output, which {@code out} is; errors as one line to {@code err}. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    try {
      return dispatch(args.toArray(String[]::new));
    } catch (ConfigException | IllegalArgumentException e) {
      err.println("adaptive-lb simulate: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("adaptive-lb simulate: " + e.getMessage());
      return 1;
    }
  }

  static int dispatch(String[] args) throws IOException {
    String command = args.length == 0 ? "help" : args[0];
    switch (command) {
      case "run" -> runCommand(new Args(args, 1, RUN_OPTIONS));
      case "lab" -> LabCommand.run(args);
      case "scale" -> ScaleCommand.run(args);
      case "search" -> SearchCommand.run(args);
      case "help", "-h", "--help" -> {
        System.out.println(USAGE);
        return command.equals("help") && args.length == 0 ? 2 : 0;
      }
      default -> throw new ConfigException(command, "unknown command (expected run, lab, scale or search)");
    }
    return 0;
  }

  static final String USAGE = """
    usage: java -jar adaptive-lb.jar simulate COMMAND [--option value]...
      run     --scenario FILE | --fleet MIX --backends B   one fleet, every policy (or --policy SPEC, repeatable)
              load: --clients N (closed loop, default 100) | --rate R or --utilization U (open loop, Poisson)
              --proxies P (2)  --duration S (30) | --requests R  --warmup S (5)  --seed N (1)
              --flush-ms (50) --batch (256) --bus-delay-ms (0) --overhead-ms (0.2) --subset K (0: all)
              --html FILE   share per backend and latency over time, one chart pair per policy
      lab     the five lab scenarios as loadtest/run.sh runs them: --duration S (30) --warmup S (10)
              --from-summary SUMMARY.md prints the harness's figures in the same shape (for diff)
      scale   --proxies 100 --backends 1000 --requests 1000000, every policy, every fleet mix
      search  --mixes 300 --seed 1: random mixes of 3-10 backends, share-of-optimum per policy
    MIX: pure, capacity, mixed, degrading. SPEC: TYPE[:KEY=VALUE,...] as in loadtest/run.sh --policy.""";

  static void runCommand(Args a) throws IOException {
    double duration = a.number("duration", 30);
    List<BackendConfig> fleet = fleet(a, duration + a.number("warmup", 5));
    Setup base = setup(a, fleet);
    List<String> specs = a.all("policy").isEmpty() ? policies() : a.all("policy");
    List<Result> results = new ArrayList<>();
    Table table = new Table(fleet);
    for (String spec : specs) {
      long t0 = System.nanoTime();
      Result r = Simulation.run(base.withPolicy(PolicySpec.parse(spec).settings()));
      results.add(r);
      table.add(spec, r, Grade.of(r), (System.nanoTime() - t0) / 1e9);
    }
    System.out.print(table.render(describe(base)));
    if (a.has("html")) {
      Path out = Path.of(a.string("html", null));
      Charts.write(out, describe(base), specs, results);
      System.out.println("charts: " + out);
    }
  }

  static List<BackendConfig> fleet(Args a, double horizonSec) {
    if (a.has("scenario") == a.has("fleet")) {
      throw new ConfigException("--scenario", "give either --scenario FILE or --fleet MIX");
    }
    if (a.has("scenario")) {
      return Fleets.fromLabConfig(a.string("scenario", null));
    }
    return Fleets.generate(a.string("fleet", null), (int) a.integer("backends", 1000), horizonSec, a.integer("seed", 1) + 7);
  }

  static Setup setup(Args a, List<BackendConfig> fleet) {
    int clients = (int) a.integer("clients", 0);
    double rate = a.number("rate", 0);
    if (a.has("utilization")) {
      rate = a.number("utilization", 0) * Capacity.of(fleet);
    }
    if (clients <= 0 && rate <= 0) {
      clients = 100;
    }
    return new Setup(fleet, PolicySpec.parse("round-robin").settings(), (int) a.integer("proxies", 2), clients, rate, 0,
      a.number("warmup", 5), a.has("requests") ? 0 : a.number("duration", 30), a.integer("requests", 0),
      a.integer("seed", 1), a.number("flush-ms", 50), (int) a.integer("batch", 256), a.number("bus-delay-ms", 0),
      a.number("overhead-ms", 0.2), (int) a.integer("subset", 0), 60);
  }

  static String describe(Setup s) {
    String load = s.closedLoop() ? "closed loop, " + s.clients() + " clients"
      : String.format(java.util.Locale.ROOT, "open loop, Poisson %.0f req/s", s.ratePerSec());
    String length = s.requests() > 0 ? s.requests() + " requests" : s.durationSec() + " s";
    return s.backends().size() + " backends, " + s.proxies() + " proxies, " + load + ", " + length + " after "
      + s.warmupSec() + " s warm-up, seed " + s.seed() + ", records to peers every " + s.flushMs() + " ms or "
      + s.batch() + (s.busDelayMs() > 0 ? " + " + s.busDelayMs() + " ms" : "") + ", overhead " + s.overheadMs() + " ms"
      + (s.subset() > 0 ? ", subset " + s.subset() : "");
  }
}
