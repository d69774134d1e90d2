package io.adaptivelb.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpStatusClass;

/**
 * Netty's response decoder told whether the current exchange's request was a HEAD, whose response
 * has no body whatever its Content-Length says. Netty's {@code HttpClientCodec} pairs responses with a
 * queue of request methods but also takes a method off that queue for every 1xx response, so after a
 * 100 or 103 the final answer to a HEAD would be read as having a body (waiting for bytes that never
 * come, or taking the next response's). A connection carries one exchange at a time, so it can just ask.
 */
final class ResponseDecoder extends HttpResponseDecoder {

  private static final int SWITCHED = 101;

  private final UpstreamConnection connection;

  ResponseDecoder(HttpDecoderConfig config, UpstreamConnection connection) {
    super(config);
    this.connection = connection;
  }

  @Override
  protected boolean isContentAlwaysEmpty(HttpMessage msg) {
    HttpResponse response = (HttpResponse) msg;
    if (connection.sentHead() && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
      return true;
    }
    if (response.status().code() == SWITCHED) {
      return true; // what follows a 101 is the new protocol, whatever Netty's Hixie-76 exception guesses
    }
    return super.isContentAlwaysEmpty(msg); // 1xx, 204, 304
  }

  /**
   * Every 101 switches the connection away from this decoder, whatever its {@code Upgrade} names: the
   * bytes after it are relayed as they are ({@link UpstreamTunnel}), never parsed as HTTP again.
   */
  @Override
  protected boolean isSwitchingToNonHttp1Protocol(HttpResponse msg) {
    return msg.status().code() == SWITCHED;
  }

  /**
   * Whether bytes that can only start another message are already read, past the one just decoded
   * (whitespace and control characters between messages the decoder skips).
   */
  boolean hasBytesPastMessage() {
    ByteBuf unread = internalBuffer();
    return unread.isReadable()
      && unread.forEachByte(b -> Character.isISOControl(b) || Character.isWhitespace(b)) >= 0;
  }
}
