package io.adaptivelb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaptivelb.report.CsvReader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CSV log loses nothing when the lab is stopped under load: the real launcher in a child JVM, a
 * client that keeps every connection busy and records each answer by its {@code X-Request-Id}, a
 * SIGTERM or SIGINT while requests are in flight; then every answered request must have its row with
 * the status the client saw, and every row must be a request the client sent.
 */
class CsvCompletenessIT {

  private static final int CONNECTIONS = 32;
  private static final int ANSWERS_BEFORE_SIGNAL = 400;

  @ParameterizedTest(name = "{0} proxy instance(s), SIG{1}")
  @CsvSource({"1, TERM", "2, TERM", "4, TERM", "1, INT", "2, INT", "4, INT"})
  void everyRequestHasItsRowAfterASignalUnderLoad(int instances, String signal, @TempDir Path dir) throws Exception {
    int proxyPort = TestLab.portForAnotherProcess();
    int backendPort = TestLab.portForAnotherProcess();
    JsonObject json = new JsonObject()
      .put("roles", List.of("backends", "proxy", "metrics"))
      .put("proxy", new JsonObject().put("host", "127.0.0.1").put("port", proxyPort).put("instances", instances)
        .put("policy", new JsonObject().put("type", "round-robin"))
        .put("backends", List.of(new JsonObject().put("name", "b1").put("url", "http://127.0.0.1:" + backendPort))))
      .put("backends", List.of(new JsonObject().put("name", "b1").put("host", "127.0.0.1").put("port", backendPort)
        .put("latency", TestLab.constant(5))))
      .put("metrics", new JsonObject().put("csv", "log.csv"));
    Path conf = dir.resolve("lab.json");
    Files.writeString(conf, json.encode());
    Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
      "-cp", System.getProperty("java.class.path"), "io.adaptivelb.Launcher", "io.adaptivelb.MainVerticle",
      "-conf", conf.toString())
      .directory(dir.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    Vertx vertx = Vertx.vertx();
    try {
      BufferedReader stderr = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
      for (String line; (line = stderr.readLine()) != null; ) {
        if (line.contains("Succeeded in deploying verticle")) {
          break;
        }
      }
      // Keep draining stderr so the child never blocks on a full pipe.
      Thread drain = new Thread(() -> stderr.lines().forEach(l -> { }));
      drain.setDaemon(true);
      drain.start();

      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(CONNECTIONS));
      Map<String, Integer> answered = new ConcurrentHashMap<>();
      Set<String> sent = ConcurrentHashMap.newKeySet();
      CountDownLatch enough = new CountDownLatch(ANSWERS_BEFORE_SIGNAL);
      CountDownLatch loopsDone = new CountDownLatch(CONNECTIONS);
      for (int c = 0; c < CONNECTIONS; c++) {
        int loop = c;
        vertx.runOnContext(v -> sendNext(client, proxyPort, loop, 0, sent, answered, enough, loopsDone));
      }
      assertTrue(enough.await(60, TimeUnit.SECONDS), "the lab did not answer " + ANSWERS_BEFORE_SIGNAL + " requests");
      new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the lab did not exit after SIG" + signal);
      assertTrue(loopsDone.await(60, TimeUnit.SECONDS), "the client did not see the lab go");

      Map<String, Integer> rows = rows(dir.resolve("log.csv"));
      List<String> missing = new ArrayList<>();
      answered.forEach((id, status) -> {
        if (!status.equals(rows.get(id))) {
          missing.add(id + " answered " + status + ", logged " + rows.get(id));
        }
      });
      assertTrue(missing.isEmpty(), missing.size() + " of " + answered.size() + " answered requests without their row: "
        + missing.subList(0, Math.min(10, missing.size())));
      List<String> strays = rows.keySet().stream().filter(id -> !sent.contains(id)).toList();
      assertEquals(List.of(), strays, "rows of requests the client never sent");
      // A row of a request the client got no answer for must not claim a complete answer.
      rows.forEach((id, status) -> assertTrue(answered.containsKey(id) || status != 200,
        id + " logged 200 but the client got no answer"));
    } finally {
      process.destroyForcibly();
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** One connection's loop: the next request as soon as the last one is answered, until one fails. */
  private static void sendNext(HttpClient client, int port, int loop, int seq, Set<String> sent,
                               Map<String, Integer> answered, CountDownLatch enough, CountDownLatch done) {
    String id = "t" + loop + "-" + seq;
    sent.add(id);
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
      .setURI("/" + id).putHeader("X-Request-Id", id);
    client.request(options)
      .compose(req -> req.send().compose(resp -> resp.body().map(body -> resp.statusCode())))
      .onComplete(ar -> {
        if (ar.succeeded()) {
          answered.put(id, ar.result());
          enough.countDown();
          sendNext(client, port, loop, seq + 1, sent, answered, enough, done);
        } else {
          done.countDown();
        }
      });
  }

  private static Map<String, Integer> rows(Path csv) throws Exception {
    Map<String, Integer> rows = new HashMap<>();
    try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      CsvReader reader = new CsvReader(in);
      List<String> header = reader.next();
      int id = header.indexOf("request_id");
      int status = header.indexOf("status");
      for (List<String> f; (f = reader.next()) != null; ) {
        Integer before = rows.put(f.get(id), Integer.parseInt(f.get(status)));
        assertEquals(null, before, "two rows for " + f.get(id));
      }
    }
    return rows;
  }
}
