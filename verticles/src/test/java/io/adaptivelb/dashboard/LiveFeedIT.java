package io.adaptivelb.dashboard;

import io.adaptivelb.Eventually;
import io.adaptivelb.telemetry.Addresses;
import io.adaptivelb.web.BearerToken;
import io.adaptivelb.web.ServerNames;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The feed on its own: a WebSocket server with {@link LiveFeed} and a stand-in for the metrics role on
 * {@code lb.stats} that counts how often it is asked. No timing is asserted, only what arrives.
 */
@ExtendWith(VertxExtension.class)
class LiveFeedIT {

  private static final Duration DEADLINE = Duration.ofSeconds(15);
  /** As the lab's dashboard on 127.0.0.1 with one name listed in {@code dashboard.allowedHosts}. */
  private static final ReadGuard GUARD = new ReadGuard(new ServerNames("127.0.0.1", List.of("lab.example")), new BearerToken(null));

  private final AtomicInteger asked = new AtomicInteger();
  private HttpServer server;
  private WebSocketClient client;
  private LiveFeed feed;

  private int start(Vertx vertx, long periodMs, String filler) throws Exception {
    MessageConsumer<Object> stats = vertx.eventBus().consumer(Addresses.STATS,
      msg -> msg.reply(new JsonObject().put("n", asked.incrementAndGet()).put("filler", filler)));
    stats.completion().await(10, TimeUnit.SECONDS);
    feed = new LiveFeed(vertx, periodMs, GUARD);
    server = vertx.createHttpServer().webSocketHandshakeHandler(feed::handshake).webSocketHandler(feed)
      .requestHandler(req -> req.response().setStatusCode(404).end());
    client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(4 * 1024 * 1024));
    return server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
  }

  private WebSocket connect(int port, List<JsonObject> frames) throws Exception {
    return connect(port, (Handler<JsonObject>) frames::add);
  }

  private WebSocket connect(int port, Handler<JsonObject> frames) throws Exception {
    WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(LiveFeed.PATH))
      .await(10, TimeUnit.SECONDS);
    ws.textMessageHandler(text -> frames.handle(new JsonObject(text)));
    return ws;
  }

  /** Whether the metrics role was asked nothing for {@code window}: a request already on its way may land first. */
  private boolean askedNothingFor(Duration window) throws InterruptedException {
    int before = asked.get();
    Thread.sleep(window.toMillis());
    return asked.get() == before;
  }

  /** The number of each snapshot, in arrival order (the stand-in numbers its answers). */
  private static Handler<JsonObject> snapshotNumbers(List<Long> into) {
    return frame -> {
      if ("snapshot".equals(frame.getString("type"))) {
        into.add(frame.getJsonObject("stats").getLong("n"));
      }
    };
  }

  @AfterEach
  void close() throws Exception {
    // Server first: it drops its connections at once, so a stalled client has no close handshake to wait for.
    if (server != null) {
      server.close().await(10, TimeUnit.SECONDS);
    }
    if (client != null) {
      client.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void everyBrowserGetsTheSameSnapshotsAndTheFeedStopsAskingWhenTheLastOneLeaves(Vertx vertx) throws Exception {
    int port = start(vertx, 50, "");
    assertEquals(0, asked.get(), "nobody watching: nothing asked of the metrics role");

    List<JsonObject> first = new CopyOnWriteArrayList<>();
    List<JsonObject> second = new CopyOnWriteArrayList<>();
    WebSocket a = connect(port, first);
    WebSocket b = connect(port, second);
    Eventually.await(DEADLINE, () -> second.size(), n -> n >= 5);

    JsonObject frame = second.get(second.size() - 1);
    assertEquals("snapshot", frame.getString("type"));
    assertEquals(50, frame.getLong("periodMs"));
    assertTrue(frame.getJsonObject("stats").containsKey("n"), frame.encode());
    // One request per tick, shared: the second browser's frames are a run of the first's.
    long n = frame.getJsonObject("stats").getLong("n");
    Eventually.await(DEADLINE, () -> first.stream().anyMatch(f -> f.getJsonObject("stats").getLong("n") == n), found -> found);
    assertTrue(asked.get() <= first.size() + 2, "asked " + asked.get() + " times for " + first.size() + " frames");

    a.close().await(10, TimeUnit.SECONDS);
    long askedAtFirstLeave = asked.get();
    // One browser still watching: it keeps getting fresh snapshots.
    Eventually.await(DEADLINE, () -> second.get(second.size() - 1).getJsonObject("stats").getLong("n"),
      latest -> latest > askedAtFirstLeave + 2);
    b.close().await(10, TimeUnit.SECONDS);
    // Nobody watching: the metrics role is asked nothing more, checked over windows of ten periods each
    // (the first may still see a request that was on its way as the last browser left).
    Eventually.await(DEADLINE, () -> askedNothingFor(Duration.ofMillis(10 * 50)), quiet -> quiet);
  }

  @Test
  void aBrowserThatStopsReadingLosesFramesWhileTheOthersKeepGettingThem(Vertx vertx) throws Exception {
    // 256 KiB frames every 10 ms: 64 of them (16 MiB) are more than the socket buffers of a reader that
    // stopped can take, so past them the server either drops frames for it or holds them in memory.
    int port = start(vertx, 10, "x".repeat(256 * 1024));
    List<Long> stalledFrames = new CopyOnWriteArrayList<>();
    List<Long> readerFrames = new CopyOnWriteArrayList<>();
    WebSocket stalled = connect(port, snapshotNumbers(stalledFrames));
    stalled.pause(); // stops reading from the socket: TCP back-pressure reaches the server's write queue
    connect(port, snapshotNumbers(readerFrames));

    Eventually.await(DEADLINE, () -> readerFrames.size(), size -> size >= 64);
    assertTrue(stalledFrames.size() < readerFrames.size(), stalledFrames.size() + " vs " + readerFrames.size());
    stalled.resume();
    // Reading again, it gets what its buffers held, then fresh snapshots: some the other browser got in
    // between never reach it (dropped, not queued in the server's memory).
    Eventually.await(DEADLINE, () -> missedOneOf(List.copyOf(stalledFrames), List.copyOf(readerFrames)), missed -> missed);
  }

  /** Whether {@code stalled} lacks a snapshot {@code reader} got between the first and last {@code stalled} got. */
  private static boolean missedOneOf(List<Long> stalled, List<Long> reader) {
    if (stalled.isEmpty()) {
      return false;
    }
    Set<Long> got = new HashSet<>(stalled);
    long first = stalled.get(0);
    long last = stalled.get(stalled.size() - 1);
    return reader.stream().anyMatch(n -> n > first && n < last && !got.contains(n));
  }

  @Test
  void withoutAMetricsRoleTheFeedSaysSoAndOnlySlashWsUpgrades(Vertx vertx) throws Exception {
    feed = new LiveFeed(vertx, 50, GUARD);
    server = vertx.createHttpServer().webSocketHandshakeHandler(feed::handshake).webSocketHandler(feed)
      .requestHandler(req -> req.response().setStatusCode(404).end());
    client = vertx.createWebSocketClient();
    int port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();

    List<JsonObject> frames = new CopyOnWriteArrayList<>();
    connect(port, frames);
    Eventually.await(DEADLINE, () -> frames.size(), n -> n >= 1);
    assertEquals("unavailable", frames.get(0).getString("type"));
    assertTrue(frames.get(0).getString("error").startsWith("metrics role not reachable"), frames.get(0).encode());

    Throwable refused = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/elsewhere"))
      .transform(ar -> Future.succeededFuture(ar.cause())).await(10, TimeUnit.SECONDS);
    assertTrue(refused instanceof UpgradeRejectedException, "upgraded a path other than /ws: " + refused);
    assertEquals(404, ((UpgradeRejectedException) refused).getStatus());
  }

  @Test
  void aPageOfAnotherOriginCannotReadTheFeedButThisServersPageAndScriptsCan(Vertx vertx) throws Exception {
    int port = start(vertx, 50, "");
    Throwable refused = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(LiveFeed.PATH)
        .putHeader("Origin", "http://evil.example"))
      .transform(ar -> Future.succeededFuture(ar.cause())).await(10, TimeUnit.SECONDS);
    assertTrue(refused instanceof UpgradeRejectedException, "a foreign page was upgraded: " + refused);
    assertEquals(403, ((UpgradeRejectedException) refused).getStatus());

    for (String origin : new String[]{"http://127.0.0.1:" + port, null}) {
      WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(LiveFeed.PATH);
      if (origin != null) {
        options.putHeader("Origin", origin);
      }
      List<JsonObject> frames = new CopyOnWriteArrayList<>();
      WebSocket ws = client.connect(options).await(10, TimeUnit.SECONDS);
      ws.textMessageHandler(text -> frames.add(new JsonObject(text)));
      Eventually.await(DEADLINE, () -> frames.size(), n -> n >= 1);
      ws.close().await(10, TimeUnit.SECONDS);
    }
  }
}
