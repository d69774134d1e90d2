package io.adaptivelb.proxy;

import io.adaptivelb.TestLab;
import io.adaptivelb.backend.BackendVerticle;
import io.adaptivelb.backend.BodyPattern;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static io.adaptivelb.TestLab.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Large bodies cross the proxy byte for byte, in both directions, with and without Content-Length. */
@ExtendWith(VertxExtension.class)
class BodyStreamingIT {

  private static final int SIZE = 20 * 1024 * 1024;

  private static byte[] randomBytes(int size) {
    byte[] data = new byte[size];
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < size; i++) {
      data[i] = (byte) random.nextInt(256);
    }
    return data;
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  @Test
  void twentyMebibyteUploadWithContentLengthArrivesIntact(Vertx vertx) throws Exception {
    byte[] body = randomBytes(SIZE);
    try (TestLab lab = new TestLab().backend("b1", constant(0)).start(vertx)) {
      HttpResponse<String> response = lab.http().send(HttpRequest.newBuilder(lab.proxyUri("/upload"))
          .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode());
      assertEquals(String.valueOf(SIZE), response.headers().firstValue(BackendVerticle.BODY_BYTES_HEADER).orElseThrow());
      assertEquals(sha256(body), response.headers().firstValue(BackendVerticle.BODY_SHA_HEADER).orElseThrow());
    }
  }

  @Test
  void twentyMebibyteChunkedUploadArrivesIntact(Vertx vertx) throws Exception {
    byte[] body = randomBytes(SIZE);
    try (TestLab lab = new TestLab().backend("b1", constant(0)).start(vertx)) {
      HttpResponse<String> response = lab.http().send(HttpRequest.newBuilder(lab.proxyUri("/upload"))
          .timeout(Duration.ofSeconds(60))
          .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
        HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode());
      assertEquals(sha256(body), response.headers().firstValue(BackendVerticle.BODY_SHA_HEADER).orElseThrow());
    }
  }

  @Test
  void twentyMebibyteDownloadArrivesIntact(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backend("b1", constant(0)).start(vertx)) {
      HttpResponse<InputStream> response = lab.http().send(HttpRequest.newBuilder(lab.proxyUri("/file?size=" + SIZE))
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, response.statusCode());
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long total = 0;
      try (InputStream in = response.body()) {
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
          sha.update(buffer, 0, n);
          total += n;
        }
      }
      assertEquals(SIZE, total);
      assertEquals(sha256(BodyPattern.slice(0, SIZE).getBytes()), HexFormat.of().formatHex(sha.digest()));
    }
  }
}
