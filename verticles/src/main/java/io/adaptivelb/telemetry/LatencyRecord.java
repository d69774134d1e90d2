package io.adaptivelb.telemetry;

import io.vertx.core.json.JsonObject;

/**
 * What one forwarded request did. Immutable, so a batch can be handed to every local consumer
 * without copying.
 *
 * @param tsMs       wall-clock time the request arrived (epoch ms)
 * @param upstreamMs from dispatch to the backend until its response headers arrived (what policies learn)
 * @param totalMs    from arrival at the proxy until the last response byte was written to the client
 * @param bytes      response body bytes sent to the client (a tunnel: the bytes relayed to the client after the 101)
 * @param status     status sent to the client (502/503/504 when the proxy answered for a failed backend)
 * @param failed     the backend failed the request: 5xx, connect failure, timeout or reset
 * @param attempts   tries made for this request so far (1 without retries)
 * @param load       requests in flight to that backend from this proxy instance when this one was dispatched
 *                   (this one included): lets other instances' load-aware policies file the sample correctly
 * @param retried    this record is a failed try after which the request went to another backend; the
 *                   request's own record comes later (so the CSV, which has one row per request, skips these)
 * @param path       the request target as the client sent it: path and query
 * @param group      the upstream group the request was routed to ({@code default} without routes)
 * @param bytesIn    request body bytes read from the client (a tunnel: the bytes the client sent through it)
 */
public record LatencyRecord(long tsMs, String requestId, String method, String path, String backend, int status,
                            double upstreamMs, double totalMs, long bytes, String policy, String connection,
                            boolean failed, int attempts, boolean retried, int load, String group, long bytesIn) {

  public static final String DEFAULT_GROUP = "default";
  /**
   * The status of a tunnel's record (WebSocket or another upgrade): the backend switched protocols and
   * the proxy relayed bytes until one side closed. Its {@code totalMs} is the tunnel's lifetime and its
   * {@code upstreamMs} the handshake's latency, which is what the policies learn.
   */
  public static final int SWITCHED = 101;

  /** A record of the default group. */
  public LatencyRecord(long tsMs, String requestId, String method, String path, String backend, int status,
                       double upstreamMs, double totalMs, long bytes, String policy, String connection,
                       boolean failed, int attempts, boolean retried, int load) {
    this(tsMs, requestId, method, path, backend, status, upstreamMs, totalMs, bytes, policy, connection, failed,
      attempts, retried, load, DEFAULT_GROUP, 0);
  }

  /** A tunnel's record (see {@link #SWITCHED}). */
  public boolean tunnel() {
    return status == SWITCHED;
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("ts", tsMs).put("id", requestId).put("method", method).put("path", path)
      .put("backend", backend).put("status", status).put("upstreamMs", upstreamMs).put("totalMs", totalMs)
      .put("bytes", bytes).put("policy", policy).put("connection", connection).put("failed", failed)
      .put("attempts", attempts).put("retried", retried).put("load", load).put("group", group)
      .put("bytesIn", bytesIn);
  }

  public static LatencyRecord fromJson(JsonObject j) {
    return new LatencyRecord(j.getLong("ts"), j.getString("id"), j.getString("method"), j.getString("path"),
      j.getString("backend"), j.getInteger("status"), j.getDouble("upstreamMs"), j.getDouble("totalMs"),
      j.getLong("bytes"), j.getString("policy"), j.getString("connection"), j.getBoolean("failed"),
      j.getInteger("attempts", 1), j.getBoolean("retried", false), j.getInteger("load", -1),
      j.getString("group", DEFAULT_GROUP), j.getLong("bytesIn", 0L));
  }
}
