package io.adaptivelb.proxy;

import io.adaptivelb.config.LimitsConfig;
import io.adaptivelb.internals.VertxInternals;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpServerOptions;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Vert.x's own HTTP/1.x request decoder, made strict: it sees the raw head bytes Netty has already
 * consumed (obs-fold, whitespace and controls that parsing hides), the Content-Length Netty drops when
 * chunked is present, and every body byte. A request it refuses reaches Vert.x marked as a failed
 * decode carrying a {@link RejectedRequest}, in order with any earlier pipelined request, so the
 * server's invalid-request handler answers it and closes; nothing after it on the connection is read.
 *
 * <p>It also owns the per-connection clocks a slow client plays with: the head must arrive within
 * {@code headerTimeoutMs} (408 and close) and a body that stops flowing for {@code bodyIdleTimeoutMs}
 * ends the request (408 if the client has no response byte yet, and close); a connection with nothing
 * read or written for {@code clientIdleTimeoutSec} is closed; and it turns connections
 * beyond {@code maxClientConnections} away with 503. A body that breaks its chunk framing (400) or
 * grows past {@code maxBodyBytes} (413) ends the same way; the chunk lines are held to RFC 9112's
 * grammar by {@link ChunkLineScanner}, since Netty's chunk decoding is lenient where a front proxy may not be.
 */
final class StrictRequestDecoder extends VertxInternals.ServerRequestDecoder {

  private static final byte[] BUSY = closingResponse(503, "too many client connections", "Retry-After: 1\r\n");

  private final LimitsConfig limits;
  private final AtomicInteger openConnections;
  private final ResponseProgress responses;
  private ChannelHandlerContext ctx;
  private HeadScanner scanner;
  private final ChunkLineScanner chunkLines = new ChunkLineScanner();
  /** The body being read is chunked: its lines go through {@link #chunkLines}. */
  private boolean chunked;
  private boolean contentLengthWithChunked;
  private long requestsForwarded;
  private boolean inBody;
  private long bodyBytes;
  private long lastBodyReadNanos;
  private long lastReadNanos = System.nanoTime();
  private boolean rejected;
  /** Since when the proxy waits for a request head (its first byte arrived, or the connection opened); -1: not waiting. */
  private long headStartNanos = -1;
  /**
   * One timer per connection for both client clocks, armed only while one of them runs and re-armed
   * from the clocks' state when it fires, instead of a scheduled task set and cancelled per request
   * (each a priority-queue insert and removal on the event loop, ~3% of the CPU per request).
   */
  private ScheduledFuture<?> watchdog;

