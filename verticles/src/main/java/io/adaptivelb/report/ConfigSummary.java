package io.adaptivelb.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One configuration of one scenario over all its repetitions: each figure as a {@link Spread}, the runs
 * themselves (the report draws one dot per run) and how many of them settled on a slower backend.
 */
public record ConfigSummary(String scenario, String label, String kind, String connection, String policy,
                            Spread rps, Spread wrkMean, Spread wrkP50, Spread wrkP95, Spread wrkP99,
                            Spread proxyMean, Spread proxyP50, Spread proxyP95, Spread proxyP99, Map<String, Spread> shares,
                            Spread errors, Spread optimumRps, Spread pctOfOptimum, List<ResultRow> runs) {

  /** Runs that ended sending most of their traffic to a backend other than the fastest. */
  public long settledElsewhere() {
    return runs.stream().filter(ResultRow::settledElsewhere).count();
  }

  /** Groups rows by scenario then configuration, both in the order they first ran. */
  public static Map<String, List<ConfigSummary>> of(List<ResultRow> rows) {
    Map<String, Map<String, List<ResultRow>>> grouped = new LinkedHashMap<>();
    for (ResultRow r : rows) {
      grouped.computeIfAbsent(r.meta().scenario(), s -> new LinkedHashMap<>())
          .computeIfAbsent(r.meta().label(), l -> new ArrayList<>()).add(r);
    }
    Map<String, List<ConfigSummary>> out = new LinkedHashMap<>();
    grouped.forEach((scenario, configs) -> {
      List<ConfigSummary> list = new ArrayList<>();
      configs.values().forEach(reps -> list.add(summarise(reps)));
      out.put(scenario, list);
    });
    return out;
  }

  static ConfigSummary summarise(List<ResultRow> reps) {
    RunMeta m = reps.get(0).meta();
    Map<String, Spread> shares = new LinkedHashMap<>();
    reps.stream().flatMap(r -> r.shares().keySet().stream()).distinct().sorted()
        .forEach(b -> shares.put(b, spread(reps, r -> r.shares().getOrDefault(b, 0.0))));
    return new ConfigSummary(m.scenario(), m.label(), m.kind(), m.connection(), m.policy(),
        spread(reps, r -> r.wrk().rps()),
        spread(reps, r -> r.wrk().latency().mean()),
        spread(reps, r -> r.wrk().latency().p50()),
        spread(reps, r -> r.wrk().latency().p95()),
        spread(reps, r -> r.wrk().latency().p99()),
        spread(reps, r -> r.proxy().mean()),
        spread(reps, r -> r.proxy().p50()),
        spread(reps, r -> r.proxy().p95()),
        spread(reps, r -> r.proxy().p99()),
        shares,
        spread(reps, r -> (double) r.errors()),
        spread(reps, ResultRow::optimumRps),
        spread(reps, ResultRow::pctOfOptimum),
        List.copyOf(reps));
  }

  private static Spread spread(List<ResultRow> reps, Function<ResultRow, Double> figure) {
    return Spread.of(reps.stream().map(figure).toList());
  }
}
