package io.adaptivelb.upstream;

import io.netty.channel.Channel;
import io.vertx.core.streams.ReadStream;

/**
 * Back-pressure on one backend channel, both ways. Writing: while the socket's queue is full, the
 * stream the bytes come from is paused, and resumed once it drains. Reading: Netty's auto-read, off
 * while the owner has paused (the client is the slower side) or the connection holds reading itself
 * (bytes of a switched protocol wait for their tunnel); with auto-read off the backend is held back by
 * TCP, not by our memory. Confined to the channel's event loop.
 */
final class ChannelFlow {

  private final Channel channel;
  /** The stream paused until the socket drains; null when none waits. */
  private ReadStream<?> heldSource;
  private boolean paused;
  private boolean held;

  ChannelFlow(Channel channel, boolean held) {
    this.channel = channel;
    this.held = held;
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

  /** Netty said the socket's writability changed: the waiting stream is read again if it may write now. */
  void writabilityChanged() {
    ReadStream<?> source = heldSource;
    if (source != null && channel.isWritable()) {
      heldSource = null;
      source.resume();
    }
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
