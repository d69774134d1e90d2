package io.adaptivelb.proxy;

import io.adaptivelb.internals.VertxInternals;
import io.adaptivelb.upstream.UpstreamTunnel;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.util.concurrent.TimeUnit;

/**
 * A client connection and a backend connection joined after the backend's 101 (WebSocket, or any
 * protocol it switched to): what either side sends goes to the other as it is, with back-pressure both
 * ways (a side is not read while the other's write queue is full, and is read again when it drains), so
 * a peer that stops reading holds the other back instead of filling the proxy's memory.
 *
 * <p>It ends, once, when either side closes or breaks, or when nothing has moved either way for the
 * idle timeout ({@code proxy.tunnelIdleTimeoutMs}, 0: never); then both sides are closed. The one still
 * open is closed after the bytes queued for it went out (a WebSocket close frame must reach its peer),
 * but cut if they have not within {@link #LINGER_MS}; on the idle timeout both are cut at once. Runs on
 * the proxy instance's event loop, with both connections.
 */
final class Tunnel implements UpstreamTunnel.Listener {

  /** How long a side may take to read the bytes still queued for it once the other side closed. */
  static final long LINGER_MS = 10_000;

  private final Vertx vertx;
  private final NetSocket client;
  /** The client's socket below Vert.x: closing it does not wait for queued bytes (see {@link #closeNow}). */
  private final Channel clientChannel;
  private final UpstreamTunnel backend;
  private final long idleTimeoutMs;
  private final Runnable ended;
  private long toClient;
  private long fromClient;
  private long lastMovedNanos = System.nanoTime();
  /** The idle clock while the tunnel runs, then the linger bound while its sides close. */
  private long timer = -1;
  private boolean over;
  private boolean clientClosed;
  private boolean backendClosed;

  /**
   * @param rt            the instance's: its Vert.x and {@code proxy.tunnelIdleTimeoutMs}
   * @param clientChannel the Netty channel under {@code client}
   * @param ended         runs once, when the tunnel is over (both sides closed or closing)
   */
  Tunnel(ProxyRuntime rt, NetSocket client, Channel clientChannel, UpstreamTunnel backend, Runnable ended) {
    this.vertx = rt.vertx;
    this.idleTimeoutMs = rt.config.protocols().tunnelIdleTimeoutMs();
    this.client = client;
    this.clientChannel = clientChannel;
    this.backend = backend;
    this.ended = ended;
  }

  void start() {
    client.handler(this::fromClient);
    client.closeHandler(v -> {
      clientClosed = true;
      end(false);
    });
    client.exceptionHandler(e -> end(false)); // the close that follows finds it over
    if (idleTimeoutMs > 0) {
      timer = vertx.setTimer(idleTimeoutMs, id -> idleCheck());
    }
    backend.start(this); // bytes the backend sent with its 101 come first
  }

  /** Bytes relayed from the backend to the client. */
  long toClient() {
    return toClient;
  }

  /** Bytes relayed from the client to the backend. */
  long fromClient() {
    return fromClient;
  }

  private void fromClient(Buffer data) {
    if (over) {
      return;
    }
    fromClient += data.length();
    lastMovedNanos = System.nanoTime();
    backend.write(VertxInternals.byteBuf(data), client);
  }

  @Override
  public void bytes(ByteBuf data) {
    if (over) {
      data.release();
      return;
    }
    toClient += data.readableBytes();
    lastMovedNanos = System.nanoTime();
    client.write(VertxInternals.heapCopy(data));
    if (client.writeQueueFull()) {
      backend.pause();
      client.drainHandler(v -> {
        if (!over) {
          backend.resume();
        }
      });
    }
  }

  @Override
  public void closed(Throwable cause) {
    backendClosed = true;
    end(false);
  }

  private void idleCheck() {
    if (over) {
      return; // a late tick: the timer is the linger bound's now
    }
    timer = -1;
    long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastMovedNanos);
    if (idleMs >= idleTimeoutMs) {
      end(true);
    } else {
      timer = vertx.setTimer(idleTimeoutMs - idleMs, id -> idleCheck());
    }
  }

  /**
   * @param now nothing moved for the idle timeout, or the instance stops: what is queued will not move
   *            either, both sides are cut at once
   */
  private void end(boolean now) {
    if (over) {
      if (clientClosed && backendClosed) {
        cancelTimer(); // both closed on their own: nothing left to cut
      }
      return;
    }
    over = true;
    cancelTimer();
    if (now) {
      closeNow();
    } else {
      client.close(); // each after what is queued for it
      backend.close();
      timer = vertx.setTimer(LINGER_MS, id -> {
        timer = -1;
        closeNow();
      });
    }
    ended.run();
  }

  private void cancelTimer() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** The proxy instance stops: the tunnel ends now, if it was not over, and both sides are cut. */
  void cut() {
    if (over) {
      closeNow();
    } else {
      end(true);
    }
  }

  /** Closes both sides, dropping what is queued: Vert.x's close would wait for a peer that does not read. */
  private void closeNow() {
    clientChannel.close();
    backend.abort();
  }
}
