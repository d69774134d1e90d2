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
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackendRegistryTest {

  private final FakeClock clock = new FakeClock();
  private final BackendRegistry registry = new BackendRegistry(Set.of("static"), 3, clock);

  private long seq;

  /** The next heartbeat of run-1. */
  private BackendAnnouncement announce(String name, String url, long heartbeatMs) {
    return new BackendAnnouncement(name, url, new JsonObject(), "run-1", ++seq, heartbeatMs);
  }

  private static BackendAnnouncement of(String run, long seq, String name, String url) {
    return new BackendAnnouncement(name, url, new JsonObject(), run, seq, 1000);
  }

  private static BackendGoodbye goodbye(String run, String... names) {
    return new BackendGoodbye(run, List.of(names));
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
    assertEquals(List.of("b1"), registry.left(goodbye("run-1", "b1")));
    assertEquals(List.of(), registry.left(goodbye("run-1", "b1")));
    assertEquals(List.of(), registry.left(goodbye("run-1", "never-seen")));
  }

  @Test
  void aGoodbyeIsFinalForItsRunButNotForTheNextRun() {
    assertEquals(ADDED, registry.seen(of("run-1", 5, "b1", "http://h:1")));
    assertEquals(List.of("b1"), registry.left(goodbye("run-1", "b1")));
    assertEquals(IGNORED, registry.seen(of("run-1", 6, "b1", "http://h:1")), "a heartbeat sent just before the goodbye");
    assertEquals(Set.of(), registry.names());
    assertEquals(ADDED, registry.seen(of("run-2", 1, "b1", "http://h:2")), "the restarted backend is a new run");
    assertEquals(List.of(), registry.left(goodbye("run-1", "b1")), "the old run's goodbye, repeated, leaves the new run alone");
    assertEquals(Set.of("b1"), registry.names());
  }

  @Test
  void anAnnouncementOvertakenByANewerOneOfTheSameRunIsStale() {
    assertEquals(ADDED, registry.seen(of("run-1", 2, "b1", "http://h:1")));
    assertEquals(IGNORED, registry.seen(of("run-1", 1, "b1", "http://old:1")));
    assertEquals(IGNORED, registry.seen(of("run-1", 2, "b1", "http://old:1")));
    assertEquals(NONE, registry.seen(of("run-1", 3, "b1", "http://h:1")));
  }

  @Test
  void aGoodbyeFromSomeOtherProgramIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> BackendGoodbye.fromJson(new JsonObject().put("names", new io.vertx.core.json.JsonArray().add("b1"))));
    BackendGoodbye g = goodbye("run-1", "b1", "b2");
    assertEquals(g, BackendGoodbye.fromJson(g.toJson()));
  }

  @Test
  void anAnnouncementFromSomeOtherProgramIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> BackendAnnouncement.fromJson(new JsonObject().put("name", "b1")));
    assertThrows(IllegalArgumentException.class, () -> BackendAnnouncement.fromJson(announce("b1", "http://h:1", 250).toJson().put("seq", 0)),
      "without its run's sequence a late heartbeat cannot be told apart");
    BackendAnnouncement a = announce("b1", "http://h:1", 250);
    assertEquals(a, BackendAnnouncement.fromJson(a.toJson()));
  }

  @Test
  void anIpv6AdvertisedHostIsBracketedInTheUrl() {
    assertEquals("http://[::1]:9001", BackendAnnouncer.url("::1", 9001));
    assertEquals("http://b1:9001", BackendAnnouncer.url("b1", 9001));
  }
}
