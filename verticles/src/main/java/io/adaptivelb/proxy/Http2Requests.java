package io.adaptivelb.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;

import java.util.List;

/**
 * Turns the head of an HTTP/2 request into what an HTTP/1.1 backend expects (RFC 9113 §8.3.1): the
 * {@code :authority} pseudo-header becomes {@code Host}, and the {@code Cookie} fields h2 clients
 * split for compression are joined again with "; " (§8.2.3). The pseudo-headers themselves, and the
 * checks of §8.2 (pseudo-header rules, connection-specific fields, content-length against DATA), are
 * Netty's and Vert.x's work before a request reaches the proxy.
 */
final class Http2Requests {

  private Http2Requests() {
  }

  /** Adapts {@code outbound} (a copy of the end-to-end headers) when {@code inbound} came over HTTP/2. */
  static void toHttp1(HttpServerRequest inbound, MultiMap outbound) {
    if (inbound.version() != HttpVersion.HTTP_2) {
      return;
    }
    HostAndPort authority = inbound.authority();
    if (authority != null && !outbound.contains(HttpHeaders.HOST)) {
      outbound.set(HttpHeaders.HOST, authority.port() < 0 ? authority.host() : authority.host() + ":" + authority.port());
    }
    List<String> cookies = outbound.getAll(HttpHeaders.COOKIE);
    if (cookies.size() > 1) {
      String joined = String.join("; ", cookies);
      outbound.set(HttpHeaders.COOKIE, joined);
    }
  }
}
