package io.adaptivelb.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.streams.ReadStream;

import java.io.IOException;
import java.net.ProtocolException;
import java.util.ArrayDeque;

/**
 * One TCP connection to a backend, carrying one exchange at a time (no pipelining): the request goes
 * out through Netty's HTTP encoder, the response comes back through its decoder to the current
 * {@link ResponseListener}. When the response ends cleanly, the request was sent whole and both
 * sides allow it, the connection goes back to its pool; in every other case it is closed, never
 * reused in an unknown state. A 101 to a request that asked to switch protocols ends its HTTP life:
 * the owner turns it into an {@link UpstreamTunnel}. Confined to its event loop.
 */
public final class UpstreamConnection extends ChannelInboundHandlerAdapter {

  private static final int SWITCHING_PROTOCOLS = 101;

  private final HostPool pool;
  private final Channel channel;
  private final ChannelFlow flow;
  ResponseDecoder decoder;
  private ResponseListener listener;
  private boolean requestEnded;
  private boolean headRequest;
  private boolean keepAlive;
  private boolean responseStarted;
  private boolean skippingInformational;
  private boolean closed;
  /** The current request asked to switch protocols ({@code Upgrade}): only then is a 101 an answer. */
  private boolean upgradeAsked;
  /**
   * A 101 came: the connection now carries another protocol. What is read after it waits here until
   * the owner opens the tunnel ({@link #openTunnel}); the listener hears nothing more.
   */
  private ArrayDeque<ByteBuf> switched;
  private Throwable switchedFailure;
  /** Exchanges started on this connection, the current one included. */
  private int exchanges;
  boolean idle;
  boolean leftPool;
  long idleSinceNanos;

  UpstreamConnection(HostPool pool, Channel channel, ChannelFlow flow) {
    this.pool = pool;
    this.channel = channel;
    this.flow = flow;
  }

  /**
   * Starts an exchange: sends the request head, and its end too when there is no body (a
   * {@link FullHttpRequest} without a body goes out in one write).
   */
  public void send(HttpRequest head, boolean withBody, ResponseListener listener) {
    this.listener = listener;
    exchanges++;
    requestEnded = !withBody;
    headRequest = HttpMethod.HEAD.equals(head.method());
    upgradeAsked = head.headers().contains(HttpHeaderNames.UPGRADE);
    keepAlive = false;
    responseStarted = false;
    skippingInformational = false;
    if (withBody) {
      channel.writeAndFlush(head, channel.voidPromise()); // the backend may answer or refuse before any body byte
    } else if (head instanceof FullHttpRequest) {
      channel.writeAndFlush(head, channel.voidPromise()); // head and end in one pass through the encoder
    } else {
      channel.write(head, channel.voidPromise());
      channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
    }
  }

  /**
   * A piece of the request body (the connection takes ownership). While the socket cannot take more
   * without queueing in memory, {@code body} is paused; it is resumed when the socket drains, unless
   * the exchange ended first.
   */
  public void writeBody(ByteBuf chunk, ReadStream<?> body) {
    channel.writeAndFlush(new DefaultHttpContent(chunk), channel.voidPromise());
    flow.holdWhileFull(body);
  }

  /** The request body is complete. */
  public void endBody() {
    requestEnded = true;
    channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
  }

  /**
   * Stops reading the response (the client is slower than the backend). Pieces already decoded from
   * the last read still arrive, the end included: the connection then resumes itself before it goes
   * back to its pool.
   */
  public void pauseResponse() {
    flow.pause();
  }

  public void resumeResponse() {
    flow.resume();
  }

  /** Ends the exchange now without telling the listener: the connection is closed. */
  public void discard() {
    listener = null;
    flow.forgetHeld();
    if (switched != null) {
      switched.forEach(ByteBuf::release); // a 101 nobody took: its tunnel will never open
      switched.clear();
    }
    close();
  }

  /** Ends the exchange now and tells the listener it failed with {@code cause}. */
  public void abort(Throwable cause) {
    ResponseListener l = listener;
    discard();
    if (l != null) {
      l.failed(cause);
    }
  }

  /** Hands an unused connection back (its requester gave up before sending anything). */
  public void releaseUnused() {
    listener = null;
    pool.exchangeEnded(this, true);
  }

