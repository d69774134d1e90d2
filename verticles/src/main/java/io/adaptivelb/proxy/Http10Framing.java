package io.adaptivelb.proxy;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Frames responses to HTTP/1.0 clients, which know no chunked encoding (RFC 9112 §6.3): a response
 * that starts without a Content-Length (the backend streamed it) is delimited by closing the
 * connection, so it says {@code Connection: close} and the connection closes once its last byte is
 * written, even if the client asked for keep-alive. Without this Vert.x would answer such a client
 * {@code Connection: keep-alive} with no length and never close, and the client would wait forever.
 * A response written whole gets its Content-Length from Vert.x and keeps the connection.
 */
final class Http10Framing extends ChannelOutboundHandlerAdapter {

  private boolean closeAfterResponse;

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response && !(msg instanceof LastHttpContent)
      && response.protocolVersion() == HttpVersion.HTTP_1_0 && hasBody(response)
      && !response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      closeAfterResponse = true;
    }
    if (closeAfterResponse && msg instanceof LastHttpContent) {
      closeAfterResponse = false;
      ChannelPromise written = promise.unvoid();
      written.addListener(ChannelFutureListener.CLOSE);
      ctx.write(msg, written);
      return;
    }
    ctx.write(msg, promise);
  }

  private static boolean hasBody(HttpResponse response) {
    int code = response.status().code();
    return code >= 200 && code != 204 && code != 304;
  }
}
