package io.adaptivelb.cluster;

import io.adaptivelb.config.ClusterConfig;
import io.adaptivelb.control.ControlAddresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Discovery on one JVM's event bus: what reaches it and which proxy commands it turns that into. */
class BackendDiscoveryTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aMessageThatDoesNotParseIsDroppedAndTheNextOneStillCounts() throws Exception {
    BlockingQueue<JsonObject> commands = new LinkedBlockingQueue<>();
    vertx.eventBus().<JsonObject>consumer(ControlAddresses.PROXY, m -> commands.add(m.body())).completion()
      .await(10, TimeUnit.SECONDS);
    vertx.deployVerticle(new BackendDiscovery(new ClusterConfig(true, 1000, 3), List.of())).await(10, TimeUnit.SECONDS);

    vertx.eventBus().publish(DiscoveryAddresses.ANNOUNCE, new JsonObject().put("name", "b9"));
    vertx.eventBus().publish(DiscoveryAddresses.ANNOUNCE,
      new BackendAnnouncement("b9", "http://127.0.0.1:1", new JsonObject(), "run-1", 1, 1000).toJson());
    JsonObject added = commands.poll(10, TimeUnit.SECONDS);
    assertEquals("add", added.getString("op"));
    assertEquals("b9", added.getJsonObject("backend").getString("name"));

    vertx.eventBus().publish(DiscoveryAddresses.LEAVE, new JsonObject().put("instance", "run-1"));
    vertx.eventBus().publish(DiscoveryAddresses.LEAVE, new BackendGoodbye("run-1", List.of("b9")).toJson());
    JsonObject removed = commands.poll(10, TimeUnit.SECONDS);
    assertEquals(new JsonObject().put("op", "remove").put("name", "b9"), removed);
  }
}
