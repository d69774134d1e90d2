package io.adaptivelb.report;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What the proxy itself measured over one run: latency as it saw it, per-backend counts, failures, and
 * the time its rows span.
 */
public final class LogFigures implements Consumer<ProxyLog.Row> {

  private final DoubleBuffer total = new DoubleBuffer();
  private final Map<String, Long> perBackend = new TreeMap<>();
  private long notOk;
  static final int CLIENT_LEFT = 499;
  /** A tunnel's row (WebSocket and other upgrades): its total_ms is how long it stayed open. */
  static final int TUNNEL = 101;

  private long abandoned;
  private long firstMs = Long.MAX_VALUE;
  private long lastMs = Long.MIN_VALUE;
  private long tunnels;

  @Override
  public void accept(ProxyLog.Row row) {
    firstMs = Math.min(firstMs, row.tsMs());
    lastMs = Math.max(lastMs, row.tsMs());
    if (row.status() == CLIENT_LEFT) {
      // wrk's stop abandons its in-flight requests: the proxy logs them as 499, wrk counts them nowhere.
      // Left out, so the proxy's figures describe the same requests as wrk's.
      abandoned++;
      return;
    }
    if (row.status() == TUNNEL) {
      tunnels++; // an hour-long WebSocket is not a latency: it would own every percentile
      return;
    }
    total.add(row.totalMs());
    perBackend.merge(row.backend(), 1L, Long::sum);
    if (!row.ok()) {
      notOk++;
    }
  }

  /** total_ms: arrival at the proxy until the last byte went out, the proxy's view of what wrk waits for. */
  public LatencySummary totalLatency() {
    return total.size() == 0 ? LatencySummary.EMPTY : Percentiles.of(total.toArray()).summary();
  }

  public Map<String, Long> perBackend() {
    return perBackend;
  }

  /** Rows whose status is not 2xx: backend 500s and the proxy's own 502/503/504. */
  public long notOk() {
    return notOk;
  }

  /** Rows logged as 499 (the client left before the answer), not counted in any other figure. */
  public long abandoned() {
    return abandoned;
  }

  /** Rows of tunnels (status 101), not counted in any other figure. */
  public long tunnels() {
    return tunnels;
  }

  public long rows() {
    return total.size();
  }

  /** The earliest row's time, 499s included (Long.MAX_VALUE before any row). */
  public long firstMs() {
    return firstMs;
  }

  /** The latest row's time, 499s included (Long.MIN_VALUE before any row). */
  public long lastMs() {
    return lastMs;
  }
}
