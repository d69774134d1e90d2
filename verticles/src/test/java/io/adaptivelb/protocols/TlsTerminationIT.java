package io.adaptivelb.protocols;

import io.adaptivelb.Eventually;
import io.adaptivelb.TestLab;
import io.adaptivelb.admin.AdminApi;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS termination seen by curl: the certificate verifies against the test CA, ALPN gives h2 or
 * http/1.1, the backend hears {@code X-Forwarded-Proto: https}, SNI picks the second certificate, and
 * an admin reload serves a renewed certificate to new connections.
 */
@ExtendWith(VertxExtension.class)
class TlsTerminationIT {

  @AfterEach
  void clearConfPath() {
    System.clearProperty(AdminApi.CONF_PATH_PROPERTY);
  }

  private static JsonObject tls(Path[] pair) {
    return new JsonObject().put("cert", pair[0].toString()).put("key", pair[1].toString());
  }

  @Test
  void curlOverTlsGetsHttp2OrHttp11ByAlpnAndTheBackendHearsHttps(Vertx vertx, @TempDir Path dir) throws Exception {
    TestCerts certs = TestCerts.create(dir);
    Path[] localhost = certs.issue("server", "localhost", "DNS:localhost,IP:127.0.0.1");
    try (EchoBackend backend = new EchoBackend(vertx);
         TestLab lab = new TestLab().upstream("echo", backend.port).proxy("tls", tls(localhost)).proxy("http2", true)
           .start(vertx)) {
      String url = "https://localhost:" + lab.lab().proxyPort() + "/tls?q=1";
      Curl h2 = Curl.run("--cacert", certs.ca.toString(), "--http2", "-w", "\n%{http_version}", url);
      assertEquals(0, h2.exit(), h2.err());
      assertTrue(h2.out().endsWith("\n2"), h2.out());
      assertTrue(h2.out().startsWith("GET /tls?q=1 HTTP_1_1\n"), h2.out()); // forwarded as HTTP/1.1
      assertTrue(h2.out().contains("x-forwarded-proto: https\n"), h2.out());
      assertTrue(h2.out().contains("host: localhost:" + lab.lab().proxyPort() + "\n"), h2.out()); // from :authority

      Curl h1 = Curl.run("--cacert", certs.ca.toString(), "--http1.1", "--tlsv1.2", "--tls-max", "1.2",
        "-w", "\n%{http_version}", url);
      assertEquals(0, h1.exit(), h1.err());
      assertTrue(h1.out().endsWith("\n1.1"), h1.out());
      assertTrue(h1.out().contains("x-forwarded-proto: https\n"), h1.out());
    }
  }

  @Test
  void withoutHttp2AlpnOffersOnlyHttp11(Vertx vertx, @TempDir Path dir) throws Exception {
    TestCerts certs = TestCerts.create(dir);
    Path[] localhost = certs.issue("server", "localhost", "DNS:localhost,IP:127.0.0.1");
    try (EchoBackend backend = new EchoBackend(vertx);
         TestLab lab = new TestLab().upstream("echo", backend.port).proxy("tls", tls(localhost)).start(vertx)) {
      Curl curl = Curl.run("--cacert", certs.ca.toString(), "--http2", "-w", "\n%{http_version}",
        "https://localhost:" + lab.lab().proxyPort() + "/");
      assertEquals(0, curl.exit(), curl.err());
      assertTrue(curl.out().endsWith("\n1.1"), curl.out());
    }
  }

  @Test
  void sniPicksTheCertificateForTheRequestedName(Vertx vertx, @TempDir Path dir) throws Exception {
    TestCerts certs = TestCerts.create(dir);
    Path[] localhost = certs.issue("server", "localhost", "DNS:localhost,IP:127.0.0.1");
    Path[] other = certs.issue("other", "other.test", "DNS:other.test");
    JsonObject tls = tls(localhost).put("sni", new JsonArray().add(tls(other)));
    try (EchoBackend backend = new EchoBackend(vertx);
         TestLab lab = new TestLab().upstream("echo", backend.port).proxy("tls", tls).start(vertx)) {
      int port = lab.lab().proxyPort();
      Curl byName = Curl.run("--cacert", certs.ca.toString(), "--resolve", "other.test:" + port + ":127.0.0.1",
        "https://other.test:" + port + "/sni");
      assertEquals(0, byName.exit(), byName.err()); // verified as other.test: the default certificate would not be
      assertTrue(byName.out().contains("host: other.test:" + port), byName.out());
      Curl byDefault = Curl.run("--cacert", certs.ca.toString(), "https://localhost:" + port + "/sni");
      assertEquals(0, byDefault.exit(), byDefault.err());
    }
  }

  @Test
  void adminReloadServesARenewedCertificate(Vertx vertx, @TempDir Path dir) throws Exception {
    TestCerts certs = TestCerts.create(dir);
    Path[] localhost = certs.issue("server", "localhost", "DNS:localhost,IP:127.0.0.1");
    try (EchoBackend backend = new EchoBackend(vertx)) {
      TestLab lab = new TestLab().upstream("echo", backend.port).proxy("tls", tls(localhost));
      try (lab) {
        lab.start(vertx);
        int port = lab.lab().proxyPort();
        BigInteger before = serialServedOn(port);
        certs.issue("server", "localhost", "DNS:localhost,IP:127.0.0.1"); // same files, new certificate
        BigInteger renewed = new BigInteger(1, java.util.HexFormat.of().parseHex(serialOf(localhost[0])));
        assertNotEquals(before, renewed);
        Path conf = dir.resolve("lab.json");
        Files.writeString(conf, lab.json().encodePrettily());
        System.setProperty(AdminApi.CONF_PATH_PROPERTY, conf.toString());
        assertEquals(200, lab.admin("POST", "/admin/reload", null).statusCode());
        Eventually.await(Duration.ofSeconds(10), () -> serialServedOn(port), renewed::equals);
      }
    }
  }

  private static String serialOf(Path cert) throws Exception {
    Process p = new ProcessBuilder("openssl", "x509", "-noout", "-serial", "-in", cert.toString()).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    p.waitFor();
    return out.substring(out.indexOf('=') + 1);
  }

  /** The serial number of the certificate a new TLS connection to the proxy is given. */
  private static BigInteger serialServedOn(int port) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[]{new X509TrustManager() {
      public void checkClientTrusted(X509Certificate[] chain, String authType) {
      }

      public void checkServerTrusted(X509Certificate[] chain, String authType) {
      }

      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }
}
