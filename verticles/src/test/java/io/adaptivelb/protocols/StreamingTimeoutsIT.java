package io.adaptivelb.protocols;

import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow responses on purpose, with an ordinary silence timeout (900 ms) shorter than their gaps:
 * server-sent events one second apart arrive one by one, each before the next is sent, under the
 * stream timeout; a long poll answered after 1.5 s gets its answer under the long-poll timeout, while
 * the same wait on another path is cut at 504.
 */
@ExtendWith(VertxExtension.class)
class StreamingTimeoutsIT {

  @Test
  void eventsOneSecondApartArriveOneByOneAndLongPollsGetTheirAnswer(Vertx vertx) throws Exception {
    AtomicInteger sent = new AtomicInteger();
    HttpServer backend = vertx.createHttpServer().requestHandler(request -> {
      if (request.path().equals("/events")) {
        request.response().setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8");
        request.response().write(": open\n\n");
        vertx.setPeriodic(1000, id -> {
          int n = sent.incrementAndGet();
          if (n <= 3) {
            request.response().write("data: event " + n + "\n\n");
          } else {
            vertx.cancelTimer(id);
            request.response().end();
          }
        });
      } else {
        vertx.setTimer(1500, id -> request.response().end("late answer"));
      }
    });
    int port = backend.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    try (TestLab lab = new TestLab().upstream("slow", port).proxy("upstreamTimeoutMs", 900)
      .proxySetting("retries", "maxAttempts", 1)
      .proxy("streaming", new JsonObject().put("idleTimeoutMs", 10_000).put("longPollPaths", new JsonArray().add("/poll/"))
        .put("longPollTimeoutMs", 10_000)).start(vertx)) {
      HttpResponse<java.io.InputStream> events = lab.http().send(HttpRequest.newBuilder(lab.proxyUri("/events")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, events.statusCode());
      List<String> received = new ArrayList<>();
      List<Integer> sentBefore = new ArrayList<>();
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.startsWith("data: ")) {
            // how many events the backend had sent when this one arrived: its own number if nothing was held back
            received.add(line.substring(6));
            sentBefore.add(sent.get());
          }
        }
      }
      assertEquals(List.of("event 1", "event 2", "event 3"), received);
      // each event arrived while the stream was still going, not all at its end (a second of slack for a busy machine)
      assertTrue(sentBefore.get(0) <= 2 && sentBefore.get(1) <= 3, "sent when each arrived: " + sentBefore);

      assertEquals(200, lab.get("/poll/inbox").statusCode());
      assertEquals(504, lab.get("/other").statusCode());
    } finally {
      backend.close().await(10, TimeUnit.SECONDS);
    }
  }
}
