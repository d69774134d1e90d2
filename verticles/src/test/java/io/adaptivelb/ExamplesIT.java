package io.adaptivelb;

import io.adaptivelb.config.LabConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every config in conf/examples starts, with each backend URL pointed at a test server that answers
 * with its name and the target it received, and answers as docs/proxy-your-servers.md says.
 */
@ExtendWith(VertxExtension.class)
class ExamplesIT {

  private Vertx vertx;
  private Lab lab;
  private final java.util.Map<String, HttpServer> servers = new java.util.HashMap<>();

  /** One Vert.x per test, closed by the extension after the lab has stopped. */
  @BeforeEach
  void setUp(Vertx testVertx) {
    vertx = testVertx;
  }

  @AfterEach
  void tearDown() throws Exception {
    if (lab != null) {
      lab.stop().await(30, TimeUnit.SECONDS);
    }
  }

  /** The example with its ports made free and its backends replaced by named echo servers. */
  private JsonObject runnable(String file, Path dir) throws Exception {
    JsonObject json = new JsonObject(Files.readString(Path.of("conf/examples", file)));
    JsonObject proxy = json.getJsonObject("proxy").put("host", "127.0.0.1").put("port", 0).put("instances", 1);
    if (proxy.containsKey("accessLog")) {
      proxy.getJsonObject("accessLog").put("path", dir.resolve("access.log").toString());
    }
    json.getJsonObject("dashboard").put("port", 0);
    List<JsonArray> lists = new ArrayList<>();
    lists.add(proxy.getJsonArray("backends"));
    proxy.getJsonObject("groups", new JsonObject()).forEach(g -> lists.add(((JsonObject) g.getValue()).getJsonArray("backends")));
    for (JsonArray list : lists) {
      for (Object b : list) {
        JsonObject backend = (JsonObject) b;
        backend.put("url", "http://127.0.0.1:" + echo(backend.getString("name")));
      }
    }
    return json;
  }

  private int echo(String name) throws Exception {
    HttpServer server = vertx.createHttpServer()
      .requestHandler(req -> req.response().end(name + " " + req.uri()));
    servers.put(name, server);
    return server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
  }

  private String get(String host, String path) throws Exception {
    return HostRequest.get(lab.proxyPort(), host, path);
  }

  private void start(JsonObject json) throws Exception {
    lab = new Lab(vertx, LabConfig.parse(json));
    lab.start().await(60, TimeUnit.SECONDS);
  }

  @Test
  void everyExampleIsCovered() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("conf/examples"))) {
      assertEquals(Set.of("one-app.json", "two-apps-by-host.json", "api-and-static.json"),
        Set.copyOf(files.map(p -> p.getFileName().toString()).toList()));
    }
  }

  @Test
  void oneAppFailsOverBetweenItsTwoServersAndLogsEachRequest(@TempDir Path dir) throws Exception {
    start(runnable("one-app.json", dir));
    assertEquals("least-latency", lab.config().proxy().policy().type(), "no backends role: the recommended policy");
    Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 20; i++) {
      String body = get(null, "/page?i=" + i);
      assertTrue(body.endsWith(" /page?i=" + i), body);
      seen.add(body.substring(0, body.indexOf(' ')));
    }
    // least-latency may keep every request on the quicker server: which one is its choice, not ours
    assertTrue(Set.of("app1", "app2").containsAll(seen), seen.toString());
    String first = seen.iterator().next();
    String other = first.equals("app1") ? "app2" : "app1";
    servers.get(first).close().await(10, TimeUnit.SECONDS);
    for (int i = 20; i < 40; i++) {
      assertEquals(other + " /page?i=" + i, get(null, "/page?i=" + i), "the other server takes over when one stops");
    }
    Path access = dir.resolve("access.log");
    Eventually.await(Duration.ofSeconds(20), () -> Files.exists(access) ? Files.readAllLines(access).size() : 0, n -> n == 40);
  }

  @Test
  void twoAppsByHost(@TempDir Path dir) throws Exception {
    start(runnable("two-apps-by-host.json", dir));
    assertEquals("blog1 /post/1", get("blog.example.com", "/post/1"));
    assertEquals("blog1 /post/2", get("www.blog.example.com:8080", "/post/2"));
    assertTrue(get("shop.example.com", "/cart").endsWith(" /cart"));
    assertTrue(get("shop.example.com", "/cart").startsWith("shop"));
    assertTrue(get(null, "/").startsWith("shop"), "no route matches: the default group");
  }

  @Test
  void apiAndStaticFilesByPath(@TempDir Path dir) throws Exception {
    start(runnable("api-and-static.json", dir));
    String api = get(null, "/api/users?id=7");
    assertTrue(api.equals("api1 /api/users?id=7") || api.equals("api2 /api/users?id=7"), api);
    assertEquals("files /css/site.css", get(null, "/static/css/site.css"));
    assertEquals("web /", get(null, "/"));
    assertEquals("web /apiary", get(null, "/apiary"), "/api/ is a prefix of paths, not of words");
  }
}
