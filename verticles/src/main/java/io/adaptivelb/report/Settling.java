package io.adaptivelb.report;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Where a run ended up: the backend that took most of the traffic at its end, against the backend that
 * was fastest then. A latency policy whose cold start sampled the fast backend while its JVM was still
 * cold can settle on a slower one and stay there; counting such runs over fresh-lab repetitions turns
 * that luck into a measured figure.
 */
public final class Settling {

  /** The last part of the wrk window whose routing tells where a run settled: its final quarter. */
  static final double TAIL_FRACTION = 0.25;

  private Settling() {
  }

  /** The backend that took more than half of {@code counts}, or "" when none did (round robin, a split). */
  public static String majority(Map<String, Long> counts) {
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    return counts.entrySet().stream().filter(e -> total > 0 && 2 * e.getValue() > total).map(Map.Entry::getKey)
        .findFirst().orElse("");
  }

  /** The backend with the shortest mean service time {@code sec} seconds after start; "" when two tie. */
  public static String fastest(Scenario scenario, double sec) {
    List<Scenario.Backend> byMean = scenario.backends().stream()
        .sorted(Comparator.comparingDouble(b -> b.at(sec).meanMs())).toList();
    if (byMean.isEmpty() || byMean.size() > 1 && byMean.get(0).at(sec).meanMs() == byMean.get(1).at(sec).meanMs()) {
      return "";
    }
    return byMean.get(0).name();
  }

  /** Start of the window's final quarter, in epoch ms. */
  public static long tailFromMs(long fromMs, long toMs) {
    return toMs - (long) ((toMs - fromMs) * TAIL_FRACTION);
  }
}
