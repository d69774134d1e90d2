package io.adaptivelb.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A self-contained HTML page (inline SVG, no script) with, per policy, the share of each backend and the
 * mean and p95 latency over the measured window, like the harness's timelines. Fleets larger than ten
 * show their nine busiest backends and the rest as one line.
 */
final class Charts {

  private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#7f7f7f", "#bcbd22", "#17becf"};
  private static final int W = 560;
  private static final int H = 220;
  private static final int PAD = 40;

  private Charts() {
  }

  static void write(Path out, String settings, List<String> policies, List<Result> results) throws IOException {
    StringBuilder html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>adaptive-lb simulation</title>")
      .append("<style>body{font:14px sans-serif;margin:20px}svg{background:#fafafa;margin:4px}h2{margin:18px 0 4px}</style>")
      .append("</head><body><h1>Simulated run</h1><p>").append(escape(settings)).append("</p>");
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      Grade g = Grade.of(r);
      html.append("<h2>").append(escape(policies.get(i))).append("</h2><p>")
        .append(String.format(Locale.ROOT, "%,.0f req/s, %s of best, mean %.2f ms, p99 %.2f ms", r.rps(), Table.pct(g.share()),
          r.meanMs(), r.p99Ms())).append("</p>");
      int buckets = r.setup().buckets();
      double bucketMs = r.windowSec() * 1000 / buckets;
      int[] lines = busiest(r);
      double[][] share = new double[lines.length][buckets];
      double[] total = new double[buckets];
      double[] meanMs = new double[buckets];
      float[][] perBucket = new float[buckets][];
      int[] fill = new int[buckets];
      Result.Trace t = r.trace();
      int[] lineOf = new int[r.perBackend().length];
      Arrays.fill(lineOf, lines.length - 1);
      for (int k = 0; k < lines.length; k++) {
        if (lines[k] >= 0) {
          lineOf[lines[k]] = k;
        }
      }
      for (int k = 0; k < buckets; k++) {
        perBucket[k] = new float[16];
      }
      for (int j = 0; j < t.atMs().length; j++) {
        int b = Math.min(buckets - 1, (int) (t.atMs()[j] / bucketMs));
        share[lineOf[t.backend()[j]]][b]++;
        total[b]++;
        meanMs[b] += t.latencyMs()[j];
        if (fill[b] == perBucket[b].length) {
          perBucket[b] = Arrays.copyOf(perBucket[b], fill[b] * 2);
        }
        perBucket[b][fill[b]++] = t.latencyMs()[j];
      }
      double[] p95 = new double[buckets];
      for (int b = 0; b < buckets; b++) {
        for (double[] s : share) {
          s[b] = total[b] == 0 ? Double.NaN : s[b] / total[b];
        }
        meanMs[b] = total[b] == 0 ? Double.NaN : meanMs[b] / total[b];
        float[] sorted = Arrays.copyOf(perBucket[b], fill[b]);
        Arrays.sort(sorted);
        p95[b] = sorted.length == 0 ? Double.NaN : sorted[(int) Math.floor(0.95 * (sorted.length - 1))];
      }
      String[] names = new String[lines.length];
      for (int k = 0; k < lines.length; k++) {
        names[k] = lines[k] >= 0 ? r.setup().backends().get(lines[k]).name() : "others";
      }
      html.append(svg("share of requests", r.windowSec(), share, names, 1));
      double max = 0;
      for (double v : p95) {
        if (Double.isFinite(v)) {
          max = Math.max(max, v);
        }
      }
      html.append(svg("latency ms (mean, p95)", r.windowSec(), new double[][]{meanMs, p95}, new String[]{"mean", "p95"},
        max > 0 ? max * 1.05 : 1));
    }
    html.append("</body></html>\n");
    Files.writeString(out, html, StandardCharsets.UTF_8);
  }

  /** Backends that get a line: all of them up to ten, else the nine busiest and -1 for "others". */
  private static int[] busiest(Result r) {
    int n = r.perBackend().length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (n <= COLORS.length) {
      return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }
    Arrays.sort(order, (x, y) -> Long.compare(r.perBackend()[y], r.perBackend()[x]));
    int[] lines = new int[COLORS.length];
    for (int k = 0; k < lines.length - 1; k++) {
      lines[k] = order[k];
    }
    lines[lines.length - 1] = -1;
    return lines;
  }

  private static String svg(String title, double windowSec, double[][] series, String[] names, double yMax) {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
      "<svg width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\"><text x=\"%d\" y=\"14\">%s</text>", W, H + 30, PAD, escape(title)));
    s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", PAD, H, W - 10, H));
    s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"20\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", PAD, PAD, H));
    s.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"28\" font-size=\"10\">%s</text><text x=\"2\" y=\"%d\" font-size=\"10\">0</text>",
      yMax == 1 ? "100%" : String.format(Locale.ROOT, "%.0f", yMax), H));
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">%.1f s</text>", W - 40, H + 12, windowSec));
    for (int k = 0; k < series.length; k++) {
      StringBuilder points = new StringBuilder();
      double[] v = series[k];
      for (int b = 0; b < v.length; b++) {
        if (Double.isFinite(v[b])) {
          double x = PAD + (W - 10 - PAD) * (b + 0.5) / v.length;
          double y = H - (H - 20) * Math.min(1, v[b] / yMax);
          points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
      }
      String color = COLORS[k % COLORS.length];
      s.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(color).append("\" points=\"").append(points).append("\"/>");
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"%s\">%s</text>", PAD + 50 * k, H + 26, color,
        escape(names[k])));
    }
    return s.append("</svg>").toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
