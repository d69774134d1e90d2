package io.adaptivelb.dashboard;

import io.adaptivelb.Eventually;
import io.adaptivelb.TestLab;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.adaptivelb.TestLab.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real headless Chromium: served from the lab, Chart.js from the WebJar, fed over
 * the WebSocket while requests flow, steered through its controls. Saves target/dashboard.png.
 */
@ExtendWith(VertxExtension.class)
class DashboardIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Plotted points (non-null) per chart, the running count total, and the newest point's time. */
  private static final String PROBE = """
    const d = window.dashboard;
    if (!d || typeof Chart === 'undefined') { return null; }
    const points = c => c.data.datasets.reduce((n, ds) => n + ds.data.filter(p => p.y !== null).length, 0);
    const rps = d.charts.throughput.data.datasets.find(ds => ds.id === 'rps');
    return {
      frames: d.frames, feed: d.feed,
      latency: points(d.charts.latency), share: points(d.charts.share),
      throughput: points(d.charts.throughput), scores: points(d.charts.scores),
      counts: d.charts.counts.data.datasets[0].data.reduce((a, b) => a + b, 0),
      newest: rps && rps.data.length ? rps.data[rps.data.length - 1].x : 0
    };""";

  @SuppressWarnings("unchecked")
  private static Map<String, Object> probe(HeadlessChromium browser) {
    return (Map<String, Object>) browser.js(PROBE);
  }

  private static long n(Map<String, Object> probe, String key) {
    return ((Number) probe.get(key)).longValue();
  }

  @Test
  void chartsFillAndMoveWhileTrafficFlowsAndThePageSteersTheLab(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backend("b1", constant(2)).backend("b2", constant(10)).backend("b3", constant(20))
      .policy(new JsonObject().put("type", "sma").put("window", 3)).start(vertx);
         Traffic traffic = new Traffic(lab.proxyUri("/"), 4, 200_000);
         HeadlessChromium browser = HeadlessChromium.start()) {
      browser.driver().get(lab.dashboardUri("/").toString());

      // Every chart received data: Chart.js loaded from the jar, frames arrived, points were plotted.
      Map<String, Object> first = browser.await(WAIT, "every chart plotted data from the feed", d -> {
        Map<String, Object> p = probe(browser);
        return p != null && n(p, "latency") > 0 && n(p, "share") > 0 && n(p, "throughput") > 0
          && n(p, "scores") > 0 && n(p, "counts") > 0 ? p : null;
      });
      assertEquals("live", first.get("feed"));

      // ... and they keep moving: newer points, more of them, higher running counts.
      browser.await(WAIT, "the charts moved on after " + first, d -> {
        Map<String, Object> p = probe(browser);
        return n(p, "newest") > n(first, "newest") && n(p, "latency") > n(first, "latency")
          && n(p, "share") > n(first, "share") && n(p, "scores") > n(first, "scores")
          && n(p, "counts") > n(first, "counts");
      });
      assertTrue(browser.driver().findElement(By.id("hdr-policy")).getText().startsWith("sma"));

      // Switching the policy on the page changes what /stats reports.
      new Select(browser.driver().findElement(By.id("policy-type"))).selectByValue("ewma");
      WebElement alpha = browser.driver().findElement(By.id("param-alpha"));
      alpha.sendKeys("0.5");
      browser.driver().findElement(By.id("policy-apply")).click();
      browser.await(WAIT, "the page confirmed the policy switch",
        d -> d.findElement(By.id("admin-result")).getText().startsWith("✓ policy"));
      JsonObject stats = Eventually.await(WAIT, () -> new JsonObject(lab.getDashboard("/stats").body()),
        s -> "ewma".equals(s.getString("policy")));
      assertEquals(0.5, stats.getJsonArray("proxies").getJsonObject(0).getJsonObject("policyConfig").getDouble("alpha"));
      browser.await(WAIT, "the header and the scores chart follow the switch",
        d -> d.findElement(By.id("hdr-policy")).getText().startsWith("ewma")
          && "EWMA of latency (ms)".equals(browser.js("return window.dashboard.charts.scores.options.scales.y.title.text")));

      // A refused admin call shows the server's error on the page.
      WebElement ms = browser.driver().findElement(By.id("profile-ms"));
      ms.clear();
      ms.sendKeys("fast please");
      browser.driver().findElement(By.id("profile-apply")).click();
      browser.await(WAIT, "the 400 error is shown",
        d -> d.findElement(By.id("admin-result")).getText().contains("profile.latency.ms: must be a number"));

      // Making b1 slow from the page reaches the simulated backend.
      new Select(browser.driver().findElement(By.id("profile-backend"))).selectByValue("b1");
      ms.clear();
      ms.sendKeys("200");
      browser.driver().findElement(By.id("profile-apply")).click();
      browser.await(WAIT, "b1's profile in the feed says 200 ms", d -> Boolean.TRUE.equals(browser.js("""
        const b1 = window.dashboard.lastFrame.stats.backends.find(b => b.name === 'b1');
        return b1.server.profile.latency.ms === 200;""")));

      // Bodyless calls from the page (the admin API wants their JSON content type too) reach the proxy.
      browser.driver().findElement(By.id("backend-disable")).click();
      browser.await(WAIT, "the page confirmed disabling b1",
        d -> d.findElement(By.id("admin-result")).getText().startsWith("✓ disable b1"));
      Eventually.await(WAIT, () -> lab.proxyView("b1").getString("state"), "disabled"::equals);
      browser.driver().findElement(By.id("backend-enable")).click();
      browser.await(WAIT, "the page confirmed enabling b1",
        d -> d.findElement(By.id("admin-result")).getText().startsWith("✓ enable b1"));
      Eventually.await(WAIT, () -> lab.proxyView("b1").getString("state"), state -> !"disabled".equals(state));

      browser.screenshot(Path.of("target", "dashboard.png"));
    }
  }

  /** The names in the backend table's first column, in order. */
  private static java.util.List<String> tableBackends(HeadlessChromium browser) {
    @SuppressWarnings("unchecked")
    java.util.List<String> names = (java.util.List<String>) browser.js(
      "return [...document.querySelectorAll('#backends-body tr td:first-child')].map(td => td.textContent.replace(' ◀ next', ''));");
    return names;
  }

  @Test
  void theGroupSelectorShowsOneUpstreamGroupAtATimeAndItsControlsActOnThatGroup(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backend("w1", constant(1)).backend("a1", constant(1)).backend("a2", constant(1))
      .policy(new JsonObject().put("type", "round-robin"))
      .group("api", new JsonObject().put("type", "least-request"), "a1", "a2").route("/api/", "api").start(vertx);
         Traffic web = new Traffic(lab.proxyUri("/"), 1, 200_000);
         Traffic api = new Traffic(lab.proxyUri("/api/x"), 1, 200_000);
         HeadlessChromium browser = HeadlessChromium.start()) {
      browser.driver().get(lab.dashboardUri("/").toString());

      // The selector lists both groups, the default one chosen; the page shows the default group alone.
      browser.await(WAIT, "the selector lists both groups", d -> d.findElement(By.id("group")).isDisplayed()
        && new Select(d.findElement(By.id("group"))).getOptions().stream().map(o -> o.getAttribute("value")).toList()
          .equals(java.util.List.of("default", "api")));
      assertEquals("default", new Select(browser.driver().findElement(By.id("group"))).getFirstSelectedOption().getAttribute("value"));
      browser.await(WAIT, "the table shows the default group's backend", d -> tableBackends(browser).equals(java.util.List.of("w1")));
      assertTrue(browser.driver().findElement(By.id("hdr-policy")).getText().startsWith("round-robin"));

      // Choosing api shows api's backends, policy and charts.
      new Select(browser.driver().findElement(By.id("group"))).selectByValue("api");
      browser.await(WAIT, "the table shows the api group's backends",
        d -> tableBackends(browser).equals(java.util.List.of("a1", "a2")));
      browser.await(WAIT, "the header shows api's policy",
        d -> d.findElement(By.id("hdr-policy")).getText().startsWith("least-request"));
      browser.await(WAIT, "the share chart draws api's backends alone", d -> Boolean.TRUE.equals(browser.js("""
        const ids = window.dashboard.charts.share.data.datasets.map(ds => ds.id).sort().join();
        return ids === 'a1,a2';""")));
      assertTrue(((String) browser.driver().getCurrentUrl()).endsWith("#group=api"), "the address names the group");

      // The controls act on api: its policy changes, the default group's does not.
      new Select(browser.driver().findElement(By.id("policy-type"))).selectByValue("round-robin");
      browser.driver().findElement(By.id("policy-apply")).click();
      browser.await(WAIT, "the page confirmed api's policy switch",
        d -> d.findElement(By.id("admin-result")).getText().startsWith("✓ policy in group api"));
      JsonObject groups = Eventually.await(WAIT, () -> new JsonObject(lab.getDashboard("/stats").body()).getJsonObject("groups"),
        g -> "round-robin".equals(g.getJsonObject("api").getString("policy")));
      assertEquals("round-robin", groups.getJsonObject("default").getString("policy"));
      new Select(browser.driver().findElement(By.id("profile-backend"))).selectByValue("a2");
      browser.driver().findElement(By.id("backend-disable")).click();
      browser.await(WAIT, "the page confirmed disabling a2",
        d -> d.findElement(By.id("admin-result")).getText().startsWith("✓ disable a2 in group api"));
      Eventually.await(WAIT, () -> lab.proxyView("a2").getString("state"), "disabled"::equals);
    }
  }

  @Test
  void thePageReconnectsByItselfWhenTheDashboardComesBack(Vertx vertx) throws Exception {
    TestLab before = dashboardOn(0).start(vertx);
    int port = before.lab().dashboardPort(); // the restarted lab's dashboard comes back on the same port
    try (HeadlessChromium browser = HeadlessChromium.start()) {
      browser.driver().get(before.dashboardUri("/").toString());
      browser.await(WAIT, "frames arrive", d -> n(probe(browser), "frames") >= 2);

      before.close();
      browser.await(WAIT, "the page notices the feed is gone", d -> "reconnecting".equals(browser.js("return window.dashboard.feed")));
      long framesBefore = n(probe(browser), "frames");

      try (TestLab after = dashboardOn(port).start(vertx)) {
        browser.await(WAIT, "frames flow again from the restarted lab", d -> {
          Map<String, Object> p = probe(browser);
          return "live".equals(p.get("feed")) && n(p, "frames") > framesBefore + 1;
        });
        assertTrue(browser.driver().findElement(By.id("feed-status")).getText().contains("live"));
      }
    } finally {
      before.close();
    }
  }

  private static TestLab dashboardOn(int port) {
    TestLab lab = new TestLab().backend("b1", constant(1));
    lab.json().getJsonObject("dashboard").put("port", port);
    return lab;
  }
}
