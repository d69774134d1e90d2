package io.adaptivelb.metrics;

import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.adaptivelb.TestLab.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class CsvLogIT {

  @Test
  void afterShutdownTheLogHasExactlyOneRowPerRequest(Vertx vertx, @TempDir Path dir) throws Exception {
    Path csv = dir.resolve("proxy_log.csv");
    int requests = 500;
    TestLab lab = new TestLab().backend("b1", constant(0)).backend("b2", constant(3))
      .proxy("instances", 2).csv(csv.toString()).start(vertx);
    List<CompletableFuture<HttpResponse<Void>>> inFlight = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      inFlight.add(lab.http().sendAsync(HttpRequest.newBuilder(lab.proxyUri("/r/" + i + "?q=a,b"))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()));
    }
    for (CompletableFuture<HttpResponse<Void>> f : inFlight) {
      assertEquals(200, f.get(60, TimeUnit.SECONDS).statusCode());
    }
    lab.close(); // the ordered stop: proxies flush, then the metrics role writes the rest

    List<String> lines = Files.readAllLines(csv);
    assertEquals(CsvFormat.HEADER, lines.get(0));
    assertEquals(requests + 1, lines.size());
    Set<String> ids = new HashSet<>();
    Set<String> paths = new HashSet<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = new io.adaptivelb.report.CsvReader(new java.io.StringReader(line)).next().toArray(String[]::new);
      assertEquals(13, cells.length, line);
      assertTrue(cells[3].endsWith("?q=a,b"), line); // the query is kept, the comma quoted
      ids.add(cells[1]);
      paths.add(cells[3]);
      assertEquals("200", cells[5]);
      assertTrue(Double.parseDouble(cells[7]) >= Double.parseDouble(cells[6]), line);
      assertEquals("round-robin", cells[9]);
      assertEquals("persistent", cells[10]);
      assertEquals("default", cells[11]);
      assertEquals("0", cells[12]); // a GET has no request body
    }
    assertEquals(requests, ids.size());
    assertEquals(requests, paths.size());
  }
}
