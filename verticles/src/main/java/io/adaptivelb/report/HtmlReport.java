package io.adaptivelb.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code report.html} and one page per key chart (rendered to PNG by run.sh with headless Chromium).
 * The pages only lay out canvases: the figures go to {@code data.js} and the drawing is done by
 * {@code charts.js} with a local {@code chart.umd.js}, both copied next to them by run.sh (no CDN: the
 * report must open offline).
 */
public final class HtmlReport {

  /**
   * Per scenario with phases: per-second buckets of each adaptive-lb configuration (first repetition),
   * the backend whose behaviour changes and when, in seconds since wrk started.
   */
  public record TimelineSet(String scenario, String changingBackend, double changeAtSec,
                            Map<String, List<Timeline.Bucket>> byLabel) {
  }

  private HtmlReport() {
  }

  public static List<Path> write(Path out, Map<String, List<ConfigSummary>> byScenario, List<TimelineSet> timelines,
                                 String settings, String machine) throws IOException {
    Files.writeString(out.resolve("data.js"), "const REPORT = " + data(byScenario, timelines).encodePrettily() + ";\n",
        StandardCharsets.UTF_8);
    StringBuilder body = new StringBuilder("<h1>adaptive-lb load-test report</h1>\n");
    body.append("<pre>").append(esc(settings.strip())).append("</pre>\n<p>").append(markdownInline(SummaryMarkdown.LEGEND))
        .append("</p>\n");
    StringBuilder calls = new StringBuilder();
    List<Path> pages = new ArrayList<>();
    for (Map.Entry<String, List<ConfigSummary>> e : byScenario.entrySet()) {
      String s = e.getKey();
      body.append("<h2 id=\"").append(esc(s)).append("\">").append(esc(s)).append("</h2>\n");
      Spread best = SummaryTable.best(e.getValue());
      if (best != null) {
        body.append("<p>Best possible: ").append(Fmt.spread(best, Fmt::rps)).append(" req/s.</p>\n");
      }
      body.append(table(e.getValue()));
      body.append(scenarioCanvases(s));
      calls.append("renderScenario(").append(js(s)).append(");\n");
      pages.add(page(out, "chart-" + s + ".html", "adaptive-lb · " + s, scenarioCanvases(s),
          "renderScenario(" + js(s) + ");"));
    }
    for (TimelineSet t : timelines) {
      body.append("<h2>").append(esc(t.scenario())).append(": latency and routing over time</h2>\n")
          .append(timelineCanvases(t.scenario()));
      calls.append("renderTimeline(").append(js(t.scenario())).append(");\n");
      pages.add(page(out, "chart-timeline-" + t.scenario() + ".html", "adaptive-lb · " + t.scenario() + " over time",
          timelineCanvases(t.scenario()), "renderTimeline(" + js(t.scenario()) + ");"));
    }
    body.append("<h2>Machine and versions</h2>\n<pre>").append(esc(machine.strip())).append("</pre>\n");
    Files.writeString(out.resolve("report.html"), html("adaptive-lb load-test report", body.toString(),
        calls.toString()), StandardCharsets.UTF_8);
    return pages;
  }

  static JsonObject data(Map<String, List<ConfigSummary>> byScenario, List<TimelineSet> timelines) {
    JsonArray scenarios = new JsonArray();
    byScenario.forEach((s, configs) -> {
      JsonArray cs = new JsonArray();
      for (ConfigSummary c : configs) {
        JsonObject shares = new JsonObject();
        c.shares().forEach((b, v) -> shares.put(b, num(v.median())));
        cs.add(new JsonObject().put("label", c.label()).put("kind", c.kind())
            .put("rps", spread(c.rps())).put("wrkP95", spread(c.wrkP95())).put("proxyP95", spread(c.proxyP95()))
            .put("wrkP50", spread(c.wrkP50())).put("wrkP99", spread(c.wrkP99()))
            .put("pctOfOptimum", spread(c.pctOfOptimum())).put("shares", shares).put("runs", runs(c)));
      }
      Spread best = SummaryTable.best(configs);
      scenarios.add(new JsonObject().put("name", s).put("backends", new JsonArray(SummaryTable.backends(configs)))
          .put("optimum", best == null ? null : num(best.median())).put("configs", cs));
    });
    JsonObject tl = new JsonObject();
    for (TimelineSet t : timelines) {
      JsonArray series = new JsonArray();
      t.byLabel().forEach((label, buckets) -> {
        JsonArray points = new JsonArray();
        for (Timeline.Bucket b : buckets) {
          JsonObject per = new JsonObject();
          b.perBackend().forEach((name, n) -> per.put(name, (double) n / b.count()));
          points.add(new JsonObject().put("s", b.second()).put("n", b.count()).put("p50", num(b.p50()))
              .put("p95", num(b.p95())).put("shares", per));
        }
        series.add(new JsonObject().put("label", label).put("points", points));
      });
      tl.put(t.scenario(), new JsonObject().put("changeAtSec", num(t.changeAtSec()))
          .put("backend", t.changingBackend()).put("series", series));
    }
    return new JsonObject().put("scenarios", scenarios).put("timelines", tl);
  }

