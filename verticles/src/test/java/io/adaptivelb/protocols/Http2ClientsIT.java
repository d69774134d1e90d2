package io.adaptivelb.protocols;

import io.adaptivelb.TestLab;
import io.netty.handler.codec.http2.Http2Headers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP/2 clients over TLS: curl's streams each forwarded as an HTTP/1.1 request; requests that break
 * RFC 9113 §8.2 (sent frame by frame) refused on their stream and never forwarded, while the
 * connection keeps serving good ones; {@code :authority} and split cookies made HTTP/1.1 again.
 */
@ExtendWith(VertxExtension.class)
class Http2ClientsIT {

  @Test
  void curlStreamsShareOneConnectionAndABodyIsForwardedWhole(Vertx vertx, @TempDir Path dir) throws Exception {
    TestCerts certs = TestCerts.create(dir);
    try (EchoBackend backend = new EchoBackend(vertx); TestLab lab = lab(vertx, certs, backend)) {
      String base = "https://localhost:" + lab.lab().proxyPort();
      Curl three = Curl.run("--cacert", certs.ca.toString(), "--http2", "-o", "/dev/null", "-o", "/dev/null",
        "-o", "/dev/null", "-w", "%{http_version} %{response_code} %{num_connects}\n", base + "/s1", base + "/s2", base + "/s3");
      assertEquals(0, three.exit(), three.err());
      assertEquals("2 200 1\n2 200 0\n2 200 0\n", three.out()); // one connection, three streams

      Path upload = dir.resolve("upload.bin");
      byte[] bytes = new byte[1 << 20];
      new java.util.Random(7).nextBytes(bytes);
      Files.write(upload, bytes);
      Curl post = Curl.run("--cacert", certs.ca.toString(), "--http2", "--data-binary", "@" + upload,
        "-H", "Content-Type: application/octet-stream", base + "/upload");
      assertEquals(0, post.exit(), post.err());
      assertTrue(post.out().startsWith("POST /upload HTTP_1_1\n"), post.out());
      assertTrue(post.out().contains("body-bytes: 1048576\n"), post.out());
    }
  }

  @Test
  void requestsBreakingTheHttp2RulesAreRefusedAndNeverForwarded(Vertx vertx, @TempDir Path dir) throws Exception {
    TestCerts certs = TestCerts.create(dir);
    try (EchoBackend backend = new EchoBackend(vertx); TestLab lab = lab(vertx, certs, backend)) {
      int port = lab.lab().proxyPort();
      String authority = "localhost:" + port;
      List<String[]> malformed = List.of(
        fields(":method", "GET", ":scheme", "https", ":path", "/connection-header", ":authority", authority, "connection", "keep-alive"),
        fields(":method", "GET", ":scheme", "https", ":path", "/te-gzip", ":authority", authority, "te", "gzip"),
        fields(":method", "GET", ":scheme", "https", ":path", "/upper-case", ":authority", authority, "X-Upper", "1"),
        fields(":method", "GET", ":scheme", "https", "x-first", "1", ":path", "/pseudo-after-regular", ":authority", authority),
        fields(":method", "GET", ":scheme", "https", ":authority", authority),
        fields(":method", "GET", ":scheme", "https", ":path", "/unknown-pseudo", ":authority", authority, ":foo", "bar"),
        fields(":method", "GET", ":scheme", "https", ":path", "/twice", ":path", "/twice", ":authority", authority),
        fields(":method", "GET", ":scheme", "https", ":path", "/host-mismatch", ":authority", authority, "host", "elsewhere.example"));
      for (String[] request : malformed) {
        try (RawH2 h2 = RawH2.tls(port, certs.ca)) {
          h2.headers(1, true, request);
          assertRefused(h2, 1, String.join(" ", request));
        }
      }
      // content-length against DATA: Http2RequestLimitsIT
      for (String seen : backend.requests) {
        assertTrue(seen.startsWith("GET /ok"), "forwarded a malformed request: " + seen);
      }
      // and a good request still gets through on a fresh stream of a fresh connection
      try (RawH2 h2 = RawH2.tls(port, certs.ca)) {
        h2.headers(1, true, fields(":method", "GET", ":scheme", "https", ":path", "/ok", ":authority", authority));
        RawH2.Frame answer = h2.answerTo(1);
        assertEquals(RawH2.HEADERS, answer.type());
        assertEquals("200", h2.decode(answer).status().toString());
      }
    }
  }

