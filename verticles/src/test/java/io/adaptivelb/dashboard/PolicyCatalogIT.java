package io.adaptivelb.dashboard;

import io.adaptivelb.Eventually;
import io.adaptivelb.TestLab;
import io.adaptivelb.config.ConfigException;
import io.adaptivelb.config.ConfigSource;
import io.adaptivelb.config.LabConfig;
import io.adaptivelb.policy.InverseLatencyPolicy;
import io.adaptivelb.policy.Param;
import io.adaptivelb.policy.PolicyCatalog;
import io.adaptivelb.policy.PolicyType;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.util.List;

import static io.adaptivelb.TestLab.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The policy catalog is the one source of what the lab offers: a policy registered from the test
 * sources is accepted in a config, listed by {@code /admin/policies} and offered by the dashboard,
 * and the dashboard shows every catalog parameter with its default.
 */
@ExtendWith(VertxExtension.class)
class PolicyCatalogIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aPolicyFromTheTestSourcesIsValidatedListedAndChosenOnTheDashboard(Vertx vertx) throws Exception {
    JsonObject inverse = new JsonObject().put("type", "inverse-latency").put("power", 2);
    // A learner who followed docs/writing-a-policy.md has this very policy in the catalog already.
    boolean builtIn = PolicyCatalog.builtIn().stream().anyMatch(t -> t.name().equals(InverseLatencyPolicy.TYPE.name()));
    if (!builtIn) {
      assertThrows(ConfigException.class, () -> parseWithPolicy(inverse), "unknown before it is registered");
    }