  /** Each repetition's own figures: the charts draw a dot per run beside the median. */
  private static JsonArray runs(ConfigSummary c) {
    JsonArray runs = new JsonArray();
    for (ResultRow r : c.runs()) {
      runs.add(new JsonObject().put("rep", r.meta().rep()).put("rps", num(r.wrk().rps()))
          .put("wrkP95", num(r.wrk().latency().p95())).put("proxyMean", num(r.proxy().mean()))
          .put("settledOn", r.settledOn()).put("settledElsewhere", r.settledElsewhere()));
    }
    return runs;
  }

  private static JsonObject spread(Spread s) {
    return new JsonObject().put("median", num(s.median())).put("min", num(s.min())).put("max", num(s.max()));
  }

  /** JSON has no NaN: a figure that was not measured is null. */
  private static Double num(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static String table(List<ConfigSummary> configs) {
    List<String> backends = SummaryTable.backends(configs);
    StringBuilder t = new StringBuilder("<table>\n<tr>");
    SummaryTable.header(backends).forEach(h -> t.append("<th>").append(esc(h)).append("</th>"));
    t.append("</tr>\n");
    for (ConfigSummary c : configs) {
      t.append("<tr>");
      SummaryTable.row(c, backends).forEach(v -> t.append("<td>").append(esc(v)).append("</td>"));
      t.append("</tr>\n");
    }
    return t.append("</table>\n").toString();
  }

  private static String scenarioCanvases(String s) {
    return "<div class=\"grid\">"
        + "<div class=\"chart\"><canvas id=\"rps-" + esc(s) + "\"></canvas></div>"
        + "<div class=\"chart\"><canvas id=\"p95-" + esc(s) + "\"></canvas></div>"
        + "<div class=\"chart wide\"><canvas id=\"shares-" + esc(s) + "\"></canvas></div></div>\n";
  }

  private static String timelineCanvases(String s) {
    return "<div class=\"grid\">"
        + "<div class=\"chart wide\"><canvas id=\"tl-share-" + esc(s) + "\"></canvas></div>"
        + "<div class=\"chart wide\"><canvas id=\"tl-p95-" + esc(s) + "\"></canvas></div></div>\n";
  }

  private static Path page(Path out, String name, String title, String body, String call) throws IOException {
    Path file = out.resolve(name);
    Files.writeString(file, html(title, "<h2>" + esc(title) + "</h2>\n" + body, call), StandardCharsets.UTF_8);
    return file;
  }

  private static String html(String title, String body, String calls) {
    return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" + esc(title) + "</title>\n"
        + "<style>body{font-family:sans-serif;margin:16px;max-width:1400px}table{border-collapse:collapse;"
        + "font-size:12px;margin:8px 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
        + "td:first-child,th:first-child{text-align:left}.grid{display:flex;flex-wrap:wrap;gap:8px}"
        + ".chart{width:680px;height:380px}.chart.wide{width:1368px;height:420px}pre{font-size:12px}</style>\n"
        + "<script src=\"chart.umd.js\"></script><script src=\"data.js\"></script><script src=\"charts.js\"></script>\n"
        + "</head><body>\n" + body + "<script>\n" + calls + "</script>\n</body></html>\n";
  }

  private static String js(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** Escaped text with markdown's `code` spans as {@code <code>}: the legend is written once, for both files. */
  static String markdownInline(String s) {
    return esc(s).replaceAll("`([^`]*)`", "<code>$1</code>");
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
