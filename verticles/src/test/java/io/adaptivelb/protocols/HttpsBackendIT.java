package io.adaptivelb.protocols;

import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code https://} backends: verified against {@code proxy.upstreamTls.caFile}; refused (502, nothing
 * forwarded) when the certificate is not trusted or names another host; accepted unchecked only with
 * {@code insecure}.
 */
@ExtendWith(VertxExtension.class)
class HttpsBackendIT {

  @Test
  void aBackendWhoseCertificateVerifiesAgainstTheCaFileServesOverTls(Vertx vertx, @TempDir Path dir) throws Exception {
    TestCerts certs = TestCerts.create(dir);
    try (EchoBackend backend = new EchoBackend(vertx, certs.issue("backend", "localhost", "DNS:localhost,IP:127.0.0.1"));
         TestLab lab = new TestLab().upstreamUrl("tls", "https://localhost:" + backend.port)
           .proxy("upstreamTls", new JsonObject().put("caFile", certs.ca.toString())).start(vertx)) {
      for (int i = 0; i < 3; i++) { // the second and third reuse the pooled TLS connection
        HttpResponse<String> response = lab.get("/over-tls/" + i);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().startsWith("GET /over-tls/" + i + " HTTP_1_1"), response.body());
      }
      assertEquals(3, backend.requests.size());
    }
  }

  @Test
  void anUntrustedOrMisnamedCertificateIsRefused(Vertx vertx, @TempDir Path dir) throws Exception {
    TestCerts certs = TestCerts.create(dir);
    try (EchoBackend backend = new EchoBackend(vertx, certs.issue("backend", "localhost", "DNS:localhost"))) {
      // the JVM's trust store does not know the test CA
      try (TestLab lab = new TestLab().upstreamUrl("tls", "https://localhost:" + backend.port).start(vertx)) {
        assertEquals(502, lab.get("/untrusted").statusCode());
      }
      // trusted CA, but the certificate does not name 127.0.0.1
      try (TestLab lab = new TestLab().upstreamUrl("tls", "https://127.0.0.1:" + backend.port)
        .proxy("upstreamTls", new JsonObject().put("caFile", certs.ca.toString())).start(vertx)) {
        assertEquals(502, lab.get("/misnamed").statusCode());
      }
      assertEquals(0, backend.requests.size());
      // a lab that says so accepts anything
      try (TestLab lab = new TestLab().upstreamUrl("tls", "https://127.0.0.1:" + backend.port)
        .proxy("upstreamTls", new JsonObject().put("insecure", true)).start(vertx)) {
        assertEquals(200, lab.get("/insecure").statusCode());
      }
    }
  }
}
