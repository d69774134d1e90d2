package io.adaptivelb.web;

import io.vertx.core.net.HostAndPort;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Whether a browser's {@code Origin} names the server it is talking to (RFC 6454: scheme, host, port). */
public final class SameOrigin {

  private SameOrigin() {
  }

  /** No Origin: not a browser, allowed. "null" or anything unparsable: refused. */
  public static boolean allows(String origin, String scheme, HostAndPort authority) {
    if (origin == null) {
      return true;
    }
    if (authority == null) {
      return false;
    }
    URI uri;
    try {
      uri = new URI(origin.trim());
    } catch (URISyntaxException e) {
      return false;
    }
    String originScheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String serverScheme = scheme == null ? "http" : scheme.toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !originScheme.equals(serverScheme)) {
      return false;
    }
    return uri.getHost().equalsIgnoreCase(authority.host())
      && port(uri.getPort(), originScheme) == port(authority.port(), serverScheme);
  }

  private static int port(int port, String scheme) {
    return port >= 0 ? port : "https".equals(scheme) ? 443 : 80;
  }
}
