package io.adaptivelb.health;

import io.adaptivelb.common.FakeClock;
import io.adaptivelb.config.HealthConfig;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PassiveHealthTest {

  private final FakeClock clock = new FakeClock();
  private final PassiveHealth health = new PassiveHealth(
    new HealthConfig.Passive(3, 1_000, 2_500, 50, 4_000), clock, 4);

  private void fail(int backend, int times) {
    for (int i = 0; i < times; i++) {
      health.failure(backend, 4);
    }
  }

  @Test
  void consecutiveFailuresEjectAndASuccessResetsTheCount() {
    fail(0, 2);
    health.success(0);
    fail(0, 2);
    assertFalse(health.ejected(0));
    fail(0, 1);
    assertTrue(health.ejected(0));
  }

  @Test
  void ejectionLastsBaseTimesCountCapped() {
    fail(0, 3);
    clock.advanceMs(999);
    assertTrue(health.ejected(0));
    clock.advanceMs(2);
    assertFalse(health.ejected(0)); // first: 1 s
    fail(0, 3);
    clock.advanceMs(1_999);
    assertTrue(health.ejected(0)); // second: 2 s
    clock.advanceMs(2);
    fail(0, 3);
    clock.advanceMs(2_499);
    assertTrue(health.ejected(0)); // third: 3 s, capped at 2.5 s
    clock.advanceMs(2);
    assertFalse(health.ejected(0));
  }

  @Test
  void neverMoreThanTheConfiguredShareAtOnce() {
    fail(0, 3);
    fail(1, 3);
    fail(2, 3); // 50% of 4 = 2
    assertTrue(health.ejected(0) && health.ejected(1));
    assertFalse(health.ejected(2));
  }

  @Test
  void aReturningBackendRampsUpFromTenPercent() {
    fail(0, 3);
    assertEquals(0.0, health.weight(0), 1e-9);
    clock.advanceMs(1_000);
    assertEquals(0.1, health.weight(0), 1e-9);
    clock.advanceMs(2_000);
    assertEquals(0.1 + 0.9 * 0.5, health.weight(0), 1e-9);
    clock.advanceMs(2_000);
    assertEquals(1.0, health.weight(0), 1e-9);
  }
}