    try (AutoCloseable ignored = builtIn ? () -> { } : PolicyCatalog.register(InverseLatencyPolicy.TYPE)) {
      // Config validation knows its parameters, their types and ranges.
      assertEquals(2.0, parseWithPolicy(inverse).proxy().policy().get(InverseLatencyPolicy.POWER));
      assertEquals("proxy.policy.power: must be between 0 and 8, got 9", assertThrows(ConfigException.class,
        () -> parseWithPolicy(inverse.copy().put("power", 9))).getMessage());
      assertTrue(assertThrows(ConfigException.class, () -> parseWithPolicy(inverse.copy().put("window", 3)))
        .getMessage().startsWith("proxy.policy.window: unknown key (expected one of alpha, defaultRttMs, failurePenaltyMs, power, type)"));

      try (TestLab lab = new TestLab().backend("b1", constant(1)).backend("b2", constant(5))
        .policy(inverse).start(vertx);
           HeadlessChromium browser = HeadlessChromium.start()) {
        // The proxy routes with it.
        assertEquals(200, lab.get("/").statusCode());
        Eventually.await(WAIT, () -> new JsonObject(lab.getDashboard("/stats").body()),
          s -> "inverse-latency".equals(s.getString("policy")));

        // /admin/policies lists it with its parameters and defaults.
        JsonObject listed = policy(new JsonObject(lab.getDashboard("/admin/policies").body()), "inverse-latency");
        JsonObject power = param(listed, "power");
        assertEquals(1.0, power.getDouble("default"));
        assertEquals("0 – 8", power.getString("accepts"));
        assertEquals("EWMA of latency (ms)", listed.getJsonObject("score").getString("meaning"));

        // The dashboard offers it, with its parameters, and switching to it from the page works.
        browser.driver().get(lab.dashboardUri("/").toString());
        Select type = new Select(browser.await(WAIT, "the policy form is drawn from the catalog",
          d -> d.findElements(By.cssSelector("#policy-type option[value='inverse-latency']")).isEmpty()
            ? null : d.findElement(By.id("policy-type"))));
        browser.await(WAIT, "the page shows the running policy",
          d -> "inverse-latency".equals(type.getFirstSelectedOption().getAttribute("value")));
        type.selectByValue("round-robin");
        type.selectByValue("inverse-latency");
        WebElement powerField = browser.driver().findElement(By.id("param-power"));
        assertEquals("1", powerField.getAttribute("placeholder"));
        powerField.sendKeys("0");
        browser.driver().findElement(By.id("policy-apply")).click();
        browser.await(WAIT, "the page confirmed the policy switch",
          d -> d.findElement(By.id("admin-result")).getText().startsWith("✓ policy"));
        JsonObject stats = Eventually.await(WAIT, () -> new JsonObject(lab.getDashboard("/stats").body()),
          s -> s.getJsonArray("proxies").getJsonObject(0).getJsonObject("policyConfig").getDouble("power") == 0.0);
        assertEquals("inverse-latency", stats.getString("policy"));
        assertFalse(browser.driver().findElements(By.cssSelector("[data-policy='inverse-latency'] li[data-key='power']")).isEmpty());
      }
    }
    if (!builtIn) {
      assertThrows(ConfigException.class, () -> parseWithPolicy(inverse), "unknown again once unregistered");
    }
  }

  @Test
  void theDashboardShowsEveryCatalogParameterWithItsDefault(Vertx vertx) throws Exception {
    try (TestLab lab = new TestLab().backend("b1", constant(1)).start(vertx);
         HeadlessChromium browser = HeadlessChromium.start()) {
      browser.driver().get(lab.dashboardUri("/").toString());
      Select type = new Select(browser.await(WAIT, "the policy form is drawn from the catalog",
        d -> d.findElements(By.cssSelector("#policy-type option")).isEmpty() ? null : d.findElement(By.id("policy-type"))));
      List<PolicyType> catalog = PolicyCatalog.all();
      assertEquals(catalog.stream().map(PolicyType::name).toList(),
        type.getOptions().stream().map(o -> o.getAttribute("value")).toList());

      for (PolicyType policy : catalog) {
        type.selectByValue(policy.name());
        List<WebElement> fields = browser.driver().findElements(By.cssSelector("#policy-params [data-key]"));
        assertEquals(policy.params().stream().map(Param::key).toList(),
          fields.stream().map(f -> f.getAttribute("data-key")).toList(), policy.name());
        WebElement explained = browser.driver().findElement(By.cssSelector("[data-policy='" + policy.name() + "']"));
        for (Param<?> p : policy.params()) {
          String expected = shown(p.defaultValue());
          WebElement field = browser.driver().findElement(By.id("param-" + p.key()));
          String shownDefault = field.getTagName().equals("select")
            ? new Select(field).getOptions().get(0).getText()
            : field.getAttribute("placeholder");
          assertEquals(field.getTagName().equals("select") ? "default (" + expected + ")" : expected, shownDefault,
            policy.name() + "." + p.key());
          String line = explained.findElement(By.cssSelector("li[data-key='" + p.key() + "']")).getText();
          assertTrue(line.startsWith(p.key() + " = " + expected + " "), policy.name() + ": " + line);
        }
      }
    }
  }

  /** A default as the page prints it (JavaScript's String(number)): 10000, 0.3, false, / */
  private static String shown(Object value) {
    if (value instanceof Number n) {
      double d = n.doubleValue();
      return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
    return String.valueOf(value);
  }

  private static LabConfig parseWithPolicy(JsonObject policy) {
    JsonObject json = ConfigSource.bundledDefault();
    json.getJsonObject("proxy").put("policy", policy);
    return LabConfig.parse(json);
  }

  private static JsonObject policy(JsonObject catalog, String name) {
    JsonArray policies = catalog.getJsonArray("policies");
    return policies.stream().map(JsonObject.class::cast).filter(p -> p.getString("name").equals(name))
      .findFirst().orElseThrow(() -> new AssertionError(name + " not in " + catalog.encode()));
  }

  private static JsonObject param(JsonObject policy, String key) {
    return policy.getJsonArray("params").stream().map(JsonObject.class::cast).filter(p -> p.getString("key").equals(key))
      .findFirst().orElseThrow(() -> new AssertionError(key + " not in " + policy.encode()));
  }
}
