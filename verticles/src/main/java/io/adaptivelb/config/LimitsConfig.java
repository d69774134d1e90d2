package io.adaptivelb.config;

import java.util.Set;

/**
 * What the proxy accepts from clients and from backends before it refuses. Defaults are
 * safe for an edge proxy and roomy enough for ordinary traffic; each limit answers with its own status.
 *
 * @param maxRequestLineBytes       longest request line; beyond it: 414
 * @param maxHeaderBytes            all request header lines together; beyond it: 431
 * @param maxHeaderCount            request header fields; beyond it: 431
 * @param maxBodyBytes              request body; a larger Content-Length gets 413 before any backend is
 *                                  contacted, a chunked body that grows past it is cut (0 = no limit)
 * @param headerTimeoutMs           a request head must arrive completely within this, counted from its
 *                                  first byte (from the accept for a new connection); expiry: 408 and close (slowloris)
 * @param bodyIdleTimeoutMs         longest silence of a client while it still owes request body bytes
 *                                  (the proxy's own back-pressure does not count); expiry: the connection is closed
 * @param clientIdleTimeoutSec      an idle client connection (nothing read or written) is closed after this
 * @param maxClientConnections      open client connections per listening address and process; beyond: 503 and close
 * @param upstreamMaxStatusLineBytes longest status line a backend may send; beyond it: 502
 * @param upstreamMaxHeaderBytes    all response header lines of a backend together; beyond it: 502
 */
public record LimitsConfig(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderCount, int maxBodyBytes,
                           int headerTimeoutMs, int bodyIdleTimeoutMs, int clientIdleTimeoutSec, int maxClientConnections,
                           int upstreamMaxStatusLineBytes, int upstreamMaxHeaderBytes) {

  static LimitsConfig read(StrictJson json) {
    json.allowOnly(Set.of("maxRequestLineBytes", "maxHeaderBytes", "maxHeaderCount", "maxBodyBytes", "headerTimeoutMs",
      "bodyIdleTimeoutMs", "clientIdleTimeoutSec", "maxClientConnections", "upstreamMaxStatusLineBytes",
      "upstreamMaxHeaderBytes"));
    return new LimitsConfig(
      json.integer("maxRequestLineBytes", 8192, 64, 1 << 20),
      json.integer("maxHeaderBytes", 16_384, 256, 1 << 20),
      json.integer("maxHeaderCount", 100, 1, 10_000),
      json.integer("maxBodyBytes", 100 * 1024 * 1024, 0, Integer.MAX_VALUE),
      json.integer("headerTimeoutMs", 10_000, 1, 3_600_000),
      json.integer("bodyIdleTimeoutMs", 30_000, 1, 3_600_000),
      json.integer("clientIdleTimeoutSec", 120, 1, 86_400),
      json.integer("maxClientConnections", 10_000, 1, 1_000_000),
      json.integer("upstreamMaxStatusLineBytes", 8192, 64, 1 << 20),
      json.integer("upstreamMaxHeaderBytes", 16_384, 256, 1 << 20));
  }
}
