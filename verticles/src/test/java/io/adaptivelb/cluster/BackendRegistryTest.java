package io.adaptivelb.cluster;

import io.adaptivelb.common.FakeClock;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.adaptivelb.cluster.BackendRegistry.Change.ADDED;
import static io.adaptivelb.cluster.BackendRegistry.Change.IGNORED;
import static io.adaptivelb.cluster.BackendRegistry.Change.MOVED;
import static io.adaptivelb.cluster.BackendRegistry.Change.NONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendRegistryTest {

  private final FakeClock clock = new FakeClock();
  private final BackendRegistry registry = new BackendRegistry(Set.of("static"), 3, clock);

  private static BackendAnnouncement announce(String name, String url, long heartbeatMs) {
    return new BackendAnnouncement(name, url, new JsonObject(), "run-1", heartbeatMs);
  }

  @Test
  void aNewBackendIsAddedOnceAndAMovedOneIsReported() {
    assertEquals(ADDED, registry.seen(announce("b1", "http://h:1", 1000)));
    assertEquals(NONE, registry.seen(announce("b1", "http://h:1", 1000)));
    assertEquals(MOVED, registry.seen(announce("b1", "http://other:1", 1000)));
  }

  @Test
  void aStaticallyConfiguredNameIsNeverTouched() {
    assertEquals(IGNORED, registry.seen(announce("static", "http://h:1", 1000)));
    clock.advanceMs(60_000);
    assertEquals(List.of(), registry.expire());
  }

  @Test
  void aBackendSilentForMoreThanItsMissedHeartbeatsExpires() {
    registry.seen(announce("slow", "http://h:1", 1000));
    registry.seen(announce("fast", "http://h:2", 100));
    clock.advanceMs(300);
    assertEquals(List.of(), registry.expire(), "exactly 3 missed periods is not yet more than 3");
    clock.advanceMs(1);
    assertEquals(List.of("fast"), registry.expire(), "expiry follows each announcer's own period");
    clock.advanceMs(2_000);
    registry.seen(announce("slow", "http://h:1", 1000)); // heard again in time
    clock.advanceMs(2_999);
    assertEquals(List.of(), registry.expire());
    clock.advanceMs(2);
    assertEquals(List.of("slow"), registry.expire());
    assertEquals(Set.of(), registry.names());
    assertEquals(ADDED, registry.seen(announce("slow", "http://h:1", 1000)), "back after expiry: added again");
  }

  @Test
  void aGoodbyeForgetsTheBackendOnce() {
    registry.seen(announce("b1", "http://h:1", 1000));
    assertTrue(registry.left("b1"));
    assertFalse(registry.left("b1"));
    assertFalse(registry.left("never-seen"));
  }

  @Test
  void anAnnouncementFromSomeOtherProgramIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> BackendAnnouncement.fromJson(new JsonObject().put("name", "b1")));
    BackendAnnouncement a = announce("b1", "http://h:1", 250);
    assertEquals(a, BackendAnnouncement.fromJson(a.toJson()));
  }

  @Test
  void anIpv6AdvertisedHostIsBracketedInTheUrl() {
    assertEquals("http://[::1]:9001", BackendAnnouncer.url("::1", 9001));
    assertEquals("http://b1:9001", BackendAnnouncer.url("b1", 9001));
  }
}
