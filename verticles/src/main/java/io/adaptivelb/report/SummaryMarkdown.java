package io.adaptivelb.report;

import java.util.List;
import java.util.Map;

/** {@code summary.md}: a table per scenario, figures as median (min–max) over the repetitions. */
public final class SummaryMarkdown {

  static final String LEGEND = """
      Figures are medians over the repetitions, with (min–max) when there are several. Latencies in ms:
      `wrk` columns are what the load generator saw; `proxy` is `total_ms` from our proxy's own log (none for
      nginx/HAProxy). Shares come from `proxy_log.csv` for adaptive-lb and from the backends' own request
      counters for the peers. "% of best" divides req/s by the best possible throughput of the scenario
      (closed loop of wrk's connections: fill the fastest backend up to its capacity first; shown where
      no backend fails on purpose and the backends take time). "Settled elsewhere": runs whose final quarter
      sent more than half of the requests to a backend other than the fastest one (peers: over the whole run).
      Errors: non-2xx answers plus socket errors, as wrk counted them.
      """;

  private SummaryMarkdown() {
  }

  public static String render(Map<String, List<ConfigSummary>> byScenario, String settings, String machine) {
    StringBuilder md = new StringBuilder("# Load-test results\n\n");
    if (!settings.isBlank()) {
      md.append("```\n").append(settings.strip()).append("\n```\n\n");
    }
    md.append(LEGEND).append('\n');
    byScenario.forEach((scenario, configs) -> {
      List<String> backends = SummaryTable.backends(configs);
      md.append("## ").append(scenario).append("\n\n");
      Spread best = SummaryTable.best(configs);
      if (best != null) {
        md.append("Best possible: ").append(Fmt.spread(best, Fmt::rps)).append(" req/s.\n\n");
      }
      List<String> header = SummaryTable.header(backends);
      line(md, header);
      md.append("|---|").append("---:|".repeat(header.size() - 1)).append('\n');
      configs.forEach(c -> line(md, SummaryTable.row(c, backends)));
      md.append('\n');
    });
    if (!machine.isBlank()) {
      md.append("## Machine and versions\n\n```\n").append(machine.strip()).append("\n```\n");
    }
    return md.toString();
  }

  private static void line(StringBuilder md, List<String> cells) {
    md.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }
}
