package io.adaptivelb.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Copies end-to-end headers from one message to another, leaving out the hop-by-hop ones
 * (RFC 9110 §7.6.1): the fixed list below plus every header the {@code Connection} header names.
 */
final class HopByHopHeaders {

  // A case-insensitive MultiMap: lookups hash the name ignoring case, with no lower-cased copy per header.
  private static final MultiMap ALWAYS = MultiMap.caseInsensitiveMultiMap();

  static {
    for (String name : new String[]{"connection", "keep-alive", "proxy-connection", "proxy-authenticate",
      "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade"}) {
      ALWAYS.add(name, "");
    }
  }

  private HopByHopHeaders() {
  }

  static void copyEndToEnd(MultiMap from, MultiMap to) {
    Set<String> named = namedByConnection(from);
    for (Map.Entry<String, String> header : from) {
      String name = header.getKey();
      if (!ALWAYS.contains(name) && (named == null || !named.contains(name.toLowerCase(java.util.Locale.ROOT)))) {
        to.add(name, header.getValue());
      }
    }
  }

  /** Lower-cased tokens of every {@code Connection} header, or null when there is none (the common case). */
  private static Set<String> namedByConnection(MultiMap headers) {
    if (!headers.contains(HttpHeaders.CONNECTION)) {
      return null;
    }
    Set<String> names = new TreeSet<>();
    for (String value : headers.getAll(HttpHeaders.CONNECTION)) {
      for (String token : value.split(",")) {
        String t = token.trim().toLowerCase(java.util.Locale.ROOT);
        if (!t.isEmpty()) {
          names.add(t);
        }
      }
    }
    return names;
  }
}
