package io.adaptivelb.admin;

import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Admin calls are for loopback clients, or for anyone presenting the configured bearer token. */
final class AdminAccess implements Handler<RoutingContext> {

  private final byte[] token;

  AdminAccess(String token) {
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (isLoopback(ctx.request().remoteAddress()) || hasToken(ctx.request().getHeader("Authorization"))) {
      ctx.next();
    } else {
      ctx.response().setStatusCode(403).putHeader("Content-Type", "application/json")
        .end("{\"error\":\"admin API: loopback clients only, or Authorization: Bearer <dashboard.adminToken>\"}");
    }
  }

  /** Whether the call presents the configured bearer token (never true when none is configured). */
  boolean hasToken(String header) {
    if (token == null || header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    // Constant-time comparison: the token must not leak through response timing.
    return MessageDigest.isEqual(token, header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8));
  }

  private static boolean isLoopback(SocketAddress address) {
    if (address == null || address.hostAddress() == null) {
      return false;
    }
    try {
      return InetAddress.getByName(address.hostAddress()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
