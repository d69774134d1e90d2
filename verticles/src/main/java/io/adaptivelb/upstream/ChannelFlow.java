package io.adaptivelb.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.streams.ReadStream;

/**
 * Back-pressure on one backend channel, both ways. Writing: while the socket's queue is full, the
 * stream the bytes come from is paused, and resumed once it drains. Reading: Netty's auto-read, off
 * while the owner has paused (the client is the slower side) or the connection holds reading itself
 * (bytes of a switched protocol wait for their tunnel); with auto-read off the backend is held back by
 * TCP, not by our memory. One per channel, in its pipeline from the connect on: it outlives the HTTP
 * exchange handler when a 101 turns the connection into a tunnel. Confined to the channel's event loop.
 */
final class ChannelFlow extends ChannelInboundHandlerAdapter {

  private final Channel channel;
  /** The stream paused until the socket drains; null when none waits. */
  private ReadStream<?> heldSource;
  private boolean paused;
  private boolean held;

  ChannelFlow(Channel channel) {
    this.channel = channel;
  }

  /** After a write to the channel: if the socket's queue is now full, {@code source} waits until it drains. */
  void holdWhileFull(ReadStream<?> source) {
    if (!channel.isWritable()) {
      source.pause();
      heldSource = source;
    }
  }

  /**
   * The exchange or tunnel is over: a stream still waiting for the socket to drain stays paused, for
   * its owner to decide what comes next.
   */
  void forgetHeld() {
    heldSource = null;
  }

  /** The waiting stream is read again once the socket may take more. */
  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    ReadStream<?> source = heldSource;
    if (source != null && channel.isWritable()) {
      heldSource = null;
      source.resume();
    }
    ctx.fireChannelWritabilityChanged();
  }

  void pause() {
    setReading(true, held);
  }

  void resume() {
    setReading(false, held);
  }

  /** Stops reading for the connection's own reason, whatever the owner asks, until {@link #release}. */
  void hold() {
    setReading(paused, true);
  }

  void release() {
    setReading(paused, false);
  }

  /** Touches the channel only on a change: a resume at the end of every response is the common case. */
  private void setReading(boolean paused, boolean held) {
    boolean wasReading = !this.paused && !this.held;
    this.paused = paused;
    this.held = held;
    boolean reading = !paused && !held;
    if (reading != wasReading) {
      channel.config().setAutoRead(reading);
    }
  }
}
