package io.adaptivelb.proxy;

import io.adaptivelb.common.FakeClock;
import io.adaptivelb.config.LabConfig;
import io.adaptivelb.config.ProxyConfig;
import io.adaptivelb.config.UpstreamConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pool's own rules, on a hand-moved clock: panic mode when health leaves no backend, the
 * slow-start ramp after an ejection, and a removed backend that drains before it leaves.
 */
class BackendPoolTest {

  private static final int FAILURES_TO_EJECT = 3;
  private static final long EJECTION_MS = 1_000;
  private static final long SLOW_START_MS = 10_000;

  private final FakeClock clock = new FakeClock();

  private BackendPool pool(int backends, long slowStartMs) {
    return pool(backends, slowStartMs, false);
  }

  /** @param lastIsBackup the last backend is a backup, the others primaries */
  private BackendPool pool(int backends, long slowStartMs, boolean lastIsBackup) {
    StringBuilder list = new StringBuilder();
    for (int i = 1; i <= backends; i++) {
      list.append(i > 1 ? "," : "").append("{\"name\": \"b").append(i).append("\", \"url\": \"http://127.0.0.1:").append(1000 + i)
        .append(lastIsBackup && i == backends ? "\", \"backup\": true}" : "\"}");
    }
    ProxyConfig proxy = LabConfig.parse(new JsonObject("""
        {"roles": ["proxy"], "proxy": {"port": 0, "policy": {"type": "round-robin"}, "backends": [%s],
          "health": {"passive": {"consecutiveFailures": %d, "baseEjectionMs": %d, "maxEjectedPercent": 100,
                                 "slowStartMs": %d}}}}""".formatted(list, FAILURES_TO_EJECT, EJECTION_MS, slowStartMs)))
      .proxy();
    return new BackendPool(proxy.backends(), proxy.policy(), proxy.health(), clock, new SplittableRandom(7));
  }

  private static void eject(BackendPool pool, int backend) {
    for (int i = 0; i < FAILURES_TO_EJECT; i++) {
      pool.begin(backend).end(500, true, true);
    }
  }

  private static String state(BackendPool pool, String name) {
    for (Object row : pool.describe()) {
      JsonObject b = (JsonObject) row;
      if (b.getString("name").equals(name)) {
        return b.getString("state");
      }
    }
    return "absent";
  }

  /** Share of {@code picks} that went to {@code backend}. */
  private static double share(BackendPool pool, int backend, int picks) {
    int hits = 0;
    for (int i = 0; i < picks; i++) {
      if (pool.pick(null) == backend) {
        hits++;
      }
    }
    return hits / (double) picks;
  }

  @Test
  void healthyBackendsAloneArePickedWhileThereAreAny() {
    BackendPool pool = pool(2, 0);
    eject(pool, 0);
    assertEquals("ejected", state(pool, "b1"));
    for (int i = 0; i < 20; i++) {
      assertEquals(1, pool.pick(null));
    }
  }

  @Test
  void whenHealthLeavesNoBackendEveryEnabledOneIsPickedRatherThanNone() {
    BackendPool pool = pool(3, 0);
    pool.setEnabled("b3", false);
    eject(pool, 0);
    eject(pool, 1);
    assertEquals("ejected", state(pool, "b1"));
    assertEquals("ejected", state(pool, "b2"));
    boolean[] seen = new boolean[3];
    for (int i = 0; i < 20; i++) {
      int chosen = pool.pick(null);
      assertTrue(chosen >= 0, "panic mode picks an ejected backend rather than none");
      seen[chosen] = true;
    }
    assertTrue(seen[0] && seen[1], "spread over the ejected ones");
    assertFalse(seen[2], "a disabled backend stays out, even in panic mode");
  }

