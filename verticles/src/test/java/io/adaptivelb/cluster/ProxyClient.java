package io.adaptivelb.cluster;

import io.adaptivelb.Lab;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/** Plain HTTP/1.1 to a clustered lab's proxy and dashboard, counting every request it sends. */
final class ProxyClient {

  /** One request's outcome: the status (0 when the connection failed) and the answering backend. */
  record Answer(int status, String backend) {
  }

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(5)).build();
  private long sent;

  Answer get(Lab proxy) {
    sent++;
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.proxyPort() + "/"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
      return new Answer(r.statusCode(), r.headers().firstValue("X-Backend").orElse(null));
    } catch (Exception e) {
      return new Answer(0, null);
    }
  }

  /** Requests through {@code proxy} until each of {@code backends} has answered one (or the deadline). */
  Set<String> untilServedBy(Lab proxy, Set<String> backends, Duration deadline) throws InterruptedException {
    Set<String> seen = new TreeSet<>();
    long end = System.nanoTime() + deadline.toNanos();
    while (!seen.containsAll(backends)) {
      if (System.nanoTime() > end) {
        throw new AssertionError("within " + deadline + " only " + seen + " answered, expected " + backends);
      }
      Answer a = get(proxy);
      if (a.backend() != null) {
        seen.add(a.backend());
      } else {
        Thread.sleep(50); // nothing routable yet: the backend has not been announced
      }
    }
    return seen;
  }

  long sent() {
    return sent;
  }

  JsonObject stats(Lab dashboard) throws Exception {
    return new JsonObject(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dashboard.dashboardPort() + "/stats"))
      .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  /** One admin call to a lab's dashboard, with the JSON content type the admin API asks for. */
  HttpResponse<String> admin(Lab dashboard, String method, String path, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dashboard.dashboardPort() + path))
      .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
      .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
      .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Each backend's state (healthy, disabled, draining...) in the cluster's one proxy instance, from {@code /stats}. */
  java.util.Map<String, String> states(Lab dashboard) throws Exception {
    java.util.Map<String, String> states = new java.util.TreeMap<>();
    onlyProxyBackends(dashboard).forEach(b -> states.put(((JsonObject) b).getString("name"), ((JsonObject) b).getString("state")));
    return states;
  }

  /** Backends the cluster's one proxy instance currently routes to, from its policy state in {@code /stats}. */
  Set<String> routedTo(Lab dashboard) throws Exception {
    Set<String> names = new TreeSet<>();
    onlyProxyBackends(dashboard).forEach(b -> names.add(((JsonObject) b).getString("name")));
    return names;
  }

  /** The backends of the one proxy in {@code /stats} (none before its first record); more than one proxy is a test error. */
  private JsonArray onlyProxyBackends(Lab dashboard) throws Exception {
    JsonArray proxies = stats(dashboard).getJsonArray("proxies");
    if (proxies.size() > 1) {
      throw new AssertionError("these tests run one proxy instance in the cluster, /stats shows " + proxies.size());
    }
    return proxies.isEmpty() ? new JsonArray() : proxies.getJsonObject(0).getJsonArray("backends");
  }

  /** One client sending request after request in the background, keeping every answer. */
  static final class Steady implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;

    Steady(Lab proxy) {
      ProxyClient client = new ProxyClient();
      thread = new Thread(() -> {
        while (running.get()) {
          answers.add(client.get(proxy));
          try {
            Thread.sleep(5); // about 100-200 requests a second: steady, not a load test
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "steady-client");
      thread.start();
    }

    List<Answer> stop() throws InterruptedException {
      running.set(false);
      thread.join(30_000);
      return List.copyOf(answers);
    }

    @Override
    public void close() throws InterruptedException {
      stop();
    }
  }
}
