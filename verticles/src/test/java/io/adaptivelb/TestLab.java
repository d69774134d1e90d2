package io.adaptivelb;

import io.adaptivelb.config.LabConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Builds a lab config for a test (backends on free loopback ports, proxy and dashboard on
 * ephemeral ports), starts it, and offers a plain HTTP/1.1 client to talk to it.
 */
public final class TestLab implements AutoCloseable {

  private final JsonObject json = new JsonObject()
    .put("roles", new JsonArray().add("backends").add("proxy").add("metrics").add("dashboard"))
    .put("proxy", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("instances", 1)
      .put("policy", new JsonObject().put("type", "round-robin")).put("backends", new JsonArray()))
    .put("backends", new JsonArray())
    .put("metrics", new JsonObject().put("csv", ""))
    .put("dashboard", new JsonObject().put("host", "127.0.0.1").put("port", 0));
  private Lab lab;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(5)).build();

  public static JsonObject constant(double ms) {
    return new JsonObject().put("dist", "constant").put("ms", ms);
  }

  public TestLab backend(String name, JsonObject latency) {
    return backendWith(name, new JsonObject().put("latency", latency));
  }

  /** A simulated backend with extra settings (capacity, errorRate, phases...). */
  public TestLab backendWith(String name, JsonObject settings) {
    int port = freePort();
    json.getJsonArray("backends").add(settings.copy().put("name", name).put("host", "127.0.0.1").put("port", port));
    return upstream(name, port);
  }

  /** A backend the proxy knows about but that this lab does not run (a dead port, a raw test server...). */
  public TestLab upstream(String name, int port) {
    json.getJsonObject("proxy").getJsonArray("backends")
      .add(new JsonObject().put("name", name).put("url", "http://127.0.0.1:" + port));
    return this;
  }

  /** A backend the proxy reaches at {@code url} (https, a host name...), not run by this lab. */
  public TestLab upstreamUrl(String name, String url) {
    json.getJsonObject("proxy").getJsonArray("backends").add(new JsonObject().put("name", name).put("url", url));
    return this;
  }

  public TestLab policy(JsonObject policy) {
    json.getJsonObject("proxy").put("policy", policy);
    return this;
  }

  public TestLab proxy(String key, Object value) {
    json.getJsonObject("proxy").put(key, value);
    return this;
  }

  /** Sets {@code proxy.<section>.<key>} (e.g. retries.maxAttempts, health.passive.baseEjectionMs). */
  public TestLab proxySetting(String section, String key, Object value) {
    JsonObject proxy = json.getJsonObject("proxy");
    JsonObject target = proxy;
    for (String part : section.split("\\.")) {
      if (!target.containsKey(part)) {
        target.put(part, new JsonObject());
      }
      target = target.getJsonObject(part);
    }
    target.put(key, value);
    return this;
  }

  public TestLab csv(String path) {
    json.getJsonObject("metrics").put("csv", path);
    return this;
  }

  public JsonObject json() {
    if (json.getJsonArray("backends").isEmpty()) {
      json.put("roles", new JsonArray().add("proxy").add("metrics").add("dashboard"));
    }
    return json;
  }

  public TestLab start(Vertx vertx) throws Exception {
    lab = new Lab(vertx, LabConfig.parse(json()));
    lab.start().await(30, TimeUnit.SECONDS);
    return this;
  }

  public Lab lab() {
    return lab;
  }

  public URI proxyUri(String path) {
    return URI.create("http://127.0.0.1:" + lab.proxyPort() + path);
  }

  public URI dashboardUri(String path) {
    return URI.create("http://127.0.0.1:" + lab.dashboardPort() + path);
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(proxyUri(path)).timeout(Duration.ofSeconds(30)).build(),
      HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> getDashboard(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(dashboardUri(path)).timeout(Duration.ofSeconds(30)).build(),
      HttpResponse.BodyHandlers.ofString());
  }

  /** Sends {@code n} requests at once on separate connections and waits for all; returns their statuses. */
  public java.util.List<Integer> concurrently(int n, String path) throws Exception {
    java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<Void>>> all = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(http.sendAsync(HttpRequest.newBuilder(proxyUri(path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.discarding()));
    }
    java.util.List<Integer> statuses = new java.util.ArrayList<>();
    for (var f : all) {
      statuses.add(f.get(60, TimeUnit.SECONDS).statusCode());
    }
    return statuses;
  }

  public HttpClient http() {
    return http;
  }

  private final java.util.Map<String, io.adaptivelb.backend.BackendVerticle> revived = new java.util.HashMap<>();

  private io.adaptivelb.backend.BackendVerticle backendNamed(String name) {
    if (revived.containsKey(name)) {
      return revived.get(name);
    }
    return lab.backends().stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
  }

  public long served(String backend) {
    return backendNamed(backend).counters().requests();
  }

  public long connections(String backend) {
    return backendNamed(backend).counters().connections();
  }

  /** Stops a simulated backend as if its process died: its port refuses connections from now on. */
  public void kill(Vertx vertx, String backend) throws Exception {
    vertx.undeploy(backendNamed(backend).deploymentID()).await(10, TimeUnit.SECONDS);
  }

  /** Starts a fresh simulated backend with the same config (and port) as a killed one. */
  public void revive(Vertx vertx, String backend) throws Exception {
    io.adaptivelb.config.BackendConfig config = lab.config().backends().stream()
      .filter(b -> b.name().equals(backend)).findFirst().orElseThrow();
    io.adaptivelb.backend.BackendVerticle fresh = new io.adaptivelb.backend.BackendVerticle(config);
    vertx.deployVerticle(fresh).await(10, TimeUnit.SECONDS);
    revived.put(backend, fresh);
  }

  /** POSTs (or PUTs/DELETEs) JSON to the admin API on the dashboard port. */
  public HttpResponse<String> admin(String method, String path, String json) throws IOException, InterruptedException {
    HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
    return http.send(HttpRequest.newBuilder(dashboardUri(path)).timeout(Duration.ofSeconds(30))
      .header("Content-Type", "application/json").method(method, body).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The /stats row of one backend as the first proxy instance sees it (state, health, score...). */
  public JsonObject proxyView(String backend) throws IOException, InterruptedException {
    JsonObject stats = new JsonObject(getDashboard("/stats").body());
    for (Object p : stats.getJsonArray("proxies")) {
      for (Object b : ((JsonObject) p).getJsonArray("backends")) {
        if (backend.equals(((JsonObject) b).getString("name"))) {
          return (JsonObject) b;
        }
      }
      break;
    }
    return null;
  }

  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  @Override
  public void close() throws Exception {
    if (lab != null) {
      lab.stop().await(30, TimeUnit.SECONDS);
    }
  }

  /**
   * A port nothing listens on now, and never handed out before in this JVM: the kernel may give a
   * just-closed port again, and two backends of one lab would then share it.
   */
  public static int freePort() {
    for (int i = 0; i < 1000; i++) {
      try (ServerSocket socket = new ServerSocket(0)) {
        socket.setReuseAddress(true);
        if (HANDED_OUT.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("no fresh free port after 1000 tries");
  }
}
