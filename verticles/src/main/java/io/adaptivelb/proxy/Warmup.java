package io.adaptivelb.proxy;

import io.adaptivelb.upstream.UpstreamConnector;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;

import java.util.ArrayList;
import java.util.List;

/**
 * Sends {@code probes} GETs to every backend before the proxy takes traffic, so a latency policy
 * starts with a measured value for each instead of an empty slot. Probes to one backend go one after
 * another; backends are probed in parallel. Each probe is a try with its {@link TryLease}, so it
 * teaches what a request would (a failed probe is a failure), and never stops startup.
 */
final class Warmup {

  private static final CharSequence MARKER = HttpHeaders.createOptimized("X-Warmup-Probe");

  private Warmup() {
  }

  static Future<Void> run(Vertx vertx, UpstreamConnector upstreams, BackendPool pool, int probes, String path,
                          long timeoutMs) {
    List<Future<Void>> all = new ArrayList<>();
    for (int i : pool.live()) {
      Future<Void> chain = Future.succeededFuture();
      for (int p = 0; p < probes; p++) {
        chain = chain.transform(ignored -> probe(vertx, upstreams, pool, i, path, timeoutMs));
      }
      all.add(chain);
    }
    return Future.join(all).mapEmpty();
  }

  private static Future<Void> probe(Vertx vertx, UpstreamConnector upstreams, BackendPool pool, int backend,
                                    String path, long timeoutMs) {
    TryLease lease = pool.begin(backend);
    return UpstreamProbe.get(vertx, upstreams, lease.upstream(), path, MARKER, timeoutMs)
      .transform(ar -> {
        boolean failed = ar.failed() || ar.result() >= 500;
        int status = ar.succeeded() ? ar.result() : UpstreamFailure.status(ar.cause(), true);
        lease.end(status, failed, failed && status != 503);
        return Future.succeededFuture();
      });
  }
}