  StrictRequestDecoder(HttpServerOptions options, LimitsConfig limits, AtomicInteger openConnections,
                       ResponseProgress responses) {
    super(options);
    this.limits = limits;
    this.openConnections = openConnections;
    this.responses = responses;
    this.scanner = new HeadScanner(limits.maxHeaderCount());
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    super.handlerAdded(ctx);
    this.ctx = ctx;
    int open = openConnections.incrementAndGet();
    ctx.channel().closeFuture().addListener(f -> {
      openConnections.decrementAndGet();
      cancelWatchdog();
    });
    if (open > limits.maxClientConnections()) {
      // Answered by hand before any byte is read, the way Vert.x refuses a connection it cannot accept.
      rejected = true;
      ctx.writeAndFlush(Unpooled.wrappedBuffer(BUSY)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    headStarted(System.nanoTime()); // a connection that sends nothing is a slowloris too
    arm(limits.clientIdleTimeoutSec() * 1000L); // from here on the watchdog always covers the idle clock
  }

  /** Handed over to HTTP/2 (h2c): the clocks stop with the decoder. */
  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
    cancelWatchdog();
    super.handlerRemoved0(ctx);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (rejected) {
      in.skipBytes(in.readableBytes()); // the connection is closing: nothing more reaches Vert.x
      return;
    }
    lastReadNanos = System.nanoTime();
    if (inBody) {
      lastBodyReadNanos = lastReadNanos;
    } else if (headStartNanos < 0 && in.isReadable()) {
      headStarted(lastReadNanos);
    }
    int from = in.readerIndex();
    int size = out.size();
    // Netty's decoder consumes a head, or part of a body, per call, never both: a call that starts in a
    // chunked body consumed only that body's bytes.
    boolean inChunkedBody = inBody && chunked;
    super.decode(ctx, in, out);
    if (inChunkedBody && in.readerIndex() > from) {
      String violation = chunkViolation(in, from, out, size);
      if (violation != null) {
        truncate(out, size);
        reject(in);
        refuseMidBody(new RejectedRequest(400, violation));
        return;
      }
    }
    if (!scanner.done() && in.readerIndex() > from) {
      in.forEachByte(from, in.readerIndex() - from, scanner); // keeps the first violation; stops after the head
    }
    for (int i = size; i < out.size() && !rejected; i++) {
      Object msg = out.get(i);
      if (msg instanceof HttpRequest request) {
        headArrived(request, in, out, i);
      } else if (msg instanceof HttpContent content) {
        bodyArrived(content, in, out, i);
      }
    }
  }

  /**
   * Why the chunk lines Netty just consumed are refused, or null. Netty and the scanner must also agree
   * on where the body ends: a body one of them ends early is framed two ways.
   */
  private String chunkViolation(ByteBuf in, int from, List<Object> out, int size) {
    int consumed = in.readerIndex() - from;
    int scanned = chunkLines.scan(in, from, consumed);
    if (chunkLines.rejection() != null) {
      return chunkLines.rejection().getMessage();
    }
    boolean nettyEnded = out.size() > size && out.get(out.size() - 1) instanceof LastHttpContent;
    if (scanned < consumed || nettyEnded != chunkLines.done()) {
      return "chunked body framed ambiguously";
    }
    return null;
  }

  /** Netty drops Content-Length when chunked is present (RFC 9112 §6.3 allows it); we refuse instead. */
  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    contentLengthWithChunked = true;
    super.handleTransferEncodingChunkedWithContentLength(message);
  }

  private void headArrived(HttpRequest request, ByteBuf in, List<Object> out, int index) {
    headStartNanos = -1;
    if (!request.decoderResult().isSuccess()) {
      rejected = true; // Netty's own verdict (414, 431, 400) stands; it discards the rest itself
      return;
    }
    RejectedRequest verdict = scanner.rejection();
    if (verdict == null) {
      verdict = RequestValidator.check(request, contentLengthWithChunked, limits.maxBodyBytes());
    }
    if (verdict != null) {
      request.setDecoderResult(DecoderResult.failure(verdict));
      if (!request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
        request.setProtocolVersion(HttpVersion.HTTP_1_1); // the answer's status line must not echo "HTTP/2.0" or "FOO/1.1"
      }
      truncate(out, index + 1);
      out.add(LastHttpContent.EMPTY_LAST_CONTENT); // the refused request ends here for Vert.x
      reject(in);
      return;
    }
    requestsForwarded++;
    inBody = true;
    chunked = HttpUtil.isTransferEncodingChunked(request);
    chunkLines.reset();
    bodyBytes = 0;
    lastBodyReadNanos = System.nanoTime();
    if (!(out.get(out.size() - 1) instanceof LastHttpContent)) { // most requests end with their head
      arm(limits.bodyIdleTimeoutMs());
    }
  }

  private void bodyArrived(HttpContent content, ByteBuf in, List<Object> out, int index) {
    if (!content.decoderResult().isSuccess()) {
      // Netty's verdict on the chunk framing (a size that is not hex or overflows, data longer than
      // its size): nothing after this point can be trusted, so nothing of it goes on.
      truncate(out, index);
      reject(in);
      refuseMidBody(new RejectedRequest(400, "malformed chunked body"));
      return;
    }
    bodyBytes += content.content().readableBytes();
    if (limits.maxBodyBytes() > 0 && bodyBytes > limits.maxBodyBytes()) {
      // Only a chunked body can get here (a Content-Length above the limit got 413 up front).
      truncate(out, index);
      reject(in);
      refuseMidBody(RejectedRequest.bodyTooLarge(limits.maxBodyBytes()));
      return;
    }
    if (content instanceof LastHttpContent) {
      inBody = false;
      chunked = false;
      scanner.reset();
      contentLengthWithChunked = false;
    }
  }

  private void reject(ByteBuf in) {
    rejected = true; // the watchdog goes on with the idle clock only: a refused client that never reads is still let go
    in.skipBytes(in.readableBytes());
  }

