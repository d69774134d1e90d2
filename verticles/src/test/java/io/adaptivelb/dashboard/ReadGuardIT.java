package io.adaptivelb.dashboard;

import io.adaptivelb.RawCall;
import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.adaptivelb.TestLab.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lab's figures ({@code /stats}, {@code /metrics}, the {@code /ws} feed) against what a web page can
 * send: a page of another site (its Origin) and a page whose DNS name was rebound to this server (its
 * Host) are refused; this server's own page, scripts, listed names and the token still read them.
 */
@ExtendWith(VertxExtension.class)
class ReadGuardIT {

  private static final String TOKEN = "a-token-of-sixteen-chars";

  private static TestLab lab() {
    TestLab lab = new TestLab().backend("b1", constant(0));
    lab.json().getJsonObject("dashboard").put("allowedHosts", new JsonArray().add("lab.example")).put("adminToken", TOKEN);
    return lab;
  }

  private static RawCall get(TestLab lab, String path) {
    return new RawCall("GET", path, lab.lab().dashboardPort());
  }

  @Test
  void aReboundHostOrAForeignOriginCannotReadStatsOrMetrics(Vertx vertx) throws Exception {
    try (TestLab lab = lab().start(vertx)) {
      int port = lab.lab().dashboardPort();
      for (String path : new String[]{"/stats", "/metrics"}) {
        RawCall.Answer rebound = get(lab, path).header("Host", "evil.example:" + port)
          .header("Origin", "http://evil.example:" + port).send();
        assertEquals(403, rebound.status(), path + ": " + rebound.body());
        assertTrue(new JsonObject(rebound.body()).getString("error").contains("does not name this server"), rebound.body());
        assertEquals(403, get(lab, path).header("Host", "evil.example").send().status(), path + " for a script naming another host");
        RawCall.Answer foreign = get(lab, path).header("Origin", "http://evil.example").send();
        assertEquals(403, foreign.status(), path + ": " + foreign.body());
        assertTrue(foreign.body().contains("other origins"), foreign.body());
      }
    }
  }

  @Test
  void theOwnPageScriptsListedNamesAndTheTokenStillRead(Vertx vertx) throws Exception {
    try (TestLab lab = lab().start(vertx)) {
      int port = lab.lab().dashboardPort();
      assertEquals(200, lab.getDashboard("/stats").statusCode());
      assertEquals(200, lab.getDashboard("/metrics").statusCode());
      RawCall.Answer own = get(lab, "/stats").header("Host", "localhost:" + port).header("Origin", "http://localhost:" + port).send();
      assertEquals(200, own.status(), own.body());
      assertTrue(new JsonObject(own.body()).containsKey("backends"), own.body());
      assertEquals(200, get(lab, "/stats").header("Host", "lab.example:" + port).send().status(), "a listed name");
      RawCall.Answer token = get(lab, "/metrics").header("Host", "lab.example.org:" + port)
        .header("Authorization", "Bearer " + TOKEN).send();
      assertEquals(200, token.status(), "a token holder may name the server as they reach it: " + token.body());
    }
  }

  @Test
  void theFeedRefusesAReboundHostOrAForeignOriginAndServesTheOwnPage(Vertx vertx) throws Exception {
    try (TestLab lab = lab().start(vertx)) {
      int port = lab.lab().dashboardPort();
      // After rebinding, the page's origin and Host are its own site's: same-origin to the browser.
      assertEquals(403, get(lab, "/ws").header("Host", "evil.example:" + port).header("Origin", "http://evil.example:" + port)
        .upgradeStatus(), "a rebound page");
      assertEquals(403, get(lab, "/ws").header("Host", "evil.example").upgradeStatus(), "a script naming another host");
      assertEquals(403, get(lab, "/ws").header("Origin", "http://evil.example").upgradeStatus(), "a page of another site");
      assertEquals(101, get(lab, "/ws").header("Host", "localhost:" + port).header("Origin", "http://localhost:" + port)
        .upgradeStatus(), "this server's own page");
      assertEquals(101, get(lab, "/ws").header("Host", "lab.example:" + port).header("Origin", "http://lab.example:" + port)
        .upgradeStatus(), "its page reached through a listed name");
    }
  }
}
