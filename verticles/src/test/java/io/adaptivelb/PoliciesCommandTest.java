package io.adaptivelb;

import io.adaptivelb.policy.PolicyCatalog;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar adaptive-lb.jar policies}: what the harness reads and checks its specs with. */
class PoliciesCommandTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return PoliciesCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
      new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void jsonListsEveryPolicyWithTheSpecsTheHarnessMeasures() {
    assertEquals(0, run("--json"));
    JsonObject catalog = new JsonObject(out.toString(StandardCharsets.UTF_8));
    assertEquals(PolicyCatalog.names(), catalog.getJsonArray("policies").stream()
      .map(p -> ((JsonObject) p).getString("name")).toList());
  }

  @Test
  void checkAcceptsAGoodSpecAndNamesTheKeyOfABadOne() {
    assertEquals(0, run("--check", "sma:explore=0.1"));
    assertEquals(0.1, new JsonObject(out.toString(StandardCharsets.UTF_8).trim()).getDouble("explore"));
    assertEquals(Launcher.EXIT_BAD_CONFIG, run("--check", "least-latency:tauMs=0"));
    assertEquals("adaptive-lb: policy.tauMs: must be between 1 and 86400000, got 0\n", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void withoutOptionsItPrintsTheMarkdownCatalogAndAnUnknownOptionGetsTheUsage() {
    assertEquals(0, run());
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("### `round-robin`\n"));
    assertEquals(Launcher.EXIT_BAD_CONFIG, run("--yaml"));
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("usage: java -jar adaptive-lb.jar policies"));
  }
}
