package io.adaptivelb.proxy;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

import java.util.Locale;
import java.util.StringJoiner;

/**
 * Whether a client's request asks to switch protocols in a way the proxy passes on (RFC 9110 §7.8): an
 * HTTP/1.1 GET without a body, {@code Connection} naming {@code upgrade}, and an {@code Upgrade} offering
 * something other than {@code h2c}. WebSocket is the common case; any protocol the backend accepts is
 * tunnelled the same way.
 *
 * <p>Not an upgrade, and forwarded as a plain request with {@code Upgrade} dropped as the hop-by-hop
 * header it is: an HTTP/1.0 request (RFC 9110 §7.8: a server MUST ignore its {@code Upgrade}), an HTTP/2
 * stream (it cannot carry {@code Upgrade}; its WebSocket, extended CONNECT of RFC 8441, is not offered),
 * another method or a request with a body (a body would have to reach the backend before the switch,
 * and no upgrade in use needs one), and {@code h2c}, which the proxy serves itself as HTTP/1.1.
 */
final class UpgradeRequest {

  private static final String H2C = "h2c";

  private UpgradeRequest() {
  }

  /**
   * The {@code Upgrade} value the backend gets (the client's offer less {@code h2c}), or null when the
   * request is not an upgrade the proxy passes on.
   */
  static String protocols(HttpServerRequest request, boolean hasBody) {
    if (!request.headers().contains(HttpHeaders.UPGRADE) // nearly every request: one lookup
      || request.version() != HttpVersion.HTTP_1_1 || request.method() != HttpMethod.GET || hasBody
      || !connectionNamesUpgrade(request)) {
      return null;
    }
    StringJoiner offered = new StringJoiner(", ");
    for (String value : request.headers().getAll(HttpHeaders.UPGRADE)) {
      for (String token : value.split(",")) {
        String protocol = token.trim();
        if (!protocol.isEmpty() && !protocol.equalsIgnoreCase(H2C)) {
          offered.add(protocol);
        }
      }
    }
    return offered.length() == 0 ? null : offered.toString();
  }

  private static boolean connectionNamesUpgrade(HttpServerRequest request) {
    for (String value : request.headers().getAll(HttpHeaders.CONNECTION)) {
      for (String token : value.split(",")) {
        if (token.trim().toLowerCase(Locale.ROOT).equals("upgrade")) {
          return true;
        }
      }
    }
    return false;
  }
}
