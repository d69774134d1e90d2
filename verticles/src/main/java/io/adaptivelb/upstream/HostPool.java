package io.adaptivelb.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;

import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * The connections of one proxy instance to one backend: idle ones kept most-recently-used first (the
 * warmest socket, and the oldest ones left to expire), a bound on how many are open, and a queue of
 * requests waiting when all are busy. Confined to the instance's event loop.
 */
final class HostPool {

  private final UpstreamConnector connector;
  private final UpstreamOptions options;
  private final InetSocketAddress address;
  private final String name;
  private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private int open; // connected or connecting

  private final Bootstrap bootstrap;
  private final long keepAliveNanos;

  HostPool(UpstreamConnector connector, UpstreamOptions options, String host, int port, boolean tls) {
    this.connector = connector;
    this.options = options;
    this.keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(options.keepAliveTimeoutMs());
    this.address = address(host, port);
    this.name = host + ":" + port;
    this.bootstrap = connector.bootstrapFor(this, host, port, tls);
  }

  /**
   * An IP literal is taken as it is, so a connect never goes through name resolution (in
   * non-persistent mode there is one per request); a host name is left to Vert.x's resolver, off the loop.
   */
  private static InetSocketAddress address(String host, int port) {
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(host);
    if (ip == null) {
      return InetSocketAddress.createUnresolved(host, port);
    }
    try {
      return new InetSocketAddress(InetAddress.getByAddress(host, ip), port);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // getByAddress refuses only a wrong length, and NetUtil gave 4 or 16 bytes
    }
  }

  /**
   * @param fresh a pooled connection just turned out stale: the idle ones are as old, so they are
   *              closed and the request gets a new connection (or waits for one)
   */
  void acquire(ConnectionRequest request, boolean fresh) {
    if (fresh) {
      sweep(0, true);
    }
    if (!idle.isEmpty()) {
      long now = System.nanoTime();
      UpstreamConnection c;
      while ((c = idle.pollLast()) != null) {
        c.idle = false;
        if (c.usable(now, keepAliveNanos)) {
          request.connected(c);
          return;
        }
        c.close();
      }
    }
    if (open < options.maxConnectionsPerBackend()) {
      connect(request);
    } else if (waiters.size() < options.maxWaitQueue()) {
      waiters.addLast(new Waiter(request));
    } else {
      request.connectFailed(new PoolBusyException(name, waiters.size()));
    }
  }

  private void connect(ConnectionRequest request) {
    open++;
    bootstrap.connect(address).addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        open--;
        request.connectFailed(f.cause());
        serveWaiters();
        return;
      }
      UpstreamConnection connection = f.channel().pipeline().get(UpstreamConnection.class);
      SslHandler tls = f.channel().pipeline().get(SslHandler.class);
      if (tls == null) {
        request.connected(connection);
        return;
      }
      tls.handshakeFuture().addListener(h -> {
        if (h.isSuccess()) {
          request.connected(connection);
        } else {
          connection.close(); // counted down (and waiters served) by the pool's closed()
          request.connectFailed(h.cause());
        }
      });
    });
  }

  /** Takes back a request still waiting in the queue; false when it is not there (connecting, or answered). */
  boolean withdraw(ConnectionRequest request) {
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter waiter = it.next();
      if (waiter.request == request) {
        it.remove();
        waiter.timer.cancel(false);
        return true;
      }
    }
    return false;
  }

  /** The exchange on {@code c} ended; {@code reusable}: cleanly, with both sides allowing another. */
  void exchangeEnded(UpstreamConnection c, boolean reusable) {
    if (!reusable || !options.keepAlive()) {
      c.close();
      return;
    }
    ConnectionRequest next = nextWaiter();
    if (next != null) { // requests queued before a close are still served: the pool drains, it does not drop
      next.connected(c);
      return;
    }
    if (connector.isClosed()) {
      c.close();
      return;
    }
    c.idle = true;
    c.idleSinceNanos = System.nanoTime();
    idle.addLast(c);
  }

  /** {@code c} is closed (by us or the backend); runs once per connection. */
  void closed(UpstreamConnection c) {
    if (c.leftPool) {
      return;
    }
    c.leftPool = true;
    open--;
    if (c.idle) {
      c.idle = false;
      idle.remove(c);
    }
    serveWaiters();
  }

  private void serveWaiters() {
    if (!waiters.isEmpty() && open < options.maxConnectionsPerBackend()) {
      connect(nextWaiter());
    }
  }

  /** The longest-waiting request, out of the queue with its wait bound cancelled; null when none waits. */
  private ConnectionRequest nextWaiter() {
    Waiter next = waiters.pollFirst();
    if (next == null) {
      return null;
    }
    next.timer.cancel(false);
    return next.request;
  }

  /** Closes idle connections past the keep-alive timeout (all of them when the connector closes). */
  void sweep(long now, boolean all) {
    for (Iterator<UpstreamConnection> it = idle.iterator(); it.hasNext(); ) { // oldest first
      UpstreamConnection c = it.next();
      if (!all && c.usable(now, keepAliveNanos)) {
        break;
      }
      it.remove();
      c.idle = false;
      c.close();
    }
  }

  boolean unused() {
    return open == 0 && waiters.isEmpty();
  }

  int open() {
    return open;
  }

  private final class Waiter {
    final ConnectionRequest request;
    final ScheduledFuture<?> timer;

    Waiter(ConnectionRequest request) {
      this.request = request;
      int timeout = options.connectTimeoutMs();
      this.timer = connector.loop().schedule(() -> {
        waiters.remove(this);
        request.connectFailed(new ConnectTimeoutException("no connection to " + name + " free within " + timeout + " ms"));
      }, timeout, TimeUnit.MILLISECONDS);
    }
  }
}
