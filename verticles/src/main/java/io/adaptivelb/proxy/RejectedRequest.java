package io.adaptivelb.proxy;

/**
 * Why the proxy refuses a request without forwarding it, and the status that says so. Carried as the
 * cause of a failed Netty decoder result so the server's invalid-request handler can answer it; no
 * stack trace (it is a verdict on client input, not a bug, and clients can make many of them).
 */
final class RejectedRequest extends RuntimeException {

  private final int status;

  RejectedRequest(int status, String reason) {
    super(reason, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }

  /** A body over {@code proxy.limits.maxBodyBytes}, declared or counted, on either protocol. */
  static RejectedRequest bodyTooLarge(long maxBodyBytes) {
    return new RejectedRequest(413, "request body larger than " + maxBodyBytes + " bytes");
  }

  /** A client silent past {@code proxy.limits.bodyIdleTimeoutMs} while it owed body bytes. */
  static RejectedRequest bodyStalled(long bodyIdleTimeoutMs) {
    return new RejectedRequest(408, "request body stalled for " + bodyIdleTimeoutMs + " ms");
  }
}
