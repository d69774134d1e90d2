package io.adaptivelb.proxy;

import io.adaptivelb.accesslog.AccessEntry;
import io.adaptivelb.config.ConnectionMode;
import io.adaptivelb.telemetry.LatencyRecord;
import io.adaptivelb.upstream.ConnectionRequest;
import io.adaptivelb.upstream.ResponseListener;
import io.adaptivelb.upstream.UpstreamConnection;
import io.adaptivelb.upstream.UpstreamConnector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.impl.ConnectionBase;

import java.util.BitSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * One client request: pick a backend, stream the request to it, stream the response back, record
 * what happened. The client side is Vert.x's HTTP server; the backend side is a connection from the
 * instance's {@link io.adaptivelb.upstream.UpstreamConnector}, on the same event loop. Bodies flow with
 * back-pressure both ways ({@link BodyPump} up, {@link #content} down) and are never held whole.
 *
 * <p>A try that fails goes to another backend when it is safe: a connect failure for any method (no
 * byte of the body was read yet); any other failure (timeout, reset, 5xx) only for an idempotent
 * request without a body, and only before any byte of the response went to the client; always
 * within the retry budget. Every path ends in exactly one {@link #finish} and the client always gets
 * an answer.
 */
final class ProxyExchange extends TryTimeouts.Entry implements ConnectionRequest, ResponseListener {

  /** nginx's convention for "the client went away before we could answer". */
  static final int CLIENT_CLOSED = 499;
  /**
   * No validation for the forwarded request's headers: every value is the client's, already checked
   * by the strict decoder, or the proxy's own; validating again cost ~3% of the CPU per request.
   */
  private static final BiConsumer<CharSequence, CharSequence> TRUSTED = (name, value) -> { };
  private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT,
    HttpMethod.DELETE, HttpMethod.OPTIONS, HttpMethod.TRACE);

  private final ProxyRuntime rt;
  private final HttpServerRequest inbound;
  private final String target;
  private final long arrivalNanos = System.nanoTime();
  private final long arrivalEpochMs = System.currentTimeMillis();
  private final boolean hasBody;
  private final boolean expectsContinue;
  private boolean continueSent;
  private String requestId;
  private int backend = -1;
  private int attempts;
  private BitSet tried;
  private long dispatchNanos;
  private long headersNanos;
  /** This try's backend connection, from the moment it is obtained until its response ends or breaks. */
  private UpstreamConnection upstreamRequest;
  /** This try's backend (the key its connection pool knows it by). */
  private Upstream tryUpstream;
  /** Where this try asked for a connection, while it waits for one (null otherwise). */
  private UpstreamConnector waitingOn;
  private HttpResponse response;
  private BodyPump bodyPump;
  private int lastFailure;
  private int load;
  private long overallTimer = -1;
  private boolean overallExpired;
  private boolean tryExpired;
  private boolean clientGone;
  private boolean finished;
  private boolean relayDone;

  /** @param target the request target sent to the backend (the client's, less a route's stripped prefix) */
  ProxyExchange(ProxyRuntime rt, HttpServerRequest inbound, String target) {
    this.rt = rt;
    this.inbound = inbound;
    this.target = target;
    MultiMap headers = inbound.headers();
    // "Content-Length: 0" is no body (Java's HttpClient sends it on every GET): such a request can be replayed.
    String length = headers.get(HttpHeaders.CONTENT_LENGTH);
    this.hasBody = (length != null && !length.equals("0")) || headers.contains(HttpHeaders.TRANSFER_ENCODING);
    // The decoder let only "100-continue" through (#7); the client may hold its body until it hears 100.
    this.expectsContinue = hasBody && headers.contains(HttpHeaders.EXPECT);
  }

  void run() {
    if (hasBody) {
      inbound.pause(); // hold the body until a backend connection can take it (without one there is nothing to hold)
    }
    requestId = rt.ids.idFor(inbound.getHeader(RequestIds.HEADER));
    inbound.response().closeHandler(v -> clientClosed());
    rt.retryBudget.request();
    int requestTimeout = rt.config.retries().requestTimeoutMs();
    if (requestTimeout > 0) {
      overallTimer = rt.timer(requestTimeout, this::overallTimeout);
    }
    attempt();
  }

  private void attempt() {
    int previous = backend;
    backend = rt.pool.pick(tried);
    if (backend < 0) {
      if (attempts == 0) {
        answerError(503, "Service Unavailable: no backend available", null);
        finish(503, false);
      } else {
        backend = previous; // nowhere else to go: the last try's failure is the answer
        answerError(lastFailure, reason(lastFailure), rt.pool.upstream(backend).name());
        finish(lastFailure, true);
      }
      return;
    }
    attempts++;
    load = rt.pool.begin(backend);
    dispatchNanos = System.nanoTime();
    headersNanos = 0;
    upstreamRequest = null;
    tryExpired = false;
    response = null;
    tryUpstream = rt.pool.upstream(backend);
    waitingOn = rt.upstreams();
    waitingOn.acquire(tryUpstream, tryUpstream.address().host(), tryUpstream.address().port(), this);
  }

  /** A connection for this try (the exchange waits on one acquisition at a time). */
  @Override
  public void connected(UpstreamConnection connection) {
    waitingOn = null;
    if (finished) {
      connection.releaseUnused();
      return;
    }
    if (clientGone || overallExpired) {
      connection.releaseUnused(); // nothing was sent on it: it is as good as it was
      failed(new TimeoutException("request abandoned"), false);
      return;
    }
    upstreamRequest = connection;
    rt.tryTimeouts.start(this); // the per-try timeout runs from here until the response headers,
    // except while the proxy waits on the client for body bytes (TimedBody)
    HeadersMultiMap headers = HeadersMultiMap.httpHeaders(TRUSTED); // Netty's header type and Vert.x's MultiMap at once
    HopByHopHeaders.copyEndToEnd(inbound.headers(), headers);
    if (!headers.contains(HttpHeaders.HOST)) {
      headers.set(HttpHeaders.HOST, tryUpstream.authority()); // an HTTP/1.0 client may send none; HTTP/1.1 backends need one
    }
    ForwardedHeaders.addToRequest(inbound, headers, rt.clientTls);
    headers.set(RequestIds.HEADER, requestId);
    if (rt.mode() == ConnectionMode.NON_PERSISTENT) {
      headers.set(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    if (expectsContinue) {
      // Like nginx: the proxy says 100 itself once a backend connection can take the body, and does
      // not pass the expectation on (the body is on its way either way, so a backend's 100 means nothing).
      headers.remove(HttpHeaders.EXPECT);
      if (!continueSent) {
        continueSent = true;
        inbound.response().writeContinue();
      }
    }
    if (hasBody && !inbound.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
      headers.set(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED);
    }
    HttpRequest head = hasBody
      ? new DefaultHttpRequest(HttpVersion.HTTP_1_1, nettyMethod(inbound.method()), target, headers)
      : new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, nettyMethod(inbound.method()), target,
        Unpooled.EMPTY_BUFFER, headers, EmptyHttpHeaders.INSTANCE);
    connection.send(head, hasBody, this);
    if (hasBody) { // without a body there is nothing to stream: a retry can send the same empty request again
      bodyPump = new BodyPump(new TimedBody(inbound, this::backendTimed, this::clientTimed), connection);
    }
  }

  @Override
  public void connectFailed(Throwable cause) {
    waitingOn = null;
    if (!finished) {
      failed(cause, true);
    }
  }

  private static io.netty.handler.codec.http.HttpMethod nettyMethod(HttpMethod method) {
    return io.netty.handler.codec.http.HttpMethod.valueOf(method.name()); // the standard ones are constants
  }

  /** The response head arrived; body and end follow through {@link #content} and {@link #ended(ByteBuf)}. */
  @Override
  public void head(HttpResponse head) {
    rt.tryTimeouts.stop(this);
    response = head;
    received();
  }

  @Override
  public void content(ByteBuf chunk) {
    HttpServerResponse out = inbound.response();
    out.write(BufferInternal.safeBuffer(chunk)); // a heap copy, as Vert.x's client made: the pooled buffer goes back now
    if (out.writeQueueFull()) {
      rt.tryTimeouts.stop(this);
      UpstreamConnection paused = upstreamRequest;
      paused.pauseResponse();
      out.drainHandler(v -> {
        if (!relayDone && upstreamRequest == paused) { // after the end it is no longer ours to resume
          rt.tryTimeouts.start(this);
          paused.resumeResponse();
        }
      });
    } else {
      rt.tryTimeouts.start(this);
    }
  }

  /** The last bytes and the end go to the client in one write: most responses are one piece. */
  @Override
  public void ended(ByteBuf lastChunk) {
    upstreamRequest = null; // back in its pool, or closed if the request body was cut short: no longer ours
    stopBody();
    boolean backendFailed = response.status().code() >= 500;
    rt.tryTimeouts.stop(this);
    HttpServerResponse out = inbound.response();
    (lastChunk == null ? out.end() : out.end(BufferInternal.safeBuffer(lastChunk)))
      .onComplete(ar -> relayed(ar.succeeded(), backendFailed));
  }

  /** The connection broke, or this exchange aborted it (timeouts, client gone). */
  @Override
  public void failed(Throwable cause) {
    stopBody();
    if (response != null) {
      relayed(false, response.status().code() >= 500);
    } else {
      failed(cause, false);
    }
  }

  /** Closes this try's backend connection, if it still has one: it is never reused in an unknown state. */
  private void dropConnection() {
    if (upstreamRequest != null) {
      upstreamRequest.discard();
      upstreamRequest = null;
    }
  }

  private void stopBody() {
    if (bodyPump != null) {
      bodyPump.stop();
      bodyPump = null;
    }
  }

  private void received() {
    headersNanos = System.nanoTime();
    int status = response.status().code();
    if (status >= 500 && mayRetry(false)) {
      response = null;
      stopBody();
      dropConnection(); // drop this answer; the connection is not reused
      tryFailed(status, true);
      attempt();
      return;
    }
    relay();
  }

  private void failed(Throwable cause, boolean connectFailure) {
    dropConnection();
    if (clientGone) {
      rt.pool.cancel(backend);
      finish(CLIENT_CLOSED, false);
      return;
    }
    int status = overallExpired || tryExpired ? 504 : UpstreamFailure.status(cause, !connectFailure);
    boolean backendFault = status != 503;
    if (!overallExpired && mayRetry(connectFailure)) {
      tryFailed(status, backendFault);
      attempt();
      return;
    }
    rt.pool.end(backend, load, elapsedMs(), true, backendFault);
    answerError(status, reason(status), rt.pool.upstream(backend).name());
    finish(status, true, false);
  }

  private boolean mayRetry(boolean connectFailure) {
    return attempts < rt.config.retries().maxAttempts()
      && !clientGone
      && !inbound.response().headWritten()
      && (connectFailure || (IDEMPOTENT.contains(inbound.method()) && !hasBody))
      && rt.pool.hasAlternative(tried, backend) // else the backend's own answer beats a made-up one
      && rt.retryBudget.tryRetry();
  }

  /** This try failed and the request moves on: the policy and health learn it, the bus gets a record. */
  private void tryFailed(int status, boolean backendFault) {
    if (tried == null) {
      tried = new BitSet();
    }
    tried.set(backend);
    lastFailure = status;
    rt.pool.end(backend, load, elapsedMs(), true, backendFault);
    record(status, true, true);
  }

  private void relay() {
    HttpServerResponse out = inbound.response();
    HttpResponseStatus status = response.status();
    out.setStatusCode(status.code());
    if (!status.reasonPhrase().equals(HttpResponseStatus.valueOf(status.code()).reasonPhrase())) {
      out.setStatusMessage(status.reasonPhrase()); // only a non-standard reason phrase costs a new status line object
    }
    HopByHopHeaders.copyEndToEnd((MultiMap) response.headers(), out.headers());
    ForwardedHeaders.addToResponse(out.headers());
    if (rt.config.rewriteRedirects()) {
      RedirectRewrite.apply(out.headers(), tryUpstream, clientOrigin());
    }
    if (!out.headers().contains(HttpHeaders.CONTENT_LENGTH) && bodyAllowed(status.code())) {
      out.setChunked(true);
    }
    if (!inbound.isEnded()) {
      // The backend answered before the request body ended (#7): neither connection is at a message
      // boundary any more. The backend one closes when the response ends; this one after the answer
      // (lingeringClose).
      out.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    // Body bytes come through content() with back-pressure: the backend is not read while the client's
    // write queue is full. The per-try timeout goes on as the longest silence between body bytes (nginx's
    // proxy_read_timeout): restarted by every chunk, suspended while the client is the slow side.
    rt.tryTimeouts.start(this);
  }

  /** The response was relayed whole ({@code ok}), or the relay broke on either side. Runs once. */
  private void relayed(boolean ok, boolean backendFailed) {
    if (relayDone) {
      return;
    }
    relayDone = true;
    rt.tryTimeouts.stop(this);
    int status = response.status().code();
    if (ok) {
      if (!inbound.isEnded()) {
        lingeringClose(); // mid-request-body (the backend connection closed itself, unfinished)
      }
      rt.pool.end(backend, load, upstreamMs(), backendFailed, backendFailed);
      finish(status, backendFailed);
    } else {
      // Truncate, never pretend: the client sees the connection cut, and this upstream
      // connection is discarded instead of going back to the pool in an unknown state.
      HttpServerResponse out = inbound.response();
      boolean clientLeft = clientGone || out.closed(); // the write side failed, not the backend
      dropConnection();
      out.reset();
      rt.pool.end(backend, load, upstreamMs(), !clientLeft, !clientLeft);
      // a backend silent mid-body is logged as the timeout it is, though the client got the status line
      finish(clientLeft ? CLIENT_CLOSED : tryExpired ? 504 : status, !clientLeft);
    }
  }

  /** How the client addressed the proxy: its scheme and Host (the listening address for a client that sent none). */
  private String clientOrigin() {
    String host = inbound.getHeader(HttpHeaders.HOST);
    if (host == null) {
      host = inbound.localAddress().host() + ":" + inbound.localAddress().port();
    }
    return (rt.clientTls ? "https://" : "http://") + host;
  }

  private boolean bodyAllowed(int status) {
    return !(inbound.method() == HttpMethod.HEAD || status == 204 || status == 304 || status < 200);
  }

  private void answerError(int status, String reason, String backendName) {
    HttpServerResponse out = inbound.response();
    if (out.headWritten()) {
      out.reset();
    } else if (!clientGone) {
      if (!inbound.isEnded()) {
        out.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE); // the unread body would desync the connection
      }
      out.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .putHeader(RequestIds.HEADER, requestId)
        .end(status + " " + reason + (backendName == null ? "" : " (backend " + backendName + ")") + "\n");
    }
    if (!inbound.isEnded()) {
      // Vert.x closes a connection only when the request asked for it, not on our "Connection: close".
      dropRestOfBodyThenClose();
    } else {
      inbound.resume();
    }
  }

  /**
   * After an early answer (the backend answered before the request body ended): the client reads the
   * answer and then end of stream at once, while what it is still sending is read and dropped, and the
   * connection closes when the body ends (the body limits bound how long), as nginx's lingering close
   * does. Closing with unread bytes would make the kernel reset the connection, which can destroy the
   * answer before the client has read it.
   */
  private void lingeringClose() {
    if (((ConnectionBase) inbound.connection()).channel() instanceof DuplexChannel duplex) {
      duplex.shutdownOutput();
    }
    dropRestOfBodyThenClose();
  }

  /**
   * Reads the rest of the request body and drops it (the body limits bound how long), then closes:
   * closing with unread bytes would make the kernel send a reset that can destroy the answer before
   * the client has read it.
   */
  private void dropRestOfBodyThenClose() {
    inbound.handler(chunk -> { });
    inbound.endHandler(v -> inbound.connection().close());
    inbound.resume();
  }

  private void overallTimeout(long id) {
    overallTimer = -1;
    if (finished) {
      return;
    }
    overallExpired = true;
    if (upstreamRequest != null) {
      upstreamRequest.abort(new TimeoutException("request timeout")); // failed() answers 504 without retrying
    } else if (withdrawFromQueue()) {
      // all of the backend's connections stayed busy: the policy learns it as slow, health not as a fault
      rt.pool.end(backend, load, elapsedMs(), true, false);
      answerError(504, reason(504), tryUpstream.name());
      finish(504, true);
    } else if (inbound.response().headWritten()) {
      inbound.response().reset();
    }
  }

  /** The proxy now waits on the backend (it stopped taking the body, or the body is all sent). */
  private void backendTimed() {
    if (!finished && headersNanos == 0) {
      rt.tryTimeouts.start(this);
    }
  }

  /** The proxy now waits on the client for body bytes: not the backend's time. */
  private void clientTimed() {
    if (headersNanos == 0) {
      rt.tryTimeouts.stop(this);
    }
  }

  /** The backend said nothing within the per-try timeout: fail this try (504, retried when safe). */
  @Override
  void tryTimedOut() {
    if (finished || upstreamRequest == null) {
      return;
    }
    tryExpired = true;
    upstreamRequest.abort(new TimeoutException("per-try timeout"));
  }

  private void clientClosed() {
    clientGone = true;
    if (finished) {
      return;
    }
    if (upstreamRequest != null) {
      upstreamRequest.abort(new TimeoutException("client gone")); // the status is decided by clientGone
    } else if (withdrawFromQueue()) {
      rt.pool.cancel(backend); // nothing was sent: nothing to learn
      finish(CLIENT_CLOSED, false);
    }
  }

  /**
   * Gives up a try still queued for a connection (all of its backend's connections busy), so a request
   * timeout or a client leaving takes effect now rather than when a connection frees up or the wait
   * bound runs out. A try that is connecting is not withdrawn: the connect timeout bounds it, and
   * connected() then drops it.
   */
  private boolean withdrawFromQueue() {
    if (waitingOn == null || !waitingOn.withdraw(tryUpstream, this)) {
      return false;
    }
    waitingOn = null;
    return true;
  }

  private static String reason(int status) {
    return switch (status) {
      case 503 -> "Service Unavailable: upstream wait queue full";
      case 504 -> "Gateway Timeout: backend did not answer in time";
      default -> "Bad Gateway: backend unreachable or broken";
    };
  }

  private double elapsedMs() {
    return (System.nanoTime() - dispatchNanos) / 1e6;
  }

  private double upstreamMs() {
    return ((headersNanos == 0 ? System.nanoTime() : headersNanos) - dispatchNanos) / 1e6;
  }

  private void finish(int status, boolean failed) {
    finish(status, failed, false);
  }

  private void finish(int status, boolean failed, boolean retried) {
    if (finished) {
      return;
    }
    finished = true;
    rt.tryTimeouts.stop(this);
    if (overallTimer >= 0) {
      rt.cancelTimer(overallTimer);
    }
    record(status, failed, retried);
    if (rt.accessLog != null) {
      rt.accessLog.add(accessEntry(status));
    }
  }

  /** The operators' line for this request: the values are read here, formatting is the log thread's. */
  private AccessEntry accessEntry(int status) {
    MultiMap headers = inbound.headers();
    return new AccessEntry(arrivalEpochMs, inbound.remoteAddress() == null ? "-" : inbound.remoteAddress().hostAddress(),
      inbound.method().name(), inbound.uri(), inbound.version() == io.vertx.core.http.HttpVersion.HTTP_1_0 ? "HTTP/1.0" : "HTTP/1.1", status,
      inbound.bytesRead(), inbound.response().bytesWritten(), rt.group,
      backend < 0 ? "-" : rt.pool.upstream(backend).name(), attempts, backend < 0 ? 0 : upstreamMs(),
      (System.nanoTime() - arrivalNanos) / 1e6, requestId, headers.get(HttpHeaders.USER_AGENT), headers.get(HttpHeaders.REFERER));
  }

  private void record(int status, boolean failed, boolean retried) {
    String name = backend < 0 ? "-" : rt.pool.upstream(backend).name();
    long bytes = retried ? 0 : inbound.response().bytesWritten();
    rt.telemetry.add(new LatencyRecord(arrivalEpochMs, requestId, inbound.method().name(), inbound.uri(), name,
      status, backend < 0 ? 0 : upstreamMs(), (System.nanoTime() - arrivalNanos) / 1e6, bytes,
      rt.pool.policyConfig().type(), rt.mode().id, failed, attempts, retried, backend < 0 ? -1 : load, rt.group));
  }
}
