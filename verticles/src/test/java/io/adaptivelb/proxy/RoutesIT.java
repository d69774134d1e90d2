package io.adaptivelb.proxy;

import io.adaptivelb.Eventually;
import io.adaptivelb.HostRequest;
import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Routes by host and by path prefix to upstream groups with their own backends and policies. */
@ExtendWith(VertxExtension.class)
class RoutesIT {

  /** A backend that answers with its name and the request target it received. */
  private static int echo(Vertx vertx, String name) throws Exception {
    HttpServer server = vertx.createHttpServer()
      .requestHandler(req -> req.response().putHeader("X-Served-By", name).end(name + " " + req.uri()));
    return server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
  }

  private static JsonObject backend(String name, int port) {
    return new JsonObject().put("name", name).put("url", "http://127.0.0.1:" + port);
  }

  private static String get(TestLab lab, String host, String path) throws Exception {
    return HostRequest.get(lab.lab().proxyPort(), host, path);
  }

  @Test
  void hostAndPrefixRoutesReachTheirGroupsEachWithItsPolicy(Vertx vertx) throws Exception {
    TestLab lab = new TestLab().upstream("web", echo(vertx, "web"))
      .policy(new JsonObject().put("type", "least-request"));
    JsonObject proxy = lab.json().getJsonObject("proxy");
    proxy.put("groups", new JsonObject()
      .put("api", new JsonObject().put("policy", new JsonObject().put("type", "round-robin"))
        .put("backends", new JsonArray().add(backend("api1", echo(vertx, "api1"))).add(backend("api2", echo(vertx, "api2")))))
      .put("static", new JsonObject().put("policy", new JsonObject().put("type", "sma"))
        .put("backends", new JsonArray().add(backend("files", echo(vertx, "files"))))));
    proxy.put("routes", new JsonArray()
      .add(new JsonObject().put("host", "api.example").put("group", "api"))
      .add(new JsonObject().put("host", "*.api.example").put("pathPrefix", "/v2/").put("group", "api"))
      .add(new JsonObject().put("pathPrefix", "/static/").put("stripPrefix", true).put("group", "static"))
      .add(new JsonObject().put("pathPrefix", "/static/keep/").put("group", "default")));
    try (TestLab running = lab.start(vertx)) {
      // by host (any path, port and case ignored), spread by the api group's round robin
      assertEquals("api1 /x?y=1", get(running, "api.example:8080", "/x?y=1"));
      assertEquals("api2 /x?y=1", get(running, "API.example", "/x?y=1"));
      assertEquals("api1 /v2/a", get(running, "eu.api.example", "/v2/a"));
      // a wildcard host whose prefix does not match falls to the host-less routes, then the default group
      assertEquals("web /v1/a", get(running, "eu.api.example", "/v1/a"));
      // by prefix, stripped; the longest prefix wins
      assertEquals("files /app.css?v=2", get(running, "www.example", "/static/app.css?v=2"));
      assertEquals("files /", get(running, null, "/static/"));
      assertEquals("web /static/keep/a", get(running, null, "/static/keep/a"));
      assertEquals("web /other", get(running, null, "/other"));
      // each group shows up with its own policy
      Eventually.await(Duration.ofSeconds(20), () -> new JsonObject(running.getDashboard("/stats").body()).getJsonArray("proxies"),
        proxies -> {
          java.util.Map<String, String> policies = new java.util.HashMap<>();
          proxies.forEach(p -> policies.put(((JsonObject) p).getString("group"), ((JsonObject) p).getString("policy")));
          return "least-request".equals(policies.get("default")) && "round-robin".equals(policies.get("api"))
            && "sma".equals(policies.get("static"));
        });
    }
  }

  @Test
  void aRouteToAGroupThatDoesNotExistIsRefusedNamingTheKey() {
    TestLab lab = new TestLab().upstream("web", 1);
    lab.json().getJsonObject("proxy").put("routes", new JsonArray().add(new JsonObject().put("pathPrefix", "/a/").put("group", "nope")));
    io.adaptivelb.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(io.adaptivelb.config.ConfigException.class,
      () -> io.adaptivelb.config.LabConfig.parse(lab.json()));
    assertEquals("proxy.routes[0].group: no group \"nope\" in proxy.groups", e.getMessage());
  }
}
