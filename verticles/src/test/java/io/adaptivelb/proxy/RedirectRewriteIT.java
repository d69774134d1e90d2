package io.adaptivelb.proxy;

import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Location, Content-Location and Refresh naming the backend are rewritten to the proxy's address. */
@ExtendWith(VertxExtension.class)
class RedirectRewriteIT {

  /** A backend that redirects to its own address, and to another site. */
  private static HttpServer redirectingBackend(Vertx vertx) throws Exception {
    HttpServer[] server = new HttpServer[1];
    server[0] = vertx.createHttpServer().requestHandler(req -> {
      String self = "http://127.0.0.1:" + server[0].actualPort();
      if (req.path().equals("/elsewhere")) {
        req.response().setStatusCode(302).putHeader("Location", "http://other.example:" + server[0].actualPort() + "/x").end();
        return;
      }
      req.response().setStatusCode(301)
        .putHeader("Location", self + "/next?a=1")
        .putHeader("Content-Location", self + "/doc")
        .putHeader("Refresh", "5; url=" + self + "/later")
        .end();
    });
    server[0].listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    return server[0];
  }

  @Test
  void theBackendsAddressBecomesTheOneTheClientUsed(Vertx vertx) throws Exception {
    HttpServer backend = redirectingBackend(vertx);
    try (TestLab lab = new TestLab().upstream("app", backend.actualPort()).start(vertx)) {
      String proxy = "http://127.0.0.1:" + lab.lab().proxyPort();
      HttpResponse<String> response = lab.get("/old");
      assertEquals(301, response.statusCode());
      assertEquals(proxy + "/next?a=1", response.headers().firstValue("Location").orElseThrow());
      assertEquals(proxy + "/doc", response.headers().firstValue("Content-Location").orElseThrow());
      assertEquals("5; url=" + proxy + "/later", response.headers().firstValue("Refresh").orElseThrow());
      assertEquals("http://other.example:" + backend.actualPort() + "/x",
        lab.get("/elsewhere").headers().firstValue("Location").orElseThrow(), "another site's URL is left alone");
    }
  }

  @Test
  void theSwitchTurnsItOff(Vertx vertx) throws Exception {
    HttpServer backend = redirectingBackend(vertx);
    try (TestLab lab = new TestLab().upstream("app", backend.actualPort()).proxy("rewriteRedirects", false).start(vertx)) {
      assertEquals("http://127.0.0.1:" + backend.actualPort() + "/next?a=1",
        lab.get("/old").headers().firstValue("Location").orElseThrow());
    }
  }
}