  @Test
  void aBackendBackFromEjectionRampsUpOverSlowStart() {
    BackendPool pool = pool(2, SLOW_START_MS);
    eject(pool, 0);
    clock.advanceMs(EJECTION_MS);
    assertEquals("slow-start", state(pool, "b1"));
    // Round robin gives each of two backends half. Slow start weighs b1 by 10% at its return, 55% halfway,
    // 100% after slowStartMs; a refused pick moves round robin on to b2 and b1 is proposed again next,
    // so its share is w / (1 + w): 9%, 35%, then 50%.
    double atReturn = share(pool, 0, 4_000);
    clock.advanceMs(SLOW_START_MS / 2.0);
    double halfway = share(pool, 0, 4_000);
    clock.advanceMs(SLOW_START_MS / 2.0);
    double after = share(pool, 0, 4_000);
    assertEquals(0.1 / 1.1, atReturn, 0.03, "at return");
    assertEquals(0.55 / 1.55, halfway, 0.04, "halfway");
    assertEquals(0.5, after, 0.01, "after slow start");
    assertEquals("healthy", state(pool, "b1"));
  }

  @Test
  void withoutSlowStartABackendGetsItsFullShareOnReturn() {
    BackendPool pool = pool(2, 0);
    eject(pool, 0);
    clock.advanceMs(EJECTION_MS);
    assertEquals("healthy", state(pool, "b1"));
    assertEquals(0.5, share(pool, 0, 1_000), 0.01);
  }

  @Test
  void aRemovedBackendDrainsItsRequestsThenLeaves() {
    BackendPool pool = pool(2, 0);
    TryLease first = pool.begin(0);
    TryLease second = pool.begin(0);
    assertTrue(pool.remove("b1"));
    assertEquals("draining", state(pool, "b1"));
    for (int i = 0; i < 10; i++) {
      assertNotEquals(0, pool.pick(null), "no new request to a draining backend");
    }
    first.end(200, false, false);
    assertEquals("draining", state(pool, "b1"), "one request still in flight");
    second.cancel(); // the second one's client left: that ends it as well
    assertEquals("absent", state(pool, "b1"));
    assertEquals(List.of(1), pool.live());
    assertTrue(second.load() > 0);
  }

  @Test
  void anIdleBackendIsRemovedAtOnceAndCanComeBackUnderItsName() {
    BackendPool pool = pool(2, 0);
    assertTrue(pool.remove("b2"));
    assertEquals("absent", state(pool, "b2"));
    assertFalse(pool.remove("b2"), "already gone");
    pool.add(new UpstreamConfig("b2", "127.0.0.1", 1002, false));
    assertEquals("healthy", state(pool, "b2"));
  }

  @Test
  void aRetryGoesToTheBackupRatherThanToAPrimaryBackFromEjectionThatHasNotAnsweredSince() {
    BackendPool pool = pool(3, 0, true); // b1, b2 primaries, b3 the backup
    eject(pool, 0);
    eject(pool, 1);
    clock.advanceMs(EJECTION_MS); // both back, neither has answered since
    for (int i = 0; i < 10; i++) {
      int first = pool.pick(null);
      assertTrue(first == 0 || first == 1, "a first try may find out whether a returned primary is up again");
      BitSet tried = new BitSet();
      tried.set(first);
      assertEquals(2, pool.pick(tried), "its retry goes to the backup, not to the other returned primary");
    }
    pool.begin(1).end(200, false, false); // b2 answered: it is proven again
    BitSet tried = new BitSet();
    tried.set(0);
    assertEquals(1, pool.pick(tried), "a retry goes to a primary that answered since its return");
  }

  @Test
  void aRetryMayStillGoToAReturnedPrimaryWhenNothingElseIsLeft() {
    BackendPool pool = pool(2, 0);
    eject(pool, 0);
    eject(pool, 1);
    clock.advanceMs(EJECTION_MS);
    BitSet tried = new BitSet();
    tried.set(0);
    assertEquals(1, pool.pick(tried), "without a backup, the other returned primary beats no answer at all");
  }
}
