package io.adaptivelb.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * nginx's {@code proxy_redirect default}: a backend that names its own address in {@code Location},
 * {@code Content-Location} or {@code Refresh} (its {@code url=} part) would send the client around the
 * proxy; the address is replaced by the one the client used (scheme and {@code Host}). Other URLs,
 * relative ones included, are left alone.
 */
final class RedirectRewrite {

  private static final CharSequence REFRESH = HttpHeaders.createOptimized("Refresh");

  private RedirectRewrite() {
  }

  /**
   * @param clientOrigin {@code scheme://host[:port]} as the client addressed the proxy
   */
  /** How the client addressed the proxy: its scheme and Host (the listening address for a client that sent none). */
  static String clientOrigin(HttpServerRequest inbound, boolean tls) {
    String host = inbound.getHeader(HttpHeaders.HOST);
    if (host == null) {
      host = inbound.localAddress().host() + ":" + inbound.localAddress().port();
    }
    return (tls ? "https://" : "http://") + host;
  }

  static void apply(MultiMap headers, Upstream backend, String clientOrigin) {
    rewrite(headers, HttpHeaders.LOCATION, backend, clientOrigin);
    rewrite(headers, HttpHeaders.CONTENT_LOCATION, backend, clientOrigin);
    String refresh = headers.get(REFRESH);
    if (refresh != null) {
      int url = indexOfIgnoreCase(refresh, "url=");
      if (url >= 0) {
        String target = refresh.substring(url + 4);
        String rewritten = rewritten(target, backend, clientOrigin);
        if (rewritten != null) {
          headers.set(REFRESH, refresh.substring(0, url + 4) + rewritten);
        }
      }
    }
  }

  private static void rewrite(MultiMap headers, CharSequence name, Upstream backend, String clientOrigin) {
    String value = headers.get(name);
    if (value != null) {
      String rewritten = rewritten(value, backend, clientOrigin);
      if (rewritten != null) {
        headers.set(name, rewritten);
      }
    }
  }

  /** {@code url} with the backend's origin replaced, or null when it does not start with it. */
  static String rewritten(String url, Upstream backend, String clientOrigin) {
    String host = backend.address().host();
    int port = backend.address().port();
    String withPort = "http://" + host + ":" + port;
    String rest = after(url, withPort);
    if (rest == null && port == 80) {
      rest = after(url, "http://" + host);
    }
    return rest == null ? null : clientOrigin + rest;
  }

  /** What follows {@code origin} in {@code url} when the origin ends there (path, query, or nothing). */
  private static String after(String url, String origin) {
    if (!url.regionMatches(true, 0, origin, 0, origin.length())) {
      return null;
    }
    String rest = url.substring(origin.length());
    return rest.isEmpty() || rest.charAt(0) == '/' || rest.charAt(0) == '?' || rest.charAt(0) == '#' ? rest : null;
  }

  private static int indexOfIgnoreCase(String text, String part) {
    for (int i = 0; i + part.length() <= text.length(); i++) {
      if (text.regionMatches(true, i, part, 0, part.length())) {
        return i;
      }
    }
    return -1;
  }
}
