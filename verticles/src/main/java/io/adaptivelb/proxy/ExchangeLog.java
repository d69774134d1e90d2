package io.adaptivelb.proxy;

import io.adaptivelb.telemetry.LatencyRecord;
import io.vertx.core.http.HttpServerRequest;

/**
 * What one exchange leaves behind: a {@link LatencyRecord} for every try that failed over to another
 * backend and one for the request (the CSV, the dashboard and the peers read them), and the request's
 * access-log line.
 */
record ExchangeLog(ProxyRuntime rt, HttpServerRequest inbound, String requestId, RequestDeadlines deadlines,
                   ProtocolSwitch bytes) {

  /** A failed try after which the request moved on; the request's own record comes later. */
  void retried(TryLease lease, int status, int attempts) {
    record(lease, status, true, attempts, true);
  }

  /** @param lease the last try, null when no backend was available */
  void finished(TryLease lease, int status, boolean failed, int attempts) {
    record(lease, status, failed, attempts, false);
    AccessLine.write(rt, inbound, requestId, deadlines, lease, attempts, status, bytes.bytesIn(), bytes.bytesOut());
  }

  private void record(TryLease lease, int status, boolean failed, int attempts, boolean retried) {
    rt.telemetry.add(new LatencyRecord(deadlines.arrivalEpochMs(), requestId, inbound.method().name(),
      inbound.uri(), lease == null ? "-" : lease.upstream().name(), status, lease == null ? 0 : lease.upstreamMs(),
      deadlines.sinceArrivalMs(), retried ? 0 : bytes.bytesOut(), rt.pool.policyConfig().type(), rt.mode().id, failed,
      attempts, retried, lease == null ? -1 : lease.load(), rt.group, bytes.bytesIn()));
  }
}
