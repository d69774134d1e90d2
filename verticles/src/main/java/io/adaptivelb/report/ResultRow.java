package io.adaptivelb.report;

import java.util.Map;

/**
 * One configuration in one repetition: a row of {@code results.csv}.
 *
 * @param proxy       latency as our proxy measured it (total_ms); EMPTY for peers, which have no such log
 * @param shares      per-backend share of the requests: from proxy_log.csv for our proxy, from the
 *                    backends' own counters for peers and for the direct run
 * @param optimumRps  best possible req/s for the scenario over this run's window; NaN when not meaningful
 * @param settledOn   the backend that took more than half of the requests in the window's final quarter
 *                    (whole window for peers, whose counters have no time resolution); "" when none did
 * @param fastest     the backend with the shortest mean service time at the window's end; "" on a tie
 */
public record ResultRow(RunMeta meta, WrkResult wrk, LatencySummary proxy, long proxyErrors, Map<String, Double> shares,
                        String sharesFrom, double optimumRps, String settledOn, String fastest) {

  /** The run ended sending most of its traffic to a backend slower than the fastest one. */
  public boolean settledElsewhere() {
    return !settledOn.isEmpty() && !fastest.isEmpty() && !settledOn.equals(fastest);
  }

  /** Answered requests per second in the proxy's log over wrk's window; NaN for runs without our proxy. */
  public double proxyRps() {
    return meta.proxied() ? LogSegments.perSecond(proxy.count(), meta.wrkStartMs(), meta.wrkEndMs()) : Double.NaN;
  }

  /** Throughput as a share of the optimum, in percent; NaN when there is no optimum. */
  public double pctOfOptimum() {
    return Double.isFinite(optimumRps) && optimumRps > 0 ? 100 * wrk.rps() / optimumRps : Double.NaN;
  }

  /** Every failed request wrk saw: non-2xx answers and socket errors. */
  public long errors() {
    return wrk.non2xx() + wrk.socketErrors();
  }
}
