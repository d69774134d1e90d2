package io.adaptivelb.report;

import java.util.ArrayList;
import java.util.List;

/** The cells of one scenario's table, so summary.md and report.html show the very same figures. */
public final class SummaryTable {

  private SummaryTable() {
  }

  public static List<String> backends(List<ConfigSummary> configs) {
    return configs.stream().flatMap(c -> c.shares().keySet().stream()).distinct().sorted().toList();
  }

  public static List<String> header(List<String> backends) {
    List<String> h = new ArrayList<>(List.of("configuration", "req/s", "% of best", "wrk mean", "wrk p50", "wrk p95",
        "wrk p99", "proxy mean", "proxy p50", "proxy p95", "proxy p99"));
    backends.forEach(b -> h.add("share " + b));
    h.add("settled elsewhere");
    h.add("errors");
    return h;
  }

  public static List<String> row(ConfigSummary c, List<String> backends) {
    List<String> r = new ArrayList<>(List.of(c.label(),
        Fmt.spread(c.rps(), Fmt::rps),
        Fmt.spread(c.pctOfOptimum(), Fmt::pct),
        Fmt.spread(c.wrkMean(), Fmt::ms),
        Fmt.spread(c.wrkP50(), Fmt::ms),
        Fmt.spread(c.wrkP95(), Fmt::ms),
        Fmt.spread(c.wrkP99(), Fmt::ms),
        Fmt.spread(c.proxyMean(), Fmt::ms),
        Fmt.spread(c.proxyP50(), Fmt::ms),
        Fmt.spread(c.proxyP95(), Fmt::ms),
        Fmt.spread(c.proxyP99(), Fmt::ms)));
    for (String b : backends) {
      Spread s = c.shares().get(b);
      r.add(s == null ? "–" : Fmt.spread(s, Fmt::share));
    }
    r.add(c.settledElsewhere() + " of " + c.runs().size());
    r.add(Fmt.spread(c.errors(), Fmt::count));
    return r;
  }

  /** The scenario's best possible req/s (the same for every configuration that has one), or null. */
  public static Spread best(List<ConfigSummary> configs) {
    return configs.stream().map(ConfigSummary::optimumRps).filter(s -> s.n() > 0).findFirst().orElse(null);
  }
}
