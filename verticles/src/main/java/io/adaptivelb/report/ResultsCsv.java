package io.adaptivelb.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** {@code results.csv}: one row per configuration and repetition, every figure the tables are made of. */
public final class ResultsCsv {

  static final List<String> FIXED = List.of("rep", "scenario", "kind", "connection", "policy", "label", "duration_s",
      "requests", "rps", "wrk_mean_ms", "wrk_p50_ms", "wrk_p95_ms", "wrk_p99_ms", "non2xx", "socket_errors",
      "proxy_rows", "proxy_rps", "proxy_mean_ms", "proxy_p50_ms", "proxy_p95_ms", "proxy_p99_ms", "proxy_errors", "shares_from",
      "optimum_rps", "pct_of_optimum", "settled_on", "fastest");

  private ResultsCsv() {
  }

  public static void write(Path file, List<ResultRow> rows) throws IOException {
    // One share column per backend name seen in any scenario, so every row has the same columns.
    Set<String> backends = new TreeSet<>();
    rows.forEach(r -> backends.addAll(r.shares().keySet()));
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      List<String> header = new ArrayList<>(FIXED);
      backends.forEach(b -> header.add("share_" + b));
      out.write(String.join(",", header) + "\n");
      for (ResultRow r : rows) {
        List<String> f = new ArrayList<>();
        RunMeta m = r.meta();
        f.add(Integer.toString(m.rep()));
        f.add(m.scenario());
        f.add(m.kind());
        f.add(m.connection());
        f.add(m.policy());
        f.add(m.label());
        f.add(num(r.wrk().durationSec()));
        f.add(Long.toString(r.wrk().requests()));
        f.add(num(r.wrk().rps()));
        latency(f, r.wrk().latency());
        f.add(Long.toString(r.wrk().non2xx()));
        f.add(Long.toString(r.wrk().socketErrors()));
        f.add(Long.toString(r.proxy().count()));
        f.add(num(r.proxyRps()));
        latency(f, r.proxy());
        f.add(m.proxied() ? Long.toString(r.proxyErrors()) : "");
        f.add(r.sharesFrom());
        f.add(num(r.optimumRps()));
        f.add(num(r.pctOfOptimum()));
        f.add(r.settledOn());
        f.add(r.fastest());
        for (String b : backends) {
          Double s = r.shares().get(b);
          f.add(s == null ? "" : String.format(Locale.ROOT, "%.4f", s));
        }
        out.write(String.join(",", f.stream().map(CsvReader::quote).toList()) + "\n");
      }
    }
  }

  private static void latency(List<String> f, LatencySummary l) {
    f.add(num(l.mean()));
    f.add(num(l.p50()));
    f.add(num(l.p95()));
    f.add(num(l.p99()));
  }

  /** Empty for NaN, so a spreadsheet reads "not measured" rather than the string NaN. */
  static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "";
  }
}