  /**
   * After a 101 the owner calls this (or {@link #discard}): the HTTP codec leaves the connection, which
   * from now on carries raw bytes both ways and never goes back to its pool. Bytes the backend sent
   * right after its 101 reach the tunnel first.
   */
  public UpstreamTunnel openTunnel() {
    if (switched == null) {
      throw new IllegalStateException("no 101 on this connection");
    }
    listener = null;
    flow.forgetHeld();
    flow.resume(); // the tunnel's owner pauses it for its own reasons; the HTTP exchange's pause ends here
    UpstreamTunnel tunnel = new UpstreamTunnel(this, channel, flow, switched, closed, switchedFailure);
    switched = new ArrayDeque<>(0); // the held bytes are the tunnel's now
    ChannelPipeline pipeline = channel.pipeline();
    if (pipeline.context(this) != null) { // gone when the connection already closed
      pipeline.replace(this, "tunnel", tunnel);
      // the decoder hands the bytes it holds on to the tunnel as they are, after those already passed
      for (String codec : new String[]{"decoder", "encoder"}) {
        if (pipeline.get(codec) != null) {
          pipeline.remove(codec);
        }
      }
    }
    return tunnel;
  }

  /** Whether the current exchange's request is a HEAD (its response has no body). */
  boolean sentHead() {
    return headRequest;
  }

  boolean usable(long now, long keepAliveNanos) {
    return !closed && channel.isActive() && now - idleSinceNanos < keepAliveNanos;
  }

  void close() {
    if (!closed) {
      closed = true;
      channel.close();
      pool.closed(this);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (switched != null) {
      ByteBuf data = UpstreamTunnel.bytesOf(msg); // the new protocol's first bytes, read before the tunnel opened
      if (data != null) {
        switched.add(data);
      }
      return;
    }
    ResponseListener l = listener;
    if (l == null) {
      ReferenceCountUtil.release(msg);
      close(); // bytes nobody asked for, or the rest of a response already abandoned
      return;
    }
    if (msg instanceof HttpResponse response) {
      if (response.decoderResult().isFailure()) {
        ReferenceCountUtil.release(msg);
        abort(response.decoderResult().cause()); // garbage, or status line / headers over the limit
        return;
      }
      int code = response.status().code();
      if (code == SWITCHING_PROTOCOLS) {
        switchProtocols(response, l);
        return;
      }
      if (code < 200) {
        skippingInformational = true; // 100 or 103: the final response follows on the same connection
        return;
      }
      responseStarted = true;
      keepAlive = HttpUtil.isKeepAlive(response);
      l.head(response);
      return;
    }
    if (msg instanceof HttpContent content) {
      if (content.decoderResult().isFailure()) {
        content.release();
        abort(content.decoderResult().cause()); // broken chunk framing
        return;
      }
      boolean last = content instanceof LastHttpContent;
      if (skippingInformational) {
        content.release();
        skippingInformational = !last;
        return;
      }
      ByteBuf data = content.content();
      if (!data.isReadable()) {
        content.release();
        data = null;
      }
      if (!last) {
        if (data != null) {
          l.content(data);
        }
        return;
      }
      listener = null;
      flow.forgetHeld();
      resumeResponse(); // a paused connection would never read its next exchange's response
      // not active: the response was delimited by the backend closing (no length, no chunks) and
      // this is the decoder flushing it as the channel goes inactive; it must not reach a waiter.
      // Bytes past the end in the same read (a body longer than its length said) answer nothing: a
      // waiter given the connection now would take them for its own response.
      pool.exchangeEnded(this, keepAlive && requestEnded && channel.isActive() && !decoder.hasBytesPastMessage());
      l.ended(data); // the last bytes with the end: the listener can pass both on in one write
    }
  }

  /**
   * A 101: a final answer only to a request that asked to switch (RFC 9110 §15.2.2); to any other it is
   * garbage and fails the exchange. Nothing more is read until the owner opens the tunnel.
   */
  private void switchProtocols(HttpResponse response, ResponseListener l) {
    if (!upgradeAsked) {
      abort(new ProtocolException("101 Switching Protocols to a request that asked for no upgrade"));
      return;
    }
    responseStarted = true;
    switched = new ArrayDeque<>();
    flow.hold();
    l.head(response);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (switched != null) { // the tunnel, once opened, hears of it
      closed = true;
      pool.closed(this);
      return;
    }
    ResponseListener l = listener;
    listener = null;
    flow.forgetHeld();
    closed = true;
    pool.closed(this);
    if (l != null) {
      l.failed(stale(new IOException(responseStarted ? "backend closed the connection in the middle of the response"
        : "backend closed the connection before answering")));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (switched != null) {
      switchedFailure = cause;
      close();
      return;
    }
    abort(cause instanceof IOException ? stale(cause) : cause); // a reset, or a decoder exception
    close();
  }

  /** Marks a connection failure as a stale pooled connection's when it is one (see {@link StaleConnectionException}). */
  private Throwable stale(Throwable cause) {
    return exchanges > 1 && !responseStarted && !skippingInformational ? new StaleConnectionException(cause) : cause;
  }
}
