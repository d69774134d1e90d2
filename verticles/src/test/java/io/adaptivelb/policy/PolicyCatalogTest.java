package io.adaptivelb.policy;

import io.adaptivelb.common.FakeClock;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyCatalogTest {

  @Test
  void everyPolicyBuildsItselfFromItsDefaultsAndRoutes() {
    Set<String> names = new HashSet<>();
    for (PolicyType type : PolicyCatalog.all()) {
      assertTrue(names.add(type.name()), "two policies named " + type.name());
      RoutingPolicy policy = type.defaults().build(3, new FakeClock(), new SplittableRandom(1));
      assertEquals(type.name(), policy.name(), "the factory of " + type.name() + " builds " + policy.name());
      int[] counts = Sequential.run(policy, 30, 5, 10, 20);
      assertEquals(30, counts[0] + counts[1] + counts[2], type.name());
    }
  }

  @Test
  void settingsAreCheckedAgainstTheParameters() {
    PolicySettings sma = PolicySettings.of(SmaPolicy.TYPE, Map.of("window", 5));
    assertEquals(5, sma.get(SmaPolicy.WINDOW));
    assertEquals(1000.0, sma.get(SharedParams.FAILURE_PENALTY_MS));
    assertEquals("window: must be between 1 and 10000, got 0",
      assertThrows(IllegalArgumentException.class, () -> PolicySettings.of(SmaPolicy.TYPE, Map.of("window", 0))).getMessage());
    assertEquals("alpha: not a parameter of sma",
      assertThrows(IllegalArgumentException.class, () -> PolicySettings.of(SmaPolicy.TYPE, Map.of("alpha", 0.5))).getMessage());
    assertEquals("alpha: must be above 0 and at most 1, got 0",
      assertThrows(IllegalArgumentException.class, () -> PolicySettings.of(EwmaPolicy.TYPE, Map.of("alpha", 0))).getMessage());
    assertEquals("sampling: unknown value \"fair\" (expected one of uniform, weighted)",
      assertThrows(IllegalArgumentException.class,
        () -> PolicySettings.of(PeakEwmaPolicy.TYPE, Map.of("sampling", "fair"))).getMessage());
  }

  @Test
  void oneParameterCanStartElsewhereInAnotherPolicy() {
    assertEquals(10_000.0, PeakEwmaPolicy.TYPE.defaults().get(SharedParams.TAU_MS));
    assertEquals(2_000.0, LeastLatencyPolicy.TYPE.defaults().get(SharedParams.TAU_MS));
  }

  @Test
  void warmUpParametersComeWithWarmUp() {
    assertTrue(EwmaPolicy.TYPE.warmup());
    assertEquals(PolicyType.WARMUP_PROBES, EwmaPolicy.TYPE.param("warmupProbes"));
    assertFalse(SmaPolicy.TYPE.warmup());
    assertEquals(null, SmaPolicy.TYPE.param("warmupProbes"));
  }

  @Test
  void variantsAreSpecsTheHarnessUnderstands() {
    assertEquals(List.of("p2c-peak-ewma", "p2c-peak-ewma:sampling=weighted"), PeakEwmaPolicy.TYPE.specs());
    assertEquals(List.of("sma"), SmaPolicy.TYPE.specs());
  }

  @Test
  void aRegisteredPolicyIsListedUntilItsRegistrationCloses() {
    PolicyType extra = PolicyType.named("registered-round-robin")
      .explain("Round robin under another name, registered for this test only.")
      .builds((s, size, clock, random) -> new RoundRobinPolicy(size));
    assertFalse(PolicyCatalog.find(extra.name()).isPresent());
    try (PolicyCatalog.Registration ignored = PolicyCatalog.register(extra)) {
      assertEquals(extra, PolicyCatalog.find(extra.name()).orElseThrow());
      assertEquals(extra.name(), PolicyCatalog.names().get(PolicyCatalog.names().size() - 1));
      assertThrows(IllegalArgumentException.class, () -> PolicyCatalog.register(extra));
    }
    assertFalse(PolicyCatalog.find(extra.name()).isPresent());
    assertThrows(IllegalArgumentException.class, () -> PolicyCatalog.register(SmaPolicy.TYPE));
  }
}
