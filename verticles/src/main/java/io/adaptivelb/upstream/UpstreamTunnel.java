package io.adaptivelb.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.streams.ReadStream;

import java.util.ArrayDeque;

/**
 * A backend connection after its 101 (WebSocket, or any protocol the backend switched to): raw bytes
 * both ways, no HTTP codec, never back in a pool. It counts against {@code maxConnectionsPerBackend}
 * until it closes. Nothing is read until its owner {@link #start starts} it; from then on reading
 * follows the owner's {@link #pause} and {@link #resume}, so a slow client holds the backend back
 * instead of filling memory. Bytes already read past the 101 before the start are handed over first,
 * in order. Confined to its event loop.
 */
public final class UpstreamTunnel extends ChannelInboundHandlerAdapter {

  /** Hears a tunnel's bytes and its end, on its event loop. */
  public interface Listener {

    /** Bytes from the backend, in order; the listener owns them and must release them. */
    void bytes(ByteBuf data);

    /** The connection is closed: by the backend or by us ({@code cause} null), or it broke. Heard once. */
    void closed(Throwable cause);
  }

  private final UpstreamConnection connection;
  private final Channel channel;
  /** Read before the owner started the tunnel: handed over first. */
  private final ArrayDeque<ByteBuf> held;
  private final ChannelFlow flow;
  private Listener listener;
  private boolean ended;
  private Throwable failure;

  /** @param flow the channel's, holding reading since the 101 until {@link #start} */
  UpstreamTunnel(UpstreamConnection connection, Channel channel, ChannelFlow flow, ArrayDeque<ByteBuf> held,
                 boolean ended, Throwable failure) {
    this.connection = connection;
    this.channel = channel;
    this.flow = flow;
    this.held = held;
    this.ended = ended;
    this.failure = failure;
  }

  /** From now on {@code listener} hears the bytes (first those already read) and the end. */
  public void start(Listener listener) {
    this.listener = listener;
    ByteBuf data;
    while ((data = held.poll()) != null) {
      listener.bytes(data);
    }
    if (ended) {
      listener.closed(failure);
    } else {
      flow.release();
    }
  }

  /**
   * Bytes to the backend (the tunnel takes ownership). While the socket cannot take more without
   * queueing in memory, {@code from} is paused; it is resumed when the socket drains, unless the tunnel
   * was closed first.
   */
  public void write(ByteBuf data, ReadStream<?> from) {
    channel.writeAndFlush(data, channel.voidPromise());
    flow.holdWhileFull(from);
  }

  /** Stops reading from the backend (the client is the slower side). */
  public void pause() {
    flow.pause();
  }

  public void resume() {
    flow.resume();
  }

  /** Closes once the bytes already written have gone out: the backend gets everything the client sent. */
  public void close() {
    flow.forgetHeld();
    if (!channel.isActive()) {
      connection.close();
      return;
    }
    channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> connection.close());
  }

  /** Closes now, dropping what is still queued (the backend stopped reading). */
  public void abort() {
    flow.forgetHeld();
    connection.close();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf data = bytesOf(msg);
    if (data == null) {
      return;
    }
    if (listener == null) {
      held.add(data);
    } else {
      listener.bytes(data);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    connection.close(); // counted out of its pool, once
    end(null);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    connection.close();
    end(cause);
  }

  private void end(Throwable cause) {
    if (ended) {
      return;
    }
    ended = true;
    failure = cause;
    flow.forgetHeld();
    if (listener != null) {
      listener.closed(cause);
    }
  }

  /**
   * The bytes a message read past the 101 carries: raw bytes once the HTTP decoder is gone, or what it
   * decoded before it went (its raw pass-through, an empty end of the 101 itself). Null: none (released).
   */
  static ByteBuf bytesOf(Object msg) {
    if (msg instanceof ByteBuf data) {
      if (data.isReadable()) {
        return data;
      }
    } else if (msg instanceof HttpContent content && content.content().isReadable()) {
      return content.content();
    }
    ReferenceCountUtil.release(msg);
    return null;
  }
}
