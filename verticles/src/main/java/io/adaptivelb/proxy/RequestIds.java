package io.adaptivelb.proxy;

import java.util.regex.Pattern;

/**
 * Request ids: a caller's {@code X-Request-Id} is kept when it is short and plain (so traces join
 * up across hops), otherwise the proxy makes one from its instance id and a counter.
 */
final class RequestIds {

  /** An AsciiString: its case-insensitive hash is computed once, not on every lookup and set per request. */
  static final CharSequence HEADER = io.vertx.core.http.HttpHeaders.createOptimized("X-Request-Id");
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private final String prefix;
  private long next;

  RequestIds(String prefix) {
    this.prefix = prefix + "-";
  }

  String idFor(String incoming) {
    if (incoming != null && SAFE.matcher(incoming).matches()) {
      return incoming;
    }
    return prefix + Long.toHexString(next++);
  }
}
