package io.adaptivelb.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/** The headers a reverse proxy adds so the backend knows who asked and the client knows who answered. */
final class ForwardedHeaders {

  static final String VIA_TOKEN = "1.1 adaptive-lb";

  private ForwardedHeaders() {
  }

  static void addToRequest(HttpServerRequest inbound, MultiMap outbound) {
    SocketAddress client = inbound.remoteAddress();
    if (client != null && client.hostAddress() != null) {
      appendList(outbound, "X-Forwarded-For", client.hostAddress());
    }
    outbound.set("X-Forwarded-Proto", inbound.isSSL() ? "https" : "http");
    String host = inbound.headers().get("Host");
    if (host != null) {
      outbound.set("X-Forwarded-Host", host);
    }
    appendList(outbound, "Via", VIA_TOKEN);
  }

  static void addToResponse(MultiMap outbound) {
    appendList(outbound, "Via", VIA_TOKEN);
  }

  /** Appends to a comma-separated list header, keeping what earlier hops wrote. */
  private static void appendList(MultiMap headers, String name, String value) {
    String existing = headers.get(name);
    if (existing == null || existing.isBlank()) {
      headers.set(name, value);
    } else {
      headers.remove(name);
      headers.set(name, existing + ", " + value);
    }
  }
}
