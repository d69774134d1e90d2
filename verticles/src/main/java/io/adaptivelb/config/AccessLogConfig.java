package io.adaptivelb.config;

import java.util.Set;

/**
 * The operators' access log: one line per client request, in Apache's and nginx's {@code combined}
 * format or as one JSON object per line.
 *
 * @param path   file appended to; absent or empty: no access log
 * @param format {@code combined} or {@code json}
 */
public record AccessLogConfig(String path, String format) {

  public static final String COMBINED = "combined";
  public static final String JSON = "json";

  static AccessLogConfig read(StrictJson json) {
    json.allowOnly(Set.of("path", "format"));
    return new AccessLogConfig(json.string("path", ""), json.oneOf("format", COMBINED, Set.of(COMBINED, JSON)));
  }

  public boolean enabled() {
    return path != null && !path.isBlank();
  }
}
