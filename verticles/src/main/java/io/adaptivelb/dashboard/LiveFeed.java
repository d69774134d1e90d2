package io.adaptivelb.dashboard;

import io.adaptivelb.telemetry.Addresses;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The dashboard's WebSocket feed on {@code /ws}: every {@code periodMs} it asks the metrics role for the
 * same snapshot {@code /stats} serves ({@code lb.stats}), encodes it once and sends that one string to
 * every connected browser. Aggregates at a steady rate, never a frame per request, so the feed costs the
 * same at 10 req/s and at 10,000.
 *
 * <p>Frames: {@code {"type":"snapshot","ts":ms,"periodMs":250,"stats":{...the /stats JSON...}}}, or
 * {@code {"type":"unavailable","ts":ms,"error":"..."}} while the metrics role does not answer.
 *
 * <p>Everything here runs on the dashboard verticle's event loop, so the client set needs no locking.
 */
final class LiveFeed implements Handler<ServerWebSocket> {

  static final String PATH = "/ws";

  private static final Logger LOG = Logger.getLogger(LiveFeed.class.getName());

  private final Vertx vertx;
  private final long periodMs;
  private final ReadGuard guard;
  private final DeliveryOptions statsTimeout;
  private final Set<ServerWebSocket> clients = new LinkedHashSet<>();
  /** A stats request is outstanding: a tick skips instead of stacking requests on a busy metrics role. */
  private boolean asking;
  private long timerId = -1;

  LiveFeed(Vertx vertx, long periodMs, ReadGuard guard) {
    this.vertx = vertx;
    this.periodMs = periodMs;
    this.guard = guard;
    // An answer older than a few periods is useless to a live view; give up and try on the next tick.
    this.statsTimeout = new DeliveryOptions().setSendTimeout(Math.max(1_000, 4 * periodMs));
  }

  /**
   * Upgrades only {@code /ws}, and only what {@link ReadGuard} lets read the figures: no page of another
   * site, no page whose DNS name was rebound to this server.
   */
  void handshake(ServerWebSocketHandshake handshake) {
    if (!PATH.equals(handshake.path())) {
      handshake.reject(404);
    } else if (guard.refusal(handshake.headers(), handshake.scheme(), handshake.authority()) != null) {
      handshake.reject(403);
    } else {
      handshake.accept();
    }
  }

  @Override
  public void handle(ServerWebSocket ws) {
    clients.add(ws);
    ws.closeHandler(v -> leave(ws));
    ws.exceptionHandler(err -> LOG.log(Level.FINE, "dashboard WebSocket " + ws.remoteAddress() + ": " + err.getMessage()));
    // Browsers may send nothing we act on; read and discard so a chatty client cannot stall the socket.
    ws.handler(ignored -> { });
    if (timerId < 0) {
      timerId = vertx.setPeriodic(periodMs, id -> tick());
    }
    tick(); // a new page gets its first frame now, not one period later
  }

  void close() {
    stopTimer();
    clients.clear();
  }

  private void leave(ServerWebSocket ws) {
    clients.remove(ws);
    if (clients.isEmpty()) {
      stopTimer(); // nobody watching: stop asking the metrics role for snapshots
    }
  }

  private void stopTimer() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  private void tick() {
    if (asking || clients.isEmpty()) {
      return;
    }
    asking = true;
    vertx.eventBus().<JsonObject>request(Addresses.STATS, null, statsTimeout).onComplete(this::answered);
  }

  private void answered(AsyncResult<Message<JsonObject>> ar) {
    asking = false;
    JsonObject frame = new JsonObject().put("ts", System.currentTimeMillis());
    if (ar.succeeded()) {
      frame.put("type", "snapshot").put("periodMs", periodMs).put("stats", ar.result().body());
    } else {
      frame.put("type", "unavailable").put("error", "metrics role not reachable: " + ar.cause().getMessage());
    }
    broadcast(frame.encode());
  }

  /** One encoded string for everyone; a browser that cannot keep up loses frames, never slows the rest. */
  private void broadcast(String text) {
    for (ServerWebSocket ws : clients) {
      if (!ws.isClosed() && !ws.writeQueueFull()) {
        ws.writeTextMessage(text);
      }
    }
  }
}
