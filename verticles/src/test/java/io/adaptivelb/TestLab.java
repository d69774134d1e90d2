package io.adaptivelb;

import io.adaptivelb.backend.BackendVerticle;
import io.adaptivelb.config.BackendConfig;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Builds a lab config for a test, starts it, and offers a plain HTTP/1.1 client to talk to it. Every
 * server binds port 0 and the test reads the port back: the simulated backends start first, deployed
 * on the same Vert.x by the test lab itself, and the proxy's config then names the ports they got.
 */
public final class TestLab implements AutoCloseable {

  private final JsonObject json = new JsonObject()
    // The simulated backends are deployed on their own (see start): this lab lists them but runs the rest.
    .put("roles", new JsonArray().add("proxy").add("metrics").add("dashboard"))
    .put("proxy", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("instances", 1)
      .put("policy", new JsonObject().put("type", "round-robin")).put("backends", new JsonArray()))
    .put("backends", new JsonArray())
    .put("metrics", new JsonObject().put("csv", ""))
    .put("dashboard", new JsonObject().put("host", "127.0.0.1").put("port", 0));
  private Lab lab;
  /** The simulated backends by name: the one running now, after a {@link #revive}. */
  private final java.util.Map<String, BackendVerticle> simulated = new java.util.HashMap<>();
  private Vertx vertx;
  /** Ports the simulated backends got, so a killed one comes back on its own. */
  private final java.util.Map<String, Integer> ports = new java.util.HashMap<>();
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
    json.getJsonArray("backends").add(settings.copy().put("name", name).put("host", "127.0.0.1").put("port", 0));
    // The url is filled in by start(), once the backend has its port.
    json.getJsonObject("proxy").getJsonArray("backends").add(new JsonObject().put("name", name));
    return this;
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

  /**
   * Moves the simulated backends named out of the default group into upstream group {@code group}
   * ({@code proxy.groups}), which gets {@code policy}; a route must send requests there ({@link #route}).
   */
  public TestLab group(String group, JsonObject policy, String... backends) {
    JsonObject proxy = json.getJsonObject("proxy");
    JsonArray moved = new JsonArray();
    for (String name : backends) {
      JsonObject entry = proxy.getJsonArray("backends").stream().map(JsonObject.class::cast)
        .filter(b -> b.getString("name").equals(name)).findFirst().orElseThrow();
      proxy.getJsonArray("backends").remove(entry);
      moved.add(entry);
    }
    if (!proxy.containsKey("groups")) {
      proxy.put("groups", new JsonObject());
    }
    proxy.getJsonObject("groups").put(group, new JsonObject().put("policy", policy).put("backends", moved));
    return this;
  }

  /** Requests whose path starts with {@code pathPrefix} go to upstream group {@code group}. */
  public TestLab route(String pathPrefix, String group) {
    JsonObject proxy = json.getJsonObject("proxy");
    if (!proxy.containsKey("routes")) {
      proxy.put("routes", new JsonArray());
    }
    proxy.getJsonArray("routes").add(new JsonObject().put("pathPrefix", pathPrefix).put("group", group));
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

  /** The config of the lab under test (after {@link #start}: with the ports the backends got). */
  public JsonObject json() {
    return json;
  }

  public TestLab start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    JsonArray backends = json.getJsonArray("backends");
    if (!backends.isEmpty()) {
      JsonObject only = new JsonObject().put("roles", new JsonArray().add("backends")).put("backends", backends.copy());
      for (BackendConfig config : LabConfig.parse(only).backends()) {
        BackendVerticle backend = new BackendVerticle(config);
        vertx.deployVerticle(backend).await(30, TimeUnit.SECONDS);
        simulated.put(backend.name(), backend);
        ports.put(backend.name(), backend.port());
      }
      for (Object o : backends) {
        JsonObject b = (JsonObject) o;
        b.put("port", ports.get(b.getString("name")));
      }
      List<JsonArray> upstreams = new ArrayList<>(List.of(json.getJsonObject("proxy").getJsonArray("backends")));
      json.getJsonObject("proxy").getJsonObject("groups", new JsonObject())
        .forEach(g -> upstreams.add(((JsonObject) g.getValue()).getJsonArray("backends")));
      for (JsonArray list : upstreams) {
        for (Object o : list) {
          JsonObject b = (JsonObject) o;
          if (!b.containsKey("url")) {
            b.put("url", "http://127.0.0.1:" + ports.get(b.getString("name")));
          }
        }
      }
    }
    // The simulated backends stay in this lab's config (the admin API checks profile changes against it).
    lab = new Lab(vertx, LabConfig.parse(json));
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

  private BackendVerticle backendNamed(String name) {
    BackendVerticle backend = simulated.get(name);
    if (backend == null) {
      throw new IllegalArgumentException("no simulated backend " + name + " in this lab");
    }
    return backend;
  }

  /** A simulated backend of this lab (the one running now, after a {@link #revive}). */
  public BackendVerticle simulated(String name) {
    return backendNamed(name);
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

  /** Starts a fresh simulated backend with the same config as a killed one, on the port it had. */
  public void revive(Vertx vertx, String backend) throws Exception {
    BackendConfig config = lab.config().backends().stream()
      .filter(b -> b.name().equals(backend)).findFirst().orElseThrow();
    BackendVerticle fresh = new BackendVerticle(config);
    vertx.deployVerticle(fresh).await(10, TimeUnit.SECONDS);
    simulated.put(backend, fresh);
  }

  /** POSTs (or PUTs/DELETEs) JSON to the admin API on the dashboard port. */
  public HttpResponse<String> admin(String method, String path, String json) throws IOException, InterruptedException {
    HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
    return http.send(HttpRequest.newBuilder(dashboardUri(path)).timeout(Duration.ofSeconds(30))
      .header("Content-Type", "application/json").method(method, body).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The /stats row of one backend as the first proxy instance routing to it sees it (state, health, score...). */
  public JsonObject proxyView(String backend) throws IOException, InterruptedException {
    JsonObject stats = new JsonObject(getDashboard("/stats").body());
    for (Object p : stats.getJsonArray("proxies")) {
      for (Object b : ((JsonObject) p).getJsonArray("backends")) {
        if (backend.equals(((JsonObject) b).getString("name"))) {
          return (JsonObject) b;
        }
      }
    }
    return null;
  }

  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  @Override
  public void close() throws Exception {
    if (lab != null) {
      lab.stop().await(30, TimeUnit.SECONDS);
    }
    for (BackendVerticle backend : simulated.values()) {
      if (vertx.deploymentIDs().contains(backend.deploymentID())) { // a killed one is gone already
        vertx.undeploy(backend.deploymentID()).await(30, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * A loopback port that refuses connections for as long as this is open: a socket bound to it but
   * not listening, so no server of another test or process can take the port meanwhile.
   */
  public static final class ClosedPort implements AutoCloseable {
    private final java.net.Socket socket = new java.net.Socket();

    public ClosedPort() throws IOException {
      socket.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
    }

    public int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /**
   * A port for a server in another process or a Hazelcast member, which must be named before it
   * starts: nothing listens on it now and it was never handed out before in this JVM. Another process
   * may still take it before the server binds it; in-JVM servers bind port 0 instead.
   */
  public static int portForAnotherProcess() {
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
