package io.adaptivelb.proxy;

import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Copies end-to-end headers from one message to another, leaving out the hop-by-hop ones
 * (RFC 9110 §7.6.1): the fixed list below plus every header the {@code Connection} header names.
 */
final class HopByHopHeaders {

  private HopByHopHeaders() {
  }

  static void copyEndToEnd(MultiMap from, MultiMap to) {
    Set<String> named = namedByConnection(from);
    if (from instanceof io.netty.handler.codec.http.HttpHeaders netty) {
      // Vert.x's header map is also Netty's: walk its entries as they are, with no String copy or wrapper per header.
      Iterator<Map.Entry<CharSequence, CharSequence>> it = netty.iteratorCharSequence();
      while (it.hasNext()) {
        Map.Entry<CharSequence, CharSequence> header = it.next();
        CharSequence name = header.getKey();
        if (!always(name) && (named == null || !named.contains(name.toString().toLowerCase(java.util.Locale.ROOT)))) {
          to.add(name, header.getValue());
        }
      }
      return;
    }
    for (Map.Entry<String, String> header : from) {
      String name = header.getKey();
      if (!always(name) && (named == null || !named.contains(name.toLowerCase(java.util.Locale.ROOT)))) {
        to.add(name, header.getValue());
      }
    }
  }

  /**
   * Whether the name is on the fixed list: connection, keep-alive, proxy-connection, proxy-authenticate,
   * proxy-authorization, te, trailer, transfer-encoding, upgrade. By length first, so an ordinary header
   * costs one switch and at most one comparison, not a hash.
   */
  static boolean always(CharSequence name) {
    return switch (name.length()) {
      case 2 -> eq(name, "te");
      case 7 -> eq(name, "trailer") || eq(name, "upgrade");
      case 10 -> eq(name, "connection") || eq(name, "keep-alive");
      case 16 -> eq(name, "proxy-connection");
      case 17 -> eq(name, "transfer-encoding");
      case 18 -> eq(name, "proxy-authenticate");
      case 19 -> eq(name, "proxy-authorization");
      default -> false;
    };
  }

  private static boolean eq(CharSequence name, String lower) {
    return AsciiString.contentEqualsIgnoreCase(name, lower);
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
