package io.adaptivelb;

import io.adaptivelb.config.ConfigSchema;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an operator does with the launcher in a child JVM: --check, --help, the banner, HUP, USR1, TERM. */
class OperatorsIT {

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private int get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
      HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private JsonObject getJson(int port, String path) throws Exception {
    return new JsonObject(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
      .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  /** A whole lab on loopback: one simulated backend, proxy, metrics, dashboard; ports in the returned JSON. */
  private static JsonObject lab(String policy) {
    int backendPort = TestLab.portForAnotherProcess();
    return new JsonObject()
      .put("proxy", new JsonObject().put("host", "127.0.0.1").put("port", TestLab.portForAnotherProcess()).put("instances", 2)
        .put("policy", new JsonObject().put("type", policy))
        .put("backends", new JsonArray().add(new JsonObject().put("name", "b1").put("url", "http://127.0.0.1:" + backendPort))))
      .put("backends", new JsonArray().add(new JsonObject().put("name", "b1").put("host", "127.0.0.1").put("port", backendPort)))
      .put("metrics", new JsonObject().put("csv", ""))
      .put("dashboard", new JsonObject().put("host", "127.0.0.1").put("port", TestLab.portForAnotherProcess()));
  }

  @Test
  void checkExitsZeroForAGoodConfigAndTwoWithOneLineForABadOne(@TempDir Path dir) throws Exception {
    Path good = Files.writeString(dir.resolve("good.json"), lab("round-robin").encode());
    try (ChildLauncher check = ChildLauncher.start(dir, "--check", "-conf", good.toString())) {
      assertEquals(0, check.exitCode());
      assertEquals(List.of("adaptive-lb: configuration " + good + " is valid (roles backends, proxy, metrics, dashboard)"), check.out());
    }
    Path bad = Files.writeString(dir.resolve("bad.json"), lab("fastest").encode());
    try (ChildLauncher check = ChildLauncher.start(dir, "--check", "-conf", bad.toString())) {
      assertEquals(2, check.exitCode());
      assertEquals(1, check.err().size(), String.join("\n", check.err()));
      assertTrue(check.err().get(0).startsWith("adaptive-lb: config error: proxy.policy.type: unknown value \"fastest\""));
    }
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"proxy\": ");
    try (ChildLauncher check = ChildLauncher.start(dir, "--check", "-conf", broken.toString())) {
      assertEquals(2, check.exitCode());
      assertTrue(check.err().get(0).startsWith("adaptive-lb: config error: " + broken + ": not a JSON object"), check.err().get(0));
    }
    try (ChildLauncher check = ChildLauncher.start(dir, "--check", "-conf", "missing.json")) {
      assertEquals(2, check.exitCode());
      assertEquals(List.of("adaptive-lb: config error: -conf: no such file: missing.json"), check.err());
    }
    try (ChildLauncher check = ChildLauncher.start(dir, "--check")) {
      assertEquals(0, check.exitCode(), "the bundled lab is valid");
    }
  }

  @Test
  void helpDescribesOurFlagsAndInstancesIsRefused(@TempDir Path dir) throws Exception {
    try (ChildLauncher help = ChildLauncher.start(dir, "--help")) {
      assertEquals(0, help.exitCode());
      String text = String.join("\n", help.out());
      for (String flag : List.of("-conf FILE|JSON", "--check", "-cluster", "--version", "HUP", "USR1", "TERM", "Examples:")) {
        assertTrue(text.contains(flag), flag + " missing from\n" + text);
      }
      assertFalse(text.contains("-instances"), text);
    }
    try (ChildLauncher run = ChildLauncher.start(dir, "io.adaptivelb.MainVerticle", "-instances", "2")) {
      assertEquals(2, run.exitCode());
      assertEquals(1, run.err().size());
      assertTrue(run.err().get(0).startsWith("adaptive-lb: config error: -instances: not supported"), run.err().get(0));
    }
  }

  @Test
  void bannerNamesEveryAddressAndTheDefaultPolicyOfAProxyForRealServers(@TempDir Path dir) throws Exception {
    int proxyPort = TestLab.portForAnotherProcess();
    int dashboardPort = TestLab.portForAnotherProcess();
    JsonObject json = new JsonObject().put("roles", new JsonArray().add("proxy").add("metrics").add("dashboard"))
      .put("proxy", new JsonObject().put("host", "127.0.0.1").put("port", proxyPort).put("instances", 1)
        .put("backends", new JsonArray().add(new JsonObject().put("name", "app").put("url", "http://127.0.0.1:" + TestLab.portForAnotherProcess()))))
      .put("metrics", new JsonObject().put("csv", ""))
      .put("dashboard", new JsonObject().put("host", "127.0.0.1").put("port", dashboardPort));
    Path conf = Files.writeString(dir.resolve("proxy.json"), json.encode());
    try (ChildLauncher run = ChildLauncher.start(dir, "-conf", conf.toString())) {
      List<String> banner = run.awaitBanner();
      assertTrue(banner.get(0).startsWith("adaptive-lb "), banner.get(0));
      assertTrue(banner.get(0).contains("(pid " + run.process.pid() + ")"), banner.get(0));
      assertEquals(conf.toString(), ChildLauncher.row(banner, "config"));
      assertEquals("proxy, metrics, dashboard", ChildLauncher.row(banner, "roles"));
      assertTrue(ChildLauncher.row(banner, "proxy").startsWith("http://127.0.0.1:" + proxyPort + "/"), banner.toString());
      assertTrue(ChildLauncher.row(banner, "dashboard").startsWith("http://127.0.0.1:" + dashboardPort + "/"), banner.toString());
      String group = ChildLauncher.row(banner, "group default");
      assertTrue(group.startsWith("policy least-latency (the default for a proxy in front of real servers"), group);
      assertTrue(group.contains("connection persistent"), group);
      assertTrue(group.contains("app http://127.0.0.1:"), group);
      assertEquals("least-latency", getJson(dashboardPort, "/admin/backends").getJsonObject("policy").getString("type"));
      assertEquals(ConfigSchema.generate(), getJson(dashboardPort, "/admin/schema"));
    }
  }

  @Test
  void bannerOfTheLabListsItsBackendsAndKeepsSma(@TempDir Path dir) throws Exception {
    JsonObject json = lab("sma");
    json.getJsonObject("proxy").remove("policy");
    Path conf = Files.writeString(dir.resolve("lab.json"), json.encode());
    try (ChildLauncher run = ChildLauncher.start(dir, "-conf", conf.toString())) {
      List<String> banner = run.awaitBanner();
      int backendPort = json.getJsonArray("backends").getJsonObject(0).getInteger("port");
      assertEquals("b1 http://127.0.0.1:" + backendPort + "/", ChildLauncher.row(banner, "backend"));
      assertTrue(ChildLauncher.row(banner, "group default").startsWith("policy sma (the lab's default"), banner.toString());
    }
  }

  @Test
  void sighupAppliesAGoodFileAndRefusesABrokenOneKeepingTheRunningConfig(@TempDir Path dir) throws Exception {
    JsonObject json = lab("round-robin");
    int dashboard = json.getJsonObject("dashboard").getInteger("port");
    Path conf = Files.writeString(dir.resolve("lab.json"), json.encode());
    try (ChildLauncher run = ChildLauncher.start(dir, "-conf", conf.toString())) {
      run.awaitBanner();
      Files.writeString(conf, json.copy().put("proxy", json.getJsonObject("proxy").copy()
        .put("policy", new JsonObject().put("type", "least-request")).put("bogus", 1)).encode());
      run.signal("HUP");
      String refused = Eventually.await(Duration.ofSeconds(30), () -> String.join("\n", run.err()),
        err -> err.contains("SIGHUP: reload refused"));
      assertTrue(refused.contains("SIGHUP: reload refused, running config unchanged: proxy.bogus: unknown key"), refused);
      assertEquals("round-robin", getJson(dashboard, "/admin/backends").getJsonObject("policy").getString("type"));
      assertEquals(200, get(json.getJsonObject("proxy").getInteger("port"), "/"));

      // The good file also adds an upstream group and a route to it, which a reload applies as nginx's does.
      String b1 = json.getJsonObject("proxy").getJsonArray("backends").getJsonObject(0).getString("url");
      Files.writeString(conf, json.copy().put("proxy", json.getJsonObject("proxy").copy()
        .put("policy", new JsonObject().put("type", "least-request"))
        .put("groups", new JsonObject().put("v2", new JsonObject()
          .put("backends", new JsonArray().add(new JsonObject().put("name", "b1-v2").put("url", b1)))))
        .put("routes", new JsonArray().add(new JsonObject().put("pathPrefix", "/v2/").put("group", "v2")))).encode());
      run.signal("HUP");
      String reloaded = Eventually.await(Duration.ofSeconds(30), () -> String.join("\n", run.err()), err -> err.contains("SIGHUP: reloaded"));
      assertFalse(reloaded.contains("a restart is needed"), reloaded);
      int proxyPort = json.getJsonObject("proxy").getInteger("port");
      Eventually.await(Duration.ofSeconds(30), () -> {
        assertEquals(200, get(proxyPort, "/v2/x"));
        return getJson(dashboard, "/stats").getJsonObject("groups").getJsonObject("v2");
      }, v2 -> v2 != null && v2.getJsonObject("totals").getLong("requestsTotal") > 0);
      assertEquals("least-request", getJson(dashboard, "/admin/backends").getJsonObject("policy").getString("type"));
      // the proxies themselves switched, not only the record of the running config
      Eventually.await(Duration.ofSeconds(30), () -> getJson(dashboard, "/stats").getJsonArray("proxies"),
        proxies -> !proxies.isEmpty() && proxies.stream().allMatch(p -> "least-request".equals(((JsonObject) p).getString("policy"))));
    }
  }

  @Test
  void afterMvAndSigusr1LoggingGoesOnInNewFilesWithNoLineLost(@TempDir Path dir) throws Exception {
    JsonObject json = lab("round-robin");
    json.getJsonObject("proxy").put("accessLog", new JsonObject().put("path", "access.log").put("format", "json"))
      .put("port", 0); // ports the OS picks cannot be taken by another process meanwhile: read back from the banner
    json.getJsonObject("dashboard").put("port", 0);
    json.getJsonObject("metrics").put("csv", "log.csv");
    Path conf = Files.writeString(dir.resolve("lab.json"), json.encode());
    Path access = dir.resolve("access.log");
    Path csv = dir.resolve("log.csv");
    try (ChildLauncher run = ChildLauncher.start(dir, "-conf", conf.toString())) {
      String proxyUrl = ChildLauncher.row(run.awaitBanner(), "proxy");
      int proxy = Integer.parseInt(proxyUrl.substring("http://127.0.0.1:".length(), proxyUrl.indexOf('/', "http://".length())));
      for (int i = 0; i < 100; i++) {
        assertEquals(200, get(proxy, "/before/" + i));
      }
      Files.move(access, dir.resolve("access.log.1"));
      Files.move(csv, dir.resolve("log.csv.1"));
      run.signal("USR1");
      Eventually.await(Duration.ofSeconds(30), () -> Files.exists(access) && Files.exists(csv), ok -> ok);
      for (int i = 0; i < 100; i++) {
        assertEquals(200, get(proxy, "/after/" + i));
      }
      Eventually.await(Duration.ofSeconds(30), () -> Files.readAllLines(access).size(), n -> n == 100);
      run.signal("TERM");
      run.exitCode(); // waits for the graceful stop: the logs are complete once the process is gone
    }
    List<String> oldAccess = Files.readAllLines(dir.resolve("access.log.1"));
    List<String> newAccess = Files.readAllLines(access);
    assertEquals(100, oldAccess.size());
    assertTrue(oldAccess.stream().allMatch(l -> new JsonObject(l).getString("path").startsWith("/before/")));
    assertEquals(100, newAccess.size());
    assertTrue(newAccess.stream().allMatch(l -> new JsonObject(l).getString("path").startsWith("/after/")));
    List<String> oldCsv = Files.readAllLines(dir.resolve("log.csv.1"));
    List<String> newCsv = Files.readAllLines(csv);
    assertEquals(oldCsv.get(0), newCsv.get(0), "the new CSV starts with the header");
    assertEquals(200, oldCsv.size() - 1 + newCsv.size() - 1, "every request has one CSV row, in one file or the other");
    assertEquals(1, oldCsv.stream().filter(l -> l.startsWith("ts_ms,")).count());
  }
}
