package io.adaptivelb.proxy;

import io.adaptivelb.common.FakeClock;
import io.adaptivelb.config.HealthConfig;
import io.adaptivelb.config.PolicyConfig;
import io.adaptivelb.config.StrictJson;
import io.adaptivelb.config.UpstreamConfig;
import io.adaptivelb.telemetry.LatencyRecord;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** What a try teaches: the same to the instance that made it and, through its record, to every other. */
class TryLeaseTest {

  /** An SMA pool of two backends; passive health ejects after a single failure, so a fault shows at once. */
  private static BackendPool pool() {
    return new BackendPool(List.of(new UpstreamConfig("b1", "127.0.0.1", 1, false),
      new UpstreamConfig("b2", "127.0.0.1", 2, false)),
      PolicyConfig.read(new StrictJson(new JsonObject().put("type", "sma"), "policy")),
      new HealthConfig(new HealthConfig.Passive(1, 30_000, 300_000, 100, 0), new HealthConfig.Active("/", 0, 1000, 1, 1)),
      new FakeClock(), new SplittableRandom(1));
  }

  /** The record the exchange publishes for a try that ended with {@code status}. */
  private static LatencyRecord record(TryLease lease, int status, boolean failed) {
    return new LatencyRecord(0, "r-1", "GET", "/", "b1", status, lease.upstreamMs(), lease.upstreamMs(), 0, "sma",
      "persistent", failed, 1, false, lease.load());
  }

  private static Map<String, Object> learnt(BackendPool pool) {
    return pool.policy().describe(0);
  }

  @Test
  void aClientThatLeftAfterTheResponseHeadersTeachesNoInstanceAnything() {
    BackendPool owner = pool();
    BackendPool peer = pool();
    TryLease lease = owner.begin(0);
    lease.headersArrived(); // the backend answered; the client then left in the middle of the body
    lease.end(TryLease.CLIENT_CLOSED, false, false);
    peer.observe(record(lease, TryLease.CLIENT_CLOSED, false));

    Map<String, Object> untouched = learnt(pool());
    assertEquals(untouched, learnt(owner), "the owner learnt from a client that left");
    assertEquals(untouched, learnt(peer), "a peer learnt from a client that left");
  }

  @Test
  void everyOtherEndTeachesThePeersWhatItTaughtTheOwner() {
    int[] statuses = {200, 404, 500, 502, 503, 504};
    for (int status : statuses) {
      BackendPool owner = pool();
      BackendPool peer = pool();
      TryLease lease = owner.begin(0);
      boolean failed = status >= 500;
      lease.end(status, failed, failed && status != 503);
      peer.observe(record(lease, status, failed));
      assertEquals(learnt(owner), learnt(peer), "status " + status);
      assertFalse(learnt(owner).equals(learnt(pool())), "status " + status + " taught nothing");
    }
  }

  @Test
  void endAndCancelCountOnceWhateverCallsThemLater() {
    BackendPool owner = pool();
    TryLease lease = owner.begin(0);
    owner.remove("b1"); // draining: it leaves with its last try
    lease.end(200, false, false);
    lease.end(502, true, true); // a late failure path of the same try
    lease.cancel();

    assertEquals(learnt(ownerAfterOneSuccess(lease)), learnt(owner));
    assertEquals(0, owner.policy().inFlight(0));
    assertEquals(List.of(1), owner.live(), "b1 left once its try ended; b2 is still there");
    TryLease other = owner.begin(1);
    other.end(502, true, true);
    assertEquals("ejected", owner.describe().getJsonObject(0).getString("state"), "one fault ejects");
  }

  /** A fresh pool that learnt just the success {@code lease} reported, with the same latency. */
  private static BackendPool ownerAfterOneSuccess(TryLease lease) {
    BackendPool pool = pool();
    pool.observe(record(lease, 200, false));
    return pool;
  }
}