  @Test
  void aBodyWithoutContentLengthIsForwardedWhole(Vertx vertx, @TempDir Path dir) throws Exception {
    TestCerts certs = TestCerts.create(dir);
    try (EchoBackend backend = new EchoBackend(vertx); TestLab lab = lab(vertx, certs, backend);
         RawH2 h2 = RawH2.tls(lab.lab().proxyPort(), certs.ca)) {
      String authority = "localhost:" + lab.lab().proxyPort();
      h2.headers(1, false, fields(":method", "POST", ":scheme", "https", ":path", "/no-length", ":authority", authority));
      h2.data(1, false, "hello ".getBytes(StandardCharsets.US_ASCII));
      h2.data(1, true, "world".getBytes(StandardCharsets.US_ASCII));
      RawH2.Frame head = h2.answerTo(1);
      assertEquals(RawH2.HEADERS, head.type());
      assertEquals("200", h2.decode(head).status().toString());
      String body = new String(h2.body(1), StandardCharsets.UTF_8);
      assertTrue(body.startsWith("POST /no-length HTTP_1_1\n"), body);
      assertTrue(body.contains("transfer-encoding: chunked\n"), body); // HTTP/1.1's word for "length unknown"
      assertTrue(body.contains("body-bytes: 11\n"), body);
    }
  }

  @Test
  void authorityBecomesHostAndSplitCookiesAreJoined(Vertx vertx, @TempDir Path dir) throws Exception {
    TestCerts certs = TestCerts.create(dir);
    try (EchoBackend backend = new EchoBackend(vertx); TestLab lab = lab(vertx, certs, backend);
         RawH2 h2 = RawH2.tls(lab.lab().proxyPort(), certs.ca)) {
      String authority = "localhost:" + lab.lab().proxyPort();
      h2.headers(1, true, fields(":method", "GET", ":scheme", "https", ":path", "/cookies", ":authority", authority,
        "cookie", "a=1", "cookie", "b=2"));
      RawH2.Frame head = h2.answerTo(1);
      assertEquals(RawH2.HEADERS, head.type());
      Http2Headers headers = h2.decode(head);
      assertEquals("200", headers.status().toString());
      assertTrue(headers.contains("x-request-id"), headers.toString());
      String body = new String(h2.body(1), StandardCharsets.UTF_8);
      assertTrue(body.contains("cookie: a=1; b=2\n"), body);
      assertTrue(body.contains("host: " + authority + "\n"), body);
      assertTrue(body.contains("x-forwarded-host: " + authority + "\n"), body);
    }
  }

  private static TestLab lab(Vertx vertx, TestCerts certs, EchoBackend backend) throws Exception {
    Path[] pair = certs.issue("server", "localhost", "DNS:localhost,IP:127.0.0.1");
    return new TestLab().upstream("echo", backend.port).proxy("http2", true)
      .proxy("tls", new JsonObject().put("cert", pair[0].toString()).put("key", pair[1].toString())).start(vertx);
  }

  private static String[] fields(String... fields) {
    return fields;
  }

  /** The stream was reset, or the connection ended, or the request answered 400: anything but forwarded. */
  private static void assertRefused(RawH2 h2, int stream, String what) throws Exception {
    List<String> seen = new ArrayList<>();
    RawH2.Frame answer;
    try {
      answer = h2.answerTo(stream);
    } catch (java.io.IOException closed) {
      return; // the connection was closed: refused
    }
    if (answer.type() == RawH2.HEADERS) {
      String status = h2.decode(answer).status().toString();
      seen.add(status);
      assertEquals("400", status, what);
      return;
    }
    assertTrue(answer.type() == RawH2.RST_STREAM || answer.type() == RawH2.GOAWAY, what + ": frame " + answer.type());
  }
}
