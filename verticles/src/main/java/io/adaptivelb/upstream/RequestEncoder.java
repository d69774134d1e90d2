package io.adaptivelb.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.vertx.core.http.impl.headers.HeadersMultiMap;

/**
 * Netty's request encoder, writing Vert.x header maps with their own ASCII encoder (as Vert.x's
 * response encoder does) instead of Netty's generic per-header path, which sizes every value for UTF-8.
 */
final class RequestEncoder extends HttpRequestEncoder {

  @Override
  protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
    if (headers instanceof HeadersMultiMap vertx) {
      vertx.encode(buf, false);
    } else {
      super.encodeHeaders(headers, buf);
    }
  }
}
