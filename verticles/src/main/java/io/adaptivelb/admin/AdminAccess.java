package io.adaptivelb.admin;

import io.adaptivelb.web.BearerToken;
import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Admin calls are for loopback clients, or for anyone presenting the configured bearer token. */
final class AdminAccess implements Handler<RoutingContext> {

  private final BearerToken token;

  AdminAccess(BearerToken token) {
    this.token = token;
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
    return token.presentedIn(header);
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
