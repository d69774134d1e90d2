package io.adaptivelb.proxy;

import io.vertx.core.Vertx;

/**
 * The clocks of one request: since when it is here, and its two timeouts. The request timeout runs
 * from arrival to the end, across retries. The per-try timeout ({@link TryTimeouts}, shared by the
 * instance) times only the backend: it runs from the moment a try has its connection until the
 * response headers, except while the proxy waits on the client for body bytes ({@link BodyTiming} tells
 * which side is slow), and then again as the longest silence between response body bytes (nginx's
 * {@code proxy_read_timeout}), suspended while the client is the slow side. Long polls (until their
 * head) and event streams (their body) are timed by their own lists instead ({@code proxy.streaming}).
 * When a clock runs out, its owner hears it and decides what it means.
 */
final class RequestDeadlines extends TryTimeouts.Entry {

  /** What a clock running out is reported to. */
  interface Expiry {
    void tryTimedOut();

    void requestTimedOut();
  }

  private final long arrivalNanos = System.nanoTime();
  private final long arrivalEpochMs = System.currentTimeMillis();
  private final Vertx vertx;
  private final ProxyRuntime rt;
  private final Expiry expiry;
  /** A long poll (by path): its backend may take longPollTimeoutMs to start answering. */
  private final boolean longPoll;
  /** The per-try list that times the current wait: ordinary, long poll before its head, event stream after. */
  private TryTimeouts tries;
  private long requestTimer = -1;
  private boolean requestExpired;
  private boolean tryExpired;
  /** The try waits for its response head: the request body decides who is timed (see backendTimed). */
  private boolean awaitingHead;

  RequestDeadlines(ProxyRuntime rt, Expiry expiry, String path) {
    this.vertx = rt.vertx;
    this.rt = rt;
    this.tries = rt.tryTimeouts;
    this.expiry = expiry;
    this.longPoll = rt.config.streaming().longPoll(path);
  }

  long arrivalEpochMs() {
    return arrivalEpochMs;
  }

  double sinceArrivalMs() {
    return (System.nanoTime() - arrivalNanos) / 1e6;
  }

  void startRequest(long timeoutMs) {
    if (timeoutMs > 0) {
      requestTimer = vertx.setTimer(timeoutMs, id -> {
        requestTimer = -1;
        requestExpired = true;
        expiry.requestTimedOut();
      });
    }
  }

  /** A new try: it has not timed out and waits for its response headers (its clock starts on {@link #runTry}). */
  void newTry() {
    tryExpired = false;
    awaitingHead = true;
    tries = longPoll ? rt.longPollTimeouts : rt.tryTimeouts;
  }

  /** The backend is the side the proxy waits on now. */
  void runTry() {
    tries.start(this);
  }

  /** The proxy does not wait on the backend now (answered, paused by a slow client, or over). */
  void pauseTry() {
    tries.stop(this);
  }

  /** The response headers arrived: the body clocks below no longer apply. */
  void headArrived() {
    awaitingHead = false;
    tries.stop(this);
    tries = rt.tryTimeouts;
  }

  /** The relayed response is an event stream: the silence allowed between its bytes is the stream timeout. */
  void responseStreams(boolean streams) {
    if (streams) {
      tries = rt.streamTimeouts;
    }
  }

  /** The request body: the proxy now waits on the backend (it stopped taking the body, or the body is all sent). */
  void backendTimed() {
    if (awaitingHead) {
      tries.start(this);
    }
  }

  /** The request body: the proxy now waits on the client for body bytes, which is not the backend's time. */
  void clientTimed() {
    if (awaitingHead) {
      tries.stop(this);
    }
  }

  boolean requestExpired() {
    return requestExpired;
  }

  /** Either clock ran out: what breaks the try now is logged as a 504. */
  boolean expired() {
    return requestExpired || tryExpired;
  }

  /** The current try was cut by its timeout (a 504, even if the client already has the status line). */
  boolean tryExpired() {
    return tryExpired;
  }

  /** The request is over: neither clock runs any more. */
  void stop() {
    awaitingHead = false;
    tries.stop(this);
    if (requestTimer >= 0) {
      vertx.cancelTimer(requestTimer);
      requestTimer = -1;
    }
  }

  @Override
  void tryTimedOut() {
    tryExpired = true;
    expiry.tryTimedOut();
  }
}
