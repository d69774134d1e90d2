package io.adaptivelb.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Timeouts for responses that are meant to be slow, instead of {@code upstreamTimeoutMs}: streams whose
 * events come far apart (server-sent events) and long polls whose answer comes late.
 *
 * @param idleTimeoutMs     longest silence between body bytes of a response whose Content-Type is one of
 *                          {@code types} (0 = none)
 * @param types             media types streamed that way (compared without parameters, case-insensitive)
 * @param longPollPaths     path prefixes of long-poll requests
 * @param longPollTimeoutMs how long the backend may take to start answering a long poll (0 = no limit)
 */
public record StreamingConfig(int idleTimeoutMs, List<String> types, List<String> longPollPaths, int longPollTimeoutMs) {

  static StreamingConfig read(StrictJson json) {
    json.allowOnly(Set.of("idleTimeoutMs", "types", "longPollPaths", "longPollTimeoutMs"));
    List<String> paths = json.strings("longPollPaths", List.of());
    for (int i = 0; i < paths.size(); i++) {
      if (!paths.get(i).startsWith("/")) {
        throw new ConfigException(json.key("longPollPaths") + "[" + i + "]", "must start with /, got \"" + paths.get(i) + "\"");
      }
    }
    return new StreamingConfig(
      json.integer("idleTimeoutMs", 600_000, 0, 86_400_000),
      json.strings("types", List.of("text/event-stream")).stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).toList(),
      List.copyOf(paths),
      json.integer("longPollTimeoutMs", 600_000, 0, 86_400_000));
  }

  /** Whether a response with this Content-Type (may be null) is a stream. */
  public boolean streams(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    for (String t : types) {
      if (t.equalsIgnoreCase(type)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a request for this path is a long poll. */
  public boolean longPoll(String path) {
    for (String prefix : longPollPaths) {
      if (path != null && path.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
