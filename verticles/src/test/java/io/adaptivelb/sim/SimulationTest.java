package io.adaptivelb.sim;

import io.adaptivelb.config.BackendConfig;
import io.adaptivelb.config.PhaseConfig;
import io.adaptivelb.config.PolicySpec;
import io.adaptivelb.policy.InverseLatencyPolicy;
import io.adaptivelb.policy.PolicyCatalog;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulationTest {

  private static Setup closed(List<BackendConfig> fleet, String policy, int proxies, int clients, long seed) {
    return new Setup(fleet, PolicySpec.parse(policy).settings(), proxies, clients, 0, 0, 1, 10, 0, seed, 50, 256, 0, 0, 0, 20);
  }

  private static BackendConfig b(String name, double ms, int capacity) {
    return Fleets.backend(name, Fleets.constant(ms), capacity, 0, List.of());
  }

  @Test
  void theSameSeedGivesTheSameRunAndAnotherSeedAnother() {
    List<BackendConfig> fleet = List.of(Fleets.backend("a", Fleets.lognormal(10, 0.5), 4, 0.1, List.of()),
      Fleets.backend("b", Fleets.lognormal(30, 0.5), 0, 0, List.of()));
    Result one = Simulation.run(closed(fleet, "p2c-peak-ewma", 3, 40, 7));
    Result two = Simulation.run(closed(fleet, "p2c-peak-ewma", 3, 40, 7));
    Result other = Simulation.run(closed(fleet, "p2c-peak-ewma", 3, 40, 8));
    assertArrayEquals(one.perBackend(), two.perBackend());
    assertEquals(one.meanMs(), two.meanMs());
    assertTrue(one.requests() != other.requests() || one.meanMs() != other.meanMs());
  }

  @Test
  void aClosedLoopOnOneConstantBackendRunsAtClientsOverLatency() {
    Result r = Simulation.run(closed(List.of(b("a", 10, 0)), "round-robin", 1, 20, 1));
    assertEquals(2000, r.rps(), 2000 * 0.01); // Little's law: 20 clients / 10 ms
    assertEquals(1.0, Grade.of(r).share(), 0.01);
  }

  @Test
  void aCapacityBoundBackendQueuesTheRestInOrder() {
    // 20 clients on 4 slots of 10 ms: 400 req/s, each request waits for the 16 ahead of it.
    Result r = Simulation.run(closed(List.of(b("a", 10, 4)), "round-robin", 1, 20, 1));
    assertEquals(400, r.rps(), 400 * 0.01);
    assertEquals(50, r.meanMs(), 0.5);
  }

  @Test
  void roundRobinSplitsEvenlyAndIsGradedAgainstTheComputedOptimum() {
    Result r = Simulation.run(closed(List.of(b("a", 10, 0), b("b", 30, 0)), "round-robin", 2, 40, 1));
    assertEquals(0.5, r.share(0), 0.01);
    // 40 clients alternate: mean latency 20 ms, 2000 req/s; the optimum puts them all on a: 4000.
    assertEquals(0.5, Grade.of(r).share(), 0.02);
  }

  @Test
  void aFailureCostsItsClientThePenaltyInTheClosedLoopGrade() {
    // Round robin over a healthy 10 ms backend and one failing half its 10 ms answers: 20 clients answer
    // 2000/s, 500 of them failures. Each failure charged 1 s of its client's time: 1500 good answers over
    // 1 + 500 x 0.99 / 20 client-seconds per second; the optimum puts every client on the healthy one (2000/s).
    List<BackendConfig> fleet = List.of(b("a", 10, 0), Fleets.backend("b", Fleets.constant(10), 0, 0.5, List.of()));
    Result r = Simulation.run(closed(fleet, "round-robin", 1, 20, 1));
    assertEquals(1500, r.goodRps(), 1500 * 0.03);
    Grade g = Grade.of(r);
    assertEquals(2000, g.optimum(), 1e-6);
    assertEquals(1500 / (1 + 500 * 0.99 / 20) / 2000, g.share(), 0.003);
  }

  @Test
  void aPhaseChangesTheBackendAtItsTime() {
    BackendConfig slowing = Fleets.backend("a", Fleets.constant(10), 0, 0,
      List.of(new PhaseConfig(6, Fleets.constant(20), null, null)));
    Result r = Simulation.run(closed(List.of(slowing), "round-robin", 1, 10, 1));
    // measured 1..11 s: 5 s at 1000 req/s, 5 s at 500 req/s
    assertEquals(750, r.rps(), 750 * 0.02);
    assertEquals(1.0, Grade.of(r).share(), 0.02);
  }

  @Test
  void peersLearnFromEachOthersRecords() {
    // One proxy's only learning about "b" would be its own; with records shared all of them avoid it.
    List<BackendConfig> fleet = List.of(b("a", 5, 0), b("b", 50, 0));
    Result shared = Simulation.run(closed(fleet, "least-latency", 8, 16, 1));
    assertTrue(shared.share(0) > 0.95, "share of the fast backend " + shared.share(0));
  }

  @Test
  void aPolicyRegisteredInTheCatalogIsSimulatedLikeABuiltInOne() {
    try (PolicyCatalog.Registration ignored = PolicyCatalog.register(InverseLatencyPolicy.TYPE)) {
      assertTrue(SimulateMain.policies().contains("inverse-latency"), "every catalog policy runs by default");
      // Weights 1 / latency^2: 1/100 against 1/1600, so the 10 ms backend gets 16 of every 17 requests.
      Result r = Simulation.run(closed(List.of(b("a", 10, 0), b("b", 40, 0)), "inverse-latency:power=2", 2, 20, 1));
      assertEquals(16.0 / 17, r.share(0), 0.02);
    }
    assertFalse(SimulateMain.policies().contains("inverse-latency"));
  }
}
