package io.adaptivelb.sim;

import io.adaptivelb.config.BackendConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The text table of one fleet under several policies: throughput, share of the optimum, latency, shares. */
final class Table {

  private static final int MAX_SHARE_COLUMNS = 10;

  private final List<BackendConfig> fleet;
  private final List<String> rows = new ArrayList<>();
  private Grade lastGrade;

  Table(List<BackendConfig> fleet) {
    this.fleet = fleet;
  }

  void add(String policy, Result r, Grade g, double wallSec) {
    lastGrade = g;
    StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %,.0f | %s | %.2f | %.2f | %.2f | %.2f | %,d |",
      policy, r.rps(), pct(g.share()), r.meanMs(), r.p50Ms(), r.p95Ms(), r.p99Ms(), r.errors()));
    if (fleet.size() <= MAX_SHARE_COLUMNS) {
      for (int i = 0; i < fleet.size(); i++) {
        row.append(String.format(Locale.ROOT, " %.0f%% |", 100 * r.share(i)));
      }
    }
    row.append(String.format(Locale.ROOT, " %.1f |", wallSec));
    rows.add(row.toString());
  }

  String render(String settings) {
    StringBuilder out = new StringBuilder(settings).append('\n');
    if (lastGrade != null) {
      out.append(String.format(Locale.ROOT, "best possible: %s%n%n", lastGrade.unit().equals("ms")
        ? String.format(Locale.ROOT, "%.2f ms mean latency (best fixed split)", lastGrade.optimum())
        : String.format(Locale.ROOT, "%,.0f req/s", lastGrade.optimum())));
    }
    StringBuilder header = new StringBuilder("| policy | req/s | % of best | mean | p50 | p95 | p99 | errors |");
    StringBuilder rule = new StringBuilder("|---|---:|---:|---:|---:|---:|---:|---:|");
    if (fleet.size() <= MAX_SHARE_COLUMNS) {
      fleet.forEach(b -> {
        header.append(" share ").append(b.name()).append(" |");
        rule.append("---:|");
      });
    }
    header.append(" wall s |");
    rule.append("---:|");
    out.append(header).append('\n').append(rule).append('\n');
    rows.forEach(r -> out.append(r).append('\n'));
    return out.toString();
  }

  static String pct(double share) {
    return Double.isFinite(share) ? String.format(Locale.ROOT, "%.0f%%", 100 * share) : "–";
  }
}
