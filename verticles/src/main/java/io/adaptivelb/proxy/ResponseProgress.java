package io.adaptivelb.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Counts the final responses Vert.x has started and finished on one client connection, and notes when
 * it last wrote. The request
 * decoder asks it, when a body turns out broken, too big or too slow after the head was forwarded,
 * whether the client has been told anything yet about that request: if not, it can still get a real
 * status (400, 413, 408) instead of a bare close. Interim 1xx responses don't count: after
 * {@code 100 Continue} a final status is still owed.
 */
final class ResponseProgress extends ChannelOutboundHandlerAdapter {

  private long started;
  private long finished;
  private long lastWriteNanos = System.nanoTime();

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response) {
      if (response.status().code() >= 200) {
        started++;
        if (msg instanceof LastHttpContent) {
          finished++;
        }
      }
    } else if (msg instanceof LastHttpContent) {
      finished++;
    }
    lastWriteNanos = System.nanoTime();
    ctx.write(msg, promise);
  }

  /** When Vert.x last wrote to the client (queued, not necessarily sent): the idle clock's write side. */
  long lastWriteNanos() {
    return lastWriteNanos;
  }

  /**
   * True when the {@code requests}-th request on the connection has no response byte yet and every
   * earlier response is complete, so a response written now lands on a clean message boundary.
   */
  boolean silentAbout(long requests) {
    return started == requests - 1 && finished == started;
  }
}
