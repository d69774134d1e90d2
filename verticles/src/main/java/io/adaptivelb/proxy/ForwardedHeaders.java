package io.adaptivelb.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The headers a reverse proxy adds so the backend knows who asked and the client knows who answered:
 * X-Forwarded-*, the request id back to the client, and {@code Via} both ways when configured.
 */
final class ForwardedHeaders {

  static final String VIA_TOKEN = "1.1 adaptive-lb";

  // Names as Netty AsciiStrings: their case-insensitive hash is computed once, not on every request.
  private static final CharSequence X_FORWARDED_FOR = HttpHeaders.createOptimized("X-Forwarded-For");
  private static final CharSequence X_FORWARDED_PROTO = HttpHeaders.createOptimized("X-Forwarded-Proto");
  private static final CharSequence X_FORWARDED_HOST = HttpHeaders.createOptimized("X-Forwarded-Host");
  private static final CharSequence VIA = HttpHeaders.createOptimized("Via");
  private static final CharSequence HTTP = HttpHeaders.createOptimized("http");
  private static final CharSequence HTTPS = HttpHeaders.createOptimized("https");

  private final boolean via;

  /** @param via whether to add {@code Via} (proxy.via) */
  ForwardedHeaders(boolean via) {
    this.via = via;
  }

  /**
   * @param tls whether the client connection is TLS: known per server, so not looked up per request
   *            (a connection's {@code isSSL()} searches its pipeline for a TLS handler every time)
   */
  void addToRequest(HttpServerRequest inbound, MultiMap outbound, boolean tls) {
    String ip = clientIp(inbound.remoteAddress());
    if (ip != null) {
      appendList(outbound, X_FORWARDED_FOR, ip);
    }
    outbound.set(X_FORWARDED_PROTO, tls ? HTTPS : HTTP);
    String host = outbound.get(HttpHeaders.HOST); // the client's (from :authority on HTTP/2), before any default
    if (host != null) {
      outbound.set(X_FORWARDED_HOST, host);
    }
    if (via) {
      appendList(outbound, VIA, VIA_TOKEN);
    }
  }

  /** The request id goes back to the client, whether it sent one or the proxy made it up. */
  void addToResponse(MultiMap outbound, String requestId) {
    outbound.set(RequestIds.HEADER, requestId);
    if (via) {
      appendList(outbound, VIA, VIA_TOKEN);
    }
  }

  /**
   * The client's IP as text. A socket address made from an IP keeps that IP's text as its host (and no
   * host name): take it as it is rather than format the address again for every request.
   */
  private static String clientIp(SocketAddress client) {
    if (client == null) {
      return null;
    }
    String host = client.host();
    return host != null && client.hostName() == null ? host : client.hostAddress();
  }

  /** Appends to a comma-separated list header, keeping what earlier hops wrote. */
  private static void appendList(MultiMap headers, CharSequence name, String value) {
    String existing = headers.get(name);
    if (existing == null) {
      headers.add(name, value); // absent: add, where set would first search the map again to remove it
    } else if (existing.isBlank()) {
      headers.set(name, value);
    } else {
      headers.remove(name);
      headers.set(name, existing + ", " + value);
    }
  }
}
