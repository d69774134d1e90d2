package io.adaptivelb.protocols;

import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request body limits of HTTP/1.1 hold per HTTP/2 stream (h2c with prior knowledge, frames sent by
 * hand): a declared or streamed body over {@code maxBodyBytes} gets 413 on its stream, a client silent
 * mid-body for {@code bodyIdleTimeoutMs} gets 408, each followed by RST_STREAM(NO_ERROR) so the client
 * stops sending; a {@code content-length} the DATA frames do not add up to is a stream error
 * PROTOCOL_ERROR (RFC 9113 §8.1.1). The backend never gets any of these requests whole, and the
 * connection's other streams go on. Silence while the proxy holds a stream back is not the client's, and
 * a backend's early answer ends the stream with RST_STREAM(NO_ERROR) rather than reading the rest.
 */
@ExtendWith(VertxExtension.class)
class Http2RequestLimitsIT {

  private static final long NO_ERROR = 0, PROTOCOL_ERROR = 1, CANCEL = 8;

  @Test
  void aDeclaredBodyOverTheLimitGets413OnItsStreamAndIsNeverForwarded(Vertx vertx) throws Exception {
    try (Backend backend = new Backend(vertx); TestLab lab = lab(vertx, backend, 1000, 30_000);
         RawH2 h2 = RawH2.priorKnowledge(lab.lab().proxyPort())) {
      h2.headers(1, false, post("/declared", "content-length", "5000"));
      h2.data(1, false, new byte[500]);
      assertRefusal(h2, 1, "413", "request body larger than 1000 bytes");
      assertOtherStreamsGoOn(h2, 3);
      assertEquals(List.of("GET /ok 0"), backend.complete);
    }
  }

  @Test
  void dataPastTheLimitGets413AndTheBackendNeverGetsItWhole(Vertx vertx) throws Exception {
    try (Backend backend = new Backend(vertx); TestLab lab = lab(vertx, backend, 1000, 30_000);
         RawH2 h2 = RawH2.priorKnowledge(lab.lab().proxyPort())) {
      h2.headers(1, false, post("/streamed"));
      h2.data(1, false, new byte[600]);
      h2.data(1, false, new byte[600]);
      assertRefusal(h2, 1, "413", "request body larger than 1000 bytes");
      assertOtherStreamsGoOn(h2, 3);
      assertEquals(List.of("GET /ok 0"), backend.complete);
    }
  }

  @Test
  void aBackendHeadNotYetRelayedGivesWayTo413(Vertx vertx) throws Exception {
    try (Backend backend = new Backend(vertx); TestLab lab = lab(vertx, backend, 1000, 30_000);
         RawH2 h2 = RawH2.priorKnowledge(lab.lab().proxyPort())) {
      h2.headers(1, false, post("/answering"));
      h2.data(1, false, new byte[600]);
      backend.headSent.await(10, TimeUnit.SECONDS); // the backend's head is with the proxy, no body byte yet
      h2.data(1, false, new byte[600]);
      RawH2.Frame head = h2.answerTo(1);
      assertEquals("413", h2.decode(head).status().toString());
      assertTrue(!h2.decode(head).contains("x-backend"), "the backend's head leaked into the 413: " + h2.decode(head));
      assertReset(h2.resetOf(1), NO_ERROR);
      assertOtherStreamsGoOn(h2, 3);
    }
  }

  @Test
  void aBodyPastTheLimitWhileTheAnswerStreamsCutsTheStream(Vertx vertx) throws Exception {
    try (Backend backend = new Backend(vertx); TestLab lab = lab(vertx, backend, 1000, 30_000);
         RawH2 h2 = RawH2.priorKnowledge(lab.lab().proxyPort())) {
      h2.headers(1, false, post("/answering?started"));
      h2.data(1, false, new byte[600]);
      RawH2.Frame head = h2.answerTo(1);
      assertEquals("200", h2.decode(head).status().toString()); // the answer has begun: no other status can follow
      h2.data(1, false, new byte[600]);
      assertReset(h2.resetOf(1), CANCEL);
      assertOtherStreamsGoOn(h2, 3);
      assertEquals(List.of("GET /ok 0"), backend.complete);
    }
  }

  @Test
  void aContentLengthTheDataDoesNotAddUpToIsAStreamProtocolError(Vertx vertx) throws Exception {
    try (Backend backend = new Backend(vertx); TestLab lab = lab(vertx, backend, 1000, 30_000);
         RawH2 h2 = RawH2.priorKnowledge(lab.lab().proxyPort())) {
      h2.headers(1, false, post("/fewer", "content-length", "5"));
      h2.data(1, true, "abc".getBytes(StandardCharsets.US_ASCII));
      assertReset(h2.resetOf(1), PROTOCOL_ERROR);
      h2.headers(3, false, post("/more", "content-length", "2"));
      h2.data(3, true, "abc".getBytes(StandardCharsets.US_ASCII));
      assertReset(h2.resetOf(3), PROTOCOL_ERROR);
      assertOtherStreamsGoOn(h2, 5);
      assertEquals(List.of("GET /ok 0"), backend.complete);
    }
  }

  @Test
  void aClientSilentMidBodyGets408OnItsStream(Vertx vertx) throws Exception {
    try (Backend backend = new Backend(vertx); TestLab lab = lab(vertx, backend, 0, 500);
         RawH2 h2 = RawH2.priorKnowledge(lab.lab().proxyPort())) {
      h2.headers(1, false, post("/silent"));
      h2.data(1, false, new byte[10]);
      // and nothing more: the backend waits for the rest, so only the proxy's clock can answer
      assertRefusal(h2, 1, "408", "request body stalled for 500 ms");
      assertOtherStreamsGoOn(h2, 3);
      assertEquals(List.of("GET /ok 0"), backend.complete);
    }
  }

