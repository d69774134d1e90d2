package io.adaptivelb.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The report of a load-test run: {@code java -cp adaptive-lb.jar io.adaptivelb.report.ReportMain OUT_DIR}.
 * Reads every {@code OUT_DIR/runs/NNN-.../meta.json} that run.sh left, and writes {@code results.csv},
 * {@code summary.md}, {@code report.html}, {@code data.js} and the chart pages; prints the chart pages
 * (one a line) for run.sh to render as PNG.
 */
public final class ReportMain {

  private ReportMain() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ReportMain OUT_DIR   (the folder loadtest/run.sh wrote, with runs/*/meta.json)");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    List<RunMeta> runs = runs(out.resolve("runs"));
    if (runs.isEmpty()) {
      System.err.println("ReportMain: no runs under " + out.resolve("runs"));
      System.exit(1);
    }
    List<ResultRow> rows = new ArrayList<>();
    for (RunMeta m : runs) {
      try {
        rows.add(RunAnalysis.analyse(m));
      } catch (IOException | RuntimeException e) {
        // One broken run (wrk killed, lab that never started) must not cost the whole report: say which.
        System.err.println("ReportMain: skipping " + m.dir().getFileName() + ": " + e.getMessage());
      }
    }
    ResultsCsv.write(out.resolve("results.csv"), rows);
    Map<String, List<ConfigSummary>> byScenario = ConfigSummary.of(rows);
    String settings = readIfThere(out.resolve("settings.txt"));
    String machine = readIfThere(out.resolve("machine.txt"));
    Files.writeString(out.resolve("summary.md"), SummaryMarkdown.render(byScenario, settings, machine),
        StandardCharsets.UTF_8);
    List<Path> pages = HtmlReport.write(out, byScenario, timelines(rows), settings, machine);
    pages.forEach(p -> System.out.println(p.getFileName()));
  }

  static List<RunMeta> runs(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<RunMeta> runs = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(p -> Files.isRegularFile(p.resolve("meta.json"))).toList()) {
        runs.add(RunMeta.read(p));
      }
    }
    runs.sort(Comparator.comparingInt(RunMeta::seq));
    return runs;
  }

  /**
   * Per-second timelines of our proxy's configurations in scenarios whose backends change mid-run,
   * from the first repetition only: one clear picture per configuration rather than an overlay.
   */
  static List<HtmlReport.TimelineSet> timelines(List<ResultRow> rows) throws IOException {
    Map<String, Map<String, List<Timeline.Bucket>>> byScenario = new LinkedHashMap<>();
    Map<String, Double> changeAt = new LinkedHashMap<>();
    Map<String, String> changing = new LinkedHashMap<>();
    for (ResultRow r : rows) {
      RunMeta m = r.meta();
      if (!m.proxied()) {
        continue;
      }
      Scenario scenario = Scenario.read(m.labConfig());
      if (scenario.changeTimes().isEmpty()) {
        continue;
      }
      int firstRep = rows.stream().filter(x -> x.meta().scenario().equals(m.scenario())).mapToInt(x -> x.meta().rep())
          .min().orElse(m.rep());
      if (m.rep() != firstRep) {
        continue;
      }
      Timeline t = new Timeline(m.wrkStartMs());
      ProxyLog.read(m.dir().resolve("proxy_log.csv"), m.wrkStartMs(), m.wrkEndMs(), t);
      byScenario.computeIfAbsent(m.scenario(), s -> new LinkedHashMap<>()).put(m.label(), t.buckets());
      // When the change happened, in seconds since wrk started: where the chart draws its marker.
      changeAt.putIfAbsent(m.scenario(), scenario.changeTimes().get(0) - (m.wrkStartMs() - m.backendsStartMs()) / 1000.0);
      changing.putIfAbsent(m.scenario(), scenario.backends().stream().filter(b -> b.profiles().size() > 1)
          .map(Scenario.Backend::name).findFirst().orElse(""));
    }
    List<HtmlReport.TimelineSet> out = new ArrayList<>();
    byScenario.forEach((s, series) -> out.add(new HtmlReport.TimelineSet(s, changing.get(s), changeAt.get(s), series)));
    return out;
  }

  private static String readIfThere(Path file) throws IOException {
    return Files.isRegularFile(file) ? Files.readString(file) : "";
  }
}
