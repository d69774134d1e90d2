package io.adaptivelb.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/** The headers a reverse proxy adds so the backend knows who asked and the client knows who answered. */
final class ForwardedHeaders {

  static final String VIA_TOKEN = "1.1 adaptive-lb";

  // Names as Netty AsciiStrings: their case-insensitive hash is computed once, not on every request.
  private static final CharSequence X_FORWARDED_FOR = HttpHeaders.createOptimized("X-Forwarded-For");
  private static final CharSequence X_FORWARDED_PROTO = HttpHeaders.createOptimized("X-Forwarded-Proto");
  private static final CharSequence X_FORWARDED_HOST = HttpHeaders.createOptimized("X-Forwarded-Host");
  private static final CharSequence VIA = HttpHeaders.createOptimized("Via");
  private static final CharSequence HTTP = HttpHeaders.createOptimized("http");
  private static final CharSequence HTTPS = HttpHeaders.createOptimized("https");

  private ForwardedHeaders() {
  }

  /**
   * @param tls whether the client connection is TLS: known per server, so not looked up per request
   *            (a connection's {@code isSSL()} searches its pipeline for a TLS handler every time)
   */
  static void addToRequest(HttpServerRequest inbound, MultiMap outbound, boolean tls) {
    String ip = clientIp(inbound.remoteAddress());
    if (ip != null) {
      appendList(outbound, X_FORWARDED_FOR, ip);
    }
    outbound.set(X_FORWARDED_PROTO, tls ? HTTPS : HTTP);
    String host = inbound.headers().get(HttpHeaders.HOST);
    if (host != null) {
      outbound.set(X_FORWARDED_HOST, host);
    }
    appendList(outbound, VIA, VIA_TOKEN);
  }

  static void addToResponse(MultiMap outbound) {
    appendList(outbound, VIA, VIA_TOKEN);
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
