package io.adaptivelb.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.adaptivelb.internals.VertxInternals;

/**
 * Netty's request encoder, writing Vert.x header maps with their own ASCII encoder (as Vert.x's
 * response encoder does) instead of Netty's generic per-header path, which sizes every value for UTF-8.
 */
final class RequestEncoder extends HttpRequestEncoder {

  @Override
  protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
    if (!VertxInternals.encodeVertxHeaders(headers, buf)) {
      super.encodeHeaders(headers, buf);
    }
  }
}
