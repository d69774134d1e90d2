package io.adaptivelb.proxy;

import io.adaptivelb.accesslog.AccessEntry;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** A finished request's line for the operators' access log: the values are read here, formatting is the log thread's. */
final class AccessLine {

  private AccessLine() {
  }

  /**
   * @param lease    the last try (null: no backend was available)
   * @param bytesIn  request body bytes read (a tunnel: what the client sent through it)
   * @param bytesOut response body bytes written (a tunnel: what it relayed to the client)
   */
  static void write(ProxyRuntime rt, HttpServerRequest inbound, String requestId, RequestDeadlines deadlines,
                    TryLease lease, int tries, int status, long bytesIn, long bytesOut) {
    if (rt.accessLog == null) {
      return;
    }
    MultiMap headers = inbound.headers();
    rt.accessLog.add(new AccessEntry(deadlines.arrivalEpochMs(),
      inbound.remoteAddress() == null ? "-" : inbound.remoteAddress().hostAddress(),
      inbound.method().name(), inbound.uri(), protocol(inbound), status,
      bytesIn, bytesOut, rt.group,
      lease == null ? "-" : lease.upstream().name(), tries, lease == null ? 0 : lease.upstreamMs(),
      deadlines.sinceArrivalMs(), requestId, headers.get(HttpHeaders.USER_AGENT), headers.get(HttpHeaders.REFERER)));
  }

  private static String protocol(HttpServerRequest inbound) {
    return switch (inbound.version()) {
      case HTTP_1_0 -> "HTTP/1.0";
      case HTTP_2 -> "HTTP/2.0";
      default -> "HTTP/1.1";
    };
  }
}
