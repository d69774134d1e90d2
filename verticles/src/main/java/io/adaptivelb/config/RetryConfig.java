package io.adaptivelb.config;

import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * When a request may be sent to another backend.
 *
 * @param maxAttempts      tries per request in all (1 = never retry)
 * @param budgetPercent    retries may add at most this share of recent requests...
 * @param minRetriesPerSec ...plus this many per second, so a quiet proxy can still retry
 * @param perTryTimeoutMs  silence allowed from one backend before that try fails (0 = upstreamTimeoutMs)
 * @param requestTimeoutMs the whole request, all tries included, before the client gets 504 (0 = no limit)
 */
public record RetryConfig(int maxAttempts, double budgetPercent, int minRetriesPerSec, int perTryTimeoutMs,
                          int requestTimeoutMs) {

  /** As a config writes it, every value spelt out. */
  public JsonObject toJson() {
    return new JsonObject().put("maxAttempts", maxAttempts).put("budgetPercent", budgetPercent)
      .put("minRetriesPerSec", minRetriesPerSec).put("perTryTimeoutMs", perTryTimeoutMs)
      .put("requestTimeoutMs", requestTimeoutMs);
  }

  static RetryConfig read(StrictJson json) {
    json.allowOnly(Set.of("maxAttempts", "budgetPercent", "minRetriesPerSec", "perTryTimeoutMs", "requestTimeoutMs"));
    return new RetryConfig(
      json.integer("maxAttempts", 2, 1, 10),
      json.number("budgetPercent", 20, 0, 100),
      json.integer("minRetriesPerSec", 10, 0, 1_000_000),
      json.integer("perTryTimeoutMs", 0, 0, 3_600_000),
      json.integer("requestTimeoutMs", 0, 0, 3_600_000));
  }
}