  private void headStarted(long now) {
    headStartNanos = now;
    arm(limits.headerTimeoutMs());
  }

  /** Makes sure the watchdog fires within {@code delayMs}. */
  private void arm(long delayMs) {
    if (watchdog != null) {
      if (watchdog.getDelay(TimeUnit.MILLISECONDS) <= delayMs) {
        return; // it fires soon enough and re-arms itself from the clocks' state
      }
      watchdog.cancel(false);
    }
    watchdog = ctx.executor().schedule(this::watch, delayMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Checks the clocks that run: the head's or the body's, and always the idle clock (nothing read or
   * written for {@code clientIdleTimeoutSec}: close; not Vert.x's idle handler, which costs a listener on
   * every write). Re-arms for the earliest next deadline.
   */
  private void watch() {
    watchdog = null;
    if (!ctx.channel().isActive()) {
      return;
    }
    long now = System.nanoTime();
    if (!rejected) {
      if (headStartNanos >= 0) {
        long leftMs = limits.headerTimeoutMs() - TimeUnit.NANOSECONDS.toMillis(now - headStartNanos);
        if (leftMs <= 0) {
          headTimedOut();
          return;
        }
        arm(leftMs);
      } else if (inBody && bodyIdleCheck()) {
        return;
      }
    }
    long lastActivity = Math.max(lastReadNanos, responses.lastWriteNanos());
    long idleLeftMs = limits.clientIdleTimeoutSec() * 1000L - TimeUnit.NANOSECONDS.toMillis(now - lastActivity);
    if (idleLeftMs <= 0) {
      ctx.close();
      return;
    }
    arm(idleLeftMs);
  }

  /** Hands Vert.x a refused request, so the 408 goes out after any response still being written. */
  private void headTimedOut() {
    rejected = true;
    DefaultHttpRequest timedOut = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
    timedOut.setDecoderResult(DecoderResult.failure(new RejectedRequest(408, "request head not received in time")));
    ctx.fireChannelRead(timedOut);
    ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
    ctx.fireChannelReadComplete();
  }

  /**
   * True when it refused the request (the body stalled too long). Silence while the proxy itself holds
   * the client back (auto-read off) is not the client's fault.
   */
  private boolean bodyIdleCheck() {
    long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastBodyReadNanos);
    if (!ctx.channel().config().isAutoRead()) {
      lastBodyReadNanos = System.nanoTime();
      idleMs = 0;
    }
    if (idleMs < limits.bodyIdleTimeoutMs()) {
      arm(limits.bodyIdleTimeoutMs() - idleMs);
      return false;
    }
    rejected = true;
    refuseMidBody(RejectedRequest.bodyStalled(limits.bodyIdleTimeoutMs()));
    return true;
  }

  /**
   * Ends a request whose head is already with a backend (the proxy streams bodies, it never holds one
   * back). Closing the client connection is what makes the proxy abandon the upstream request, so the
   * backend never gets a complete request; before that, the client gets a real status if nothing of
   * the response has reached it yet (a backend may have answered early).
   */
  private void refuseMidBody(RejectedRequest why) {
    if (responses.silentAbout(requestsForwarded)) {
      // Written below Vert.x's encoder: raw bytes on a message boundary, then the close.
      ctx.writeAndFlush(Unpooled.wrappedBuffer(closingResponse(why.status(), why.getMessage(), "")))
        .addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }

  /** A complete {@code Connection: close} response, in the same words as {@link RejectionResponder}'s. */
  private static byte[] closingResponse(int status, String reason, String extraHeaders) {
    HttpResponseStatus code = HttpResponseStatus.valueOf(status);
    String body = status + " " + code.reasonPhrase() + ": " + reason + "\n";
    return ("HTTP/1.1 " + code + "\r\nConnection: close\r\n" + extraHeaders
      + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
      .getBytes(StandardCharsets.US_ASCII);
  }

  private static void truncate(List<Object> out, int size) {
    while (out.size() > size) {
      ReferenceCountUtil.release(out.remove(out.size() - 1));
    }
  }

  private void cancelWatchdog() {
    if (watchdog != null) {
      watchdog.cancel(false);
      watchdog = null;
    }
  }
}
