package io.adaptivelb.proxy;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * Sends {@code probes} GETs to every backend before the proxy takes traffic, so a latency policy
 * starts with a measured value for each instead of an empty slot. Probes to one backend go one after
 * another; backends are probed in parallel. A failed probe is learnt as a failure, and never stops startup.
 */
final class Warmup {

  private Warmup() {
  }

  static Future<Void> run(HttpClient client, BackendPool pool, int probes, String path, long timeoutMs) {
    List<Future<Void>> all = new ArrayList<>();
    for (int i : pool.live()) {
      Future<Void> chain = Future.succeededFuture();
      for (int p = 0; p < probes; p++) {
        chain = chain.transform(ignored -> probe(client, pool, i, path, timeoutMs));
      }
      all.add(chain);
    }
    return Future.join(all).mapEmpty();
  }

  private static Future<Void> probe(HttpClient client, BackendPool pool, int backend, String path, long timeoutMs) {
    long start = System.nanoTime();
    pool.policy().begin(backend);
    RequestOptions options = new RequestOptions().setServer(pool.upstream(backend).address()).setMethod(HttpMethod.GET)
      .setURI(path).setIdleTimeout(timeoutMs).putHeader("X-Warmup-Probe", "1");
    return client.request(options)
      .compose(request -> request.send())
      .compose(response -> response.body().map(body -> response.statusCode()))
      .transform(ar -> {
        double ms = (System.nanoTime() - start) / 1e6;
        pool.policy().end(backend, ms, ar.failed() || ar.result() >= 500);
        return Future.succeededFuture();
      });
  }
}
