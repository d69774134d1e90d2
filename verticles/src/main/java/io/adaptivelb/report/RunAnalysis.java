package io.adaptivelb.report;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Turns one run's folder (meta.json, wrk output, proxy log or /stats snapshots) into a {@link ResultRow}. */
public final class RunAnalysis {

  private RunAnalysis() {
  }

  public static ResultRow analyse(RunMeta meta) throws IOException {
    WrkResult wrk = WrkResult.fromOutput(meta.dir().resolve("wrk.txt"));
    LatencySummary proxy = LatencySummary.EMPTY;
    long proxyErrors = 0;
    Map<String, Long> counts = new TreeMap<>();
    String from;
    String settledOn;
    if (meta.proxied()) {
      // The same reading `analyze proxy_log.csv --from <wrk start> --to <wrk end>` does, so the figures agree.
      LogSegments log = new LogSegments();
      Map<String, Long> tail = new TreeMap<>();
      long tailFrom = Settling.tailFromMs(meta.wrkStartMs(), meta.wrkEndMs());
      ProxyLog.read(meta.dir().resolve("proxy_log.csv"), meta.wrkStartMs(), meta.wrkEndMs(), row -> {
        log.accept(row);
        if (row.tsMs() >= tailFrom && row.status() != LogFigures.CLIENT_LEFT) {
          tail.merge(row.backend(), 1L, Long::sum);
        }
      });
      settledOn = Settling.majority(tail);
      LogFigures figures = log.all().figures();
      proxy = figures.totalLatency();
      proxyErrors = figures.notOk();
      // A starved backend has no row in the log: it still gets its 0%, so starvation shows in the tables.
      Scenario.read(meta.labConfig()).backends().forEach(b -> counts.put(b.name(), 0L));
      counts.putAll(figures.perBackend());
      from = "proxy_log";
    } else {
      counts.putAll(CounterDelta.between(json(meta.dir().resolve("stats-before.json")),
          json(meta.dir().resolve("stats-after.json"))));
      from = "backend counters";
      settledOn = Settling.majority(counts);
    }
    Scenario scenario = Scenario.read(meta.labConfig());
    String fastest = Settling.fastest(scenario, (meta.wrkEndMs() - meta.backendsStartMs()) / 1000.0);
    return new ResultRow(meta, wrk, proxy, proxyErrors, Shares.of(counts), from, optimum(meta), settledOn, fastest);
  }

  /**
   * Best possible req/s over the wrk window. Left out (NaN) for scenarios with failing backends (the
   * optimum of answers, failures included, would reward routing to a backend that fails fast) and for
   * backends that answer at once (no finite bound: the proxy is the limit there, measured by the
   * direct run instead).
   */
  static double optimum(RunMeta meta) throws IOException {
    Scenario scenario = Scenario.read(meta.labConfig());
    if (scenario.anyErrors()) {
      return Double.NaN;
    }
    double from = (meta.wrkStartMs() - meta.backendsStartMs()) / 1000.0;
    double to = (meta.wrkEndMs() - meta.backendsStartMs()) / 1000.0;
    double rate = Optimum.meanRate(scenario, meta.connections(), from, Math.max(to, from + 0.001));
    return Double.isFinite(rate) ? rate : Double.NaN;
  }

  static JsonObject json(Path file) throws IOException {
    return new JsonObject(Files.readString(file));
  }
}
