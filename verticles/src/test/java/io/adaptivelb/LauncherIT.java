package io.adaptivelb;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real launcher in a child JVM: what a user sees on bad input, and what SIGTERM leaves behind. */
class LauncherIT {

  private static Process launch(Path workDir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
      ProcessHandle.current().info().command().orElse("java"),
      "-cp", System.getProperty("java.class.path"), "io.adaptivelb.Launcher",
      // the jar names it in its manifest; on a plain class path it is the launcher's argument
      "io.adaptivelb.MainVerticle"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).directory(workDir.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static List<String> stderrLines(Process process) throws Exception {
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "launcher did not exit");
    return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void unknownPolicyStopsWithOneLineNamingTheKey(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("bad.json");
    JsonObject json = new JsonObject().put("proxy", new JsonObject().put("policy", new JsonObject().put("type", "fastest")));
    Files.writeString(conf, json.encode());
    Process process = launch(dir, "-conf", conf.toString());
    List<String> lines = stderrLines(process);
    assertEquals(2, process.exitValue());
    assertEquals(1, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).startsWith("adaptive-lb: config error: proxy.policy.type: unknown value \"fastest\""), lines.get(0));
  }

  @Test
  void missingConfFileStopsWithOneLine(@TempDir Path dir) throws Exception {
    Process process = launch(dir, "-conf", "no-such.json");
    List<String> lines = stderrLines(process);
    assertEquals(2, process.exitValue());
    assertEquals(List.of("adaptive-lb: config error: -conf: no such file: no-such.json"), lines);
  }

  @Test
  void portAlreadyTakenStopsWithOneLineNamingTheKey(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      JsonObject json = new JsonObject()
        .put("roles", List.of("backends"))
        .put("backends", List.of(new JsonObject().put("name", "b1").put("port", taken.getLocalPort())));
      Process process = launch(dir, "-conf", json.encode());
      List<String> lines = stderrLines(process);
      assertEquals(2, process.exitValue());
      List<String> ours = lines.stream().filter(l -> l.startsWith("adaptive-lb:")).toList();
      assertEquals(1, ours.size(), String.join("\n", lines));
      assertTrue(ours.get(0).startsWith("adaptive-lb: config error: backends[0].port: cannot listen on"), ours.get(0));
      assertTrue(lines.stream().noneMatch(l -> l.trim().startsWith("at ")), "stack trace printed:\n" + String.join("\n", lines));
    }
  }

  @Test
  void sigtermWritesEveryRowBeforeExiting(@TempDir Path dir) throws Exception {
    int proxyPort = TestLab.portForAnotherProcess();
    int backendPort = TestLab.portForAnotherProcess();
    JsonObject json = new JsonObject()
      .put("proxy", new JsonObject().put("host", "127.0.0.1").put("port", proxyPort).put("instances", 2)
        .put("policy", new JsonObject().put("type", "round-robin"))
        .put("backends", List.of(new JsonObject().put("name", "b1").put("url", "http://127.0.0.1:" + backendPort))))
      .put("backends", List.of(new JsonObject().put("name", "b1").put("host", "127.0.0.1").put("port", backendPort)))
      .put("metrics", new JsonObject().put("csv", "log.csv"))
      .put("dashboard", new JsonObject().put("host", "127.0.0.1").put("port", TestLab.portForAnotherProcess()));
    Path conf = dir.resolve("lab.json");
    Files.writeString(conf, json.encode());
    Process process = launch(dir, "-conf", conf.toString());
    try {
      BufferedReader stderr = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
      for (String line; (line = stderr.readLine()) != null; ) {
        if (line.contains("Succeeded in deploying verticle")) {
          break;
        }
      }
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      List<CompletableFuture<HttpResponse<Void>>> all = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        all.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + "/" + i))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()));
      }
      for (CompletableFuture<HttpResponse<Void>> f : all) {
        assertEquals(200, f.get(60, TimeUnit.SECONDS).statusCode());
      }
      process.destroy(); // SIGTERM
      assertTrue(process.waitFor(60, TimeUnit.SECONDS));
      List<String> lines = Files.readAllLines(dir.resolve("log.csv"));
      assertEquals(301, lines.size());
    } finally {
      process.destroyForcibly();
    }
  }
}
