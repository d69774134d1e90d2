package io.adaptivelb.proxy;

import io.adaptivelb.config.LimitsConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * The body limits {@link StrictRequestDecoder} holds an HTTP/1 request to, for the body of an HTTP/2
 * stream, whose bytes never pass that decoder: a declared {@code content-length} over
 * {@code maxBodyBytes} is refused before anything is forwarded ({@link #refusedAtHead}); while the body
 * streams to a backend, DATA past {@code maxBodyBytes}, or a client silent for {@code bodyIdleTimeoutMs}
 * while the proxy reads, ends the request through {@link Refusal}. Silence while the proxy holds the
 * stream back (paused: the client has no flow-control window left) is not the client's, as on HTTP/1.
 * Per stream: the other streams of the connection go on. A {@code content-length} the DATA frames do not
 * add up to is Netty's to refuse (a stream error, RFC 9113 §8.1.1) before any of it reaches the proxy.
 */
final class Http2BodyLimits extends TryTimeouts.Entry implements WatchedBody.Watcher {

  /** Hears that the body broke a limit; from then on nothing of it is read. */
  interface Refusal {
    void bodyRefused(RejectedRequest why);
  }

  private final long maxBytes;
  private final long idleTimeoutMs;
  private final TryTimeouts idleClock;
  private final Refusal refusal;
  private long bytes;
  private boolean refused;

  /** @param idleClock the instance's list for {@code bodyIdleTimeoutMs} ({@link ProxyRuntime#bodyIdleTimeouts}) */
  Http2BodyLimits(LimitsConfig limits, TryTimeouts idleClock, Refusal refusal) {
    this.maxBytes = limits.maxBodyBytes();
    this.idleTimeoutMs = limits.bodyIdleTimeoutMs();
    this.idleClock = idleClock;
    this.refusal = refusal;
  }

  /**
   * Refuses an HTTP/2 request whose declared body is over the limit (413 on its stream), as the HTTP/1
   * decoder does before a request reaches the proxy. Netty has already checked the value is one number.
   */
  static boolean refusedAtHead(HttpServerRequest request, LimitsConfig limits) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length == null || limits.maxBodyBytes() <= 0 || Long.parseLong(length) <= limits.maxBodyBytes()) {
      return false;
    }
    RejectionResponder.refuseStream(request, RejectedRequest.bodyTooLarge(limits.maxBodyBytes()));
    return true;
  }

  @Override
  public boolean chunk(Buffer chunk) {
    if (refused) {
      return false;
    }
    bytes += chunk.length();
    if (maxBytes > 0 && bytes > maxBytes) {
      refuse(RejectedRequest.bodyTooLarge(maxBytes));
      return false;
    }
    idleClock.start(this);
    return true;
  }

  @Override
  public boolean ended() {
    idleClock.stop(this);
    return !refused;
  }

  /** The proxy holds the stream back: the silence that follows is not the client's. */
  @Override
  public void paused() {
    idleClock.stop(this);
  }

  /** The proxy reads again: from now on the client owes the next bytes. */
  @Override
  public void resumed() {
    if (!refused) {
      idleClock.start(this);
    }
  }

  @Override
  public void released() {
    idleClock.stop(this); // whoever reads the body is done with it
  }

  @Override
  void tryTimedOut() {
    refuse(RejectedRequest.bodyStalled(idleTimeoutMs));
  }

  private void refuse(RejectedRequest why) {
    refused = true;
    idleClock.stop(this);
    refusal.bodyRefused(why);
  }
}
