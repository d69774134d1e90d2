package io.adaptivelb.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2CodecUtil;

import java.util.function.Consumer;

/**
 * First in a plain client connection when HTTP/2 is on: reads until the bytes so far either differ
 * from the HTTP/2 connection preface (RFC 9113 §3.4) — then it steps aside and they go to the strict
 * HTTP/1 decoder as they are — or are the whole preface — then the connection is handed over to
 * HTTP/2 (h2c with prior knowledge) and they go to the HTTP/2 handler. An HTTP/1 request line can
 * share at most its first three bytes with the preface ("PRI"), so ordinary requests pass at once.
 */
final class H2cPreface extends ChannelInboundHandlerAdapter {

  private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

  private final Consumer<ChannelHandlerContext> toHttp2;
  private ByteBuf seen;

  /** @param toHttp2 replaces the HTTP/1 handlers behind this one by HTTP/2's */
  H2cPreface(Consumer<ChannelHandlerContext> toHttp2) {
    this.toHttp2 = toHttp2;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf bytes)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (seen == null) {
      seen = bytes;
    } else {
      seen = ctx.alloc().compositeBuffer().addComponents(true, seen, bytes);
    }
    int compared = Math.min(seen.readableBytes(), PREFACE.readableBytes());
    if (!ByteBufUtil.equals(seen, seen.readerIndex(), PREFACE, 0, compared)) {
      pass(ctx);
    } else if (compared == PREFACE.readableBytes()) {
      toHttp2.accept(ctx);
      pass(ctx);
    }
    // else: a prefix of the preface so far, wait for more
  }

  private void pass(ChannelHandlerContext ctx) {
    ByteBuf bytes = seen;
    seen = null;
    ctx.pipeline().remove(this);
    ctx.fireChannelRead(bytes);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (seen != null) { // the connection closed before it said which protocol
      seen.release();
      seen = null;
    }
  }
}