  @Test
  void silenceWhileTheProxyHoldsTheStreamBackIsNotTheClients(Vertx vertx, @TempDir Path dir) throws Exception {
    Path upload = dir.resolve("upload.bin");
    Files.write(upload, new byte[8 << 20]); // far more than the socket buffers hold while the backend does not read
    try (Backend backend = new Backend(vertx); TestLab lab = lab(vertx, backend, 0, 500)) {
      Curl post = Curl.run("--http2-prior-knowledge", "--data-binary", "@" + upload,
        "http://127.0.0.1:" + lab.lab().proxyPort() + "/held");
      assertEquals(0, post.exit(), post.err());
      assertEquals("POST /held " + (8 << 20), post.out());
    }
  }

  @Test
  void anEarlyAnswerEndsTheStreamWithoutReadingTheRestOfTheBody(Vertx vertx) throws Exception {
    try (Backend backend = new Backend(vertx); TestLab lab = lab(vertx, backend, 0, 30_000);
         RawH2 h2 = RawH2.priorKnowledge(lab.lab().proxyPort())) {
      h2.headers(1, false, post("/early"));
      h2.data(1, false, new byte[100]);
      RawH2.Frame head = h2.answerTo(1);
      assertEquals(RawH2.HEADERS, head.type());
      assertEquals("403", h2.decode(head).status().toString());
      assertEquals("not you", new String(h2.body(1), StandardCharsets.UTF_8));
      assertReset(h2.resetOf(1), NO_ERROR);
      assertOtherStreamsGoOn(h2, 3);
    }
  }

  private static TestLab lab(Vertx vertx, Backend backend, int maxBodyBytes, int bodyIdleTimeoutMs) throws Exception {
    return new TestLab().upstream("b", backend.port).proxy("http2", true)
      .proxySetting("limits", "maxBodyBytes", maxBodyBytes)
      .proxySetting("limits", "bodyIdleTimeoutMs", bodyIdleTimeoutMs)
      .proxySetting("retries", "maxAttempts", 1).start(vertx);
  }

  private static String[] post(String path, String... more) {
    String[] head = {":method", "POST", ":scheme", "http", ":path", path, ":authority", "localhost"};
    String[] all = java.util.Arrays.copyOf(head, head.length + more.length);
    System.arraycopy(more, 0, all, head.length, more.length);
    return all;
  }

  /** The proxy's own answer on {@code stream}, then RST_STREAM(NO_ERROR): the client is to stop sending. */
  private static void assertRefusal(RawH2 h2, int stream, String status, String reason) throws Exception {
    RawH2.Frame head = h2.answerTo(stream);
    assertEquals(RawH2.HEADERS, head.type(), "frame " + head.type());
    assertEquals(status, h2.decode(head).status().toString());
    String body = new String(h2.body(stream), StandardCharsets.UTF_8);
    assertTrue(body.contains(reason), body);
    assertReset(h2.resetOf(stream), NO_ERROR);
  }

  private static void assertReset(RawH2.Frame frame, long code) {
    assertEquals(RawH2.RST_STREAM, frame.type(), "frame " + frame.type() + ", not a stream reset");
    assertEquals(code, RawH2.errorCode(frame));
  }

  /** A plain GET on another stream of the same connection is forwarded and answered. */
  private static void assertOtherStreamsGoOn(RawH2 h2, int stream) throws Exception {
    h2.headers(stream, true, ":method", "GET", ":scheme", "http", ":path", "/ok", ":authority", "localhost");
    RawH2.Frame answer = h2.answerTo(stream);
    assertEquals(RawH2.HEADERS, answer.type(), "frame " + answer.type());
    assertEquals("200", h2.decode(answer).status().toString());
    assertEquals("GET /ok 0", new String(h2.body(stream), StandardCharsets.UTF_8));
  }

  /**
   * Answers "METHOD PATH BODY-BYTES" once it has read the whole body, and keeps a list of the requests it
   * got whole; {@code /held} is not read for two seconds first, {@code /early} is refused before its body,
   * {@code /answering} sends its head (and with a query a first body byte) before reading the body.
   */
  private static final class Backend implements AutoCloseable {
    final List<String> complete = new CopyOnWriteArrayList<>();
    final CountDownLatch headSent = new CountDownLatch(1);
    final int port;
    private final HttpServer server;

    Backend(Vertx vertx) throws Exception {
      server = vertx.createHttpServer().requestHandler(request -> {
        if (request.path().equals("/early")) {
          request.response().setStatusCode(403).end("not you");
          return;
        }
        if (request.path().equals("/answering")) {
          // answers before the body ends: its head at once, a first body byte too when asked
          request.response().setChunked(true).putHeader("x-backend", "yes").writeHead().onSuccess(v -> headSent.countDown());
          if (request.query() != null) {
            request.response().write("started");
          }
          read(request);
          return;
        }
        if (request.path().equals("/held")) {
          request.pause();
          vertx.setTimer(2000, id -> read(request));
        } else {
          read(request);
        }
      });
      port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    }

    private void read(HttpServerRequest request) {
      long[] bytes = {0};
      request.handler(chunk -> bytes[0] += chunk.length());
      request.endHandler(v -> {
        String seen = request.method() + " " + request.path() + " " + bytes[0];
        complete.add(seen);
        request.response().end(seen);
      });
      request.resume();
    }

    @Override
    public void close() throws Exception {
      server.close().await(10, TimeUnit.SECONDS);
    }
  }
}
