package io.adaptivelb.proxy;

import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
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

@ExtendWith(VertxExtension.class)
class GracefulShutdownIT {

  @Test
  void requestsInFlightFinishWhenTheLabStops(Vertx vertx) throws Exception {
    TestLab lab = new TestLab().backend("slow", constant(500)).proxy("instances", 2).start(vertx);
    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      inFlight.add(lab.http().sendAsync(HttpRequest.newBuilder(lab.proxyUri("/")).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString()));
    }
    // Stop only once every request reached the backend, so they are truly in flight.
    io.adaptivelb.Eventually.await(Duration.ofSeconds(10),
      () -> lab.simulated("slow").countersJson().getInteger("active"), n -> n == 10);
    lab.close();
    for (CompletableFuture<HttpResponse<String>> f : inFlight) {
      assertEquals(200, f.get(20, TimeUnit.SECONDS).statusCode());
    }
  }
}
