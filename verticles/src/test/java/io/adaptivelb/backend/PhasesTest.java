package io.adaptivelb.backend;

import io.adaptivelb.config.BackendConfig;
import io.adaptivelb.config.LabConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A backend's phases, driven by a timer the test moves by hand: each applies at its {@code atSec}
 * (in time order, whatever the order in the file), changes only the fields it names, and a capacity
 * change reaches the gate.
 */
class PhasesTest {

  /** Timers due at a time in ms; {@link #advanceTo} runs the due ones in due order. */
  private static final class FakeTimer implements PhaseSchedule.Timer {
    private record Due(long atMs, int seq, Runnable action) {
    }

    private final List<Due> pending = new ArrayList<>();
    private long nowMs;

    @Override
    public void after(long delayMs, Runnable action) {
      pending.add(new Due(nowMs + delayMs, pending.size(), action));
    }

    void advanceTo(long ms) {
      nowMs = ms;
      List<Due> due = pending.stream().filter(d -> d.atMs() <= ms)
        .sorted(Comparator.comparingLong(Due::atMs).thenComparingInt(Due::seq)).toList();
      pending.removeAll(due);
      due.forEach(d -> d.action().run());
    }
  }

  private final FakeTimer timer = new FakeTimer();
  private final SplittableRandom random = new SplittableRandom(1);
  private BackendProfile profile;
  private CapacityGate gate;

  private void start(String phases) {
    BackendConfig config = LabConfig.parse(new JsonObject("""
        {"roles": ["backends"], "backends": [{"name": "b1", "port": 0, "latency": {"dist": "constant", "ms": 10},
          "capacity": 2, "errorRate": 0, "phases": %s}]}""".formatted(phases))).backends().get(0);
    profile = new BackendProfile(config);
    gate = new CapacityGate(profile.capacity());
    PhaseSchedule.start(config.phases(), timer, phase -> {
      profile = profile.with(phase);
      gate.resize(profile.capacity());
    });
  }

  private double latencyMs() {
    return profile.latency().sampleMs(random);
  }

  @Test
  void eachPhaseAppliesAtItsSecondAndKeepsWhatItDoesNotName() {
    // Listed out of order: the later one first.
    start("""
        [{"atSec": 10, "capacity": 4, "errorRate": 0.5},
         {"atSec": 5, "latency": {"dist": "constant", "ms": 150}}]""");
    assertEquals(10, latencyMs());
    timer.advanceTo(4_999);
    assertEquals(10, latencyMs());
    timer.advanceTo(5_000);
    assertEquals(150, latencyMs());
    assertEquals(2, profile.capacity());
    assertEquals(0, profile.errorRate());
    timer.advanceTo(10_000);
    assertEquals(150, latencyMs(), "the latency of the earlier phase stays");
    assertEquals(4, profile.capacity());
    assertEquals(0.5, profile.errorRate());
  }

  @Test
  void aCapacityPhaseAdmitsWaitingRequestsAtOnce() {
    start("[{\"atSec\": 2, \"capacity\": 5}]");
    List<Integer> served = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int request = i;
      gate.enter(() -> served.add(request));
    }
    assertEquals(List.of(0, 1), served);
    timer.advanceTo(2_000);
    assertEquals(List.of(0, 1, 2, 3, 4), served);
    assertEquals(1, gate.queued());
  }

  @Test
  void aPhaseAtSecondZeroStillFollowsTheInitialProfile() {
    start("[{\"atSec\": 0, \"latency\": {\"dist\": \"constant\", \"ms\": 1}}]");
    assertEquals(10, latencyMs());
    timer.advanceTo(1);
    assertEquals(1, latencyMs());
  }
}
