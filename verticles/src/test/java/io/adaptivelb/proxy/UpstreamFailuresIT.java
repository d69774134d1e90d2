package io.adaptivelb.proxy;

import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.adaptivelb.TestLab.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client always gets an answer: 502, 504 or 503 with the reason, never a hang. */
@ExtendWith(VertxExtension.class)
class UpstreamFailuresIT {

  @Test
  void deadBackendAnswers502(Vertx vertx) throws Exception {
    try (TestLab.ClosedPort dead = new TestLab.ClosedPort();
         TestLab lab = new TestLab().upstream("dead", dead.port()).start(vertx)) {
      HttpResponse<String> response = lab.get("/");
      assertEquals(502, response.statusCode());
      assertTrue(response.body().contains("dead"), response.body());
    }
  }

  @Test
  void stalledBackendAnswers504AfterTheUpstreamTimeout(Vertx vertx) throws Exception {
    // Accepts the connection, reads the request, never answers.
    NetServer stalled = vertx.createNetServer().connectHandler(socket -> socket.handler(ignored -> { }));
    int port = stalled.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS).actualPort();
    try (TestLab lab = new TestLab().upstream("stalled", port).proxy("upstreamTimeoutMs", 300).start(vertx)) {
      HttpResponse<String> response = lab.get("/");
      assertEquals(504, response.statusCode());
    } finally {
      stalled.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void fullWaitQueueAnswers503(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backend("slow", constant(400))
      .proxy("maxConnectionsPerBackend", 1).proxy("maxWaitQueue", 0).start(vertx)) {
      List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        all.add(lab.http().sendAsync(HttpRequest.newBuilder(lab.proxyUri("/")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString()));
      }
      long ok = 0;
      long busy = 0;
      for (CompletableFuture<HttpResponse<String>> f : all) {
        int status = f.get(20, TimeUnit.SECONDS).statusCode();
        ok += status == 200 ? 1 : 0;
        busy += status == 503 ? 1 : 0;
      }
      assertEquals(4, ok + busy);
      assertTrue(ok >= 1 && busy >= 1, "ok=" + ok + " busy=" + busy);
    }
  }

  @Test
  void simulatedErrorsPassThroughAndCountAsFailures(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backendWith("broken", new JsonObject().put("errorRate", 1.0)).start(vertx)) {
      HttpResponse<String> response = lab.get("/");
      assertEquals(500, response.statusCode());
      assertEquals("broken", response.headers().firstValue("X-Backend").orElseThrow());
    }
  }
}
