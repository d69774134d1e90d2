package io.adaptivelb.accesslog;

import io.adaptivelb.Eventually;
import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operators' access log of a real proxy: every field of a json line, the combined format, the CSV's query. */
@ExtendWith(VertxExtension.class)
class AccessLogIT {

  private TestLab lab;

  @AfterEach
  void tearDown() throws Exception {
    if (lab != null) {
      lab.close();
    }
  }

  private static List<String> lines(Path file, int atLeast) throws Exception {
    return Eventually.await(Duration.ofSeconds(20),
      () -> Files.exists(file) ? Files.readAllLines(file) : List.<String>of(), l -> l.size() >= atLeast);
  }

  @Test
  void everyFieldOfAJsonLineIsPresentAndRight(@TempDir Path dir, Vertx vertx) throws Exception {
    Path log = dir.resolve("access.log");
    lab = new TestLab().backendWith("b1", new JsonObject().put("bodyBytes", 64))
      .proxy("accessLog", new JsonObject().put("path", log.toString()).put("format", "json"))
      .start(vertx);
    long before = System.currentTimeMillis();
    HttpResponse<String> response = lab.http().send(HttpRequest.newBuilder(lab.proxyUri("/items?q=a%20b&x=%2F"))
      .header("User-Agent", "probe/1.0").header("Referer", "http://ref.example/page").header("X-Request-Id", "req-123")
      .POST(HttpRequest.BodyPublishers.ofString("hello world")).timeout(Duration.ofSeconds(30)).build(),
      HttpResponse.BodyHandlers.ofString());
    long after = System.currentTimeMillis();
    assertEquals(200, response.statusCode());

    JsonObject line = new JsonObject(lines(log, 1).get(0));
    assertEquals(List.of("time", "client", "method", "path", "protocol", "status", "bytesIn", "bytesOut", "group",
      "backend", "tries", "upstreamMs", "totalMs", "requestId", "userAgent", "referer"), List.copyOf(line.fieldNames()));
    long time = Instant.parse(line.getString("time")).toEpochMilli();
    assertTrue(time >= before && time <= after, line.encode());
    assertEquals("127.0.0.1", line.getString("client"));
    assertEquals("POST", line.getString("method"));
    assertEquals("/items?q=a%20b&x=%2F", line.getString("path"));
    assertEquals("HTTP/1.1", line.getString("protocol"));
    assertEquals(200, line.getInteger("status"));
    assertEquals(11, line.getLong("bytesIn"));
    assertEquals(64, line.getLong("bytesOut"));
    assertEquals("default", line.getString("group"));
    assertEquals("b1", line.getString("backend"));
    assertEquals(1, line.getInteger("tries"));
    double upstream = line.getDouble("upstreamMs");
    double total = line.getDouble("totalMs");
    assertTrue(upstream > 0 && upstream <= total && total <= after - before + 1, line.encode());
    assertEquals("req-123", line.getString("requestId"));
    assertEquals("probe/1.0", line.getString("userAgent"));
    assertEquals("http://ref.example/page", line.getString("referer"));
  }

  @Test
  void combinedLinesReadAsNginxWritesThem(@TempDir Path dir, Vertx vertx) throws Exception {
    Path log = dir.resolve("access.log");
    lab = new TestLab().backendWith("b1", new JsonObject().put("bodyBytes", 10))
      .proxy("accessLog", new JsonObject().put("path", log.toString()))
      .start(vertx);
    lab.http().send(HttpRequest.newBuilder(lab.proxyUri("/a?b=%22c%22")).header("User-Agent", "say \"hi\"")
      .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
    String line = lines(log, 1).get(0);
    Matcher m = Pattern.compile("^127\\.0\\.0\\.1 - - \\[(\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4})] "
      + "\"GET /a\\?b=%22c%22 HTTP/1\\.1\" 200 10 \"-\" \"say \\\\x22hi\\\\x22\"$").matcher(line);
    assertTrue(m.matches(), line);
  }

  @Test
  void theCsvKeepsTheQueryStringQuotedAsCsvRequires(@TempDir Path dir, Vertx vertx) throws Exception {
    Path csv = dir.resolve("log.csv");
    lab = new TestLab().backend("b1", TestLab.constant(0)).csv(csv.toString()).start(vertx);
    assertEquals(200, lab.get("/small.txt?v=1%202&x=%2F").statusCode());
    assertEquals(200, lab.get("/list?ids=1,2").statusCode());
    List<String> rows = lines(csv, 3);
    assertEquals("ts_ms,request_id,method,path,backend,status,upstream_ms,total_ms,bytes,policy,connection,group,bytes_in",
      rows.get(0));
    assertEquals("/small.txt?v=1%202&x=%2F", rows.get(1).split(",")[3]);
    assertTrue(rows.get(2).contains(",GET,\"/list?ids=1,2\",b1,200,"), rows.get(2));
    assertFalse(rows.get(1).contains("\""), rows.get(1));
  }
}
