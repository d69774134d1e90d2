package io.adaptivelb.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * Puts one fact of HTTP/2 framing that Vert.x's request object does not show into HTTP/1.1's terms: a
 * stream whose HEADERS frame does not end it carries a body, and without {@code content-length} that
 * body's length is unknown, which HTTP/1.1 says with {@code Transfer-Encoding: chunked}. Vert.x hands a
 * request over before it hears whether its HEADERS ended the stream, so without this a body streamed
 * without a length would look like no body at all and be dropped on the way to the backend. The field is
 * added to the request head as the proxy sees it, after Netty's RFC 9113 §8.2 checks; it never leaves
 * the proxy as such (hop-by-hop: {@link OutboundRequest} frames the body for the backend itself).
 * Sits in front of Vert.x's own listener on every HTTP/2 client connection ({@link ClientEdge}).
 */
final class Http2BodyFraming extends Http2FrameListenerDecorator {

  Http2BodyFraming(Http2FrameListener vertx) {
    super(vertx);
  }

  @Override
  public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                            boolean endOfStream) throws Http2Exception {
    mark(headers, endOfStream);
    super.onHeadersRead(ctx, streamId, headers, padding, endOfStream);
  }

  @Override
  public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                            short weight, boolean exclusive, int padding, boolean endOfStream) throws Http2Exception {
    mark(headers, endOfStream);
    super.onHeadersRead(ctx, streamId, headers, streamDependency, weight, exclusive, padding, endOfStream);
  }

  /** Trailers always end their stream, so a HEADERS frame that does not is a request head. */
  private static void mark(Http2Headers headers, boolean endOfStream) {
    if (!endOfStream && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
  }
}
